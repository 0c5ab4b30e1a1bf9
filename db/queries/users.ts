// Accounts and team membership: sign-in checks, the first account, roles and deactivation.
import { and, asc, count, eq } from 'drizzle-orm';
import { hash, verify } from '@node-rs/argon2';
import type { Db, Queryable } from '@/db/types';
import { users } from '@/db/schema';
import { forUpdate, serialize } from '@/db/lock';
import { recordAudit } from '@/db/internal/audit';
import { notifyRoleChanged } from '@/db/internal/notify';
import { endSessionsOf } from '@/db/internal/sessions';
import type { Role } from '@/lib/domain';
import { conflict, forbidden, notFound } from '@/lib/errors';
import { assertRole, type Actor } from './access';

// @node-rs/argon2 defaults to argon2id (RFC 9106's recommendation) with 19 MiB, 2 passes.
export const hashPassword = (password: string) => hash(password);

/**
 * The password hash of an account made through single sign-on: not an argon2 hash, so no
 * password matches it, and Settings can tell that the account has no password to change.
 */
export const NO_PASSWORD = '!single-sign-on';

// A fixed hash to verify against when the email is unknown (or has no password), so timing
// does not reveal accounts.
let dummyHash: Promise<string> | undefined;

/** Checks an email and password; returns the active user or null. */
export async function verifyCredentials(db: Queryable, email: string, password: string): Promise<Actor | null> {
  const [row] = await db
    .select({ id: users.id, name: users.name, email: users.email, role: users.role, active: users.active, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.email, email.toLowerCase()));
  if (!row || row.passwordHash === NO_PASSWORD) {
    dummyHash ??= hashPassword('not-a-real-password-0000');
    await verify(await dummyHash, password).catch(() => false);
    return null;
  }
  const ok = await verify(row.passwordHash, password).catch(() => false);
  if (!ok || !row.active) return null;
  return { id: row.id, name: row.name, email: row.email, role: row.role };
}

export async function countUsers(db: Queryable): Promise<number> {
  const [row] = await db.select({ n: count() }).from(users);
  return row?.n ?? 0;
}

/** The first account on an empty database becomes the team lead; afterwards, invites only. */
export async function createFirstUser(db: Db, input: { name: string; email: string; password: string }, now = Date.now()): Promise<Actor> {
  const passwordHash = await hashPassword(input.password);
  return db.write(async (tx) => {
    await serialize(tx, 'signpost:first-account');
    if ((await countUsers(tx)) > 0) throw conflict('This team already has members: ask a team lead for an invite link.');
    const [row] = await tx
      .insert(users)
      .values({ name: input.name, email: input.email, passwordHash, role: 'lead', createdAt: now })
      .returning({ id: users.id });
    return { id: row!.id, name: input.name, email: input.email, role: 'lead' as const };
  });
}

export interface TeamMember {
  id: number;
  name: string;
  email: string;
  role: Role;
  active: boolean;
  createdAt: number;
}

export async function listTeamMembers(db: Queryable, actor: Actor): Promise<TeamMember[]> {
  assertRole(actor, ['lead'], 'manage the team');
  return db
    .select({ id: users.id, name: users.name, email: users.email, role: users.role, active: users.active, createdAt: users.createdAt })
    .from(users)
    .orderBy(asc(users.name), asc(users.id));
}

/**
 * The active leads, locked: two leads demoting or deactivating each other at once are decided
 * one after the other, so the second sees the first's change and the team keeps a lead.
 */
async function lockActiveLeads(tx: Queryable, actor: Actor): Promise<number> {
  const leads = await forUpdate(tx.select({ id: users.id }).from(users).where(and(eq(users.role, 'lead'), eq(users.active, true))));
  // Checked again inside the transaction: a lead demoted a moment ago can no longer act as one.
  if (!leads.some((l) => l.id === actor.id)) throw forbidden('Only team leads can manage the team.');
  return leads.length;
}

export async function changeMemberRole(db: Db, actor: Actor, userId: number, role: Role, now = Date.now()): Promise<void> {
  assertRole(actor, ['lead'], 'change roles');
  await db.write(async (tx) => {
    const activeLeads = await lockActiveLeads(tx, actor);
    const [member] = await forUpdate(tx.select({ id: users.id, role: users.role, active: users.active }).from(users).where(eq(users.id, userId)));
    if (!member) throw notFound('That member does not exist.');
    if (member.role === role) return;
    if (member.role === 'lead' && member.active && activeLeads <= 1) {
      throw conflict('This is the last team lead: make someone else a lead first.');
    }
    await tx.update(users).set({ role }).where(eq(users.id, userId));
    await notifyRoleChanged(tx, { userId, role, key: `${userId}:${now}:${role}`, now });
    await recordAudit(tx, { actorId: actor.id, action: 'member.role', entityType: 'user', entityId: userId, detail: { from: member.role, to: role }, at: now });
  });
}

export async function setMemberActive(db: Db, actor: Actor, userId: number, active: boolean, now = Date.now()): Promise<void> {
  assertRole(actor, ['lead'], 'deactivate members');
  await db.write(async (tx) => {
    const activeLeads = await lockActiveLeads(tx, actor);
    const [member] = await forUpdate(tx.select({ id: users.id, role: users.role, active: users.active }).from(users).where(eq(users.id, userId)));
    if (!member) throw notFound('That member does not exist.');
    if (member.active === active) return;
    if (!active && member.role === 'lead' && activeLeads <= 1) {
      throw conflict('This is the last active team lead: make someone else a lead first.');
    }
    await tx.update(users).set({ active }).where(eq(users.id, userId));
    // A deactivated member's sessions end at once (their API tokens stop working too).
    if (!active) await endSessionsOf(tx, userId, now);
    await recordAudit(tx, { actorId: actor.id, action: 'member.active', entityType: 'user', entityId: userId, detail: { active }, at: now });
  });
}

/** Whether the actor's account has a password (an account made through single sign-on has none). */
export async function hasPassword(db: Queryable, actor: Actor): Promise<boolean> {
  const [row] = await db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, actor.id));
  return Boolean(row) && row!.hash !== NO_PASSWORD;
}
