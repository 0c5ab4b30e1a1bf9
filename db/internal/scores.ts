// Scores of resolved questions from their stored history, and the team's skill records built
// from them. Unguarded: db/queries/scores.ts and team-view.ts decide who may see what.
import { and, eq, ne } from 'drizzle-orm';
import type { Queryable } from '@/db/types';
import { questions } from '@/db/schema';
import { skillWeightsFromRecords } from '@/lib/aggregation';
import { relativeBrier, type ForecastStep } from '@/lib/scoring';
import { listForecastRows, listScenariosOf, type ForecastHistoryItem } from './rows';

export interface ScoredQuestion {
  title: string;
  scenarioNames: string[];
  outcomeIndex: number;
  window: { start: number; end: number };
  histories: Map<number, ForecastStep[]>;
  relative: Map<number, { relativeBrier: number | null; timeAveragedBrier: number | null; coverage: number }>;
  /** Every forecast, oldest first. */
  rows: ForecastHistoryItem[];
}

/** Scores a resolved question from its stored history; null when it is not resolved. */
export async function scoreResolvedQuestion(db: Queryable, questionId: number): Promise<ScoredQuestion | null> {
  const [q] = await db.select().from(questions).where(eq(questions.id, questionId));
  if (!q || q.status !== 'resolved' || q.resolvedScenarioId === null || q.resolvedAt === null) return null;
  const scen = await listScenariosOf(db, q.id);
  const outcomeIndex = scen.findIndex((s) => s.id === q.resolvedScenarioId);
  if (outcomeIndex < 0) return null;
  const end = Math.max(q.opensAt + 1, Math.min(q.closesAt, q.resolvedAt));
  const window = { start: q.opensAt, end };
  const rows = (await listForecastRows(db, q.id)).sort((a, b) => a.createdAt - b.createdAt || a.id - b.id);
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

export interface SkillRecord {
  sum: number;
  n: number;
  coverage: number;
}

/** Each forecaster's summed relative Brier over resolved questions (except `excludeQuestionId`). */
export async function skillRecords(db: Queryable, excludeQuestionId: number | null): Promise<Map<number, SkillRecord>> {
  const resolved = await db
    .select({ id: questions.id })
    .from(questions)
    .where(excludeQuestionId === null ? eq(questions.status, 'resolved') : and(eq(questions.status, 'resolved'), ne(questions.id, excludeQuestionId)));
  const out = new Map<number, SkillRecord>();
  for (const q of resolved) {
    const scored = await scoreResolvedQuestion(db, q.id);
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

/**
 * Skill weights from every forecaster's mean relative Brier on resolved questions other than
 * `excludeQuestionId` (so a question's own outcome never weights its aggregate).
 */
export async function skillWeightsForTeam(db: Queryable, excludeQuestionId: number | null): Promise<Map<string, number>> {
  const records = await skillRecords(db, excludeQuestionId);
  return skillWeightsFromRecords(
    [...records.entries()].map(([id, r]) => ({ forecasterId: String(id), meanRelativeBrier: r.sum / r.n, resolvedCount: r.n })),
  );
}
