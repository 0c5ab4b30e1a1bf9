import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Db, Queryable } from '@/db/types';
import { indicatorEvents, indicators } from '@/db/schema';
import { forUpdate } from '@/db/lock';
import { recordAudit } from '@/db/internal/audit';
import { bumpVersion } from '@/db/internal/snapshot';
import { notifyEventLogged } from '@/db/internal/notify';
import { questionParts } from '@/db/internal/question-parts';
import { pendingEventsFor, userNames, type PendingEvent } from '@/db/internal/rows';
import type { EventKind } from '@/lib/domain';
import { conflict, invalid, notFound } from '@/lib/errors';
import { effectiveStatus, formatUtc, whyClosedToInput } from '@/lib/question-status';
import type { EventInput } from '@/lib/validation/indicator';
import { assertRole, isGranted, loadEventFor, loadQuestionFor, visibleQuestionId, type Actor, type QuestionRef } from './access';
import { assertNotSettled } from './indicators';

export type { PendingEvent };

/**
 * Logs that an indicator was observed (any forecaster or lead), or that its deadline passed
 * without it (leads only). Refused on a question that takes no input, for a retired or foreign
 * indicator, for a time in the future or before the question opened.
 */
export async function logIndicatorEvent(db: Db, actor: Actor, questionId: number, input: EventInput, now = Date.now()): Promise<number> {
  assertRole(actor, input.kind === 'deadline_passed' ? ['lead'] : ['lead', 'forecaster'], input.kind === 'deadline_passed' ? 'record a passed deadline' : 'log indicator events');
  return db.write(async (tx) => {
    const q = await loadQuestionFor(tx, actor, questionId);
    const why = whyClosedToInput(effectiveStatus(q, now), q);
    if (why) throw conflict(why.replace('forecasts', 'events'));
    // Locked: two people logging on one indicator at once must not both pass the checks below.
    const [ind] = await forUpdate(tx.select().from(indicators).where(eq(indicators.id, input.indicatorId)));
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
    const open = await tx
      .select({ id: indicatorEvents.id, kind: indicatorEvents.kind })
      .from(indicatorEvents)
      .where(and(eq(indicatorEvents.indicatorId, ind.id), isNull(indicatorEvents.retractedAt)));
    if (input.kind === 'deadline_passed' && open.length) {
      throw conflict('This indicator already has an event on record: retract it first if it was logged in error.');
    }
    if (input.kind === 'observed' && open.some((e) => e.kind === 'deadline_passed')) {
      throw conflict('This indicator is on record as having passed its deadline unobserved: a lead must retract that first.');
    }
    await bumpVersion(tx, questionId);
    const [row] = await tx
      .insert(indicatorEvents)
      .values({ questionId, indicatorId: ind.id, kind: input.kind, occurredAt: input.occurredAt, sourceUrl: input.sourceUrl, note: input.note, loggedBy: actor.id, createdAt: now })
      .returning({ id: indicatorEvents.id });
    // Everyone who forecast the question is told, in this transaction (db/internal/notify.ts).
    await notifyEventLogged(tx, { questionId, eventId: row!.id, loggedBy: actor.id, now });
    return row!.id;
  });
}

/** A lead retracts an event logged in error: it stays on the record, marked retracted. */
export async function retractIndicatorEvent(db: Db, actor: Actor, eventId: number, reason: string, now = Date.now()): Promise<void> {
  assertRole(actor, ['lead'], 'retract indicator events');
  await db.write(async (tx) => {
    const { ev, q } = await loadEventFor(tx, actor, eventId, { lock: true });
    assertNotSettled(q);
    if (ev.retractedAt !== null) throw conflict('This event is already retracted.');
    await tx.update(indicatorEvents).set({ retractedAt: now, retractedBy: actor.id, retractReason: reason }).where(eq(indicatorEvents.id, eventId));
    await bumpVersion(tx, q.id);
    await recordAudit(tx, { actorId: actor.id, action: 'event.retract', entityType: 'indicator_event', entityId: eventId, detail: { reason }, at: now });
  });
}

export interface EventView {
  id: number;
  indicatorId: number;
  indicatorName: string;
  kind: EventKind;
  occurredAt: number;
  createdAt: number;
  sourceUrl: string | null;
  note: string;
  loggedBy: { id: number; name: string };
  illustrative: boolean;
  retracted: { at: number; reason: string; by: string } | null;
}

/** Every event on a question the actor may see, newest first (retracted ones included). */
export async function listIndicatorEvents(db: Queryable, actor: Actor, ref: QuestionRef): Promise<EventView[]> {
  const q = { id: await visibleQuestionId(db, actor, ref) };
  // A question loaded for this actor in this request carries its version: its kept parts hold the events.
  const version = typeof ref === 'object' && 'version' in ref && typeof ref.version === 'number' && isGranted(actor, ref) ? ref.version : null;
  const rows =
    version !== null
      ? (await questionParts(db, q.id, version)).events
      : await db
          .select({ e: indicatorEvents, indicatorName: indicators.name })
          .from(indicatorEvents)
          .innerJoin(indicators, eq(indicators.id, indicatorEvents.indicatorId))
          .where(eq(indicatorEvents.questionId, q.id))
          .orderBy(desc(indicatorEvents.occurredAt), desc(indicatorEvents.id));
  const names = await userNames(db, rows.flatMap(({ e }) => (e.retractedBy === null ? [e.loggedBy] : [e.loggedBy, e.retractedBy])));
  return rows.map(({ e, indicatorName }) => ({
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

/** Events on a question that the actor has not yet responded to (see pendingEventsFor). */
export async function listMyPendingEvents(db: Queryable, actor: Actor, ref: QuestionRef): Promise<PendingEvent[]> {
  const q = { id: await visibleQuestionId(db, actor, ref) };
  return (await pendingEventsFor(db, actor.id, [q.id])).get(q.id) ?? [];
}
