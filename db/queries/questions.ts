import { and, asc, desc, eq, inArray, ne } from 'drizzle-orm';
import type { Db, Queryable } from '@/db/types';
import { forecastProbabilities, forecasts, indicatorEvents, indicators, likelihoodJudgements, questions, scenarios } from '@/db/schema';
import { recordAudit } from '@/db/internal/audit';
import { bumpVersion } from '@/db/internal/snapshot';
import { questionParts } from '@/db/internal/question-parts';
import { listIndicatorsOf, listScenariosOf, pendingEventsFor, type IndicatorSummary, type PendingEvent, type ScenarioRow } from '@/db/internal/rows';
import type { StoredQuestionStatus } from '@/lib/domain';
import { conflict, notFound } from '@/lib/errors';
import { effectiveStatus, type QuestionStatus } from '@/lib/question-status';
import type { QuestionInput } from '@/lib/validation/question';
import { TEAM_ROLES, assertRole, grant, isGranted, isLead, loadQuestionFor, visibleQuestionId, type Actor, type QuestionRow } from './access';

export type { ScenarioRow, IndicatorSummary as IndicatorRow };

export interface QuestionDetail {
  id: number;
  title: string;
  background: string;
  resolutionCriteria: string;
  opensAt: number;
  closesAt: number;
  storedStatus: StoredQuestionStatus;
  status: QuestionStatus;
  illustrative: boolean;
  staleAfterDays: number;
  aggregationMethod: string;
  /** Extremising power of the 'extremised-' methods (1-5). */
  extremisingAlpha: number;
  /** Skill setting of the '-skill' methods (temperature above 0 and at most 10, prior count 0-1000). */
  skillSettings: { priorCount: number; temperature: number };
  antiHerding: boolean;
  resolvedScenarioId: number | null;
  resolvedAt: number | null;
  resolutionNote: string | null;
  annulReason: string | null;
  createdAt: number;
  publishedAt: number | null;
  scenarios: ScenarioRow[];
  indicators: IndicatorSummary[];
  /** Changes with every write that changes what the question shows (db/internal/snapshot.ts). */
  version: number;
}

/** The detail of a question row the caller has already been allowed to see. */
export async function questionDetail(db: Queryable, q: QuestionRow, now = Date.now()): Promise<QuestionDetail> {
  const { scenarios: scen, indicators: inds } = await questionParts(db, q.id, q.version);
  return {
    id: q.id,
    title: q.title,
    background: q.background,
    resolutionCriteria: q.resolutionCriteria,
    opensAt: q.opensAt,
    closesAt: q.closesAt,
    storedStatus: q.status,
    status: effectiveStatus(q, now),
    illustrative: q.illustrative,
    staleAfterDays: q.staleAfterDays,
    aggregationMethod: q.aggregationMethod,
    extremisingAlpha: q.extremisingAlpha,
    skillSettings: { priorCount: q.skillPriorCount, temperature: q.skillTemperature },
    antiHerding: q.antiHerding,
    resolvedScenarioId: q.resolvedScenarioId,
    resolvedAt: q.resolvedAt,
    resolutionNote: q.resolutionNote,
    annulReason: q.annulReason,
    createdAt: q.createdAt,
    publishedAt: q.publishedAt,
    scenarios: scen,
    indicators: inds,
    version: q.version,
  };
}

/** A question with its scenarios and indicators, if the actor may see it (else a 404). */
export async function getQuestionForUser(db: Queryable, actor: Actor, questionId: number, now = Date.now()): Promise<QuestionDetail> {
  return grant(actor, await questionDetail(db, await loadQuestionFor(db, actor, questionId), now));
}

/** A question id, or a QuestionDetail that getQuestionForUser returned for the same actor. */
export type QuestionDetailRef = number | QuestionDetail;

/**
 * The question behind `ref` for the actor: a detail already loaded for this actor in this
 * request is used as it is (one load per page render); anything else goes through the
 * visibility rule again.
 */
export async function questionFor(db: Queryable, actor: Actor, ref: QuestionDetailRef, now = Date.now()): Promise<QuestionDetail> {
  if (typeof ref === 'object' && isGranted(actor, ref)) return ref;
  return getQuestionForUser(db, actor, typeof ref === 'object' ? ref.id : ref, now);
}

export interface QuestionListItem {
  id: number;
  title: string;
  status: QuestionStatus;
  opensAt: number;
  closesAt: number;
  illustrative: boolean;
  staleAfterDays: number;
  scenarios: { id: number; name: string }[];
  myLatest: { createdAt: number; probabilities: Map<number, number> } | null;
  /** Events logged since the actor's latest forecast that they have not updated on. */
  pendingEvents: PendingEvent[];
}

