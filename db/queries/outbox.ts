// The sender's side of the outbox (server/notify/sender.ts). The sender acts for no user: it
// reads what is due and marks what it did. The rules are checked again here, at send time: a
// member deactivated since, or a question turned draft, gets nothing (skipped, with why).
import { and, eq, inArray, lte, or, sql } from 'drizzle-orm';
import type { Db, Queryable } from '@/db/types';
import { deliveries, indicatorEvents, notifications, notificationSettings, questions, senderLeases, teamWebhooks, users } from '@/db/schema';
import { scanReminders } from '@/db/internal/notify';
import type { DeliveryChannel, EmailChoice, Role } from '@/lib/domain';

/**
 * Takes or renews the named lease for `holder` until now + ttl; true when `holder` has it.
 * One conditional update decides, so of several instances at most one holds it at a time.
 */
export async function takeLease(db: Db, name: string, holder: string, now: number, ttlMs: number): Promise<boolean> {
  return db.write(async (tx) => {
    await tx.insert(senderLeases).values({ name, holder: '', expiresAt: 0 }).onConflictDoNothing();
    const got = await tx
      .update(senderLeases)
      .set({ holder, expiresAt: now + ttlMs })
      .where(and(eq(senderLeases.name, name), or(eq(senderLeases.holder, holder), lte(senderLeases.expiresAt, now))))
      .returning({ holder: senderLeases.holder });
    return got.length === 1;
  });
}

/**
 * Takes a turn at something done at most once per `intervalMs` across instances (the
 * reminder scan): true for the one caller whose turn it is.
 */
export async function takeTurn(db: Db, name: string, now: number, intervalMs: number): Promise<boolean> {
  return db.write(async (tx) => {
    await tx.insert(senderLeases).values({ name, holder: 'turn', expiresAt: 0 }).onConflictDoNothing();
    const got = await tx
      .update(senderLeases)
      .set({ expiresAt: now + intervalMs })
      .where(and(eq(senderLeases.name, name), lte(senderLeases.expiresAt, now)))
      .returning({ name: senderLeases.name });
    return got.length === 1;
  });
}

/** Gives the lease up (if `holder` still has it). */
export async function releaseLease(db: Db, name: string, holder: string): Promise<void> {
  await db.write((tx) => tx.update(senderLeases).set({ expiresAt: 0 }).where(and(eq(senderLeases.name, name), eq(senderLeases.holder, holder))));
}

/**
 * What a sender run would find, read without writing (the timer's check before it takes the
 * lease, so an idle instance writes nothing): when the reminder scan's turn comes next (null:
 * never taken), and per email choice the oldest pending delivery whose next try is due (an
 * invitee's email and a webhook post count as 'immediate'). Reads the (status, next try) index
 * and the settings of those rows only.
 */
export async function readSenderWork(db: Queryable, now: number, scanName: string): Promise<{ scanAt: number | null; due: { choice: EmailChoice | 'immediate'; oldest: number }[] }> {
  const choice = sql<string>`CASE WHEN ${deliveries.userId} IS NULL THEN 'immediate' ELSE COALESCE(${notificationSettings.email}, 'daily') END`;
  const due = await db
    .select({ choice, oldest: sql<number>`MIN(${deliveries.createdAt})` })
    .from(deliveries)
    .leftJoin(notificationSettings, eq(notificationSettings.userId, deliveries.userId))
    .where(and(eq(deliveries.status, 'pending'), lte(deliveries.nextAttemptAt, now)))
    .groupBy(choice);
  const [turn] = await db.select({ at: senderLeases.expiresAt }).from(senderLeases).where(eq(senderLeases.name, scanName));
  return { scanAt: turn ? Number(turn.at) : null, due: due.map((d) => ({ choice: d.choice as EmailChoice, oldest: Number(d.oldest) })) };
}

/** Adds the stale-forecast and closing-soon items that are due (a repeat adds nothing). */
export function scanDueReminders(db: Db, now: number): Promise<number> {
  return db.write((tx) => scanReminders(tx, now));
}

export interface DueDelivery {
  id: number;
  channel: DeliveryChannel;
  userId: number | null;
  /** The member's address, or the invitee's. */
  to: string | null;
  name: string | null;
  active: boolean;
  role: Role | null;
  choice: EmailChoice;
  questionStatus: string | null;
  /** The item's event was retracted since (logged in error): its email is not sent. */
  retracted: boolean;
  subject: string;
  body: string;
  link: string | null;
  attempts: number;
  nextAttemptAt: number;
  createdAt: number;
}

