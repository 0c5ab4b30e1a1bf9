import { and, asc, count, desc, eq, inArray, ne } from 'drizzle-orm';
import type { Db, Queryable } from '@/db';
import {
  forecastProbabilities,
  forecasts,
  indicatorEvents,
  indicators,
  likelihoodJudgements,
  questions,
  scenarios,
} from '@/db/schema';
import { conflict, notFound } from '@/lib/errors';
import { effectiveStatus, type QuestionStatus } from '@/lib/question-status';
import type { QuestionInput } from '@/lib/validation/question';
import { assertRole, isLead, type Actor } from './actor';
import { recordAudit } from './audit';
import { pendingEventsFor } from './indicators';

export interface ScenarioRow {
  id: number;
  position: number;
  name: string;
  description: string;
}

export interface IndicatorRow {
  id: number;
  position: number;
  name: string;
  description: string;
  deadline: number | null;
  retiredAt: number | null;
}

export interface QuestionDetail {
  id: number;
  title: string;
  background: string;
  resolutionCriteria: string;
  opensAt: number;
  closesAt: number;
  storedStatus: 'draft' | 'open' | 'closed' | 'resolved' | 'annulled';
  status: QuestionStatus;
  illustrative: boolean;
  staleAfterDays: number;
  aggregationMethod: string;
  antiHerding: boolean;
  resolvedScenarioId: number | null;
  resolvedAt: number | null;
  resolutionNote: string | null;
  annulReason: string | null;
  createdAt: number;
  publishedAt: number | null;
  scenarios: ScenarioRow[];
  indicators: IndicatorRow[];
  forecastCount: number;
}

/** A question's scenarios in their order; every read that aligns vectors to scenarios uses it. */
export function listScenariosOf(db: Queryable, questionId: number): ScenarioRow[] {
  return db
    .select({ id: scenarios.id, position: scenarios.position, name: scenarios.name, description: scenarios.description })
    .from(scenarios)
    .where(eq(scenarios.questionId, questionId))
    .orderBy(asc(scenarios.position))
    .all();
}

function loadIndicators(db: Queryable, questionId: number): IndicatorRow[] {
  return db
    .select({
      id: indicators.id,
      position: indicators.position,
      name: indicators.name,
      description: indicators.description,
      deadline: indicators.deadline,
      retiredAt: indicators.retiredAt,
    })
    .from(indicators)
    .where(eq(indicators.questionId, questionId))
    .orderBy(asc(indicators.position), asc(indicators.id))
    .all();
}

/**
 * A question with its scenarios and indicators, if the actor may see it: every team member
 * sees published questions; drafts are visible to leads only (others get the same 404 as for
 * a question that does not exist).
 */
export function getQuestionForUser(db: Queryable, actor: Actor, questionId: number, now = Date.now()): QuestionDetail {
  assertRole(actor, ['lead', 'forecaster', 'viewer'], 'read questions');
  const q = Number.isInteger(questionId) ? db.select().from(questions).where(eq(questions.id, questionId)).get() : undefined;
  if (!q || (q.status === 'draft' && !isLead(actor))) throw notFound('That question does not exist.');
  const forecastCount = db.select({ n: count() }).from(forecasts).where(eq(forecasts.questionId, q.id)).get()?.n ?? 0;
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
    antiHerding: q.antiHerding,
    resolvedScenarioId: q.resolvedScenarioId,
    resolvedAt: q.resolvedAt,
    resolutionNote: q.resolutionNote,
    annulReason: q.annulReason,
    createdAt: q.createdAt,
    publishedAt: q.publishedAt,
    scenarios: listScenariosOf(db, q.id),
    indicators: loadIndicators(db, q.id),
    forecastCount,
  };
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
  pendingEvents: { id: number; indicatorName: string; createdAt: number }[];
}

