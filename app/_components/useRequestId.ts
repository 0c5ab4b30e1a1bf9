'use client';

import { useEffect, useState } from 'react';

/**
 * The id of the request that rendered this page, from the <meta name="request-id"> the root
 * layout writes on every render (see app/layout.tsx): what an error page shows, so a person's
 * report can be found in the server's log. null before hydration and when there is none.
 */
export function useRequestId(): string | null {
  const [id, setId] = useState<string | null>(null);
  useEffect(() => {
    setId(document.querySelector('meta[name="request-id"]')?.getAttribute('content') || null);
  }, []);
  return id;
}
