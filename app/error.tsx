'use client';

// What a person sees when a page cannot be shown: most often the database is out of reach for
// a moment (a restart, a lost connection). Nothing they did was half-saved: every change is
// one transaction. The digest lets an operator find the error in the server's log.
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
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
      {error.digest && <p className="small muted">Reference for the operator: {error.digest}</p>}
    </div>
  );
}
