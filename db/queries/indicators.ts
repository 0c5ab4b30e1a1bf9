import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { Db, Queryable } from '@/db';
import {
  forecasts,
  indicatorEvents,
  indicators,
  likelihoodJudgements,
  likelihoodValues,
  questions,
} from '@/db/schema';
import { diagnosticity, pooledLikelihoods } from '@/lib/bayes';
import { conflict, invalid, notFound } from '@/lib/errors';
import { effectiveStatus, formatUtc, whyClosedToInput } from '@/lib/question-status';
import { parseScenarioLikelihoods } from '@/lib/validation/forecast';
import type { EventInput } from '@/lib/validation/indicator';
import { assertRole, isLead, type Actor } from './actor';
import { recordAudit } from './audit';
import { getQuestionForUser, listScenariosOf } from './questions';
import { userNames } from './users';

/** The indicator with its question, if the actor may see the question. */
function indicatorForUser(db: Queryable, actor: Actor, indicatorId: number) {
  const ind = Number.isInteger(indicatorId)
    ? db.select().from(indicators).where(eq(indicators.id, indicatorId)).get()
    : undefined;
  if (!ind) throw notFound('That indicator does not exist.');
  const q = db.select().from(questions).where(eq(questions.id, ind.questionId)).get();
  if (!q || (q.status === 'draft' && !isLead(actor))) throw notFound('That indicator does not exist.');
  return { ind, q };
}

function assertNotSettled(q: { status: string }) {
  if (q.status === 'resolved' || q.status === 'annulled') throw conflict('This question is settled: its indicators can no longer change.');
}

// ---- likelihood judgements -------------------------------------------------------------

/**
 * Records the actor's likelihoods P(indicator observed | scenario) for every scenario, or,
 * with `teamDefault`, the team default (leads only). Appends: earlier judgements stay as history.
 */
export function recordLikelihoods(
  db: Db,
  actor: Actor,
  indicatorId: number,
  values: ReadonlyMap<number, unknown>,
  options: { teamDefault?: boolean } = {},
  now = Date.now(),
): number[] {
  assertRole(actor, options.teamDefault ? ['lead'] : ['lead', 'forecaster'], options.teamDefault ? 'set team default likelihoods' : 'record likelihoods');
  return db.transaction((tx) => {
    const { ind, q } = indicatorForUser(tx, actor, indicatorId);
    assertNotSettled(q);
    if (ind.retiredAt !== null) throw conflict('This indicator is retired.');
    const scen = listScenariosOf(tx, q.id);
    const parsed = parseScenarioLikelihoods(scen, values);
    if (!parsed.ok) throw invalid(parsed.message, parsed.field ? { [parsed.field]: [parsed.message] } : undefined);
    insertJudgement(tx, {
      indicatorId,
      userId: options.teamDefault ? null : actor.id,
      setBy: actor.id,
      at: now,
      scenarioIds: scen.map((s) => s.id),
      likelihoods: parsed.probabilities,
    });
    if (options.teamDefault) {
      recordAudit(tx, { actorId: actor.id, action: 'indicator.team_default', entityType: 'indicator', entityId: indicatorId, detail: { likelihoods: parsed.probabilities }, at: now });
    }
    return parsed.probabilities;
  });
}

export function insertJudgement(
  tx: Queryable,
  j: { indicatorId: number; userId: number | null; setBy: number; at: number; scenarioIds: number[]; likelihoods: number[] },
) {
  const id = tx
    .insert(likelihoodJudgements)
    .values({ indicatorId: j.indicatorId, userId: j.userId, isTeamDefault: j.userId === null, setBy: j.setBy, createdAt: j.at })
    .returning({ id: likelihoodJudgements.id })
    .get().id;
  tx.insert(likelihoodValues)
    .values(j.scenarioIds.map((scenarioId, k) => ({ judgementId: id, scenarioId, likelihood: j.likelihoods[k]! })))
    .run();
}

interface Judgement {
  id: number;
  indicatorId: number;
  userId: number | null;
  createdAt: number;
  likelihoods: number[];
}

