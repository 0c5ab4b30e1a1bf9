// The current request's id, for pages, server actions and route handlers (set by
// server/request-log.ts before Next sees the request).
import { headers } from 'next/headers';
import { REQUEST_ID_HEADER } from './request-id';

/** The request id of the request being served, or null outside one (or on a plain `next dev`). */
export async function currentRequestId(): Promise<string | null> {
  try {
    return (await headers()).get(REQUEST_ID_HEADER);
  } catch {
    return null;
  }
}
