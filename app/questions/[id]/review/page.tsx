import Link from 'next/link';
import { Suspense } from 'react';
import { notFound } from 'next/navigation';
import { getDb } from '@/db';
import { listIndicatorEvents } from '@/db/queries/events';
import { listIndicatorViews } from '@/db/queries/indicators';
import type { Actor } from '@/db/queries/access';
import { getQuestionForUser, type QuestionDetail } from '@/db/queries/questions';
import { getMethodRecommendation } from '@/db/queries/recommendation';
import { getTeamDiscrimination } from '@/db/queries/discrimination';
import { DiscriminationTable } from '../../../_components/DiscriminationTable';
import { respondersTo } from '@/db/queries/scores';
import { getAggregateView, listVisibleForecasts } from '@/db/queries/team-view';
import { listTeamMembers } from '@/db/queries/users';
import { formatTime, pct } from '@/lib/format';
import { latestByUser } from '@/lib/team-view';
import { orNotFound, pageId } from '@/server/pages';
import { requireActor } from '@/server/session';
import { FreeText } from '../../../_components/FreeText';
import { choiceLabel, methodLabel } from '../../../_components/method-labels';
import { switchToRecommendedAction } from '../actions';
import { SwitchMethodButton } from './SwitchMethodButton';
import { TableBox } from '../../../_components/TableBox';

export const metadata = { title: 'Review' };

export default async function ReviewPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireActor();
  if (actor.role !== 'lead') notFound();
  const { id } = await params;
  const db = await getDb();
  const q = await orNotFound(getQuestionForUser(db, actor, pageId(id)));
  const [{ rows }, allEvents, allMembers, allIndicators] = await Promise.all([
    listVisibleForecasts(db, actor, q),
    listIndicatorEvents(db, actor, q),
    listTeamMembers(db, actor),
    listIndicatorViews(db, actor, q),
  ]);
  const [view, discrimination] = await Promise.all([getAggregateView(db, actor, q, { series: false }), getTeamDiscrimination(db, actor)]);
  const events = allEvents.filter((e) => e.retracted === null);
  const latestEvent = events[0] ?? null;
  const responders = await respondersTo(db, actor, latestEvent ? [latestEvent.id] : []);
  const members = allMembers.filter((m) => m.role !== 'viewer');
  const latest = latestByUser(rows);
  const indicators = allIndicators.filter((i) => i.retiredAt === null);

  return (
    <>
      <p className="small"><Link href={`/questions/${q.id}`}>← {q.title}</Link></p>
      <h1>Review: {q.title}</h1>
      <section className="card">
        <h2>Every forecaster&apos;s latest forecast</h2>
        {latestEvent && (
          <p className="small muted">
            Latest event: <strong>{latestEvent.indicatorName}</strong> ({formatTime(latestEvent.occurredAt)}).
          </p>
        )}
        <TableBox label="Latest forecasts and rationales">
        <table className="small" data-testid="review-forecasts">
          <thead>
            <tr>
              <th>Forecaster</th>
              <th>Time</th>
              {q.scenarios.map((s) => <th key={s.id} className="num">{s.name}</th>)}
              <th>Rationale</th>
              {latestEvent && <th>Updated on the latest event?</th>}
            </tr>
          </thead>
          <tbody>
            {members.map((m) => {
              const f = latest.get(m.id);
              return (
                <tr key={m.id}>
                  <td>{m.name}{!m.active && ' (deactivated)'}</td>
                  <td>{f ? formatTime(f.createdAt) : <span className="muted">no forecast</span>}</td>
                  {q.scenarios.map((s, k) => <td key={s.id} className="num">{f ? pct(f.probabilities[k]!) : ''}</td>)}
                  <td style={{ whiteSpace: 'pre-wrap' }}>{f?.rationale ? <FreeText text={f.rationale} /> : <span className="muted">—</span>}</td>
                  {latestEvent && <td>{responders.get(latestEvent.id)?.has(m.id) ? 'Yes' : f && f.createdAt > latestEvent.createdAt ? 'Forecast since, not linked' : 'No'}</td>}
                </tr>
              );
            })}
          </tbody>
        </table>
        </TableBox>
      </section>
      <section className="card">
        <h2>Every aggregation method, now</h2>
        {!view || view.probabilities === null ? (
          <p className="muted">No forecasts yet.</p>
        ) : (
          <TableBox label="Every aggregation method">
          <table className="small" data-testid="review-methods">
            <thead>
              <tr>
                <th>Method</th>
                {q.scenarios.map((s) => <th key={s.id} className="num">{s.name}</th>)}
              </tr>
            </thead>
            <tbody>
              {view.methods.map((m) => (
                <tr key={m.id}>
                  <td>{methodLabel(m.id)}{m.id === view.methodId && <strong> (team method)</strong>}</td>
                  {m.probabilities!.map((p, k) => <td key={k} className="num">{pct(p)}</td>)}
                </tr>
              ))}
            </tbody>
          </table>
          </TableBox>
        )}
      </section>
      <Suspense
        fallback={
          <section className="card" aria-labelledby="recommendation-heading" aria-busy="true">
            <h2 id="recommendation-heading">The method this team&apos;s record favours</h2>
            <p className="muted small">Scoring every method on the team&apos;s resolved questions…</p>
          </section>
        }
      >
        <RecommendationSection actor={actor} q={q} />
      </Suspense>
      <section className="card" aria-labelledby="discrimination-heading">
        <h2 id="discrimination-heading">Which signposts discriminated</h2>
        <p className="small muted">Across the team&apos;s resolved questions, every forecaster.</p>
        <DiscriminationTable view={discrimination} testId="team-discrimination" showForecastersTogether />
      </section>
      <section className="card">
        <h2>Pooled likelihoods per indicator</h2>
        {indicators.map((ind) => (
          <div key={ind.id}>
            <h3>{ind.name}</h3>
            <TableBox label={`Pooled likelihoods for ${ind.name}`}>
            <table className="small">
              <thead>
                <tr>
                  <th>P(observed | scenario)</th>
                  {q.scenarios.map((s) => <th key={s.id} className="num">{s.name}</th>)}
                  <th className="num">Diagnosticity</th>
                </tr>
              </thead>
              <tbody>
                <tr>
                  <td><strong>Team pooled ({ind.pooledCount})</strong></td>
                  {q.scenarios.map((s, k) => <td key={s.id} className="num">{ind.pooled ? pct(ind.pooled[k]!, 0) : '—'}</td>)}
                  <td className="num">{ind.diagnosticity ? (Number.isFinite(ind.diagnosticity.ratio) ? `${ind.diagnosticity.ratio.toFixed(1)}×` : '∞') : '—'}</td>
                </tr>
                {ind.byForecaster.map((b) => (
                  <tr key={b.userId}>
                    <td>{b.name}</td>
                    {b.likelihoods.map((l, k) => <td key={k} className="num">{pct(l, 0)}</td>)}
                    <td />
                  </tr>
                ))}
                {ind.teamDefault && (
                  <tr>
                    <td>Team default</td>
                    {ind.teamDefault.map((l, k) => <td key={k} className="num">{pct(l, 0)}</td>)}
                    <td />
                  </tr>
                )}
              </tbody>
            </table>
            </TableBox>
          </div>
        ))}
      </section>
    </>
  );
}

