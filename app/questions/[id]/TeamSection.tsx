import Link from 'next/link';
import type { Actor } from '@/db/queries/access';
import type { EventView } from '@/db/queries/events';
import type { ForecastHistoryItem } from '@/db/queries/forecasts';
import type { QuestionDetail } from '@/db/queries/questions';
import type { AggregateView } from '@/db/queries/team-view';
import { AGGREGATION_METHODS } from '@/lib/aggregation';
import { formatTime, pct } from '@/lib/format';
import { choiceLabel, methodLabel } from '../../_components/method-labels';
import { annulAction, resolveAction, setMethodAction } from './actions';
import { AggregateChart } from './AggregateChart';
import { AnnulForm, MethodForm, ResolveForm } from './LeadForms';
import { FreeText } from '../../_components/FreeText';
import { TableBox } from '../../_components/TableBox';

/** Rows of the latest-forecasts table per page. */
export const TEAM_PAGE_SIZE = 25;

export function TeamSection({
  q,
  actor,
  view,
  events,
  latest,
  page,
  now,
}: {
  q: QuestionDetail;
  actor: Actor;
  view: AggregateView | null;
  events: EventView[];
  /** One page of every forecaster's latest forecast. */
  latest: { rows: ForecastHistoryItem[]; total: number; names: Map<number, string> } | null;
  page: number;
  now: number;
}) {
  if (!view) {
    return (
      <section className="card" aria-labelledby="team-heading">
        <h2 id="team-heading">Team forecast</h2>
        <p className="info" data-testid="anti-herding">
          Make your own forecast first: the team&apos;s aggregate and the others&apos; forecasts and rationales appear once you have, so
          your first judgement is your own.
        </p>
      </section>
    );
  }
  const settled = q.status === 'resolved' || q.status === 'annulled';
  return (
    <section className="card" aria-labelledby="team-heading">
      <h2 id="team-heading">Team forecast</h2>
      {view.probabilities === null ? (
        <p className="muted">No forecasts yet.</p>
      ) : (
        <>
          <p className="small muted">
            {choiceLabel(view.methodId, view.methodId.startsWith('extremised-') ? view.alpha : null, view.methodId.endsWith('-skill') ? view.skill : null)} of {view.forecasterCount} forecaster{view.forecasterCount === 1 ? '' : 's'}
            {q.resolvedAt !== null ? ' at resolution' : ''}. Spread: lowest, quartiles and highest of the standing forecasts.
          </p>
          <TableBox label="Team aggregate">
          <table aria-label="Team aggregate" data-testid="aggregate-table">
            <thead>
              <tr>
                <th>Scenario</th>
                <th className="num">Team</th>
                <th className="num">Lowest</th>
                <th className="num">Lower quartile</th>
                <th className="num">Median</th>
                <th className="num">Upper quartile</th>
                <th className="num">Highest</th>
              </tr>
            </thead>
            <tbody>
              {q.scenarios.map((s, k) => {
                const sp = view.spread[k]!;
                return (
                  <tr key={s.id}>
                    <td>{s.name}</td>
                    <td className="num" data-testid={`aggregate-${k}`}><strong>{pct(view.probabilities![k]!)}</strong></td>
                    <td className="num">{pct(sp.min)}</td>
                    <td className="num">{pct(sp.q1)}</td>
                    <td className="num">{pct(sp.median)}</td>
                    <td className="num">{pct(sp.q3)}</td>
                    <td className="num">{pct(sp.max)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          </TableBox>
          <AggregateChart
            questionId={q.id}
            scenarios={q.scenarios.map((s) => s.name)}
            events={[...events].reverse().map((e) => ({ id: e.id, time: e.occurredAt, label: e.indicatorName, retracted: e.retracted !== null }))}
            start={q.opensAt}
            asOf={view.asOf}
          />
          <h3 id="team-forecasts">The team&apos;s latest forecasts and rationales</h3>
          <TableBox label="The team’s latest forecasts and rationales">
          <table className="small" data-testid="team-forecasts">
            <thead>
              <tr>
                <th>Forecaster</th>
                <th>Time</th>
                {q.scenarios.map((s) => <th key={s.id} className="num">{s.name}</th>)}
                <th>Rationale</th>
              </tr>
            </thead>
            <tbody>
              {(latest?.rows ?? []).map((f) => (
                <tr key={f.id}>
                  <td>{latest!.names.get(f.userId) ?? '?'}{f.userId === actor.id && ' (you)'}</td>
                  <td>{formatTime(f.createdAt)}{f.reaffirmation && <div className="muted">reaffirmed</div>}{f.event && <div className="muted">update: {f.event.indicatorName}</div>}</td>
                  {f.probabilities.map((p, k) => <td key={k} className="num">{pct(p, 0)}</td>)}
                  <td style={{ whiteSpace: 'pre-wrap' }}>{f.rationale ? <FreeText text={f.rationale} /> : <span className="muted">—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
          </TableBox>
          {latest && latest.total > TEAM_PAGE_SIZE && <Pager questionId={q.id} page={page} pages={Math.ceil(latest.total / TEAM_PAGE_SIZE)} total={latest.total} />}
        </>
      )}
      <p className="small">
        Export: <a href={`/questions/${q.id}/export/forecasts.csv`}>forecasts (CSV)</a>
        {q.status === 'resolved' && <> · <a href={`/questions/${q.id}/export/scores.csv`}>scores (CSV)</a></>}
      </p>
      {actor.role === 'lead' && (
        <div className="info">
          <strong>Team lead</strong> · <Link href={`/questions/${q.id}/review`}>Review page</Link>
          {q.status !== 'draft' && (
            <MethodForm action={setMethodAction.bind(null, q.id)} methods={AGGREGATION_METHODS.map((m) => ({ id: m.id, label: methodLabel(m.id) }))} current={view.methodId} alpha={view.alpha} skill={view.skill} />
          )}
          {q.status !== 'draft' && q.status !== 'annulled' && (
            <details>
              <summary>{q.status === 'resolved' ? 'Correct the resolution' : 'Resolve or annul this question'}</summary>
              <ResolveForm
                action={resolveAction.bind(null, q.id)}
                scenarios={q.scenarios.map((s) => ({ id: s.id, name: s.name }))}
                defaultTime={new Date(Math.min(now, q.closesAt)).toISOString().slice(0, 16)}
                correcting={q.status === 'resolved'}
              />
              {!settled && <AnnulForm action={annulAction.bind(null, q.id)} />}
            </details>
          )}
        </div>
      )}
    </section>
  );
}

function Pager({ questionId, page, pages, total }: { questionId: number; page: number; pages: number; total: number }) {
  const href = (p: number) => `/questions/${questionId}?team=${p}#team-forecasts`;
  return (
    <nav className="row small" aria-label="Pages of the team's forecasts">
      <span>
        Forecasters {(page - 1) * TEAM_PAGE_SIZE + 1}–{Math.min(total, page * TEAM_PAGE_SIZE)} of {total}
      </span>
      {page > 1 && <Link href={href(page - 1)}>Previous</Link>}
      {page < pages && <Link href={href(page + 1)}>Next</Link>}
    </nav>
  );
}
