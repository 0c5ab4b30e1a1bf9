import { desc, eq } from 'drizzle-orm';
import type { Db, Queryable } from '@/db/types';
import { indicators } from '@/db/schema';
import { recordAudit } from '@/db/internal/audit';
import { bumpVersion } from '@/db/internal/snapshot';
import { questionParts } from '@/db/internal/question-parts';
import { insertJudgement, listIndicatorsOf, listScenariosOf, loadJudgements, userNames, type Judgement } from '@/db/internal/rows';
import { diagnosticity, pooledLikelihoods } from '@/lib/bayes';
import { conflict, invalid } from '@/lib/errors';
import { parseScenarioLikelihoods } from '@/lib/validation/forecast';
import { assertRole, isGranted, isLead, loadIndicatorFor, loadQuestionFor, visibleQuestionId, type Actor, type QuestionRef } from './access';
import { canSeeTeamView } from './team-view';
import type { QuestionDetail } from './questions';

export function assertNotSettled(q: { status: string }, what = 'its indicators can no longer change') {
  if (q.status === 'resolved' || q.status === 'annulled') throw conflict(`This question is settled: ${what}.`);
}

// ---- likelihood judgements -------------------------------------------------------------

/**
 * Records the actor's likelihoods P(indicator observed | scenario) for every scenario, or,
 * with `teamDefault`, the team default (leads only). Appends: earlier judgements stay as history.
 */
export async function recordLikelihoods(
  db: Db,
  actor: Actor,
  indicatorId: number,
  values: ReadonlyMap<number, unknown>,
  options: { teamDefault?: boolean } = {},
  now = Date.now(),
): Promise<number[]> {
  assertRole(actor, options.teamDefault ? ['lead'] : ['lead', 'forecaster'], options.teamDefault ? 'set team default likelihoods' : 'record likelihoods');
  return db.write(async (tx) => {
    const { ind, q } = await loadIndicatorFor(tx, actor, indicatorId, { lock: true });
    assertNotSettled(q);
    if (ind.retiredAt !== null) throw conflict('This indicator is retired.');
    const scen = await listScenariosOf(tx, q.id);
    const parsed = parseScenarioLikelihoods(scen, values);
    if (!parsed.ok) throw invalid(parsed.message, parsed.field ? { [parsed.field]: [parsed.message] } : undefined);
    await bumpVersion(tx, q.id);
    await insertJudgement(tx, {
      indicatorId,
      userId: options.teamDefault ? null : actor.id,
      setBy: actor.id,
      at: now,
      scenarioIds: scen.map((s) => s.id),
      likelihoods: parsed.probabilities,
    });
    if (options.teamDefault) {
      await recordAudit(tx, { actorId: actor.id, action: 'indicator.team_default', entityType: 'indicator', entityId: indicatorId, detail: { likelihoods: parsed.probabilities }, at: now });
    }
    return parsed.probabilities;
  });
}

export interface IndicatorView {
  id: number;
  name: string;
  description: string;
  deadline: number | null;
  retiredAt: number | null;
  mine: number[] | null;
  myHistory: { createdAt: number; likelihoods: number[] }[];
  teamDefault: number[] | null;
  /**
   * Geometric mean per scenario of every forecaster's latest judgement; null (and count 0)
   * while anti-herding hides the team's judgements from this forecaster, as it hides their
   * forecasts: with one judgement the pool is a colleague's exact numbers.
   */
  pooled: number[] | null;
  pooledCount: number;
  pooledHidden: boolean;
  /** From the pooled likelihoods, or the team default when they are hidden or missing. */
  diagnosticity: { ratio: number; logRatio: number; informative: boolean } | null;
  /** Per forecaster's latest likelihoods: for leads only (the review page). */
  byForecaster: { userId: number; name: string; likelihoods: number[]; createdAt: number }[];
}

