// Scores of resolved questions. They are computed from the stored history when a question is
// resolved or its resolution corrected, in that transaction, and kept in forecaster_scores;
// reads (scores pages, leaderboard, track records, skill weights) use the kept rows and never
// rescore other questions. Unguarded: db/queries decide who may see what.
import { and, eq, isNotNull, ne, sql } from 'drizzle-orm';
import type { Queryable } from '@/db/types';
import { counters, forecasterScores, questions } from '@/db/schema';
import { DEFAULT_SKILL_PRIOR_COUNT, DEFAULT_SKILL_TEMPERATURE, skillWeightsFromRecords } from '@/lib/aggregation';
import { brier, logScore, normalisedLogScore, relativeBrier, type ForecastStep } from '@/lib/scoring';
import { listForecastRows, listScenariosOf, type ForecastHistoryItem } from './rows';

export interface ScoredQuestion {
  title: string;
  scenarioNames: string[];
  outcomeIndex: number;
  window: { start: number; end: number };
  /** Every forecast, oldest first. */
  rows: ForecastHistoryItem[];
}

export interface ForecasterScoreRow {
  userId: number;
  timeAveragedBrier: number | null;
  coverage: number;
  relativeBrier: number | null;
  finalBrier: number | null;
  logScore: number | null;
  normalisedLogScore: number | null;
  forecastCount: number;
}

/** The scoring frame of a resolved question (outcome, window, history); null when it is not resolved. */
export async function scoringFrame(db: Queryable, questionId: number, rows?: readonly ForecastHistoryItem[]): Promise<ScoredQuestion | null> {
  const [q] = await db.select().from(questions).where(eq(questions.id, questionId));
  if (!q || q.status !== 'resolved' || q.resolvedScenarioId === null || q.resolvedAt === null) return null;
  const scen = await listScenariosOf(db, q.id);
  const outcomeIndex = scen.findIndex((s) => s.id === q.resolvedScenarioId);
  if (outcomeIndex < 0) return null;
  // The window: from opening to the earlier of closing and resolution (docs/formulas.md).
  const end = Math.max(q.opensAt + 1, Math.min(q.closesAt, q.resolvedAt));
  const all = [...(rows ?? (await listForecastRows(db, q.id)))].sort((a, b) => a.createdAt - b.createdAt || a.id - b.id);
  return { title: q.title, scenarioNames: scen.map((s) => s.name), outcomeIndex, window: { start: q.opensAt, end }, rows: all };
}

/** Every forecaster's scores on a resolved question, computed from its history. */
export function computeForecasterScores(frame: ScoredQuestion): ForecasterScoreRow[] {
  const { window, outcomeIndex, rows } = frame;
  const histories = new Map<number, ForecastStep[]>();
  for (const r of rows) {
    const h = histories.get(r.userId) ?? [];
    h.push({ time: r.createdAt, probabilities: r.probabilities });
    histories.set(r.userId, h);
  }
  const relative = relativeBrier(new Map([...histories].map(([k, v]) => [String(k), v])), window, outcomeIndex);
  return [...histories.entries()].map(([userId, h]) => {
    const final = h.filter((s) => s.time <= window.end).at(-1)?.probabilities ?? null;
    const r = relative.get(String(userId));
    return {
      userId,
      timeAveragedBrier: r?.timeAveragedBrier ?? null,
      coverage: r?.coverage ?? 0,
      relativeBrier: r?.relativeBrier ?? null,
      finalBrier: final ? brier(final, outcomeIndex) : null,
      logScore: final ? logScore(final, outcomeIndex) : null,
      normalisedLogScore: final ? normalisedLogScore(final, outcomeIndex) : null,
      forecastCount: h.length,
    };
  });
}

/** Adds one to a team counter (creating it), inside the caller's transaction. */
export async function bumpCounter(tx: Queryable, name: string): Promise<void> {
  await tx
    .insert(counters)
    .values({ name, value: 1 })
    .onConflictDoUpdate({ target: counters.name, set: { value: sql`${counters.value} + 1` } });
}

