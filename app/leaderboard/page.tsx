import { getDb } from '@/db';
import { parseId } from '@/lib/ids';
import { getLeaderboard } from '@/db/queries/scores';
import { requireActor } from '@/server/session';
import { TableBox } from '../_components/TableBox';

export const metadata = { title: 'Leaderboard' };

export default async function LeaderboardPage({ searchParams }: { searchParams: Promise<{ min?: string }> }) {
  const actor = await requireActor();
  const { min } = await searchParams;
  const parsed = min === undefined ? 1 : parseId(min);
  const minQuestions = parsed !== null && parsed <= 1000 ? parsed : 1;
  const rows = await getLeaderboard(await getDb(), actor, minQuestions);
  return (
    <>
      <h1>Leaderboard</h1>
      <section className="card">
        <p className="small muted">
          Mean relative Brier across resolved questions: each forecaster&apos;s Brier minus the median of the forecasters standing at the same
          time, averaged over the time they had a forecast. Negative is better; 0 is the team median.
        </p>
        <form className="row" method="get">
          <label htmlFor="min" style={{ margin: 0 }}>Minimum resolved questions</label>
          <input id="min" name="min" type="number" min={1} defaultValue={minQuestions} style={{ width: '6rem' }} />
          <button type="submit" className="secondary">Filter</button>
        </form>
        {rows.length === 0 ? (
          <p className="muted">Nobody has {minQuestions} or more resolved questions yet.</p>
        ) : (
          <TableBox label="Leaderboard">
          <table data-testid="leaderboard">
            <thead>
              <tr><th>#</th><th>Forecaster</th><th className="num">Mean relative Brier</th><th className="num">Questions</th><th className="num">Mean coverage</th></tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={r.userId}>
                  <td>{i + 1}</td>
                  <td>{r.name}{r.userId === actor.id && ' (you)'}</td>
                  <td className="num">{r.meanRelativeBrier.toFixed(3)}</td>
                  <td className="num">{r.questions}</td>
                  <td className="num">{Math.round(r.meanCoverage * 100)}%</td>
                </tr>
              ))}
            </tbody>
          </table>
          </TableBox>
        )}
      </section>
    </>
  );
}
