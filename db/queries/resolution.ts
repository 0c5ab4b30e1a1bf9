import { eq } from 'drizzle-orm';
import type { Db } from '@/db/types';
import { questions, scenarios } from '@/db/schema';
import { recordAudit } from '@/db/internal/audit';
import { keepScores } from '@/db/internal/scores';
import { bumpVersion } from '@/db/internal/snapshot';
import { notifyResolved } from '@/db/internal/notify';
import { AGGREGATION_METHODS } from '@/lib/aggregation';
import { conflict, invalid } from '@/lib/errors';
import { formatUtc } from '@/lib/question-status';
import {
  EXTREMISING_ALPHA_RANGE,
  SKILL_PRIOR_COUNT_MESSAGE,
  SKILL_TEMPERATURE_MESSAGE,
  isSkillPriorCount,
  isSkillTemperature,
  type ResolveInput,
} from '@/lib/validation/resolution';
import { assertRole, loadQuestionFor, type Actor } from './access';

/**
 * A lead resolves an open or closed question to one of its scenarios, with the time it was
 * settled and the evidence; resolving an already resolved question corrects it (audited with
 * the previous values). The question row is locked, so two leads resolving at once are
 * recorded one after the other (the second as a correction), never interleaved. The scores
 * are computed and kept in the same transaction (db/internal/scores.ts).
 */
export async function resolveQuestion(db: Db, actor: Actor, questionId: number, input: ResolveInput, now = Date.now()): Promise<void> {
  assertRole(actor, ['lead'], 'resolve questions');
  await db.write(async (tx) => {
    const q = await loadQuestionFor(tx, actor, questionId, { lock: true });
    if (q.status === 'draft') throw conflict('A draft cannot be resolved: publish it first, or edit it.');
    if (q.status === 'annulled') throw conflict('This question was annulled; it cannot be resolved.');
    const [scenario] = await tx.select().from(scenarios).where(eq(scenarios.id, input.scenarioId));
    if (!scenario || scenario.questionId !== questionId) {
      throw invalid('That scenario is not one of this question’s scenarios.', { scenarioId: ['Not a scenario of this question.'] });
    }
    if (input.resolvedAt < q.opensAt) {
      throw invalid(`The resolution time is before the question opened (${formatUtc(q.opensAt)}).`, { resolvedAt: ['Before the question opened.'] });
    }
    if (input.resolvedAt > now + 60_000) throw invalid('The resolution time cannot be in the future.', { resolvedAt: ['In the future.'] });
    const correcting = q.status === 'resolved';
    await tx
      .update(questions)
      .set({ status: 'resolved', resolvedScenarioId: scenario.id, resolvedAt: input.resolvedAt, resolutionNote: input.note, annulReason: null, updatedAt: now })
      .where(eq(questions.id, questionId));
    await bumpVersion(tx, questionId);
    // Scores are kept, computed here, in the transaction that settles the question.
    await keepScores(tx, questionId);
    // Everyone who forecast it is told, in this transaction (db/internal/notify.ts).
    await notifyResolved(tx, { questionId, correcting, version: q.version + 1, now });
    await recordAudit(tx, {
      actorId: actor.id,
      action: correcting ? 'question.correct_resolution' : 'question.resolve',
      entityType: 'question',
      entityId: questionId,
      detail: correcting
        ? { from: { scenarioId: q.resolvedScenarioId, resolvedAt: q.resolvedAt, note: q.resolutionNote }, to: { scenarioId: scenario.id, resolvedAt: input.resolvedAt, note: input.note } }
        : { scenarioId: scenario.id, resolvedAt: input.resolvedAt, note: input.note },
      at: now,
    });
  });
}

/** A lead annuls a question with a reason: it takes no more input and is never scored. */
export async function annulQuestion(db: Db, actor: Actor, questionId: number, reason: string, now = Date.now()): Promise<void> {
  assertRole(actor, ['lead'], 'annul questions');
  await db.write(async (tx) => {
    const q = await loadQuestionFor(tx, actor, questionId, { lock: true });
    if (q.status === 'draft') throw conflict('A draft cannot be annulled: it was never published.');
    if (q.status === 'annulled') throw conflict('This question is already annulled.');
    await tx
      .update(questions)
      .set({ status: 'annulled', annulReason: reason, resolvedScenarioId: null, resolvedAt: null, updatedAt: now })
      .where(eq(questions.id, questionId));
    await bumpVersion(tx, questionId);
    if (q.status === 'resolved') await keepScores(tx, questionId); // drops them
    await recordAudit(tx, { actorId: actor.id, action: 'question.annul', entityType: 'question', entityId: questionId, detail: { reason, previous: q.status }, at: now });
  });
}

/**
 * A lead chooses the aggregation method shown as the team forecast and, optionally, the
 * extremising power of the extremised methods (1-5) and the skill setting of the skill methods
 * (temperature above 0 and at most 10, prior count 0-1000); each unchanged when not given.
 * Everything is validated before anything is written. Audited with from/to; bumps the
 * question's version.
 */
export async function setAggregationMethod(
  db: Db,
  actor: Actor,
  questionId: number,
  choice: string | { methodId: string; alpha?: number; temperature?: number; priorCount?: number; via?: 'recommendation' },
  now = Date.now(),
): Promise<void> {
  assertRole(actor, ['lead'], 'choose the aggregation method');
  const { methodId, alpha, temperature, priorCount, via } = typeof choice === 'string' ? { methodId: choice } as Exclude<typeof choice, string> : choice;
  if (!AGGREGATION_METHODS.some((m) => m.id === methodId)) throw invalid(`"${methodId}" is not an aggregation method.`);
  const { min, max } = EXTREMISING_ALPHA_RANGE;
  if (alpha !== undefined && !(typeof alpha === 'number' && Number.isFinite(alpha) && alpha >= min && alpha <= max)) {
    throw invalid(`The extremising power must be a number from ${min} to ${max}, e.g. 1.5.`, { alpha: ['Out of range.'] });
  }
  if (temperature !== undefined && !(typeof temperature === 'number' && isSkillTemperature(temperature))) {
    throw invalid(SKILL_TEMPERATURE_MESSAGE, { temperature: ['Out of range.'] });
  }
  if (priorCount !== undefined && !(typeof priorCount === 'number' && isSkillPriorCount(priorCount))) {
    throw invalid(SKILL_PRIOR_COUNT_MESSAGE, { priorCount: ['Out of range.'] });
  }
  await db.write(async (tx) => {
    const q = await loadQuestionFor(tx, actor, questionId, { lock: true });
    await tx
      .update(questions)
      .set({
        aggregationMethod: methodId,
        ...(alpha !== undefined ? { extremisingAlpha: alpha } : {}),
        ...(priorCount !== undefined ? { skillPriorCount: priorCount } : {}),
        ...(temperature !== undefined ? { skillTemperature: temperature } : {}),
        updatedAt: now,
      })
      .where(eq(questions.id, questionId));
    await bumpVersion(tx, questionId);
    const detail: Record<string, unknown> = { aggregationMethod: { from: q.aggregationMethod, to: methodId } };
    if (alpha !== undefined) detail.extremisingAlpha = { from: q.extremisingAlpha, to: alpha };
    if (priorCount !== undefined) detail.skillPriorCount = { from: q.skillPriorCount, to: priorCount };
    if (temperature !== undefined) detail.skillTemperature = { from: q.skillTemperature, to: temperature };
    if (via) detail.via = via;
    await recordAudit(tx, { actorId: actor.id, action: 'question.settings', entityType: 'question', entityId: questionId, detail, at: now });
  });
}
