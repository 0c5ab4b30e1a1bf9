import crypto from 'node:crypto';
import { and, asc, count, eq, isNull } from 'drizzle-orm';
import { hash, verify } from '@node-rs/argon2';
import type { Db, Queryable } from '@/db';
import { invites, users, type Role } from '@/db/schema';
import { AppError, conflict, invalid, notFound } from '@/lib/errors';
import { assertRole, type Actor } from './actor';
import { recordAudit } from './audit';

// @node-rs/argon2 defaults to argon2id (RFC 9106's recommendation) with 19 MiB, 2 passes.
export const hashPassword = (password: string) => hash(password);

// A fixed hash to verify against when the email is unknown, so timing does not reveal accounts.
let dummyHash: Promise<string> | undefined;

/** Checks an email and password; returns the active user or null. */
export async function verifyCredentials(db: Db, email: string, password: string): Promise<Actor | null> {
  const row = db
    .select({ id: users.id, name: users.name, email: users.email, role: users.role, active: users.active, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.email, email.toLowerCase()))
    .get();
  if (!row) {
    dummyHash ??= hashPassword('not-a-real-password-0000');
    await verify(await dummyHash, password).catch(() => false);
    return null;
  }
  const ok = await verify(row.passwordHash, password).catch(() => false);
  if (!ok || !row.active) return null;
  return { id: row.id, name: row.name, email: row.email, role: row.role };
}

export function getActiveUserById(db: Db, id: number): Actor | null {
  const row = db
    .select({ id: users.id, name: users.name, email: users.email, role: users.role, active: users.active })
    .from(users)
    .where(eq(users.id, id))
    .get();
  if (!row || !row.active) return null;
  return { id: row.id, name: row.name, email: row.email, role: row.role };
}

/** Every member's display name by id (deactivated members included, for history). */
export function userNames(db: Queryable): Map<number, string> {
  return new Map(db.select({ id: users.id, name: users.name }).from(users).all().map((u) => [u.id, u.name]));
}

export function countUsers(db: Db): number {
  return db.select({ n: count() }).from(users).get()?.n ?? 0;
}