/** Every question the actor may see, newest first, with the actor's own latest forecast. */
export async function listQuestionsForUser(db: Queryable, actor: Actor, now = Date.now()): Promise<QuestionListItem[]> {
  assertRole(actor, TEAM_ROLES, 'read questions');
  const rows = await db
    .select()
    .from(questions)
    // The visibility rule of loadQuestionFor, as a filter: drafts for leads only.
    .where(isLead(actor) ? undefined : ne(questions.status, 'draft'))
    .orderBy(desc(questions.createdAt), desc(questions.id));
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [scen, mine, pending] = await Promise.all([
    db
      .select({ id: scenarios.id, questionId: scenarios.questionId, name: scenarios.name })
      .from(scenarios)
      .where(inArray(scenarios.questionId, ids))
      .orderBy(asc(scenarios.position)),
    db
      .select({ id: forecasts.id, questionId: forecasts.questionId, createdAt: forecasts.createdAt })
      .from(forecasts)
      .where(and(eq(forecasts.userId, actor.id), inArray(forecasts.questionId, ids)))
      .orderBy(asc(forecasts.createdAt), asc(forecasts.id)),
    pendingEventsFor(db, actor.id, ids),
  ]);
  const latest = new Map<number, { id: number; createdAt: number }>();
  for (const f of mine) latest.set(f.questionId, f);
  const latestIds = [...latest.values()].map((f) => f.id);
  const probs = latestIds.length ? await db.select().from(forecastProbabilities).where(inArray(forecastProbabilities.forecastId, latestIds)) : [];
  const probsByForecast = new Map<number, Map<number, number>>();
  for (const p of probs) {
    let m = probsByForecast.get(p.forecastId);
    if (!m) probsByForecast.set(p.forecastId, (m = new Map()));
    m.set(p.scenarioId, p.probability);
  }
  return rows.map((q) => {
    const l = latest.get(q.id);
    return {
      id: q.id,
      title: q.title,
      status: effectiveStatus(q, now),
      opensAt: q.opensAt,
      closesAt: q.closesAt,
      illustrative: q.illustrative,
      staleAfterDays: q.staleAfterDays,
      scenarios: scen.filter((s) => s.questionId === q.id).map((s) => ({ id: s.id, name: s.name })),
      myLatest: l ? { createdAt: l.createdAt, probabilities: probsByForecast.get(l.id) ?? new Map() } : null,
      pendingEvents: pending.get(q.id) ?? [],
    };
  });
}

/** True once anyone has forecast on the question or judged one of its indicators: its scenarios are then fixed. */
export async function questionScenariosFixed(db: Queryable, actor: Actor, ref: number | { id: number }): Promise<boolean> {
  return scenariosAreFixed(db, await visibleQuestionId(db, actor, ref));
}

/** The question columns a lead's form sets, on create and on edit. */
const editableColumns = (input: QuestionInput) => ({
  title: input.title,
  background: input.background,
  resolutionCriteria: input.resolutionCriteria,
  opensAt: input.opensAt,
  closesAt: input.closesAt,
  staleAfterDays: input.staleAfterDays,
  antiHerding: input.antiHerding,
});

export async function createQuestion(db: Db, actor: Actor, input: QuestionInput, now = Date.now()): Promise<number> {
  assertRole(actor, ['lead'], 'create questions');
  return db.write(async (tx) => {
    const [q] = await tx
      .insert(questions)
      .values({ ...editableColumns(input), status: 'draft', createdBy: actor.id, createdAt: now, updatedAt: now })
      .returning({ id: questions.id });
    const id = q!.id;
    await tx.insert(scenarios).values(input.scenarios.map((s, i) => ({ questionId: id, position: i, name: s.name, description: s.description })));
    if (input.indicators.length) {
      await tx
        .insert(indicators)
        .values(input.indicators.map((ind, i) => ({ questionId: id, position: i, name: ind.name, description: ind.description, deadline: ind.deadline, createdAt: now })));
    }
    await recordAudit(tx, { actorId: actor.id, action: 'question.create', entityType: 'question', entityId: id, detail: { title: input.title }, at: now });
    return id;
  });
}

/** True once anyone has forecast on the question or judged one of its indicators. */
async function scenariosAreFixed(db: Queryable, questionId: number): Promise<boolean> {
  const [f] = await db.select({ id: forecasts.id }).from(forecasts).where(eq(forecasts.questionId, questionId)).limit(1);
  if (f) return true;
  const [j] = await db
    .select({ id: likelihoodJudgements.id })
    .from(likelihoodJudgements)
    .innerJoin(indicators, eq(indicators.id, likelihoodJudgements.indicatorId))
    .where(eq(indicators.questionId, questionId))
    .limit(1);
  return j !== undefined;
}