/** Pending deliveries whose next attempt is due, oldest first. */
export async function loadDueDeliveries(db: Queryable, now: number, limit = 1000): Promise<DueDelivery[]> {
  const rows = await db
    .select({
      d: deliveries,
      email: users.email,
      name: users.name,
      active: users.active,
      role: users.role,
      choice: notificationSettings.email,
      questionStatus: questions.status,
      retractedAt: indicatorEvents.retractedAt,
    })
    .from(deliveries)
    .leftJoin(users, eq(users.id, deliveries.userId))
    .leftJoin(notifications, eq(notifications.id, deliveries.notificationId))
    .leftJoin(indicatorEvents, eq(indicatorEvents.id, notifications.eventId))
    .leftJoin(notificationSettings, eq(notificationSettings.userId, deliveries.userId))
    .leftJoin(questions, eq(questions.id, deliveries.questionId))
    .where(and(eq(deliveries.status, 'pending'), lte(deliveries.nextAttemptAt, now)))
    .orderBy(deliveries.createdAt, deliveries.id)
    .limit(limit);
  return rows.map(({ d, email, name, active, role, choice, questionStatus, retractedAt }) => ({
    id: d.id,
    channel: d.channel,
    userId: d.userId,
    to: d.userId === null ? d.address : email,
    name,
    active: d.userId === null ? true : Boolean(active),
    role,
    choice: d.userId === null ? 'immediate' : (choice ?? 'daily'),
    questionStatus,
    retracted: retractedAt !== null && retractedAt !== undefined,
    subject: d.subject,
    body: d.body,
    link: d.link,
    attempts: d.attempts,
    nextAttemptAt: d.nextAttemptAt,
    createdAt: d.createdAt,
  }));
}

/** The team webhook's URL (the sender's read; leads see it masked). */
export async function readTeamWebhookUrl(db: Queryable): Promise<string | null> {
  const [row] = await db.select({ url: teamWebhooks.url }).from(teamWebhooks).limit(1);
  return row?.url ?? null;
}

/** Marks deliveries sent; an invite's link (it holds the token) is not kept once sent. */
export async function markSent(db: Db, ids: readonly number[], now: number, digest?: { userId: number; period: number }): Promise<void> {
  if (!ids.length) return;
  await db.write(async (tx) => {
    await tx
      .update(deliveries)
      .set({ status: 'sent', sentAt: now, lastError: null, link: sql`CASE WHEN ${deliveries.address} IS NULL THEN ${deliveries.link} ELSE NULL END` })
      .where(and(inArray(deliveries.id, [...ids]), eq(deliveries.status, 'pending')));
    if (digest) {
      await tx
        .insert(notificationSettings)
        .values({ userId: digest.userId, digestPeriod: digest.period, updatedAt: now })
        .onConflictDoUpdate({ target: notificationSettings.userId, set: { digestPeriod: digest.period } });
    }
  });
}

/** Marks deliveries that will not be sent, with why. */
export async function markSkipped(db: Db, ids: readonly number[], why: string): Promise<void> {
  if (!ids.length) return;
  await db.write((tx) =>
    tx
      .update(deliveries)
      .set({ status: 'skipped', lastError: why, link: sql`CASE WHEN ${deliveries.address} IS NULL THEN ${deliveries.link} ELSE NULL END` })
      .where(and(inArray(deliveries.id, [...ids]), eq(deliveries.status, 'pending'))),
  );
}

/**
 * Records a failed attempt: the next one after `retryInMs(attempts)`, or, after `maxAttempts`
 * tries, gives up (status failed), keeping the last error for the lead's Team page.
 */
export async function markFailed(db: Db, ids: readonly number[], error: string, now: number, maxAttempts: number, retryInMs: (attempts: number) => number): Promise<void> {
  if (!ids.length) return;
  await db.write(async (tx) => {
    const rows = await tx.select({ id: deliveries.id, attempts: deliveries.attempts }).from(deliveries).where(and(inArray(deliveries.id, [...ids]), eq(deliveries.status, 'pending')));
    for (const r of rows) {
      const attempts = r.attempts + 1;
      const giveUp = attempts >= maxAttempts;
      await tx
        .update(deliveries)
        .set({ attempts, lastError: error.slice(0, 500), status: giveUp ? 'failed' : 'pending', nextAttemptAt: giveUp ? now : now + retryInMs(attempts), link: giveUp ? sql`CASE WHEN ${deliveries.address} IS NULL THEN ${deliveries.link} ELSE NULL END` : deliveries.link })
        .where(eq(deliveries.id, r.id));
    }
  });
}
