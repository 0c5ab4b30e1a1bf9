// A question's forecast history and team aggregate, computed once per version and kept in
// this process's memory. Every write that changes what a question shows bumps
// questions.version in its own transaction (bumpVersion); kept scores bump the team's
// 'scores' counter. A snapshot is used only while both still match the database, so it stays
// right across several app instances: each reads the current version with the question and
// rebuilds when another instance has written. Snapshots are per question and hold everything;
// who may see what is decided afterwards, per viewer, by db/queries/team-view.ts.
// See docs/architecture.md, "Kept and cached".
import { eq, sql } from 'drizzle-orm';
import type { Queryable } from '@/db/types';
import { questions } from '@/db/schema';
import {
  AGGREGATION_METHODS,
  DEFAULT_AGGREGATION_METHOD_ID,
  DEFAULT_EXTREMISING_ALPHA,
  aggregate,
  aggregateSeries,
  type AggregationOptions,
  type StandingForecast,
} from '@/lib/aggregation';
import { scoreSeries } from '@/lib/scoring';
import { spreadOf, thinSeries, type Spread } from '@/lib/team-view';
import { listForecastRows, listScenariosOf, type ForecastHistoryItem } from './rows';
import { scoresVersion, skillWeightsForTeam } from './scores';

export interface SeriesPoint {
  time: number;
  probabilities: number[];
}

export interface AggregateSnapshot {
  methodId: string;
  /** The question's extremising power, used by the 'extremised-' methods. */
  alpha: number;
  /** The question's skill setting, used by the '-skill' methods. */
  skill: { priorCount: number; temperature: number };
  probabilities: number[] | null;
  forecasterCount: number;
  spread: Spread[];
  methods: { id: string; probabilities: number[] | null }[];
  /** The chosen method's aggregate after every forecast. */
  series: SeriesPoint[];
  /** At most a few hundred points of it, for drawing. */
  thinSeries: SeriesPoint[];
}

export interface Snapshot {
  questionId: number;
  version: number;
  scoresVersion: number;
  /** Every forecast, newest first. */
  rows: ForecastHistoryItem[];
  /** Each user's forecasts, newest first. */
  byUser: Map<number, ForecastHistoryItem[]>;
  /** Each user's latest forecast, newest first. */
  latest: ForecastHistoryItem[];
  aggregate: AggregateSnapshot;
  /** Every method's series score, once the question is resolved (computed on first use). */
  methodScores?: Promise<{ id: string; timeAveragedBrier: number | null; coverage: number }[]>;
}

type QuestionRow = typeof questions.$inferSelect;

/** Adds one to the question's version; call inside the transaction of every write that changes what it shows. */
export async function bumpVersion(tx: Queryable, questionId: number): Promise<void> {
  await tx
    .update(questions)
    .set({ version: sql`${questions.version} + 1` })
    .where(eq(questions.id, questionId));
}

export const methodOrDefault = (methodId: string) =>
  AGGREGATION_METHODS.find((m) => m.id === methodId) ?? AGGREGATION_METHODS.find((m) => m.id === DEFAULT_AGGREGATION_METHOD_ID)!;

/**
 * A method's options, with the team's skill weights added when it needs them and, for the
 * extremised methods, the question's extremising power (default: the library's).
 */
export async function optionsFor(methodId: string, skill: () => Promise<Map<string, number>>, alpha = DEFAULT_EXTREMISING_ALPHA): Promise<AggregationOptions> {
  const m = methodOrDefault(methodId);
  const base = m.options.method === 'extremised' ? { ...m.options, alpha } : m.options;
  return m.needsSkillWeights ? { ...base, skillWeights: await skill() } : base;
}

/** Time-ordered history of a question as lib/ expects it, up to `until`. */
function historyOf(rowsNewestFirst: readonly ForecastHistoryItem[], until: number): StandingForecast[] {
  const out: StandingForecast[] = [];
  for (let i = rowsNewestFirst.length - 1; i >= 0; i--) {
    const r = rowsNewestFirst[i]!;
    if (r.createdAt <= until) out.push({ forecasterId: String(r.userId), time: r.createdAt, probabilities: r.probabilities });
  }
  // Rows come newest first by (time, id); reversed they are oldest first, as lib/ wants.
  return out;
}

function standingOf(history: readonly StandingForecast[]): StandingForecast[] {
  const latest = new Map<string, StandingForecast>();
  for (const f of history) latest.set(f.forecasterId, f);
  return [...latest.values()].sort((a, b) => a.time - b.time);
}

/** The question's window end for scoring and the moment its aggregate is taken at. */
const asOfOf = (q: QuestionRow) => (q.status === 'resolved' && q.resolvedAt !== null ? q.resolvedAt : Number.MAX_SAFE_INTEGER);

