import Link from 'next/link';
import { currentRequestId } from '@/server/current-request';

export default async function NotFound() {
  const requestId = await currentRequestId();
  return (
    <div className="card narrow">
      <h1>Not found</h1>
      <p>That page or question does not exist, or you do not have access to it.</p>
      <Link href="/questions">Back to the questions</Link>
      {requestId && (
        <p className="small muted" data-testid="error-reference">
          Request id <span className="request-id">{requestId}</span>
        </p>
      )}
    </div>
  );
}
