// Which signposts discriminated: one table per view (review page, track record). Server component.
import Link from 'next/link';
import { TableBox } from './TableBox';
import type { DiscriminationStats, DiscriminationView } from '@/db/queries/discrimination';

const nats = (s: DiscriminationStats | null) =>
  s === null ? '—' : `${s.meanScore >= 0 ? '+' : '−'}${Math.abs(s.meanScore).toFixed(2)}${s.standardError === null ? '' : ` ± ${s.standardError.toFixed(2)}`}`;
const counts = (s: DiscriminationStats | null) => (s === null ? '' : `${s.count} (${s.observedCount} observed)`);

/**
 * Per indicator: the team default's score, (for a lead) the forecasters' together, and each
 * forecaster's the view holds; then per judge across every indicator.
 */
export function DiscriminationTable({ view, testId, showForecastersTogether }: { view: DiscriminationView; testId: string; showForecastersTogether: boolean }) {
  if (view.indicators.length === 0) {
    return <p className="muted small" data-testid={testId}>No indicator of a resolved question has been observed or passed its deadline with likelihoods to score yet.</p>;
  }
  return (
    <div data-testid={testId}>
      <p className="small muted">
        Mean log-likelihood of what was seen (the indicator observed, or its deadline passed), given the scenario that happened,
        against a flat baseline, in nats: above 0 the likelihoods pointed to what happened, 0 they could not tell the scenarios
        apart, below 0 they pointed away. ± one standard error; judgements counted in brackets. From {view.questionCount} resolved
        question{view.questionCount === 1 ? '' : 's'}.
      </p>
      <TableBox label="Discrimination per indicator">
        <table className="small">
          <thead>
            <tr>
              <th>Indicator</th>
              <th>Judge</th>
              <th className="num">Mean score</th>
              <th className="num">Judgements</th>
            </tr>
          </thead>
          <tbody>
            {view.indicators.flatMap((ind) => {
              const rows: { key: string; judge: string; stats: DiscriminationStats | null }[] = [{ key: 'team', judge: 'Team default', stats: ind.teamDefault }];
              if (showForecastersTogether) rows.push({ key: 'all', judge: 'Forecasters together', stats: ind.forecasters });
              for (const f of ind.byForecaster) rows.push({ key: `u${f.userId}`, judge: f.name, stats: f.stats });
              return rows.map((r, i) => (
                <tr key={`${ind.indicatorId}-${r.key}`}>
                  {i === 0 && (
                    <td rowSpan={rows.length}>
                      <strong>{ind.name}</strong>
                      <div className="muted"><Link href={`/questions/${ind.questionId}`}>{ind.questionTitle}</Link></div>
                    </td>
                  )}
                  <td>{r.judge}</td>
                  <td className="num">{nats(r.stats)}</td>
                  <td className="num">{counts(r.stats)}</td>
                </tr>
              ));
            })}
          </tbody>
        </table>
      </TableBox>
      <h3>Across every indicator</h3>
      <TableBox label="Discrimination per judge">
        <table className="small">
          <thead>
            <tr>
              <th>Judge</th>
              <th className="num">Mean score</th>
              <th className="num">Judgements</th>
            </tr>
          </thead>
          <tbody>
            {view.judges.map((j) => (
              <tr key={j.userId ?? 'team'}>
                <td>{j.name}</td>
                <td className="num">{nats(j.stats)}</td>
                <td className="num">{counts(j.stats)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableBox>
    </div>
  );
}
