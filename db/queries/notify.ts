// A member's notifications (the bell), their email choice, the team webhook and the outbox's
// problems as the lead sees them. Items are written by their causes (db/internal/notify.ts);
// the sender reads the outbox through db/queries/outbox.ts.
import { and, count, desc, eq, inArray, isNotNull, isNull, ne, or } from 'drizzle-orm';
import type { Db, Queryable } from '@/db/types';
import { deliveries, notifications, notificationSettings, questions, teamWebhooks, users } from '@/db/schema';
import { recordAudit } from '@/db/internal/audit';
import type { DeliveryChannel, DeliveryStatus, EmailChoice, NotificationKind } from '@/lib/domain';
import { notFound } from '@/lib/errors';
import { assertRole, isLead, TEAM_ROLES, type Actor } from './access';

export interface NotificationView {
  id: number;
  kind: NotificationKind;
  text: string;
  link: string;
  createdAt: number;
  read: boolean;
}

/** Items on drafts are for leads only (a member demoted since keeps none of them). */
const visibleTo = (actor: Actor) => (isLead(actor) ? undefined : or(isNull(notifications.questionId), isNull(questions.status), ne(questions.status, 'draft')));

/** The actor's notifications, newest first. */
export async function listMyNotifications(db: Queryable, actor: Actor, limit = 100): Promise<NotificationView[]> {
  assertRole(actor, TEAM_ROLES, 'read notifications');
  const rows = await db
    .select({ id: notifications.id, kind: notifications.kind, text: notifications.text, link: notifications.link, createdAt: notifications.createdAt, readAt: notifications.readAt })
    .from(notifications)
    .leftJoin(questions, eq(questions.id, notifications.questionId))
    .where(and(eq(notifications.userId, actor.id), visibleTo(actor)))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(limit);
  return rows.map(({ readAt, ...r }) => ({ ...r, read: readAt !== null }));
}

/** How many of the actor's notifications are unread (the bell's count). */
export async function countMyUnread(db: Queryable, actor: Actor): Promise<number> {
  assertRole(actor, TEAM_ROLES, 'read notifications');
  const [row] = await db
    .select({ n: count() })
    .from(notifications)
    .leftJoin(questions, eq(questions.id, notifications.questionId))
    .where(and(eq(notifications.userId, actor.id), isNull(notifications.readAt), visibleTo(actor)));
  return Number(row?.n ?? 0);
}

/** Marks one of the actor's own notifications read; anyone else's is "does not exist". */
export async function markNotificationRead(db: Db, actor: Actor, id: number, now = Date.now()): Promise<void> {
  assertRole(actor, TEAM_ROLES, 'read notifications');
  await db.write(async (tx) => {
    const [row] = await tx.select({ id: notifications.id, readAt: notifications.readAt }).from(notifications).where(and(eq(notifications.id, id), eq(notifications.userId, actor.id)));
    if (!row) throw notFound('That notification does not exist.');
    if (row.readAt === null) await tx.update(notifications).set({ readAt: now }).where(eq(notifications.id, id));
  });
}

/** Marks every notification of the actor read; returns how many were unread. */
export async function markAllNotificationsRead(db: Db, actor: Actor, now = Date.now()): Promise<number> {
  assertRole(actor, TEAM_ROLES, 'read notifications');
  return db.write(async (tx) => {
    const rows = await tx
      .update(notifications)
      .set({ readAt: now })
      .where(and(eq(notifications.userId, actor.id), isNull(notifications.readAt)))
      .returning({ id: notifications.id });
    return rows.length;
  });
}

/** The actor's email choice (no row: the daily digest). */
export async function getMyEmailChoice(db: Queryable, actor: Actor): Promise<EmailChoice> {
  assertRole(actor, TEAM_ROLES, 'read settings');
  const [row] = await db.select({ email: notificationSettings.email }).from(notificationSettings).where(eq(notificationSettings.userId, actor.id));
  return row?.email ?? 'daily';
}

async function setChoice(tx: Queryable, userId: number, choice: EmailChoice, now: number): Promise<void> {
  await tx
    .insert(notificationSettings)
    .values({ userId, email: choice, updatedAt: now })
    .onConflictDoUpdate({ target: notificationSettings.userId, set: { email: choice, updatedAt: now } });
  // "Off" stops what is already queued too.
  if (choice === 'off') {
    await tx
      .update(deliveries)
      .set({ status: 'skipped', lastError: 'Email turned off by the recipient.' })
      .where(and(eq(deliveries.userId, userId), eq(deliveries.channel, 'email'), eq(deliveries.status, 'pending')));
  }
}

/** The actor chooses how they get email: at once, a daily or weekly digest, or none. */
export async function setMyEmailChoice(db: Db, actor: Actor, choice: EmailChoice, now = Date.now()): Promise<void> {
  assertRole(actor, TEAM_ROLES, 'change settings');
  await db.write((tx) => setChoice(tx, actor.id, choice, now));
}

