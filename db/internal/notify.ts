// The notification writers. Each is called inside the transaction of its cause (an event
// logged, a resolution, a role change, an invite) or of the sender's periodic scan, so an item
// and its outbox rows are written with the cause or not at all. Recipients are decided here,
// once: active members who may see the question (drafts: leads only). The texts name the
// question and what happened, never a probability, an aggregate, or anyone's forecast or
// rationale, so an item reveals nothing its reader may not see (anti-herding included).
import { and, eq, inArray, lt, max, ne, sql } from 'drizzle-orm';
import type { Queryable } from '@/db/types';
import { deliveries, forecasts, indicatorEvents, indicators, invites, notifications, notificationSettings, questions, scenarios, teamWebhooks, users } from '@/db/schema';
import type { NotificationKind, Role } from '@/lib/domain';

export const CLOSING_SOON_MS = 3 * 86_400_000;

const quoted = (title: string) => `“${title}”`;

/** May a member with this role see a question in this stored status (the rule of access.ts). */
const maySeeStatus = (role: Role, status: string) => status !== 'draft' || role === 'lead';

interface Recipient {
  id: number;
  role: Role;
}

interface Item {
  kind: NotificationKind;
  key: string;
  questionId: number | null;
  eventId?: number | null;
  text: string;
  link: string;
}

/**
 * Adds an item to each recipient's bell and queues its email, once per recipient and key
 * (a key already there adds nothing). Returns how many items were added.
 */
export async function addItems(tx: Queryable, recipients: readonly Recipient[], item: Item, now: number): Promise<number> {
  if (recipients.length === 0) return 0;
  const added = await tx
    .insert(notifications)
    .values(recipients.map((r) => ({ userId: r.id, kind: item.kind, itemKey: item.key, questionId: item.questionId, eventId: item.eventId ?? null, text: item.text, link: item.link, createdAt: now })))
    .onConflictDoNothing()
    .returning({ id: notifications.id, userId: notifications.userId });
  if (added.length === 0) return 0;
  const off = new Set(
    (
      await tx
        .select({ userId: notificationSettings.userId })
        .from(notificationSettings)
        .where(and(inArray(notificationSettings.userId, added.map((a) => a.userId)), eq(notificationSettings.email, 'off')))
    ).map((r) => r.userId),
  );
  const mails = added.filter((a) => !off.has(a.userId));
  if (mails.length) {
    await tx
      .insert(deliveries)
      .values(
        mails.map((a) => ({
          channel: 'email' as const,
          idempotencyKey: `user:${a.userId}:${item.key}:email`,
          userId: a.userId,
          notificationId: a.id,
          questionId: item.questionId,
          subject: item.text,
          body: item.text,
          link: item.link,
          nextAttemptAt: now,
          createdAt: now,
        })),
      )
      .onConflictDoNothing();
  }
  return added.length;
}

/** Queues a post to the team webhook, if one is set. */
async function queueWebhook(tx: Queryable, key: string, questionId: number, text: string, link: string, now: number): Promise<void> {
  const [hook] = await tx.select({ id: teamWebhooks.id }).from(teamWebhooks).limit(1);
  if (!hook) return;
  await tx
    .insert(deliveries)
    .values({ channel: 'webhook', idempotencyKey: `team:${key}:webhook`, questionId, subject: text, body: text, link, nextAttemptAt: now, createdAt: now })
    .onConflictDoNothing();
}

/** Active members who have forecast a question and may see it, but `except`. */
async function forecastersOf(tx: Queryable, questionId: number, status: string, except: number | null): Promise<Recipient[]> {
  const rows = await tx
    .selectDistinct({ id: users.id, role: users.role })
    .from(forecasts)
    .innerJoin(users, eq(users.id, forecasts.userId))
    .where(and(eq(forecasts.questionId, questionId), eq(users.active, true), except === null ? undefined : ne(users.id, except)));
  return rows.filter((r) => maySeeStatus(r.role, status));
}

