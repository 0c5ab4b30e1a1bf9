'use client';

import { useRequestId } from './_components/useRequestId';

// Shown instead of the whole app when even its frame (the root layout) fails to render, so it
// brings its own <html> and the few styles it needs. The request id and the digest find the
// error in the server's log.
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const requestId = useRequestId();
  return (
    <html lang="en">
      <head>
        <title>Signpost: something went wrong</title>
      </head>
      <body style={{ fontFamily: 'system-ui, sans-serif', color: '#1d2430', margin: 0, padding: '1rem' }}>
        <main style={{ maxWidth: '440px', margin: '2rem auto' }}>
          <div role="alert">
            <h1>Signpost could not be shown</h1>
            <p>Something went wrong on our side. Nothing you submitted was half-saved. Please try again in a few seconds.</p>
            <p>
              <button type="button" onClick={() => reset()}>Try again</button>
            </p>
            <p data-testid="error-reference" style={{ fontSize: '0.88rem', color: '#5b6575' }}>
              If it keeps happening, tell whoever runs Signpost
              {requestId && <> the request id <code>{requestId}</code></>}
              {requestId && error.digest && ' and'}
              {error.digest && <> the error reference <code>{error.digest}</code></>}.
            </p>
          </div>
        </main>
      </body>
    </html>
  );
}
