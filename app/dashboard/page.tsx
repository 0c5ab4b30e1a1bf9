import Link from 'next/link';
import { getDb } from '@/db';
import { listQuestionsForUser } from '@/db/queries/questions';
import { formatDay, formatTime } from '@/lib/format';
import { requireActor } from '@/server/session';
import { TableBox } from '../_components/TableBox';

export const metadata = { title: 'Dashboard' };

const DAY = 86_400_000;

export default async function DashboardPage() {
  const actor = await requireActor();
  const now = Date.now();
  const open = (await listQuestionsForUser(await getDb(), actor, now)).filter((q) => q.status === 'open');
  const rows = open.map((q) => {
    const ageDays = q.myLatest ? Math.floor((now - q.myLatest.createdAt) / DAY) : null;
    return {
      q,
      ageDays,
      stale: q.myLatest !== null && now - q.myLatest.createdAt > q.staleAfterDays * DAY,
      none: q.myLatest === null,
      evidence: q.pendingEvents,
    };
  });
  const needs = rows.filter((r) => r.evidence.length > 0 || r.stale || r.none);
  return (
    <>
      <h1>Your dashboard</h1>
      {actor.role === 'viewer' && <p className="info small">You are a viewer: this lists the open questions; viewers do not forecast.</p>}
      <section className="card">
        <h2>Needs your attention</h2>
        {needs.length === 0 && <p className="muted">Nothing: every open question has your current forecast.</p>}
        <ul className="plain" data-testid="attention-list">
          {needs.map(({ q, evidence, stale, none, ageDays }) => (
            <li key={q.id}>
              <Link href={`/questions/${q.id}`}>{q.title}</Link>{' '}
              {q.illustrative && <span className="badge illustrative">Illustrative</span>}
              <ul className="small">
                {none && actor.role !== 'viewer' && <li>You have not forecast yet.</li>}
                {evidence.map((e) => (
                  <li key={e.id}>
                    New evidence: {e.indicatorName} (logged {formatTime(e.createdAt)}) —{' '}
                    <Link href={`/questions/${q.id}/update/${e.id}`}>update</Link>
                  </li>
                ))}
                {stale && (
                  <li>
                    Your forecast is {ageDays} days old (stale after {q.staleAfterDays}).
                  </li>
                )}
              </ul>
            </li>
          ))}
        </ul>
      </section>
      <section className="card">
        <h2>All open questions</h2>
        <TableBox label="All open questions">
        <table>
          <thead>
            <tr><th>Question</th><th>Closes</th><th>Your last forecast</th></tr>
          </thead>
          <tbody>
            {rows.map(({ q, ageDays }) => (
              <tr key={q.id}>
                <td><Link href={`/questions/${q.id}`}>{q.title}</Link></td>
                <td>{formatDay(q.closesAt)}</td>
                <td>{ageDays === null ? <span className="muted">none</span> : `${ageDays} days ago`}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </TableBox>
      </section>
    </>
  );
}
