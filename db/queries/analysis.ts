// The team's view of a question (aggregate, spread, series), scores after resolution, the
// leaderboard and personal track records: the data layer over lib/ mathematics. Everything
// here is computed on read from the append-only history, so a corrected resolution
// recomputes every score at once.
import { and, eq, inArray, ne } from 'drizzle-orm';
import type { Queryable } from '@/db';
import { forecasts, questions } from '@/db/schema';
import {
  AGGREGATION_METHODS,
  DEFAULT_AGGREGATION_METHOD_ID,
  aggregate,
  aggregateSeries,
  skillWeightsFromRecords,
  type AggregationOptions,
  type StandingForecast,
} from '@/lib/aggregation';
import { calibrationBins, forecastPairs, type CalibrationBin, type ForecastPair } from '@/lib/calibration';
import { conflict } from '@/lib/errors';
import {
  brier,
  logScore,
  normalisedLogScore,
  relativeBrier,
  scoreSeries,
  updateValue,
  type ForecastStep,
} from '@/lib/scoring';
import { assertRole, type Actor } from './actor';
import { listForecastRows, type ForecastHistoryItem } from './forecasts';
import { listIndicatorEvents } from './indicators';
import { getQuestionForUser, listScenariosOf, type QuestionDetail } from './questions';
import { userNames } from './users';

// ---- visibility ------------------------------------------------------------------------

/**
 * Anti-herding: a forecaster sees the team's aggregate, others' forecasts and rationales only
 * after their own first forecast on the question (when the question has the setting on).
 * Leads and viewers always see them; nobody is hidden anything once a question is settled.
 */
export function canSeeTeamView(db: Queryable, actor: Actor, q: QuestionDetail): boolean {
  if (actor.role !== 'forecaster' || !q.antiHerding) return true;
  if (q.status === 'resolved' || q.status === 'annulled') return true;
  return Boolean(
    db.select({ id: forecasts.id }).from(forecasts).where(and(eq(forecasts.questionId, q.id), eq(forecasts.userId, actor.id))).limit(1).get(),
  );
}

/** Forecasts the actor may see on a question, newest first: all of them, or only their own. */
export function listVisibleForecasts(
  db: Queryable,
  actor: Actor,
  questionId: number,
): { rows: ForecastHistoryItem[]; names: Map<number, string>; restricted: boolean } {
  const q = getQuestionForUser(db, actor, questionId);
  const all = canSeeTeamView(db, actor, q);
  return { rows: listForecastRows(db, q.id, all ? undefined : [actor.id]), names: userNames(db), restricted: !all };
}

/** Each user's latest forecast, from rows ordered newest first (as listForecastRows returns them). */
export function latestByUser(rows: readonly ForecastHistoryItem[]): Map<number, ForecastHistoryItem> {
  const latest = new Map<number, ForecastHistoryItem>();
  for (const f of rows) if (!latest.has(f.userId)) latest.set(f.userId, f);
  return latest;
}

// ---- aggregation -----------------------------------------------------------------------

export interface Spread {
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
}

export interface AggregateView {
  methodId: string;
  methodLabel: string;
  probabilities: number[] | null;
  forecasterCount: number;
  spread: Spread[];
  methods: { id: string; label: string; probabilities: number[] | null }[];
  series: { time: number; probabilities: number[] }[];
  asOf: number;
}