const brier = (x: number | null) => (x === null ? '—' : x.toFixed(4));
const signed = (x: number) => `${x > 0 ? '+' : x < 0 ? '−' : ''}${Math.abs(x).toFixed(4)}`;
const withSe = (d: number | null, se: number | null) => (d === null ? '—' : se === null ? signed(d) : `${signed(d)} ± ${se.toFixed(4)}`);

/**
 * The method the team's record favours beside the question's current one. Streamed: the first
 * view after a resolution scores every method on every resolved question (cached afterwards).
 */
async function RecommendationSection({ actor, q }: { actor: Actor; q: QuestionDetail }) {
  const rec = await getMethodRecommendation(await getDb(), actor, q);
  return (
    <section className="card" aria-labelledby="recommendation-heading" data-testid="method-recommendation">
      <h2 id="recommendation-heading">The method this team&apos;s record favours</h2>
      <p className="small muted">
        From the team&apos;s resolved questions: each method&apos;s time-averaged Brier score (0–2, lower is better) had it
        been the team forecast, and the same with each question left out of the choice in turn.
      </p>
      {rec.tooShort ? (
        <p data-testid="record-too-short">
          The record is too short to recommend a method: {rec.questionCount} scored resolved question
          {rec.questionCount === 1 ? '' : 's'}, {rec.minQuestions} needed. This question keeps{' '}
          <strong>{choiceLabel(rec.current.methodId, rec.current.alpha, rec.current.skill)}</strong>.
        </p>
      ) : (
        <>
          <TableBox label="Current and recommended method">
            <table className="small">
              <thead>
                <tr>
                  <th />
                  <th>Method</th>
                  <th className="num">Mean time-averaged Brier</th>
                </tr>
              </thead>
              <tbody>
                <tr>
                  <th scope="row">Current</th>
                  <td data-testid="current-method">{choiceLabel(rec.current.methodId, rec.current.alpha, rec.current.skill)}</td>
                  <td className="num">{brier(rec.current.meanBrier)}</td>
                </tr>
                <tr>
                  <th scope="row">Recommended</th>
                  <td data-testid="recommended-method">{choiceLabel(rec.recommended.methodId, rec.recommended.alpha, rec.recommended.skill)}</td>
                  <td className="num">{brier(rec.recommended.meanBrier)}</td>
                </tr>
              </tbody>
            </table>
          </TableBox>
          <p className="small">
            Paired difference (recommended − current) across {rec.questionCount} resolved questions:{' '}
            <strong data-testid="recommendation-difference">{withSe(rec.recommended.difference, rec.recommended.standardError)}</strong> (mean ± standard error; negative favours the recommendation).
            {rec.leaveOneOut && (
              <>
                {' '}Left out one question at a time, the method chosen on the others scores {brier(rec.leaveOneOut.meanBrier)}:{' '}
                {withSe(rec.leaveOneOut.difference, rec.leaveOneOut.standardError)} against the current method.
              </>
            )}
          </p>
          {rec.isCurrent ? (
            <p className="success small">This question already uses it.</p>
          ) : (
            <SwitchMethodButton action={switchToRecommendedAction.bind(null, q.id)} label={choiceLabel(rec.recommended.methodId, rec.recommended.alpha, rec.recommended.skill)} />
          )}
        </>
      )}
    </section>
  );
}