/** An indicator event was logged: everyone who forecast the question (but its logger) is told. */
export async function notifyEventLogged(tx: Queryable, input: { questionId: number; eventId: number; loggedBy: number; now: number }): Promise<void> {
  const [row] = await tx
    .select({ title: questions.title, status: questions.status, indicator: indicators.name, kind: indicatorEvents.kind })
    .from(indicatorEvents)
    .innerJoin(indicators, eq(indicators.id, indicatorEvents.indicatorId))
    .innerJoin(questions, eq(questions.id, indicatorEvents.questionId))
    .where(eq(indicatorEvents.id, input.eventId));
  if (!row) return;
  const what = row.kind === 'deadline_passed' ? `${quoted(row.indicator)} passed its deadline unobserved` : `${quoted(row.indicator)} was observed`;
  const text = `New evidence on ${quoted(row.title)}: ${what}.`;
  const link = `/questions/${input.questionId}/update/${input.eventId}`;
  await addItems(tx, await forecastersOf(tx, input.questionId, row.status, input.loggedBy), { kind: 'event', key: `event:${input.eventId}`, questionId: input.questionId, eventId: input.eventId, text, link }, input.now);
  if (row.status !== 'draft') await queueWebhook(tx, `event:${input.eventId}`, input.questionId, text, `/questions/${input.questionId}`, input.now);
}

/** A question was resolved, or its resolution corrected: everyone who forecast it is told. */
export async function notifyResolved(tx: Queryable, input: { questionId: number; correcting: boolean; version: number; now: number }): Promise<void> {
  const [row] = await tx
    .select({ title: questions.title, status: questions.status, scenario: scenarios.name })
    .from(questions)
    .innerJoin(scenarios, eq(scenarios.id, questions.resolvedScenarioId))
    .where(eq(questions.id, input.questionId));
  if (!row) return;
  const text = input.correcting
    ? `The resolution of ${quoted(row.title)} was corrected: it resolved as ${quoted(row.scenario)}.`
    : `${quoted(row.title)} resolved as ${quoted(row.scenario)}.`;
  const key = `${input.correcting ? 'corrected' : 'resolved'}:${input.questionId}:${input.version}`;
  const link = `/questions/${input.questionId}#scores-heading`;
  await addItems(tx, await forecastersOf(tx, input.questionId, row.status, null), { kind: input.correcting ? 'corrected' : 'resolved', key, questionId: input.questionId, text, link }, input.now);
  await queueWebhook(tx, key, input.questionId, text, `/questions/${input.questionId}`, input.now);
}

/** A member's role changed: they are told (if still active). */
export async function notifyRoleChanged(tx: Queryable, input: { userId: number; role: Role; key: string; now: number }): Promise<void> {
  const [member] = await tx.select({ id: users.id, role: users.role, active: users.active }).from(users).where(eq(users.id, input.userId));
  if (!member?.active) return;
  const text = `Your role in the team is now ${input.role}.`;
  await addItems(tx, [member], { kind: 'role', key: `role:${input.key}`, questionId: null, text, link: '/settings' }, input.now);
}

/** An invite for an email address: its link is mailed to that address (no account yet). */
export async function notifyInvited(tx: Queryable, input: { inviteId: number; email: string; token: string; role: Role; invitedBy: string; now: number }): Promise<void> {
  const text = `${input.invitedBy} invited you to join their Signpost team as a ${input.role}.`;
  await tx
    .insert(deliveries)
    .values({
      channel: 'email',
      idempotencyKey: `invite:${input.inviteId}:email`,
      address: input.email,
      subject: 'You are invited to a Signpost team',
      body: text,
      link: `/invite/${input.token}`,
      nextAttemptAt: input.now,
      createdAt: input.now,
    })
    .onConflictDoNothing();
}

/**
 * An invite was accepted (or revoked): the invitation, which could reach only the address
 * before, becomes an item in the new member's bell (accepted), and an invite email still
 * waiting in the outbox is not sent with a spent link (skipped, with why; its link, which
 * holds the token, is dropped). Called in the transaction that spends or revokes the invite.
 */
