import Link from 'next/link';
import { getDb } from '@/db';
import { listQuestionsForUser } from '@/db/queries/questions';
import { formatDay, pct } from '@/lib/format';
import { STATUS_LABEL } from '@/lib/question-status';
import { requireActor } from '@/server/session';
import { TableBox } from '../_components/TableBox';

export const metadata = { title: 'Questions' };

export default async function QuestionsPage() {
  const actor = await requireActor();
  const now = Date.now();
  const items = await listQuestionsForUser(await getDb(), actor, now);
  return (
    <>
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h1>Questions</h1>
        {actor.role === 'lead' && (
          <Link className="button" href="/questions/new">New question</Link>
        )}
      </div>
      {items.length === 0 && <p className="card">No questions yet.{actor.role === 'lead' && ' Create the first one.'}</p>}
      {items.length > 0 && (
        <TableBox label="Questions" className="card">
        <table aria-label="Questions">
          <thead>
            <tr>
              <th>Question</th>
              <th>Status</th>
              <th>Closes</th>
              <th>Your latest forecast</th>
            </tr>
          </thead>
          <tbody>
            {items.map((q) => (
              <tr key={q.id}>
                <td>
                  <Link href={`/questions/${q.id}`}>{q.title}</Link>{' '}
                  {q.illustrative && <span className="badge illustrative">Illustrative</span>}{' '}
                  {q.status === 'open' && q.pendingEvents.length > 0 && (
                    <span className="badge warn" data-testid="attention-evidence">New evidence ({q.pendingEvents.length})</span>
                  )}
                </td>
                <td><span className={`badge ${q.status}`}>{STATUS_LABEL[q.status]}</span></td>
                <td>{formatDay(q.closesAt)}</td>
                <td className="small">
                  {q.myLatest ? (
                    <>
                      {q.scenarios.map((s) => `${s.name} ${pct(q.myLatest!.probabilities.get(s.id) ?? 0, 0)}`).join(' · ')}
                      <div className="muted">
                        {formatDay(q.myLatest.createdAt)}
                        {now - q.myLatest.createdAt > q.staleAfterDays * 86_400_000 && q.status === 'open' && (
                          <> <span className="badge warn">Stale</span></>
                        )}
                      </div>
                    </>
                  ) : (
                    <span className="muted">None yet</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        </TableBox>
      )}
    </>
  );
}