/** The first account on an empty database becomes the team lead; afterwards, invites only. */
export async function createFirstUser(db: Db, input: { name: string; email: string; password: string }, now = Date.now()): Promise<Actor> {
  const passwordHash = await hashPassword(input.password);
  return db.transaction((tx) => {
    if ((tx.select({ n: count() }).from(users).get()?.n ?? 0) > 0) {
      throw conflict('This team already has members: ask a team lead for an invite link.');
    }
    const row = tx
      .insert(users)
      .values({ name: input.name, email: input.email, passwordHash, role: 'lead', createdAt: now })
      .returning({ id: users.id })
      .get();
    return { id: row.id, name: input.name, email: input.email, role: 'lead' as const };
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

export function listTeamMembers(db: Db, actor: Actor): TeamMember[] {
  assertRole(actor, ['lead'], 'manage the team');
  return db
    .select({ id: users.id, name: users.name, email: users.email, role: users.role, active: users.active, createdAt: users.createdAt })
    .from(users)
    .orderBy(asc(users.name))
    .all();
}

function countActiveLeads(db: Queryable): number {
  return db.select({ n: count() }).from(users).where(and(eq(users.role, 'lead'), eq(users.active, true))).get()?.n ?? 0;
}

export function changeMemberRole(db: Db, actor: Actor, userId: number, role: Role, now = Date.now()): void {
  assertRole(actor, ['lead'], 'change roles');
  db.transaction((tx) => {
    const member = tx.select({ id: users.id, role: users.role, active: users.active }).from(users).where(eq(users.id, userId)).get();
    if (!member) throw notFound('That member does not exist.');
    if (member.role === role) return;
    if (member.role === 'lead' && member.active && countActiveLeads(tx) <= 1) {
      throw conflict('This is the last team lead: make someone else a lead first.');
    }
    tx.update(users).set({ role }).where(eq(users.id, userId)).run();
    recordAudit(tx, { actorId: actor.id, action: 'member.role', entityType: 'user', entityId: userId, detail: { from: member.role, to: role }, at: now });
  });
}

export function setMemberActive(db: Db, actor: Actor, userId: number, active: boolean, now = Date.now()): void {
  assertRole(actor, ['lead'], 'deactivate members');
  db.transaction((tx) => {
    const member = tx.select({ id: users.id, role: users.role, active: users.active }).from(users).where(eq(users.id, userId)).get();
    if (!member) throw notFound('That member does not exist.');
    if (member.active === active) return;
    if (!active && member.role === 'lead' && countActiveLeads(tx) <= 1) {
      throw conflict('This is the last active team lead: make someone else a lead first.');
    }
    tx.update(users).set({ active }).where(eq(users.id, userId)).run();
    recordAudit(tx, { actorId: actor.id, action: 'member.active', entityType: 'user', entityId: userId, detail: { active }, at: now });
  });
}

// ---- invites ---------------------------------------------------------------------------

const hashToken = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

export interface CreatedInvite {
  id: number;
  token: string;
  expiresAt: number;
}

export function createInvite(
  db: Db,
  actor: Actor,
  input: { role: Role; email: string | null; expiresInDays: number },
  now = Date.now(),
): CreatedInvite {
  assertRole(actor, ['lead'], 'invite members');
  const token = crypto.randomBytes(24).toString('base64url');
  const expiresAt = now + input.expiresInDays * 86_400_000;
  return db.transaction((tx) => {
    if (input.email && tx.select({ id: users.id }).from(users).where(eq(users.email, input.email)).get()) {
      throw conflict(`${input.email} already has an account.`);
    }
    const row = tx
      .insert(invites)
      .values({ tokenHash: hashToken(token), email: input.email, role: input.role, createdBy: actor.id, createdAt: now, expiresAt })
      .returning({ id: invites.id })
      .get();
    recordAudit(tx, { actorId: actor.id, action: 'invite.create', entityType: 'invite', entityId: row.id, detail: { role: input.role, email: input.email }, at: now });
    return { id: row.id, token, expiresAt };
  });
}

export interface InviteSummary {
  id: number;
  email: string | null;
  role: Role;
  createdAt: number;
  expiresAt: number;
  state: 'open' | 'used' | 'expired' | 'revoked';
}

export function listInvites(db: Db, actor: Actor, now = Date.now()): InviteSummary[] {
  assertRole(actor, ['lead'], 'see invites');
  return db
    .select()
    .from(invites)
    .orderBy(asc(invites.createdAt))
    .all()
    .map((i) => ({
      id: i.id,
      email: i.email,
      role: i.role,
      createdAt: i.createdAt,
      expiresAt: i.expiresAt,
      state: i.usedAt ? 'used' : i.revokedAt ? 'revoked' : i.expiresAt <= now ? 'expired' : 'open',
    }));
}

export function revokeInvite(db: Db, actor: Actor, inviteId: number, now = Date.now()): void {
  assertRole(actor, ['lead'], 'revoke invites');
  db.transaction((tx) => {
    const row = tx.select().from(invites).where(eq(invites.id, inviteId)).get();
    if (!row) throw notFound('That invite does not exist.');
    if (row.usedAt) throw conflict('That invite has already been used.');
    tx.update(invites).set({ revokedAt: now }).where(eq(invites.id, inviteId)).run();
    recordAudit(tx, { actorId: actor.id, action: 'invite.revoke', entityType: 'invite', entityId: inviteId, at: now });
  });
}

/** What the invite page shows before sign-up; null when the link is unknown or spent. */
export function getOpenInvite(db: Db, token: string, now = Date.now()): { role: Role; email: string | null; expiresAt: number } | null {
  const row = db.select().from(invites).where(eq(invites.tokenHash, hashToken(token))).get();
  if (!row || row.usedAt || row.revokedAt || row.expiresAt <= now) return null;
  return { role: row.role, email: row.email, expiresAt: row.expiresAt };
}

/** Creates the invited account and spends the invite, in one transaction. */
export async function acceptInvite(
  db: Db,
  token: string,
  input: { name: string; email: string; password: string },
  now = Date.now(),
): Promise<Actor> {
  const passwordHash = await hashPassword(input.password);
  return db.transaction((tx) => {
    const row = tx
      .select()
      .from(invites)
      .where(and(eq(invites.tokenHash, hashToken(token)), isNull(invites.usedAt), isNull(invites.revokedAt)))
      .get();
    if (!row || row.expiresAt <= now) {
      throw new AppError('not_found', 'This invite link is not valid: it may have expired, been used or been revoked. Ask a team lead for a new one.');
    }
    if (row.email && row.email !== input.email) {
      throw invalid(`This invite is for ${row.email}.`, { email: [`This invite is for ${row.email}.`] });
    }
    if (tx.select({ id: users.id }).from(users).where(eq(users.email, input.email)).get()) {
      throw conflict(`${input.email} already has an account: sign in instead.`);
    }
    const user = tx
      .insert(users)
      .values({ name: input.name, email: input.email, passwordHash, role: row.role, createdAt: now })
      .returning({ id: users.id })
      .get();
    tx.update(invites).set({ usedAt: now, usedBy: user.id }).where(eq(invites.id, row.id)).run();
    return { id: user.id, name: input.name, email: input.email, role: row.role };
  });
}
