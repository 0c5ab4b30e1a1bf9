// The team's record of resolved questions as the aggregation library takes it, and the method
// recommendation computed from it (docs/formulas.md#method-recommendation), cached in this
// process per resolved-set version: the number of resolved questions, the latest resolution
// time and the team's scores counter (bumped by every resolution, correction and annulment),
// so a resolution on any app instance is seen by every other. Unguarded: only the lead-only
// queries in db/queries/recommendation.ts call it.
import { and, eq, isNotNull, sql } from 'drizzle-orm';
import type { Queryable } from '@/db/types';
import { questions } from '@/db/schema';
import { RECOMMEND_SKILL_SETTINGS, recommendMethod, type MethodRecommendation, type ResolvedQuestion, type SkillSetting } from '@/lib/aggregation';
import { scoresVersion, scoringFrame } from './scores';

/** Identifies the team's set of resolved questions: changes whenever one is resolved, corrected or annulled. */
export async function resolvedSetVersion(db: Queryable): Promise<string> {
  const [row] = await db
    .select({ n: sql<number>`count(*)`.mapWith(Number), last: sql<number | null>`max(${questions.resolvedAt})` })
    .from(questions)
    .where(and(eq(questions.status, 'resolved'), isNotNull(questions.resolvedAt)));
  return `${row?.n ?? 0}:${row?.last === null || row?.last === undefined ? '-' : Number(row.last)}:${await scoresVersion(db)}`;
}

/** Every resolved question of the team with its whole history, window and outcome, oldest resolution first. */
export async function teamRecord(db: Queryable): Promise<ResolvedQuestion[]> {
  const resolved = await db
    .select({ id: questions.id })
    .from(questions)
    .where(and(eq(questions.status, 'resolved'), isNotNull(questions.resolvedAt)))
    .orderBy(questions.resolvedAt, questions.id);
  const out: ResolvedQuestion[] = [];
  for (const { id } of resolved) {
    const frame = await scoringFrame(db, id);
    if (!frame) continue;
    out.push({
      id: String(id),
      // Rows are oldest first by (time, id), as the library wants.
      history: frame.rows.map((r) => ({ forecasterId: String(r.userId), time: r.createdAt, probabilities: r.probabilities })),
      window: frame.window,
      outcome: frame.outcomeIndex,
    });
  }
  return out;
}

export interface CachedRecommendation {
  recommendation: MethodRecommendation;
  /** The resolved-set version it was computed at. */
  version: string;
  /** Milliseconds spent reading the record and computing (the first time). */
  computeMs: number;
  /** Of them, reading the record from the database. */
  readMs: number;
}

interface Cache {
  /** By database key, then by current method, power and skill setting. */
  entries: Map<string, { version: string; byCurrent: Map<string, Promise<CachedRecommendation>> }>;
}
const holder = globalThis as typeof globalThis & { __signpostRecommendations?: Cache };
const cache = (): Cache => (holder.__signpostRecommendations ??= { entries: new Map() });

/** The skill settings tried: the library's grid, and the question's own setting when it is not one of them. */
export function skillGridWith(current: SkillSetting): SkillSetting[] {
  const grid = RECOMMEND_SKILL_SETTINGS.map((s) => ({ priorCount: s.priorCount, temperature: s.temperature }));
  if (!grid.some((s) => s.priorCount === current.priorCount && s.temperature === current.temperature)) {
    grid.push({ priorCount: current.priorCount, temperature: current.temperature });
  }
  return grid;
}

/**
 * The method the team's record favours, against the current method (its power and skill
 * setting). Powers are the library's RECOMMEND_ALPHAS (1-3); skill settings its
 * RECOMMEND_SKILL_SETTINGS (the tuned defaults, twice and half the temperature) and the
 * question's own setting when it is not one of them, so keeping it is always a choice.
 * Computed once per resolved-set version and current choice; concurrent requests share one
 * computation.
 */
export async function recommendationFor(
  db: Queryable,
  currentMethodId: string,
  currentAlpha: number,
  currentSkill: SkillSetting,
): Promise<CachedRecommendation> {
  const version = await resolvedSetVersion(db);
  const c = cache();
  let entry = c.entries.get(db.key);
  if (!entry || entry.version !== version) {
    entry = { version, byCurrent: new Map() };
    c.entries.set(db.key, entry);
  }
  const key = `${currentMethodId}|${currentAlpha}|${currentSkill.priorCount}|${currentSkill.temperature}`;
  let pending = entry.byCurrent.get(key);
  if (!pending) {
    pending = (async () => {
      const started = performance.now();
      const record = await teamRecord(db);
      const readMs = performance.now() - started;
      const recommendation = recommendMethod(record, {
        currentMethodId,
        currentAlpha,
        currentSkill,
        skillSettings: skillGridWith(currentSkill),
      });
      return { recommendation, version, computeMs: performance.now() - started, readMs };
    })();
    const mine = entry;
    pending.catch(() => mine.byCurrent.delete(key));
    entry.byCurrent.set(key, pending);
  }
  return pending;
}

/** Empties the cache (tests and benchmarks). */
export function clearRecommendations(): void {
  cache().entries.clear();
}