/** Quantile with linear interpolation between order statistics (Hyndman & Fan type 7). */
function quantile(sorted: readonly number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

export function spreadOf(vectors: readonly (readonly number[])[], k: number): Spread[] {
  return Array.from({ length: k }, (_, j) => {
    const xs = vectors.map((v) => v[j]!).sort((a, b) => a - b);
    return { min: xs[0]!, q1: quantile(xs, 0.25), median: quantile(xs, 0.5), q3: quantile(xs, 0.75), max: xs[xs.length - 1]! };
  });
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

/**
 * Skill weights from every forecaster's mean relative Brier on resolved questions other than
 * `excludeQuestionId` (so a question's own outcome never weights its aggregate).
 */
export function skillWeightsForTeam(db: Queryable, excludeQuestionId: number | null): Map<string, number> {
  const records = skillRecords(db, excludeQuestionId);
  return skillWeightsFromRecords(
    [...records.entries()].map(([id, r]) => ({ forecasterId: String(id), meanRelativeBrier: r.sum / r.n, resolvedCount: r.n })),
  );
}

function skillRecords(db: Queryable, excludeQuestionId: number | null): Map<number, { sum: number; n: number; coverage: number }> {
  const resolved = db
    .select()
    .from(questions)
    .where(excludeQuestionId === null ? eq(questions.status, 'resolved') : and(eq(questions.status, 'resolved'), ne(questions.id, excludeQuestionId)))
    .all();
  const out = new Map<number, { sum: number; n: number; coverage: number }>();
  for (const q of resolved) {
    const scored = scoreResolvedQuestion(db, q.id);
    if (!scored) continue;
    for (const [userId, r] of scored.relative) {
      if (r.relativeBrier === null) continue;
      const acc = out.get(userId) ?? { sum: 0, n: 0, coverage: 0 };
      acc.sum += r.relativeBrier;
      acc.n += 1;
      acc.coverage += r.coverage;
      out.set(userId, acc);
    }
  }
  return out;
}

function optionsFor(methodId: string, skill: () => Map<string, number>): AggregationOptions {
  const m = AGGREGATION_METHODS.find((x) => x.id === methodId) ?? AGGREGATION_METHODS.find((x) => x.id === DEFAULT_AGGREGATION_METHOD_ID)!;
  return m.needsSkillWeights ? { ...m.options, skillWeights: skill() } : m.options;
}

/**
 * The team aggregate by the question's chosen method, its spread, every method side by side,
 * and the aggregate series. Null when anti-herding hides it from the actor.
 */
export function getAggregateView(
  db: Queryable,
  actor: Actor,
  questionId: number,
  now = Date.now(),
  /** Every forecast of the question, when the caller has already read them. */
  allRows?: readonly ForecastHistoryItem[],
  options: { series?: boolean } = {},
): AggregateView | null {
  const q = getQuestionForUser(db, actor, questionId, now);
  if (!canSeeTeamView(db, actor, q)) return null;
  const asOf = q.resolvedAt !== null ? Math.min(now, q.resolvedAt) : now;
  const history = historyOf(allRows ?? listForecastRows(db, q.id), asOf);
  const standing = standingOf(history);
  let weights: Map<string, number> | undefined;
  const skill = () => (weights ??= skillWeightsForTeam(db, q.status === 'resolved' ? q.id : null));
  const chosen = AGGREGATION_METHODS.find((m) => m.id === q.aggregationMethod) ?? AGGREGATION_METHODS.find((m) => m.id === DEFAULT_AGGREGATION_METHOD_ID)!;
  const has = standing.length > 0;
  return {
    methodId: chosen.id,
    methodLabel: chosen.label,
    probabilities: has ? aggregate(standing, optionsFor(chosen.id, skill)) : null,
    forecasterCount: standing.length,
    spread: has ? spreadOf(standing.map((s) => s.probabilities), q.scenarios.length) : [],
    methods: AGGREGATION_METHODS.map((m) => ({ id: m.id, label: m.label, probabilities: has ? aggregate(standing, optionsFor(m.id, skill)) : null })),
    series:
      has && options.series !== false
        ? aggregateSeries(history, optionsFor(chosen.id, skill)).map((p) => ({ time: p.time, probabilities: p.probabilities }))
        : [],
    asOf,
  };
}

/**
 * At most `maxPoints` points of a step series for drawing: the last point of each equal time
 * bucket, plus the first point. Exact values are kept; only intermediate steps are dropped.
 */
export function thinSeries<T extends { time: number }>(series: readonly T[], maxPoints = 300): T[] {
  if (series.length <= maxPoints) return [...series];
  const start = series[0]!.time;
  const span = Math.max(1, series[series.length - 1]!.time - start);
  const out: T[] = [series[0]!];
  let bucket = 0;
  for (let i = 1; i < series.length; i++) {
    const b = Math.min(maxPoints - 2, Math.floor(((series[i]!.time - start) / span) * (maxPoints - 1)));
    if (b === bucket && out.length > 1) out[out.length - 1] = series[i]!;
    else out.push(series[i]!);
    bucket = b;
  }
  return out;
}

// ---- scores ----------------------------------------------------------------------------

interface ScoredQuestion {
  title: string;
  scenarioNames: string[];
  outcomeIndex: number;
  window: { start: number; end: number };
  histories: Map<number, ForecastStep[]>;
  relative: Map<number, { relativeBrier: number | null; timeAveragedBrier: number | null; coverage: number }>;
  rows: ForecastHistoryItem[];
}

/** Scores a resolved question from its stored history; null when it is not resolved. */
function scoreResolvedQuestion(db: Queryable, questionId: number): ScoredQuestion | null {
  const q = db.select().from(questions).where(eq(questions.id, questionId)).get();
  if (!q || q.status !== 'resolved' || q.resolvedScenarioId === null || q.resolvedAt === null) return null;
  const scen = listScenariosOf(db, q.id);
  const outcomeIndex = scen.findIndex((s) => s.id === q.resolvedScenarioId);
  if (outcomeIndex < 0) return null;
  const end = Math.max(q.opensAt + 1, Math.min(q.closesAt, q.resolvedAt));
  const window = { start: q.opensAt, end };
  const rows = listForecastRows(db, q.id).sort((a, b) => a.createdAt - b.createdAt || a.id - b.id);
  const histories = new Map<number, ForecastStep[]>();
  for (const r of rows) {
    const h = histories.get(r.userId) ?? [];
    h.push({ time: r.createdAt, probabilities: r.probabilities });
    histories.set(r.userId, h);
  }
  const rel = relativeBrier(new Map([...histories].map(([k, v]) => [String(k), v])), window, outcomeIndex);
  const relative = new Map([...rel].map(([k, v]) => [Number(k), v]));
  return { title: q.title, scenarioNames: scen.map((s) => s.name), outcomeIndex, window, histories, relative, rows };
}

export interface ForecasterScore {
  userId: number;
  name: string;
  timeAveragedBrier: number | null;
  coverage: number;
  relativeBrier: number | null;
  finalBrier: number | null;
  logScore: number | null;
  normalisedLogScore: number | null;
  forecastCount: number;
}

export interface ScoresView {
  outcomeIndex: number;
  outcomeName: string;
  window: { start: number; end: number };
  forecasters: ForecasterScore[];
  methods: { id: string; label: string; timeAveragedBrier: number | null; coverage: number }[];
  events: { eventId: number; indicatorName: string; kind: string; retracted: boolean; value: number; updates: number }[];
}

/** Every score of a resolved question. Throws a conflict (409) when it is not resolved. */
export function getScoresView(db: Queryable, actor: Actor, questionId: number): ScoresView {
  const q = getQuestionForUser(db, actor, questionId);
  const scored = scoreResolvedQuestion(db, q.id);
  if (!scored) throw conflict(q.status === 'annulled' ? 'This question was annulled: it has no scores.' : 'This question is not resolved yet: scores appear once a lead resolves it.');
  const names = userNames(db);
  const { window, outcomeIndex, histories, relative, rows } = scored;
  const forecasters: ForecasterScore[] = [...histories.entries()].map(([userId, h]) => {
    const inWindow = h.filter((s) => s.time <= window.end);
    const final = inWindow.at(-1)?.probabilities ?? null;
    const r = relative.get(userId);
    return {
      userId,
      name: names.get(userId) ?? '?',
      timeAveragedBrier: r?.timeAveragedBrier ?? null,
      coverage: r?.coverage ?? 0,
      relativeBrier: r?.relativeBrier ?? null,
      finalBrier: final ? brier(final, outcomeIndex) : null,
      logScore: final ? logScore(final, outcomeIndex) : null,
      normalisedLogScore: final ? normalisedLogScore(final, outcomeIndex) : null,
      forecastCount: h.length,
    };
  });
  forecasters.sort((a, b) => (a.relativeBrier ?? Infinity) - (b.relativeBrier ?? Infinity));

  const history = rows
    .filter((r) => r.createdAt <= window.end)
    .map((r) => ({ forecasterId: String(r.userId), time: r.createdAt, probabilities: r.probabilities }));
  let weights: Map<string, number> | undefined;
  const skill = () => (weights ??= skillWeightsForTeam(db, q.id));
  const methods = AGGREGATION_METHODS.map((m) => {
    if (history.length === 0) return { id: m.id, label: m.label, timeAveragedBrier: null, coverage: 0 };
    const s = scoreSeries(aggregateSeries(history, optionsFor(m.id, skill)), window, outcomeIndex);
    return { id: m.id, label: m.label, timeAveragedBrier: s.score, coverage: s.coverage };
  });

  const events = listIndicatorEvents(db, actor, q.id).map((e) => {
    const updates = rows.filter((r) => r.event?.id === e.id && r.prior !== null);
    const value = updates.reduce((sum, r) => sum + updateValue(r.prior!, r.probabilities, outcomeIndex), 0);
    return { eventId: e.id, indicatorName: e.indicatorName, kind: e.kind, retracted: e.retracted !== null, value, updates: updates.length };
  });
  return { outcomeIndex, outcomeName: q.scenarios[outcomeIndex]?.name ?? '?', window, forecasters, methods, events };
}

// ---- leaderboard and track record -------------------------------------------------------

export interface LeaderboardRow {
  userId: number;
  name: string;
  questions: number;
  meanRelativeBrier: number;
  meanCoverage: number;
}

/** Mean relative Brier across resolved questions, best first, for forecasters with enough questions. */
export function getLeaderboard(db: Queryable, actor: Actor, minQuestions = 1): LeaderboardRow[] {
  assertRole(actor, ['lead', 'forecaster', 'viewer'], 'see the leaderboard');
  const names = userNames(db);
  return [...skillRecords(db, null).entries()]
    .filter(([, r]) => r.n >= minQuestions)
    .map(([userId, r]) => ({ userId, name: names.get(userId) ?? '?', questions: r.n, meanRelativeBrier: r.sum / r.n, meanCoverage: r.coverage / r.n }))
    .sort((a, b) => a.meanRelativeBrier - b.meanRelativeBrier);
}

export interface TrackRecord {
  questions: {
    id: number;
    title: string;
    outcomeName: string;
    timeAveragedBrier: number | null;
    relativeBrier: number | null;
    coverage: number;
    forecasts: { id: number; createdAt: number; probabilities: number[]; brier: number; eventName: string | null }[];
    scenarioNames: string[];
  }[];
  calibration: CalibrationBin[];
  pairCount: number;
}

/** A user's resolved forecasts with their scores, and calibration over all of them. */
export function getTrackRecord(db: Queryable, actor: Actor, userId = actor.id): TrackRecord {
  assertRole(actor, ['lead', 'forecaster', 'viewer'], 'see track records');
  if (userId !== actor.id && actor.role !== 'lead') assertRole(actor, ['lead'], "see another member's track record");
  const resolvedIds = db
    .selectDistinct({ id: forecasts.questionId })
    .from(forecasts)
    .innerJoin(questions, eq(questions.id, forecasts.questionId))
    .where(and(eq(forecasts.userId, userId), eq(questions.status, 'resolved')))
    .all()
    .map((r) => r.id);
  const pairs: ForecastPair[] = [];
  const out: TrackRecord['questions'] = [];
  for (const qid of resolvedIds) {
    const scored = scoreResolvedQuestion(db, qid);
    if (!scored) continue;
    const mine = scored.rows.filter((r) => r.userId === userId && r.createdAt <= scored.window.end);
    for (const f of mine) pairs.push(...forecastPairs(f.probabilities, scored.outcomeIndex));
    const r = scored.relative.get(userId);
    out.push({
      id: qid,
      title: scored.title,
      outcomeName: scored.scenarioNames[scored.outcomeIndex] ?? '?',
      timeAveragedBrier: r?.timeAveragedBrier ?? null,
      relativeBrier: r?.relativeBrier ?? null,
      coverage: r?.coverage ?? 0,
      forecasts: mine.map((f) => ({ id: f.id, createdAt: f.createdAt, probabilities: f.probabilities, brier: brier(f.probabilities, scored.outcomeIndex), eventName: f.event?.indicatorName ?? null })),
      scenarioNames: scored.scenarioNames,
    });
  }
  return { questions: out, calibration: calibrationBins(pairs, 10), pairCount: pairs.length };
}

/** For the lead's review page: which forecasters have updated on each event. */
export function respondersTo(db: Queryable, actor: Actor, eventIds: readonly number[]): Map<number, Set<number>> {
  assertRole(actor, ['lead'], 'review who has responded to events');
  const out = new Map<number, Set<number>>();
  if (eventIds.length === 0) return out;
  for (const r of db.select({ userId: forecasts.userId, eventId: forecasts.eventId }).from(forecasts).where(inArray(forecasts.eventId, [...eventIds])).all()) {
    if (r.eventId === null) continue;
    const set = out.get(r.eventId) ?? new Set<number>();
    set.add(r.userId);
    out.set(r.eventId, set);
  }
  return out;
}