/** Every judgement on a question's indicators, oldest first, aligned to scenario order. */
function loadJudgements(db: Queryable, questionId: number): Judgement[] {
  const scen = listScenariosOf(db, questionId);
  const pos = new Map(scen.map((s, i) => [s.id, i]));
  const rows = db
    .select({ id: likelihoodJudgements.id, indicatorId: likelihoodJudgements.indicatorId, userId: likelihoodJudgements.userId, createdAt: likelihoodJudgements.createdAt })
    .from(likelihoodJudgements)
    .innerJoin(indicators, eq(indicators.id, likelihoodJudgements.indicatorId))
    .where(eq(indicators.questionId, questionId))
    .orderBy(asc(likelihoodJudgements.createdAt), asc(likelihoodJudgements.id))
    .all();
  if (rows.length === 0) return [];
  const byId = new Map<number, Judgement>(rows.map((r) => [r.id, { ...r, likelihoods: new Array<number>(scen.length).fill(0) }]));
  const ids = rows.map((r) => r.id);
  for (let i = 0; i < ids.length; i += 500) {
    for (const v of db.select().from(likelihoodValues).where(inArray(likelihoodValues.judgementId, ids.slice(i, i + 500))).all()) {
      const k = pos.get(v.scenarioId);
      if (k !== undefined) byId.get(v.judgementId)!.likelihoods[k] = v.likelihood;
    }
  }
  return [...byId.values()];
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
  /** Geometric mean per scenario of every forecaster's latest judgement. */
  pooled: number[] | null;
  pooledCount: number;
  diagnosticity: { ratio: number; logRatio: number; informative: boolean } | null;
  /** Per forecaster's latest likelihoods, for the lead's review. */
  byForecaster: { userId: number; name: string; likelihoods: number[]; createdAt: number }[];
}

/** Indicators of a question with the actor's, the team default and the pooled likelihoods. */
export function listIndicatorViews(db: Queryable, actor: Actor, questionId: number): IndicatorView[] {
  const q = getQuestionForUser(db, actor, questionId);
  const judgements = loadJudgements(db, q.id);
  const names = userNames(db);
  return q.indicators.map((ind) => {
    const mine = judgements.filter((j) => j.indicatorId === ind.id && j.userId === actor.id);
    const defaults = judgements.filter((j) => j.indicatorId === ind.id && j.userId === null);
    const latestByUser = new Map<number, Judgement>();
    for (const j of judgements) if (j.indicatorId === ind.id && j.userId !== null) latestByUser.set(j.userId, j);
    const latest = [...latestByUser.values()];
    const pooled = latest.length ? pooledLikelihoods(latest.map((j) => j.likelihoods)) : null;
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
      pooledCount: latest.length,
      diagnosticity: reference && reference.some((x) => x > 0) ? diagnosticity(reference) : null,
      byForecaster: latest.map((j) => ({ userId: j.userId!, name: names.get(j.userId!) ?? '?', likelihoods: j.likelihoods, createdAt: j.createdAt })),
    };
  });
}

/** The likelihoods an update panel starts from: the actor's own, else the team default. */
export function startingLikelihoods(db: Queryable, actor: Actor, indicatorId: number): { likelihoods: number[]; source: 'mine' | 'team' } | null {
  const { q } = indicatorForUser(db, actor, indicatorId);
  const judgements = loadJudgements(db, q.id).filter((j) => j.indicatorId === indicatorId);
  const mine = judgements.filter((j) => j.userId === actor.id).at(-1);
  if (mine) return { likelihoods: mine.likelihoods, source: 'mine' };
  const team = judgements.filter((j) => j.userId === null).at(-1);
  return team ? { likelihoods: team.likelihoods, source: 'team' } : null;
}

// ---- indicators ------------------------------------------------------------------------

export function addIndicator(db: Db, actor: Actor, questionId: number, input: { name: string; description: string; deadline: number | null }, now = Date.now()): number {
  assertRole(actor, ['lead'], 'add indicators');
  return db.transaction((tx) => {
    const q = tx.select().from(questions).where(eq(questions.id, questionId)).get();
    if (!q) throw notFound('That question does not exist.');
    assertNotSettled(q);
    const last = tx.select({ position: indicators.position }).from(indicators).where(eq(indicators.questionId, questionId)).orderBy(desc(indicators.position)).limit(1).get();
    const id = tx
      .insert(indicators)
      .values({ questionId, position: (last?.position ?? -1) + 1, name: input.name, description: input.description, deadline: input.deadline, createdAt: now })
      .returning({ id: indicators.id })
      .get().id;
    recordAudit(tx, { actorId: actor.id, action: 'indicator.add', entityType: 'indicator', entityId: id, detail: { name: input.name }, at: now });
    return id;
  });
}

