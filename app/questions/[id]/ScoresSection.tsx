import type { ScoresView } from '@/db/queries/scores';
import { formatTime } from '@/lib/format';
import { methodLabel } from '../../_components/method-labels';
import { TableBox } from '../../_components/TableBox';

const f3 = (x: number | null) => (x === null ? '—' : x.toFixed(3));
const pc = (x: number) => `${Math.round(x * 100)}%`;

export function ScoresSection({ scores }: { scores: ScoresView }) {
  const best = scores.methods.filter((m) => m.timeAveragedBrier !== null).sort((a, b) => a.timeAveragedBrier! - b.timeAveragedBrier!)[0];
  return (
    <section className="card" aria-labelledby="scores-heading">
      <h2 id="scores-heading">Scores</h2>
      <p className="small muted">
        Resolved to <strong>{scores.outcomeName}</strong>. Scored over {formatTime(scores.window.start)} – {formatTime(scores.window.end)}. Brier runs
        from 0 (perfect) to 2; relative Brier is against the median of the forecasters standing at each instant (negative is better).
      </p>
      <h3>Forecasters</h3>
      <TableBox label="Forecaster scores">
      <table data-testid="forecaster-scores">
        <thead>
          <tr>
            <th>Forecaster</th>
            <th className="num">Time-averaged Brier</th>
            <th className="num">Coverage</th>
            <th className="num">Relative Brier</th>
            <th className="num">Final Brier</th>
            <th className="num">Log score</th>
            <th className="num">Normalised log score</th>
          </tr>
        </thead>
        <tbody>
          {scores.forecasters.map((f) => (
            <tr key={f.userId} data-testid={`score-${f.name}`}>
              <td>{f.name}</td>
              <td className="num">{f3(f.timeAveragedBrier)}</td>
              <td className="num">{pc(f.coverage)}</td>
              <td className="num">{f3(f.relativeBrier)}</td>
              <td className="num">{f3(f.finalBrier)}</td>
              <td className="num">{f3(f.logScore)}</td>
              <td className="num">{f.normalisedLogScore === null ? '—' : f.normalisedLogScore.toFixed(1)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      </TableBox>
      <h3>Aggregation methods</h3>
      {best && <p className="small">Best for this question: <strong>{methodLabel(best.id)}</strong>.</p>}
      <TableBox label="Aggregation method scores">
      <table className="small" data-testid="method-scores">
        <thead>
          <tr><th>Method</th><th className="num">Time-averaged Brier</th><th className="num">Coverage</th></tr>
        </thead>
        <tbody>
          {scores.methods.map((m) => (
            <tr key={m.id} data-testid={`method-${m.id}`}>
              <td>{methodLabel(m.id)}</td>
              <td className="num">{f3(m.timeAveragedBrier)}</td>
              <td className="num">{pc(m.coverage)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      </TableBox>
      <h3>Indicator events</h3>
      {scores.events.length === 0 ? (
        <p className="muted small">No indicator events on this question.</p>
      ) : (
        <TableBox label="Indicator event scores">
        <table className="small" data-testid="event-scores">
          <thead>
            <tr><th>Event</th><th className="num">Updates</th><th className="num">Value (Brier before − after, summed)</th></tr>
          </thead>
          <tbody>
            {scores.events.map((e) => (
              <tr key={e.eventId}>
                <td>{e.indicatorName}{e.retracted && ' (retracted)'}</td>
                <td className="num">{e.updates}</td>
                <td className="num">{e.updates ? `${e.value >= 0 ? '+' : ''}${e.value.toFixed(3)}` : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </TableBox>
      )}
    </section>
  );
}
