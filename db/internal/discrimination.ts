// The likelihood judgements of the team's resolved questions, scored for which signposts
// discriminated (docs/formulas.md#indicator-discrimination). Cached in this process per
// version of the resolved set (count, latest resolution, scores counter, and the summed
// versions of the resolved questions, which every event, retraction and likelihood bumps).
// Unguarded: only the queries in db/queries/discrimination.ts, which decide who sees whose
// numbers, call it.
import { and, asc, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Queryable } from '@/db/types';
import { indicatorEvents, indicators, questions } from '@/db/schema';
import { TEAM_DEFAULT_JUDGE, type LikelihoodJudgement } from '@/lib/discrimination';
import { resolvedSetVersion } from './record';
import { listScenariosOf, loadJudgements } from './rows';

export interface ResolvedJudgement extends LikelihoodJudgement {
  questionId: number;
  indicatorId: number;
  /** The forecaster, or null for the team default. */
  userId: number | null;
}

export interface JudgedIndicator {
  id: number;
  name: string;
  questionId: number;
  questionTitle: string;
}

export interface TeamJudgements {
  judgements: ResolvedJudgement[];
  indicators: Map<number, JudgedIndicator>;
}

export const judgeKeyOf = (userId: number | null) => (userId === null ? TEAM_DEFAULT_JUDGE : String(userId));

/**
 * For each resolved question and each indicator with a (not retracted) event: what was seen
 * (observed, or its deadline passed; the first such event counts), the scenario that happened,
 * and each judge's likelihoods for it: the judgement standing when the event was logged, or,
 * for a judge who had none then, their first one after it (e.g. the likelihoods of their update
 * on it), made no later than the resolution time. The team default is judge TEAM_DEFAULT_JUDGE.
 */
export async function loadResolvedJudgements(db: Queryable, onlyQuestionId?: number): Promise<TeamJudgements> {
  const resolved = await db
    .select({ id: questions.id, title: questions.title, resolvedAt: questions.resolvedAt, resolvedScenarioId: questions.resolvedScenarioId })
    .from(questions)
    .where(
      and(
        eq(questions.status, 'resolved'),
        isNotNull(questions.resolvedAt),
        isNotNull(questions.resolvedScenarioId),
        onlyQuestionId === undefined ? undefined : eq(questions.id, onlyQuestionId),
      ),
    )
    .orderBy(asc(questions.resolvedAt), asc(questions.id));
  const out: TeamJudgements = { judgements: [], indicators: new Map() };
  for (const q of resolved) {
    const scen = await listScenariosOf(db, q.id);
    const outcome = scen.findIndex((s) => s.id === q.resolvedScenarioId);
    if (outcome < 0 || scen.length < 2) continue;
    const events = await db
      .select({ indicatorId: indicatorEvents.indicatorId, kind: indicatorEvents.kind, createdAt: indicatorEvents.createdAt, name: indicators.name })
      .from(indicatorEvents)
      .innerJoin(indicators, eq(indicators.id, indicatorEvents.indicatorId))
      .where(and(eq(indicatorEvents.questionId, q.id), isNull(indicatorEvents.retractedAt)))
      .orderBy(asc(indicatorEvents.createdAt), asc(indicatorEvents.id));
    const firstEvent = new Map<number, (typeof events)[number]>();
    for (const e of events) if (!firstEvent.has(e.indicatorId)) firstEvent.set(e.indicatorId, e);
    if (firstEvent.size === 0) continue;
    const judgements = await loadJudgements(db, q.id, undefined, scen);
    for (const [indicatorId, ev] of firstEvent) {
      out.indicators.set(indicatorId, { id: indicatorId, name: ev.name, questionId: q.id, questionTitle: q.title });
      const byJudge = new Map<number | null, (typeof judgements)[number][]>();
      for (const j of judgements) {
        if (j.indicatorId !== indicatorId || j.createdAt > q.resolvedAt!) continue;
        const list = byJudge.get(j.userId);
        if (list) list.push(j);
        else byJudge.set(j.userId, [j]);
      }
      for (const [userId, list] of byJudge) {
        // Oldest first: the last one logged before the event, else the first one after it.
        const chosen = list.filter((j) => j.createdAt <= ev.createdAt).at(-1) ?? list[0]!;
        out.judgements.push({
          questionId: q.id,
          indicatorId,
          userId,
          indicatorKey: String(indicatorId),
          judgeKey: judgeKeyOf(userId),
          likelihoods: chosen.likelihoods,
          outcome,
          observed: ev.kind === 'observed',
        });
      }
    }
  }
  return out;
}

/** Changes whenever anything the team's discrimination figures rest on changes. */
async function discriminationVersion(db: Queryable): Promise<string> {
  const [row] = await db
    .select({ v: sql<number | null>`sum(${questions.version})` })
    .from(questions)
    .where(eq(questions.status, 'resolved'));
  return `${await resolvedSetVersion(db)}:${row?.v === null || row?.v === undefined ? 0 : Number(row.v)}`;
}

const holder = globalThis as typeof globalThis & { __signpostDiscrimination?: Map<string, { version: string; value: Promise<TeamJudgements> }> };

/** Every resolved question's scored judgements, cached per version of what they rest on. */
export async function teamJudgements(db: Queryable): Promise<TeamJudgements> {
  const cache = (holder.__signpostDiscrimination ??= new Map());
  const version = await discriminationVersion(db);
  const hit = cache.get(db.key);
  if (hit && hit.version === version) return hit.value;
  const value = loadResolvedJudgements(db);
  cache.set(db.key, { version, value });
  value.catch(() => {
    if (cache.get(db.key)?.value === value) cache.delete(db.key);
  });
  return value;
}