/**
 * Turns email off for the member an unsubscribe link was signed for (the caller has checked
 * the signature: server/notify/token.ts). Works signed out. Returns false when the account
 * does not exist.
 */
export async function unsubscribeMember(db: Db, userId: number, now = Date.now()): Promise<boolean> {
  return db.write(async (tx) => {
    const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.id, userId));
    if (!user) return false;
    await setChoice(tx, userId, 'off', now);
    return true;
  });
}

/**
 * Whom a (verified) unsubscribe token names, for the page that asks before unsubscribing: the
 * token is the authority, so this shows only that member's own name, address and choice.
 */
export async function readUnsubscribeTarget(db: Queryable, userId: number): Promise<{ name: string; email: string; choice: EmailChoice } | null> {
  const [row] = await db
    .select({ name: users.name, email: users.email, choice: notificationSettings.email })
    .from(users)
    .leftJoin(notificationSettings, eq(notificationSettings.userId, users.id))
    .where(eq(users.id, userId));
  return row ? { name: row.name, email: row.email, choice: row.choice ?? 'daily' } : null;
}

/** The team webhook as the lead sees it: never the whole URL. */
export interface WebhookView {
  masked: string;
  setAt: number;
  setBy: string;
}

/** https://hooks.example.com/services/T0/B0/XYZ -> https://hooks.example.com/…/…XYZ (last 4). */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    const tail = (u.pathname + u.search).slice(-4);
    return `${u.protocol}//${u.host}/…${tail.length ? `…${tail}` : ''}`;
  } catch {
    return '…';
  }
}

export async function getTeamWebhook(db: Queryable, actor: Actor): Promise<WebhookView | null> {
  assertRole(actor, ['lead'], 'manage the team webhook');
  const [row] = await db.select({ url: teamWebhooks.url, setAt: teamWebhooks.setAt, setBy: users.name }).from(teamWebhooks).innerJoin(users, eq(users.id, teamWebhooks.setBy)).limit(1);
  return row ? { masked: maskUrl(row.url), setAt: row.setAt, setBy: row.setBy } : null;
}

/** A lead sets the team webhook (the caller has checked the URL: server/notify/webhook-url.ts). */
export async function setTeamWebhook(db: Db, actor: Actor, url: string, now = Date.now()): Promise<void> {
  assertRole(actor, ['lead'], 'manage the team webhook');
  await db.write(async (tx) => {
    await tx.insert(teamWebhooks).values({ id: 1, url, setBy: actor.id, setAt: now }).onConflictDoUpdate({ target: teamWebhooks.id, set: { url, setBy: actor.id, setAt: now } });
    await recordAudit(tx, { actorId: actor.id, action: 'team.webhook', entityType: 'team', entityId: null, detail: { set: maskUrl(url) }, at: now });
  });
}

/** A lead removes the team webhook; posts still queued are dropped. */
export async function clearTeamWebhook(db: Db, actor: Actor, now = Date.now()): Promise<void> {
  assertRole(actor, ['lead'], 'manage the team webhook');
  await db.write(async (tx) => {
    await tx.delete(teamWebhooks);
    await tx
      .update(deliveries)
      .set({ status: 'skipped', lastError: 'The team webhook was removed.' })
      .where(and(eq(deliveries.channel, 'webhook'), eq(deliveries.status, 'pending')));
    await recordAudit(tx, { actorId: actor.id, action: 'team.webhook', entityType: 'team', entityId: null, detail: { cleared: true }, at: now });
  });
}

export interface DeliveryProblem {
  id: number;
  channel: DeliveryChannel;
  recipient: string;
  subject: string;
  status: DeliveryStatus;
  attempts: number;
  lastError: string;
  nextAttemptAt: number;
}

/** Deliveries that failed at least once (given up, or waiting to retry), newest first: for leads. */
export async function listDeliveryProblems(db: Queryable, actor: Actor, limit = 20): Promise<DeliveryProblem[]> {
  assertRole(actor, ['lead'], 'see delivery errors');
  const rows = await db
    .select({
      id: deliveries.id,
      channel: deliveries.channel,
      name: users.name,
      address: deliveries.address,
      subject: deliveries.subject,
      status: deliveries.status,
      attempts: deliveries.attempts,
      lastError: deliveries.lastError,
      nextAttemptAt: deliveries.nextAttemptAt,
    })
    .from(deliveries)
    .leftJoin(users, eq(users.id, deliveries.userId))
    .where(and(isNotNull(deliveries.lastError), inArray(deliveries.status, ['pending', 'failed'])))
    .orderBy(desc(deliveries.id))
    .limit(limit);
  return rows.map((r) => ({
    id: r.id,
    channel: r.channel,
    recipient: r.channel === 'webhook' ? 'team webhook' : (r.name ?? r.address ?? '?'),
    subject: r.subject,
    status: r.status,
    attempts: r.attempts,
    lastError: r.lastError ?? '',
    nextAttemptAt: r.nextAttemptAt,
  }));
}
