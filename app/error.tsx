'use client';

import { useRequestId } from './_components/useRequestId';

// What a person sees when a page cannot be shown: most often the database is out of reach for
// a moment (a restart, a lost connection). Nothing they did was half-saved: every change is
// one transaction. The request id and the digest find the error in the server's log (the
// "request failed" line holds both: instrumentation-node.ts).
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const requestId = useRequestId();
  return (
    <div className="card narrow" role="alert">
      <h1>This page could not be shown</h1>
      <p>
        Signpost could not load it just now, usually because its database is briefly out of reach. Nothing you submitted
        was half-saved. Please try again in a few seconds.
      </p>
      <p>
        <button type="button" onClick={() => reset()}>Try again</button>
      </p>
      <p className="small muted" data-testid="error-reference">
        If it keeps happening, tell whoever runs Signpost
        {requestId && <> the request id <span className="request-id">{requestId}</span></>}
        {requestId && error.digest && ' and'}
        {error.digest && <> the error reference <span className="request-id">{error.digest}</span></>}.
      </p>
    </div>
  );
}