export async function settleInvite(tx: Queryable, input: { inviteId: number; joined: { userId: number; role: Role } | null; now: number }): Promise<void> {
  const why = input.joined ? 'The invite was accepted before its email was sent.' : 'The invite was revoked before its email was sent.';
  await tx
    .update(deliveries)
    .set({ status: 'skipped', lastError: why, link: null })
    .where(and(eq(deliveries.idempotencyKey, `invite:${input.inviteId}:email`), eq(deliveries.status, 'pending')));
  if (!input.joined) return;
  const [by] = await tx.select({ name: users.name }).from(invites).innerJoin(users, eq(users.id, invites.createdBy)).where(eq(invites.id, input.inviteId));
  const text = `Welcome: ${by?.name ?? 'a lead'} invited you to the team as a ${input.joined.role}. Choose how often Signpost emails you on Settings.`;
  // Bell only: the member has just joined, and has not yet chosen about email.
  await tx
    .insert(notifications)
    .values({ userId: input.joined.userId, kind: 'role', itemKey: `joined:${input.inviteId}`, questionId: null, eventId: null, text, link: '/settings', createdAt: input.now })
    .onConflictDoNothing();
}

/**
 * The periodic scan: a forecast older than its question's stale limit on an open question, and
 * an open question that closes within 3 days that a member who may forecast has not forecast.
 * Keys make a repeated scan add nothing (a stale item is keyed by the forecast that went stale).
 */
export async function scanReminders(tx: Queryable, now: number): Promise<number> {
  const open = await tx
    .select({ id: questions.id, title: questions.title, closesAt: questions.closesAt, opensAt: questions.opensAt, staleAfterDays: questions.staleAfterDays })
    .from(questions)
    .where(and(eq(questions.status, 'open'), lt(questions.opensAt, now), sql`${questions.closesAt} > ${now}`));
  if (open.length === 0) return 0;
  const members = await tx
    .select({ id: users.id, role: users.role })
    .from(users)
    .where(and(eq(users.active, true), inArray(users.role, ['lead', 'forecaster'])));
  const latest = await tx
    .select({ questionId: forecasts.questionId, userId: forecasts.userId, at: max(forecasts.createdAt), id: max(forecasts.id) })
    .from(forecasts)
    .where(inArray(forecasts.questionId, open.map((q) => q.id)))
    .groupBy(forecasts.questionId, forecasts.userId);
  const byKey = new Map(latest.map((l) => [`${l.questionId}:${l.userId}`, l]));
  // Items already there are skipped before any insert, so a scan of a large team writes only
  // what is new (the unique key would refuse a repeat anyway).
  const had = new Set(
    (
      await tx
        .select({ userId: notifications.userId, key: notifications.itemKey })
        .from(notifications)
        .where(and(inArray(notifications.questionId, open.map((q) => q.id)), inArray(notifications.kind, ['stale', 'closing'])))
    ).map((r) => `${r.userId}:${r.key}`),
  );
  let added = 0;
  for (const q of open) {
    const notYet: Recipient[] = [];
    for (const m of members) {
      const l = byKey.get(`${q.id}:${m.id}`);
      if (!l) {
        notYet.push(m);
      } else if (l.at !== null && l.id !== null && now - Number(l.at) > q.staleAfterDays * 86_400_000 && !had.has(`${m.id}:stale:${q.id}:${l.id}`)) {
        added += await addItems(
          tx,
          [m],
          { kind: 'stale', key: `stale:${q.id}:${l.id}`, questionId: q.id, text: `Your forecast on ${quoted(q.title)} is more than ${q.staleAfterDays} days old: is it still your view?`, link: `/questions/${q.id}` },
          now,
        );
      }
    }
    const toRemind = notYet.filter((m) => !had.has(`${m.id}:closing:${q.id}`));
    if (q.closesAt - now <= CLOSING_SOON_MS && toRemind.length) {
      added += await addItems(
        tx,
        toRemind,
        { kind: 'closing', key: `closing:${q.id}`, questionId: q.id, text: `${quoted(q.title)} closes on ${new Date(q.closesAt).toISOString().slice(0, 16).replace('T', ' ')} UTC and you have not forecast it yet.`, link: `/questions/${q.id}` },
        now,
      );
    }
  }
  return added;
}

