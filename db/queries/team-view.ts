// The team's view of a question: who may see it (anti-herding), the forecasts they may see,
// and the aggregate by every method with its spread and time series. Everything comes from
// the question's snapshot (db/internal/snapshot.ts, computed once per version); the rules of
// who may see what are applied here, per viewer, after it.
import type { Queryable } from '@/db/types';
import { hasForecast, userNames, type ForecastHistoryItem } from '@/db/internal/rows';
import { getSnapshot, type AggregateSnapshot, type SeriesPoint, type Snapshot } from '@/db/internal/snapshot';
import { thinSeries } from '@/lib/team-view';
import type { Actor } from './access';
import { questionFor, type QuestionDetail, type QuestionDetailRef as QuestionRef } from './questions';

export type { SeriesPoint };

// The snapshot each loaded question was first paired with: the reads of one page render share
// one lookup (a question object lives for one request).
const pairedSnapshots = new WeakMap<QuestionDetail, Promise<Snapshot>>();

/** The question (through the visibility rule) and its current snapshot. */
async function withSnapshot(db: Queryable, actor: Actor, ref: QuestionRef): Promise<{ q: QuestionDetail; snapshot: Snapshot }> {
  const q = await questionFor(db, actor, ref);
  let snapshot = pairedSnapshots.get(q);
  if (!snapshot) pairedSnapshots.set(q, (snapshot = getSnapshot(db, q.id, q.version)));
  return { q, snapshot: await snapshot };
}

/**
 * Anti-herding: a forecaster sees the team's aggregate, others' forecasts and rationales only
 * after their own first forecast on the question (when the question has the setting on).
 * Leads and viewers always see them; nobody is hidden anything once a question is settled.
 */
export async function canSeeTeamView(db: Queryable, actor: Actor, ref: QuestionRef): Promise<boolean> {
  const q = await questionFor(db, actor, ref);
  if (actor.role !== 'forecaster' || !q.antiHerding) return true;
  if (q.status === 'resolved' || q.status === 'annulled') return true;
  // From the snapshot the page reads anyway, when there is one; else one small query.
  const snapshot = pairedSnapshots.get(q);
  return snapshot ? (await snapshot).byUser.has(actor.id) : hasForecast(db, actor.id, q.id);
}

/** Forecasts the actor may see on a question, newest first: all of them, or only their own. */
export async function listVisibleForecasts(
  db: Queryable,
  actor: Actor,
  ref: QuestionRef,
): Promise<{ rows: ForecastHistoryItem[]; names: Map<number, string>; restricted: boolean }> {
  const { q, snapshot } = await withSnapshot(db, actor, ref);
  const all = await canSeeTeamView(db, actor, q);
  const rows = all ? snapshot.rows : snapshot.byUser.get(actor.id) ?? [];
  const names = await userNames(db, all ? snapshot.byUser.keys() : [actor.id]);
  return { rows, names, restricted: !all };
}

/** The actor's own forecast history on a question, newest first. */
export async function listMyForecasts(db: Queryable, actor: Actor, ref: QuestionRef): Promise<ForecastHistoryItem[]> {
  const { snapshot } = await withSnapshot(db, actor, ref);
  return snapshot.byUser.get(actor.id) ?? [];
}

/**
 * One page of every forecaster's latest forecast, newest first, when the actor may see the
 * team's forecasts (null otherwise).
 */
export async function listLatestForecasts(
  db: Queryable,
  actor: Actor,
  ref: QuestionRef,
  page: { offset: number; limit: number },
): Promise<{ rows: ForecastHistoryItem[]; total: number; names: Map<number, string> } | null> {
  const { q, snapshot } = await withSnapshot(db, actor, ref);
  if (!(await canSeeTeamView(db, actor, q))) return null;
  const offset = Math.max(0, Math.floor(page.offset));
  const rows = snapshot.latest.slice(offset, offset + Math.max(1, Math.floor(page.limit)));
  return { rows, total: snapshot.latest.length, names: await userNames(db, rows.map((r) => r.userId)) };
}

export interface AggregateView extends Omit<AggregateSnapshot, 'thinSeries'> {
  asOf: number;
  /** Every forecast on the question (the history the aggregate is taken from). */
  forecastTotal: number;
}

/**
 * The team aggregate by the question's chosen method, its spread, every method side by side,
 * and (unless `series: false`) the aggregate series. Null when anti-herding hides it.
 */
export async function getAggregateView(
  db: Queryable,
  actor: Actor,
  ref: QuestionRef,
  options: { now?: number; series?: boolean } = {},
): Promise<AggregateView | null> {
  const now = options.now ?? Date.now();
  const { q, snapshot } = await withSnapshot(db, actor, ref);
  if (!(await canSeeTeamView(db, actor, q))) return null;
  const { thinSeries: _thin, series, ...rest } = snapshot.aggregate;
  return {
    ...rest,
    series: options.series === false ? [] : series,
    asOf: q.resolvedAt !== null ? Math.min(now, q.resolvedAt) : now,
    forecastTotal: snapshot.rows.length,
  };
}

/**
 * What the question's chart draws: the aggregate series thinned to at most `points` points
 * (null when anti-herding hides it), and the actor's own forecasts.
 */
export async function getChartSeries(
  db: Queryable,
  actor: Actor,
  ref: QuestionRef,
  points: number,
): Promise<{ team: SeriesPoint[] | null; mine: SeriesPoint[] }> {
  const { q, snapshot } = await withSnapshot(db, actor, ref);
  const visible = await canSeeTeamView(db, actor, q);
  const team = visible ? (points === 300 ? snapshot.aggregate.thinSeries : thinSeries(snapshot.aggregate.series, points)) : null;
  const mine = [...(snapshot.byUser.get(actor.id) ?? [])].reverse().map((f) => ({ time: f.createdAt, probabilities: f.probabilities }));
  return { team, mine: thinSeries(mine, points) };
}