/** Builds a snapshot from the database, uncached (the reference the cache is tested against). */
export async function buildSnapshot(db: Queryable, questionId: number): Promise<Snapshot> {
  return db.read(async (tx) => {
    const [q] = await tx.select().from(questions).where(eq(questions.id, questionId));
    if (!q) throw new Error(`buildSnapshot: question ${questionId} does not exist`);
    // One after another: on PostgreSQL a transaction is one connection, which runs one query at a time.
    const rows = await listForecastRows(tx, questionId);
    const scoresAt = await scoresVersion(tx);
    const scen = await listScenariosOf(tx, questionId);
    let weights: Promise<Map<string, number>> | undefined;
    const skillSetting = { priorCount: q.skillPriorCount, temperature: q.skillTemperature };
    const skill = () => (weights ??= skillWeightsForTeam(tx, q.status === 'resolved' ? q.id : null, skillSetting));
    const history = historyOf(rows, asOfOf(q));
    const standing = standingOf(history);
    const has = standing.length > 0;
    const chosen = methodOrDefault(q.aggregationMethod);
    const methods: AggregateSnapshot['methods'] = [];
    const alpha = q.extremisingAlpha;
    for (const m of AGGREGATION_METHODS) methods.push({ id: m.id, probabilities: has ? aggregate(standing, await optionsFor(m.id, skill, alpha)) : null });
    const series = has ? aggregateSeries(history, await optionsFor(chosen.id, skill, alpha)).map((p) => ({ time: p.time, probabilities: p.probabilities })) : [];
    const byUser = new Map<number, ForecastHistoryItem[]>();
    for (const r of rows) {
      const list = byUser.get(r.userId);
      if (list) list.push(r);
      else byUser.set(r.userId, [r]);
    }
    const snapshot: Snapshot = {
      questionId,
      version: q.version,
      scoresVersion: scoresAt,
      rows,
      byUser,
      latest: [...byUser.values()].map((list) => list[0]!),
      aggregate: {
        methodId: chosen.id,
        alpha,
        skill: skillSetting,
        probabilities: methods.find((m) => m.id === chosen.id)!.probabilities,
        forecasterCount: standing.length,
        spread: has ? spreadOf(standing.map((s) => s.probabilities), scen.length) : [],
        methods,
        series,
        thinSeries: thinSeries(series),
      },
    };
    if (q.status === 'resolved' && q.resolvedScenarioId !== null && q.resolvedAt !== null) {
      const outcome = scen.findIndex((s) => s.id === q.resolvedScenarioId);
      const window = { start: q.opensAt, end: Math.max(q.opensAt + 1, Math.min(q.closesAt, q.resolvedAt)) };
      const inWindow = history.filter((f) => f.time <= window.end);
      // Scored on first use: only the scores page needs them. The skill weights are read now,
      // inside this snapshot's transaction, so they match its scores version.
      const skillNow = await skill();
      snapshot.methodScores = Promise.resolve().then(() =>
        AGGREGATION_METHODS.map((m) => {
          if (inWindow.length === 0 || outcome < 0) return { id: m.id, timeAveragedBrier: null, coverage: 0 };
          const base = m.options.method === 'extremised' ? { ...m.options, alpha } : m.options;
          const options = m.needsSkillWeights ? { ...base, skillWeights: skillNow } : base;
          const s = scoreSeries(aggregateSeries(inWindow, options), window, outcome);
          return { id: m.id, timeAveragedBrier: s.score, coverage: s.coverage };
        }),
      );
    }
    return snapshot;
  });
}

// ---- the cache -----------------------------------------------------------------------------

/** Most forecasts kept across all cached snapshots; the least recently used go first. */
const MAX_CACHED_ROWS = 600_000;
const MAX_CACHED_QUESTIONS = 64;

interface Cache {
  /** By database key and question id. */
  entries: Map<string, Snapshot>;
  building: Map<string, Promise<Snapshot>>;
  rows: number;
}
const holder = globalThis as typeof globalThis & { __signpostSnapshots?: Cache };
const cache = (): Cache => (holder.__signpostSnapshots ??= { entries: new Map(), building: new Map(), rows: 0 });

function remember(entry: string, s: Snapshot) {
  const c = cache();
  const old = c.entries.get(entry);
  if (old) {
    c.rows -= old.rows.length;
    c.entries.delete(entry);
  }
  c.entries.set(entry, s);
  c.rows += s.rows.length;
  for (const [key, e] of c.entries) {
    if (c.rows <= MAX_CACHED_ROWS && c.entries.size <= MAX_CACHED_QUESTIONS) break;
    if (key === entry) continue;
    c.entries.delete(key);
    c.rows -= e.rows.length;
  }
}

/**
 * The snapshot of a question at `version` (read with the question in this request): from the
 * cache while the question's version and the team's scores counter match the database,
 * rebuilt otherwise. Concurrent requests for the same version share one build.
 */
export async function getSnapshot(db: Queryable, questionId: number, version: number): Promise<Snapshot> {
  const c = cache();
  const entry = `${db.key}#${questionId}`;
  const scoresAt = await scoresVersion(db);
  const hit = c.entries.get(entry);
  if (hit && hit.version === version && hit.scoresVersion === scoresAt) {
    // Most recently used last.
    c.entries.delete(entry);
    c.entries.set(entry, hit);
    return hit;
  }
  const key = `${entry}:${version}:${scoresAt}`;
  let pending = c.building.get(key);
  if (!pending) {
    pending = buildSnapshot(db, questionId).finally(() => c.building.delete(key));
    c.building.set(key, pending);
  }
  const built = await pending;
  const current = c.entries.get(entry);
  if (!current || current.version < built.version || (current.version === built.version && current.scoresVersion < built.scoresVersion)) remember(entry, built);
  return built;
}

/** Empties the cache (tests). */
export function clearSnapshots(): void {
  const c = cache();
  c.entries.clear();
  c.rows = 0;
}

/** Cached snapshots and the forecasts they hold (for benchmarks' memory reports). */
export function snapshotStats(): { questions: number; rows: number } {
  const c = cache();
  return { questions: c.entries.size, rows: c.rows };
}