export function retireIndicator(db: Db, actor: Actor, indicatorId: number, now = Date.now()): void {
  assertRole(actor, ['lead'], 'retire indicators');
  db.transaction((tx) => {
    const { ind, q } = indicatorForUser(tx, actor, indicatorId);
    assertNotSettled(q);
    if (ind.retiredAt !== null) throw conflict('This indicator is already retired.');
    tx.update(indicators).set({ retiredAt: now }).where(eq(indicators.id, indicatorId)).run();
    recordAudit(tx, { actorId: actor.id, action: 'indicator.retire', entityType: 'indicator', entityId: indicatorId, at: now });
  });
}

// ---- events ----------------------------------------------------------------------------

/**
 * Logs that an indicator was observed (any forecaster or lead), or that its deadline passed
 * without it (leads only). Refused on a question that takes no input, for a retired or foreign
 * indicator, for a time in the future or before the question opened.
 */
export function logIndicatorEvent(db: Db, actor: Actor, questionId: number, input: EventInput, now = Date.now()): number {
  assertRole(actor, input.kind === 'deadline_passed' ? ['lead'] : ['lead', 'forecaster'], input.kind === 'deadline_passed' ? 'record a passed deadline' : 'log indicator events');
  return db.transaction((tx) => {
    const q = Number.isInteger(questionId) ? tx.select().from(questions).where(eq(questions.id, questionId)).get() : undefined;
    if (!q || (q.status === 'draft' && !isLead(actor))) throw notFound('That question does not exist.');
    const why = whyClosedToInput(effectiveStatus(q, now), q);
    if (why) throw conflict(why.replace('forecasts', 'events'));
    const ind = tx.select().from(indicators).where(eq(indicators.id, input.indicatorId)).get();
    if (!ind || ind.questionId !== questionId) throw notFound('That indicator does not belong to this question.');
    if (ind.retiredAt !== null) throw conflict('That indicator is retired: it takes no new events.');
    if (input.occurredAt > now + 60_000) throw invalid('The event cannot be dated in the future.', { occurredAt: ['In the future.'] });
    if (input.occurredAt < q.opensAt) {
      throw invalid(`The event is dated before the question opened (${formatUtc(q.opensAt)}).`, { occurredAt: ['Before the question opened.'] });
    }
    if (input.kind === 'deadline_passed') {
      if (ind.deadline === null) throw invalid('This indicator has no deadline to pass.');
      if (ind.deadline > now) throw invalid(`This indicator's deadline (${formatUtc(ind.deadline)}) has not passed yet.`);
      if (input.occurredAt < ind.deadline) throw invalid(`A passed deadline is dated at or after the deadline (${formatUtc(ind.deadline)}).`);
    }
    const open = tx
      .select({ id: indicatorEvents.id, kind: indicatorEvents.kind })
      .from(indicatorEvents)
      .where(and(eq(indicatorEvents.indicatorId, ind.id), isNull(indicatorEvents.retractedAt)))
      .all();
    if (input.kind === 'deadline_passed' && open.length) {
      throw conflict('This indicator already has an event on record: retract it first if it was logged in error.');
    }
    if (input.kind === 'observed' && open.some((e) => e.kind === 'deadline_passed')) {
      throw conflict('This indicator is on record as having passed its deadline unobserved: a lead must retract that first.');
    }
    return tx
      .insert(indicatorEvents)
      .values({
        questionId,
        indicatorId: ind.id,
        kind: input.kind,
        occurredAt: input.occurredAt,
        sourceUrl: input.sourceUrl,
        note: input.note,
        loggedBy: actor.id,
        createdAt: now,
      })
      .returning({ id: indicatorEvents.id })
      .get().id;
  });
}