/** Indicators of a question with the actor's, the team default and the pooled likelihoods. */
export async function listIndicatorViews(db: Queryable, actor: Actor, ref: QuestionRef | QuestionDetail): Promise<IndicatorView[]> {
  const questionId = await visibleQuestionId(db, actor, ref);
  // A question detail loaded for this actor carries its scenarios and indicators already.
  const detail = typeof ref === 'object' && 'scenarios' in ref && isGranted(actor, ref) ? ref : null;
  // One after another: on PostgreSQL a transaction is one connection, which runs one query at a time.
  const parts = detail ? await questionParts(db, detail.id, detail.version) : null;
  const inds = parts ? parts.indicators : await listIndicatorsOf(db, questionId);
  const judgements = parts ? parts.judgements : await loadJudgements(db, questionId);
  const teamVisible = await canSeeTeamView(db, actor, detail ?? questionId);
  const lead = isLead(actor);
  const names = lead ? await userNames(db, judgements.flatMap((j) => (j.userId === null ? [] : [j.userId]))) : new Map<number, string>();
  return inds.map((ind) => {
    const mine = judgements.filter((j) => j.indicatorId === ind.id && j.userId === actor.id);
    const defaults = judgements.filter((j) => j.indicatorId === ind.id && j.userId === null);
    const latestByUser = new Map<number, Judgement>();
    for (const j of judgements) if (j.indicatorId === ind.id && j.userId !== null) latestByUser.set(j.userId, j);
    const latest = [...latestByUser.values()];
    const pooled = teamVisible && latest.length ? pooledLikelihoods(latest.map((j) => j.likelihoods)) : null;
    const reference = pooled && pooled.some((x) => x > 0) ? pooled : defaults.at(-1)?.likelihoods ?? null;
    return {
      id: ind.id,
      name: ind.name,
      description: ind.description,
      deadline: ind.deadline,
      retiredAt: ind.retiredAt,
      mine: mine.at(-1)?.likelihoods ?? null,
      myHistory: mine.map((j) => ({ createdAt: j.createdAt, likelihoods: j.likelihoods })).reverse(),
      teamDefault: defaults.at(-1)?.likelihoods ?? null,
      pooled,
      pooledCount: teamVisible ? latest.length : 0,
      pooledHidden: !teamVisible,
      diagnosticity: reference && reference.some((x) => x > 0) ? diagnosticity(reference) : null,
      byForecaster: lead ? latest.map((j) => ({ userId: j.userId!, name: names.get(j.userId!) ?? '?', likelihoods: j.likelihoods, createdAt: j.createdAt })) : [],
    };
  });
}

/** The likelihoods an update panel starts from: the actor's own, else the team default. */
export async function startingLikelihoods(db: Queryable, actor: Actor, indicatorId: number): Promise<{ likelihoods: number[]; source: 'mine' | 'team' } | null> {
  const { q } = await loadIndicatorFor(db, actor, indicatorId);
  const judgements = await loadJudgements(db, q.id, indicatorId);
  const mine = judgements.filter((j) => j.userId === actor.id).at(-1);
  if (mine) return { likelihoods: mine.likelihoods, source: 'mine' };
  const team = judgements.filter((j) => j.userId === null).at(-1);
  return team ? { likelihoods: team.likelihoods, source: 'team' } : null;
}

// ---- indicators ------------------------------------------------------------------------

export async function addIndicator(
  db: Db,
  actor: Actor,
  questionId: number,
  input: { name: string; description: string; deadline: number | null },
  now = Date.now(),
): Promise<number> {
  assertRole(actor, ['lead'], 'add indicators');
  return db.write(async (tx) => {
    const q = await loadQuestionFor(tx, actor, questionId, { lock: true });
    assertNotSettled(q);
    const [last] = await tx
      .select({ position: indicators.position })
      .from(indicators)
      .where(eq(indicators.questionId, questionId))
      .orderBy(desc(indicators.position))
      .limit(1);
    await bumpVersion(tx, questionId);
    const [row] = await tx
      .insert(indicators)
      .values({ questionId, position: (last?.position ?? -1) + 1, name: input.name, description: input.description, deadline: input.deadline, createdAt: now })
      .returning({ id: indicators.id });
    await recordAudit(tx, { actorId: actor.id, action: 'indicator.add', entityType: 'indicator', entityId: row!.id, detail: { name: input.name }, at: now });
    return row!.id;
  });
}

export async function retireIndicator(db: Db, actor: Actor, indicatorId: number, now = Date.now()): Promise<void> {
  assertRole(actor, ['lead'], 'retire indicators');
  await db.write(async (tx) => {
    const { ind, q } = await loadIndicatorFor(tx, actor, indicatorId, { lock: true });
    assertNotSettled(q);
    if (ind.retiredAt !== null) throw conflict('This indicator is already retired.');
    await tx.update(indicators).set({ retiredAt: now }).where(eq(indicators.id, indicatorId));
    await bumpVersion(tx, q.id);
    await recordAudit(tx, { actorId: actor.id, action: 'indicator.retire', entityType: 'indicator', entityId: indicatorId, at: now });
  });
}