/** The team's scores counter: changes whenever kept scores change. */
export async function scoresVersion(db: Queryable): Promise<number> {
  const [row] = await db.select({ value: counters.value }).from(counters).where(eq(counters.name, 'scores'));
  return row?.value ?? 0;
}

/**
 * Recomputes and keeps a question's forecaster scores (or drops them when it is not
 * resolved), marks the question scored at its current version and bumps the scores counter.
 * Call inside the transaction that resolved, corrected or annulled it.
 */
export async function keepScores(tx: Queryable, questionId: number): Promise<void> {
  await tx.delete(forecasterScores).where(eq(forecasterScores.questionId, questionId));
  const frame = await scoringFrame(tx, questionId);
  if (frame) {
    const rows = computeForecasterScores(frame);
    for (let i = 0; i < rows.length; i += 500) {
      await tx.insert(forecasterScores).values(rows.slice(i, i + 500).map((r) => ({ questionId, ...r })));
    }
  }
  await tx
    .update(questions)
    .set({ scoredVersion: frame ? sql`${questions.version}` : null })
    .where(eq(questions.id, questionId));
  await bumpCounter(tx, 'scores');
}

/** Kept scores of one question, as stored. */
export function keptScoresOf(db: Queryable, questionId: number): Promise<ForecasterScoreRow[]> {
  return db
    .select({
      userId: forecasterScores.userId,
      timeAveragedBrier: forecasterScores.timeAveragedBrier,
      coverage: forecasterScores.coverage,
      relativeBrier: forecasterScores.relativeBrier,
      finalBrier: forecasterScores.finalBrier,
      logScore: forecasterScores.logScore,
      normalisedLogScore: forecasterScores.normalisedLogScore,
      forecastCount: forecasterScores.forecastCount,
    })
    .from(forecasterScores)
    .where(eq(forecasterScores.questionId, questionId));
}

export interface SkillRecord {
  sum: number;
  n: number;
  coverage: number;
}

/** Each forecaster's summed relative Brier over resolved questions (except `excludeQuestionId`), from the kept scores. */
export async function skillRecords(db: Queryable, excludeQuestionId: number | null): Promise<Map<number, SkillRecord>> {
  const rows = await db
    .select({
      userId: forecasterScores.userId,
      sum: sql<number>`sum(${forecasterScores.relativeBrier})`.mapWith(Number),
      n: sql<number>`count(*)`.mapWith(Number),
      coverage: sql<number>`sum(${forecasterScores.coverage})`.mapWith(Number),
    })
    .from(forecasterScores)
    .innerJoin(questions, eq(questions.id, forecasterScores.questionId))
    .where(
      and(
        eq(questions.status, 'resolved'),
        isNotNull(forecasterScores.relativeBrier),
        excludeQuestionId === null ? undefined : ne(forecasterScores.questionId, excludeQuestionId),
      ),
    )
    .groupBy(forecasterScores.userId);
  return new Map(rows.map((r) => [r.userId, { sum: r.sum, n: r.n, coverage: r.coverage }]));
}

/**
 * Skill weights from every forecaster's mean relative Brier on resolved questions other than
 * `excludeQuestionId` (so a question's own outcome never weights its aggregate), with the
 * question's skill setting (shrinkage and temperature; default the library's tuned defaults).
 */
export async function skillWeightsForTeam(
  db: Queryable,
  excludeQuestionId: number | null,
  setting: { priorCount: number; temperature: number } = { priorCount: DEFAULT_SKILL_PRIOR_COUNT, temperature: DEFAULT_SKILL_TEMPERATURE },
): Promise<Map<string, number>> {
  const records = await skillRecords(db, excludeQuestionId);
  return skillWeightsFromRecords(
    [...records.entries()].map(([id, r]) => ({ forecasterId: String(id), meanRelativeBrier: r.sum / r.n, resolvedCount: r.n })),
    setting,
  );
}