/** A lead retracts an event logged in error: it stays on the record, marked retracted. */
export function retractIndicatorEvent(db: Db, actor: Actor, eventId: number, reason: string, now = Date.now()): void {
  assertRole(actor, ['lead'], 'retract indicator events');
  db.transaction((tx) => {
    const ev = Number.isInteger(eventId) ? tx.select().from(indicatorEvents).where(eq(indicatorEvents.id, eventId)).get() : undefined;
    if (!ev) throw notFound('That event does not exist.');
    const q = tx.select().from(questions).where(eq(questions.id, ev.questionId)).get()!;
    assertNotSettled(q);
    if (ev.retractedAt !== null) throw conflict('This event is already retracted.');
    tx.update(indicatorEvents).set({ retractedAt: now, retractedBy: actor.id, retractReason: reason }).where(eq(indicatorEvents.id, eventId)).run();
    recordAudit(tx, { actorId: actor.id, action: 'event.retract', entityType: 'indicator_event', entityId: eventId, detail: { reason }, at: now });
  });
}

export interface EventView {
  id: number;
  indicatorId: number;
  indicatorName: string;
  kind: 'observed' | 'deadline_passed';
  occurredAt: number;
  createdAt: number;
  sourceUrl: string | null;
  note: string;
  loggedBy: { id: number; name: string };
  illustrative: boolean;
  retracted: { at: number; reason: string; by: string } | null;
}

/** Every event on a question the actor may see, newest first (retracted ones included). */
export function listIndicatorEvents(db: Queryable, actor: Actor, questionId: number): EventView[] {
  const q = getQuestionForUser(db, actor, questionId);
  const names = userNames(db);
  return db
    .select({ e: indicatorEvents, indicatorName: indicators.name })
    .from(indicatorEvents)
    .innerJoin(indicators, eq(indicators.id, indicatorEvents.indicatorId))
    .where(eq(indicatorEvents.questionId, q.id))
    .orderBy(desc(indicatorEvents.occurredAt), desc(indicatorEvents.id))
    .all()
    .map(({ e, indicatorName }) => ({
      id: e.id,
      indicatorId: e.indicatorId,
      indicatorName,
      kind: e.kind,
      occurredAt: e.occurredAt,
      createdAt: e.createdAt,
      sourceUrl: e.sourceUrl,
      note: e.note,
      loggedBy: { id: e.loggedBy, name: names.get(e.loggedBy) ?? '?' },
      illustrative: e.illustrative,
      retracted: e.retractedAt !== null ? { at: e.retractedAt, reason: e.retractReason ?? '', by: names.get(e.retractedBy ?? 0) ?? '?' } : null,
    }));
}

/**
 * Events the user has not yet responded to: logged after their latest forecast, not
 * retracted, and not the subject of one of their updates. Empty when they have not forecast.
 */
export function pendingEventsFor(db: Queryable, userId: number, questionIds: readonly number[]): Map<number, { id: number; indicatorName: string; createdAt: number }[]> {
  const out = new Map<number, { id: number; indicatorName: string; createdAt: number }[]>();
  if (questionIds.length === 0) return out;
  const mine = db
    .select({ questionId: forecasts.questionId, createdAt: forecasts.createdAt, eventId: forecasts.eventId })
    .from(forecasts)
    .where(and(eq(forecasts.userId, userId), inArray(forecasts.questionId, [...questionIds])))
    .all();
  const latest = new Map<number, number>();
  const answered = new Set<number>();
  for (const f of mine) {
    latest.set(f.questionId, Math.max(latest.get(f.questionId) ?? 0, f.createdAt));
    if (f.eventId !== null) answered.add(f.eventId);
  }
  const events = db
    .select({ id: indicatorEvents.id, questionId: indicatorEvents.questionId, createdAt: indicatorEvents.createdAt, indicatorName: indicators.name })
    .from(indicatorEvents)
    .innerJoin(indicators, eq(indicators.id, indicatorEvents.indicatorId))
    .where(and(inArray(indicatorEvents.questionId, [...questionIds]), isNull(indicatorEvents.retractedAt)))
    .orderBy(asc(indicatorEvents.createdAt))
    .all();
  for (const e of events) {
    const last = latest.get(e.questionId);
    if (last === undefined || e.createdAt <= last || answered.has(e.id)) continue;
    const list = out.get(e.questionId) ?? [];
    list.push({ id: e.id, indicatorName: e.indicatorName, createdAt: e.createdAt });
    out.set(e.questionId, list);
  }
  return out;
}