/**
 * Saves a lead's edit. Wording can always change before resolution; once the question has
 * forecasts or likelihood judgements its scenarios are fixed: same ids, same order, no
 * additions or removals. Indicators removed from the form are retired when anything refers
 * to them, deleted otherwise.
 */
export async function updateQuestion(db: Db, actor: Actor, questionId: number, input: QuestionInput, now = Date.now()): Promise<void> {
  assertRole(actor, ['lead'], 'edit questions');
  await db.write(async (tx) => {
    const q = await loadQuestionFor(tx, actor, questionId, { lock: true });
    if (q.status === 'resolved' || q.status === 'annulled') {
      throw conflict('This question is settled: it can no longer be edited.');
    }
    const existing = await listScenariosOf(tx, questionId);
    const existingIds = new Set(existing.map((s) => s.id));
    for (const s of input.scenarios) {
      if (s.id !== null && !existingIds.has(s.id)) throw notFound('A scenario in the form does not belong to this question.');
    }
    if (await scenariosAreFixed(tx, questionId)) {
      const same = input.scenarios.length === existing.length && input.scenarios.every((s, i) => s.id === existing[i]!.id);
      if (!same) {
        throw conflict(
          'This question already has forecasts, so its scenarios are fixed: you can reword them, but not add, remove or reorder them.',
        );
      }
    }
    await tx.update(questions).set({ ...editableColumns(input), updatedAt: now }).where(eq(questions.id, questionId));
    await bumpVersion(tx, questionId);

    // Scenarios: park positions out of the way of the unique (question, position) index first.
    const keep = new Set(input.scenarios.flatMap((s) => (s.id === null ? [] : [s.id])));
    const removed = existing.filter((s) => !keep.has(s.id)).map((s) => s.id);
    if (removed.length) await tx.delete(scenarios).where(inArray(scenarios.id, removed));
    for (const s of existing) {
      if (keep.has(s.id)) await tx.update(scenarios).set({ position: -1 - s.position }).where(eq(scenarios.id, s.id));
    }
    for (const [i, s] of input.scenarios.entries()) {
      if (s.id === null) await tx.insert(scenarios).values({ questionId, position: i, name: s.name, description: s.description });
      else await tx.update(scenarios).set({ position: i, name: s.name, description: s.description }).where(eq(scenarios.id, s.id));
    }

    // Indicators.
    const existingIndicators = await listIndicatorsOf(tx, questionId);
    const indicatorIds = new Set(existingIndicators.map((i) => i.id));
    for (const ind of input.indicators) {
      if (ind.id !== null && !indicatorIds.has(ind.id)) throw notFound('An indicator in the form does not belong to this question.');
    }
    const keepIndicators = new Set(input.indicators.flatMap((i) => (i.id === null ? [] : [i.id])));
    for (const ind of existingIndicators) {
      if (keepIndicators.has(ind.id) || ind.retiredAt !== null) continue;
      const [event] = await tx.select({ id: indicatorEvents.id }).from(indicatorEvents).where(eq(indicatorEvents.indicatorId, ind.id)).limit(1);
      const [judgement] = event
        ? [event]
        : await tx.select({ id: likelihoodJudgements.id }).from(likelihoodJudgements).where(eq(likelihoodJudgements.indicatorId, ind.id)).limit(1);
      const referenced = judgement !== undefined;
      if (referenced) await tx.update(indicators).set({ retiredAt: now }).where(eq(indicators.id, ind.id));
      else await tx.delete(indicators).where(eq(indicators.id, ind.id));
    }
    for (const [i, ind] of input.indicators.entries()) {
      if (ind.id === null) {
        await tx.insert(indicators).values({ questionId, position: i, name: ind.name, description: ind.description, deadline: ind.deadline, createdAt: now });
      } else {
        await tx
          .update(indicators)
          .set({ position: i, name: ind.name, description: ind.description, deadline: ind.deadline, retiredAt: null })
          .where(eq(indicators.id, ind.id));
      }
    }
    await recordAudit(tx, { actorId: actor.id, action: 'question.edit', entityType: 'question', entityId: questionId, detail: { title: input.title }, at: now });
  });
}

export async function publishQuestion(db: Db, actor: Actor, questionId: number, now = Date.now()): Promise<void> {
  assertRole(actor, ['lead'], 'publish questions');
  await db.write(async (tx) => {
    const q = await loadQuestionFor(tx, actor, questionId, { lock: true });
    if (q.status !== 'draft') throw conflict('This question is already published.');
    if (q.closesAt <= now) throw conflict('The closing time has passed: move it into the future before publishing.');
    await tx.update(questions).set({ status: 'open', publishedAt: now, updatedAt: now }).where(eq(questions.id, questionId));
    await bumpVersion(tx, questionId);
    await recordAudit(tx, { actorId: actor.id, action: 'question.publish', entityType: 'question', entityId: questionId, at: now });
  });
}
