// The team's view of a question: who may see it (anti-herding), the forecasts they may see,
// and the aggregate by every method with its spread and time series.
import type { Queryable } from '@/db/types';
import { hasForecast, listForecastRows, userNames, type ForecastHistoryItem } from '@/db/internal/rows';
import { skillWeightsForTeam } from '@/db/internal/scores';
import {
  AGGREGATION_METHODS,
  DEFAULT_AGGREGATION_METHOD_ID,
  aggregate,
  aggregateSeries,
  type AggregationOptions,
  type StandingForecast,
} from '@/lib/aggregation';
import { spreadOf, type Spread } from '@/lib/team-view';
import type { Actor } from './access';
import { questionFor, type QuestionDetail, type QuestionDetailRef as QuestionRef } from './questions';

/**
 * Anti-herding: a forecaster sees the team's aggregate, others' forecasts and rationales only
 * after their own first forecast on the question (when the question has the setting on).
 * Leads and viewers always see them; nobody is hidden anything once a question is settled.
 */
export async function canSeeTeamView(db: Queryable, actor: Actor, ref: QuestionRef): Promise<boolean> {
  const q = await questionFor(db, actor, ref);
  if (actor.role !== 'forecaster' || !q.antiHerding) return true;
  if (q.status === 'resolved' || q.status === 'annulled') return true;
  return hasForecast(db, actor.id, q.id);
}

/** Forecasts the actor may see on a question, newest first: all of them, or only their own. */
export async function listVisibleForecasts(
  db: Queryable,
  actor: Actor,
  ref: QuestionRef,
): Promise<{ rows: ForecastHistoryItem[]; names: Map<number, string>; restricted: boolean }> {
  const q = await questionFor(db, actor, ref);
  const all = await canSeeTeamView(db, actor, q);
  const [rows, names] = await Promise.all([listForecastRows(db, q.id, all ? undefined : [actor.id]), userNames(db)]);
  return { rows, names, restricted: !all };
}

export interface AggregateView {
  methodId: string;
  probabilities: number[] | null;
  forecasterCount: number;
  spread: Spread[];
  methods: { id: string; probabilities: number[] | null }[];
  series: { time: number; probabilities: number[] }[];
  asOf: number;
}

/** Time-ordered history of a question as lib/ expects it, up to `until`. */
function historyOf(rows: readonly ForecastHistoryItem[], until: number): StandingForecast[] {
  return rows
    .filter((r) => r.createdAt <= until)
    .sort((a, b) => a.createdAt - b.createdAt || a.id - b.id)
    .map((r) => ({ forecasterId: String(r.userId), time: r.createdAt, probabilities: r.probabilities }));
}

function standingOf(history: readonly StandingForecast[]): StandingForecast[] {
  const latest = new Map<string, StandingForecast>();
  for (const f of history) latest.set(f.forecasterId, f);
  return [...latest.values()].sort((a, b) => a.time - b.time);
}

export const methodOrDefault = (methodId: string) =>
  AGGREGATION_METHODS.find((m) => m.id === methodId) ?? AGGREGATION_METHODS.find((m) => m.id === DEFAULT_AGGREGATION_METHOD_ID)!;

/** A method's options, with the team's skill weights added (computed once, on demand). */
export function optionsFor(methodId: string, skill: () => Promise<Map<string, number>>): Promise<AggregationOptions> | AggregationOptions {
  const m = methodOrDefault(methodId);
  return m.needsSkillWeights ? skill().then((skillWeights) => ({ ...m.options, skillWeights })) : m.options;
}

/**
 * The team aggregate by the question's chosen method, its spread, every method side by side,
 * and the aggregate series. Null when anti-herding hides it from the actor.
 */
export async function getAggregateView(
  db: Queryable,
  actor: Actor,
  ref: QuestionRef,
  options: { now?: number; series?: boolean; rows?: readonly ForecastHistoryItem[] } = {},
): Promise<AggregateView | null> {
  const now = options.now ?? Date.now();
  const q: QuestionDetail = await questionFor(db, actor, ref, now);
  if (!(await canSeeTeamView(db, actor, q))) return null;
  const asOf = q.resolvedAt !== null ? Math.min(now, q.resolvedAt) : now;
  const history = historyOf(options.rows ?? (await listForecastRows(db, q.id)), asOf);
  const standing = standingOf(history);
  let weights: Promise<Map<string, number>> | undefined;
  const skill = () => (weights ??= skillWeightsForTeam(db, q.status === 'resolved' ? q.id : null));
  const chosen = methodOrDefault(q.aggregationMethod);
  const has = standing.length > 0;
  const methods = await Promise.all(
    AGGREGATION_METHODS.map(async (m) => ({ id: m.id, probabilities: has ? aggregate(standing, await optionsFor(m.id, skill)) : null })),
  );
  return {
    methodId: chosen.id,
    probabilities: methods.find((m) => m.id === chosen.id)!.probabilities,
    forecasterCount: standing.length,
    spread: has ? spreadOf(standing.map((s) => s.probabilities), q.scenarios.length) : [],
    methods,
    series:
      has && options.series !== false
        ? aggregateSeries(history, await optionsFor(chosen.id, skill)).map((p) => ({ time: p.time, probabilities: p.probabilities }))
        : [],
    asOf,
  };
}