/** Every question the actor may see, newest first, with the actor's own latest forecast. */
export function listQuestionsForUser(db: Db, actor: Actor, now = Date.now()): QuestionListItem[] {
  assertRole(actor, ['lead', 'forecaster', 'viewer'], 'read questions');
  const rows = db
    .select()
    .from(questions)
    .where(isLead(actor) ? undefined : ne(questions.status, 'draft'))
    .orderBy(desc(questions.createdAt))
    .all();
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const scen = db
    .select({ id: scenarios.id, questionId: scenarios.questionId, name: scenarios.name })
    .from(scenarios)
    .where(inArray(scenarios.questionId, ids))
    .orderBy(asc(scenarios.position))
    .all();
  const mine = db
    .select({ id: forecasts.id, questionId: forecasts.questionId, createdAt: forecasts.createdAt })
    .from(forecasts)
    .where(and(eq(forecasts.userId, actor.id), inArray(forecasts.questionId, ids)))
    .orderBy(asc(forecasts.createdAt), asc(forecasts.id))
    .all();
  const latest = new Map<number, { id: number; createdAt: number }>();
  for (const f of mine) latest.set(f.questionId, f);
  const latestIds = [...latest.values()].map((f) => f.id);
  const probs = latestIds.length
    ? db.select().from(forecastProbabilities).where(inArray(forecastProbabilities.forecastId, latestIds)).all()
    : [];
  const probsByForecast = new Map<number, Map<number, number>>();
  for (const p of probs) {
    let m = probsByForecast.get(p.forecastId);
    if (!m) probsByForecast.set(p.forecastId, (m = new Map()));
    m.set(p.scenarioId, p.probability);
  }
  const pending = pendingEventsFor(db, actor.id, ids);
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

export function createQuestion(db: Db, actor: Actor, input: QuestionInput, now = Date.now()): number {
  assertRole(actor, ['lead'], 'create questions');
  return db.transaction((tx) => {
    const q = tx
      .insert(questions)
      .values({
        ...editableColumns(input),
        status: 'draft',
        createdBy: actor.id,
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: questions.id })
      .get();
    input.scenarios.forEach((s, i) => {
      tx.insert(scenarios).values({ questionId: q.id, position: i, name: s.name, description: s.description }).run();
    });
    input.indicators.forEach((ind, i) => {
      tx.insert(indicators)
        .values({ questionId: q.id, position: i, name: ind.name, description: ind.description, deadline: ind.deadline, createdAt: now })
        .run();
    });
    recordAudit(tx, { actorId: actor.id, action: 'question.create', entityType: 'question', entityId: q.id, detail: { title: input.title }, at: now });
    return q.id;
  });
}

/** True once anyone has forecast on the question or judged one of its indicators. */
function scenariosAreFixed(db: Queryable, questionId: number): boolean {
  const f = db.select({ id: forecasts.id }).from(forecasts).where(eq(forecasts.questionId, questionId)).limit(1).get();
  if (f) return true;
  const j = db
    .select({ id: likelihoodJudgements.id })
    .from(likelihoodJudgements)
    .innerJoin(indicators, eq(indicators.id, likelihoodJudgements.indicatorId))
    .where(eq(indicators.questionId, questionId))
    .limit(1)
    .get();
  return Boolean(j);
}

/**
 * Saves a lead's edit. Wording can always change before resolution; once the question has
 * forecasts or likelihood judgements its scenarios are fixed: same ids, same order, no
 * additions or removals. Indicators removed from the form are retired when anything refers
 * to them, deleted otherwise.
 */
export function updateQuestion(db: Db, actor: Actor, questionId: number, input: QuestionInput, now = Date.now()): void {
  assertRole(actor, ['lead'], 'edit questions');
  db.transaction((tx) => {
    const q = tx.select().from(questions).where(eq(questions.id, questionId)).get();
    if (!q) throw notFound('That question does not exist.');
    if (q.status === 'resolved' || q.status === 'annulled') {
      throw conflict('This question is settled: it can no longer be edited.');
    }
    const existing = listScenariosOf(tx, questionId);
    const existingIds = new Set(existing.map((s) => s.id));
    for (const s of input.scenarios) {
      if (s.id !== null && !existingIds.has(s.id)) throw notFound('A scenario in the form does not belong to this question.');
    }
    const fixed = scenariosAreFixed(tx, questionId);
    if (fixed) {
      const same =
        input.scenarios.length === existing.length && input.scenarios.every((s, i) => s.id === existing[i]!.id);
      if (!same) {
        throw conflict(
          'This question already has forecasts, so its scenarios are fixed: you can reword them, but not add, remove or reorder them.',
        );
      }
    }
    tx.update(questions)
      .set({ ...editableColumns(input), updatedAt: now })
      .where(eq(questions.id, questionId))
      .run();

    // Scenarios: park positions out of the way of the unique (question, position) index first.
    const keep = new Set(input.scenarios.flatMap((s) => (s.id === null ? [] : [s.id])));
    const removed = existing.filter((s) => !keep.has(s.id)).map((s) => s.id);
    if (removed.length) tx.delete(scenarios).where(inArray(scenarios.id, removed)).run();
    for (const s of existing) {
      if (keep.has(s.id)) tx.update(scenarios).set({ position: -1 - s.position }).where(eq(scenarios.id, s.id)).run();
    }
    input.scenarios.forEach((s, i) => {
      if (s.id === null) {
        tx.insert(scenarios).values({ questionId, position: i, name: s.name, description: s.description }).run();
      } else {
        tx.update(scenarios).set({ position: i, name: s.name, description: s.description }).where(eq(scenarios.id, s.id)).run();
      }
    });

    // Indicators.
    const existingIndicators = loadIndicators(tx, questionId);
    const indicatorIds = new Set(existingIndicators.map((i) => i.id));
    for (const ind of input.indicators) {
      if (ind.id !== null && !indicatorIds.has(ind.id)) throw notFound('An indicator in the form does not belong to this question.');
    }
    const keepIndicators = new Set(input.indicators.flatMap((i) => (i.id === null ? [] : [i.id])));
    for (const ind of existingIndicators) {
      if (keepIndicators.has(ind.id) || ind.retiredAt !== null) continue;
      const referenced =
        tx.select({ id: indicatorEvents.id }).from(indicatorEvents).where(eq(indicatorEvents.indicatorId, ind.id)).limit(1).get() ||
        tx.select({ id: likelihoodJudgements.id }).from(likelihoodJudgements).where(eq(likelihoodJudgements.indicatorId, ind.id)).limit(1).get();
      if (referenced) tx.update(indicators).set({ retiredAt: now }).where(eq(indicators.id, ind.id)).run();
      else tx.delete(indicators).where(eq(indicators.id, ind.id)).run();
    }
    input.indicators.forEach((ind, i) => {
      if (ind.id === null) {
        tx.insert(indicators)
          .values({ questionId, position: i, name: ind.name, description: ind.description, deadline: ind.deadline, createdAt: now })
          .run();
      } else {
        tx.update(indicators)
          .set({ position: i, name: ind.name, description: ind.description, deadline: ind.deadline, retiredAt: null })
          .where(eq(indicators.id, ind.id))
          .run();
      }
    });
    recordAudit(tx, { actorId: actor.id, action: 'question.edit', entityType: 'question', entityId: questionId, detail: { title: input.title }, at: now });
  });
}

export function publishQuestion(db: Db, actor: Actor, questionId: number, now = Date.now()): void {
  assertRole(actor, ['lead'], 'publish questions');
  db.transaction((tx) => {
    const q = tx.select().from(questions).where(eq(questions.id, questionId)).get();
    if (!q) throw notFound('That question does not exist.');
    if (q.status !== 'draft') throw conflict('This question is already published.');
    if (q.closesAt <= now) throw conflict('The closing time has passed: move it into the future before publishing.');
    tx.update(questions).set({ status: 'open', publishedAt: now, updatedAt: now }).where(eq(questions.id, questionId)).run();
    recordAudit(tx, { actorId: actor.id, action: 'question.publish', entityType: 'question', entityId: questionId, at: now });
  });
}
