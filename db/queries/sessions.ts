// Sign-in sessions: made at sign-in, checked on every request, ended by signing out, by "sign
// out everywhere", by a password change (every other session) and by deactivation.
import crypto from 'node:crypto';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { verify } from '@node-rs/argon2';
import type { Db, Queryable } from '@/db/types';
import { sessions, users } from '@/db/schema';
import { endSessionsOf } from '@/db/internal/sessions';
import { invalid } from '@/lib/errors';
import { TEAM_ROLES, assertRole, type Actor } from './access';
import { NO_PASSWORD, hashPassword } from './users';

/** last_seen_at is written at most this often per session: a write per request would cost an fsync. */
export const LAST_SEEN_GRANULARITY_MS = 5 * 60_000;

/** Starts a session for a user who has just proved who they are; returns its id. */
export async function startSession(db: Db, userId: number, userAgent: string, now = Date.now()): Promise<string> {
  const id = crypto.randomBytes(24).toString('base64url');
  await db.write((tx) => tx.insert(sessions).values({ id, userId, createdAt: now, lastSeenAt: now, userAgent: userAgent.slice(0, 200) }));
  return id;
}

/**
 * The active user behind a session, or null when the session is unknown, ended, belongs to
 * someone else, or its user was deactivated. One query per request.
 */
export async function actorFromSession(db: Db, userId: number, sessionId: string, now = Date.now()): Promise<Actor | null> {
  if (!sessionId) return null;
  const [row] = await db
    .select({ id: users.id, name: users.name, email: users.email, role: users.role, active: users.active, revokedAt: sessions.revokedAt, lastSeenAt: sessions.lastSeenAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId)));
  if (!row || row.revokedAt !== null || !row.active) return null;
  if (now - row.lastSeenAt >= LAST_SEEN_GRANULARITY_MS) {
    await db.write((tx) => tx.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, sessionId)));
  }
  return { id: row.id, name: row.name, email: row.email, role: row.role };
}

/** Ends one of the actor's own sessions (signing out). */
export async function endSession(db: Db, actor: Actor, sessionId: string, now = Date.now()): Promise<void> {
  await db.write((tx) =>
    tx
      .update(sessions)
      .set({ revokedAt: now })
      .where(and(eq(sessions.id, sessionId), eq(sessions.userId, actor.id), isNull(sessions.revokedAt))),
  );
}

/** "Sign out everywhere": ends every session of the actor, this one included. */
export async function endAllMySessions(db: Db, actor: Actor, now = Date.now()): Promise<void> {
  assertRole(actor, TEAM_ROLES, 'sign out');
  await db.write((tx) => endSessionsOf(tx, actor.id, now));
}

export interface SessionSummary {
  current: boolean;
  createdAt: number;
  lastSeenAt: number;
  userAgent: string;
}

/** The actor's sessions still open, newest first. */
export async function listMySessions(db: Queryable, actor: Actor, currentId: string | null): Promise<SessionSummary[]> {
  assertRole(actor, TEAM_ROLES, 'list sessions');
  const rows = await db
    .select({ id: sessions.id, createdAt: sessions.createdAt, lastSeenAt: sessions.lastSeenAt, userAgent: sessions.userAgent })
    .from(sessions)
    .where(and(eq(sessions.userId, actor.id), isNull(sessions.revokedAt)))
    .orderBy(desc(sessions.createdAt));
  return rows.map((r) => ({ current: r.id === currentId, createdAt: r.createdAt, lastSeenAt: r.lastSeenAt, userAgent: r.userAgent }));
}

/**
 * Changes the actor's password after checking the current one, and ends every other session
 * (a password change is what someone does when they fear their account is used elsewhere).
 */
export async function changePassword(
  db: Db,
  actor: Actor,
  input: { current: string; next: string },
  currentSessionId: string | null,
  now = Date.now(),
): Promise<void> {
  assertRole(actor, TEAM_ROLES, 'change their password');
  const [row] = await db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, actor.id));
  if (row?.hash === NO_PASSWORD) {
    throw invalid('This account signs in with single sign-on and has no password to change.', { current: ['This account has no password.'] });
  }
  const ok = row ? await verify(row.hash, input.current).catch(() => false) : false;
  if (!ok) throw invalid('The current password is not right.', { current: ['Not your current password.'] });
  if (input.current === input.next) throw invalid('The new password is the same as the current one.', { next: ['Choose a new password.'] });
  const hash = await hashPassword(input.next);
  await db.write(async (tx) => {
    await tx.update(users).set({ passwordHash: hash }).where(eq(users.id, actor.id));
    await endSessionsOf(tx, actor.id, now, currentSessionId ?? undefined);
  });
}
