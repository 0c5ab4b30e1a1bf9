// Invite links: made by a lead, shown once, stored hashed, single use, expiring, revocable.
import crypto from 'node:crypto';
import { and, asc, desc, eq, gt, isNull } from 'drizzle-orm';
import type { Db, Queryable } from '@/db/types';
import { invites, users } from '@/db/schema';
import { forUpdate, serialize } from '@/db/lock';
import { recordAudit } from '@/db/internal/audit';
import { notifyInvited, settleInvite } from '@/db/internal/notify';
import type { Role } from '@/lib/domain';
import { AppError, conflict, invalid, notFound } from '@/lib/errors';
import { assertRole, type Actor } from './access';
import { hashPassword, NO_PASSWORD } from './users';

const hashToken = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

export interface CreatedInvite {
  id: number;
  token: string;
  expiresAt: number;
}

export async function createInvite(
  db: Db,
  actor: Actor,
  input: { role: Role; email: string | null; expiresInDays: number },
  now = Date.now(),
): Promise<CreatedInvite> {
  assertRole(actor, ['lead'], 'invite members');
  const token = crypto.randomBytes(24).toString('base64url');
  const expiresAt = now + input.expiresInDays * 86_400_000;
  return db.write(async (tx) => {
    if (input.email && (await tx.select({ id: users.id }).from(users).where(eq(users.email, input.email))).length) {
      throw conflict(`${input.email} already has an account.`);
    }
    const [row] = await tx
      .insert(invites)
      .values({ tokenHash: hashToken(token), email: input.email, role: input.role, createdBy: actor.id, createdAt: now, expiresAt })
      .returning({ id: invites.id });
    // The link is mailed to the invitee, from the outbox (db/internal/notify.ts).
    if (input.email) await notifyInvited(tx, { inviteId: row!.id, email: input.email, token, role: input.role, invitedBy: actor.name, now });
    await recordAudit(tx, { actorId: actor.id, action: 'invite.create', entityType: 'invite', entityId: row!.id, detail: { role: input.role, email: input.email }, at: now });
    return { id: row!.id, token, expiresAt };
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

export async function listInvites(db: Queryable, actor: Actor, now = Date.now()): Promise<InviteSummary[]> {
  assertRole(actor, ['lead'], 'see invites');
  const rows = await db.select().from(invites).orderBy(asc(invites.createdAt), asc(invites.id));
  return rows.map((i) => ({
    id: i.id,
    email: i.email,
    role: i.role,
    createdAt: i.createdAt,
    expiresAt: i.expiresAt,
    state: i.usedAt ? 'used' : i.revokedAt ? 'revoked' : i.expiresAt <= now ? 'expired' : 'open',
  }));
}

export async function revokeInvite(db: Db, actor: Actor, inviteId: number, now = Date.now()): Promise<void> {
  assertRole(actor, ['lead'], 'revoke invites');
  await db.write(async (tx) => {
    const [row] = await forUpdate(tx.select().from(invites).where(eq(invites.id, inviteId)));
    if (!row) throw notFound('That invite does not exist.');
    if (row.usedAt) throw conflict('That invite has already been used.');
    await tx.update(invites).set({ revokedAt: now }).where(eq(invites.id, inviteId));
    await settleInvite(tx, { inviteId, joined: null, now });
    await recordAudit(tx, { actorId: actor.id, action: 'invite.revoke', entityType: 'invite', entityId: inviteId, at: now });
  });
}

/** What the invite page shows before sign-up; null when the link is unknown or spent. */
export async function getOpenInvite(db: Queryable, token: string, now = Date.now()): Promise<{ role: Role; email: string | null; expiresAt: number } | null> {
  const [row] = await db.select().from(invites).where(eq(invites.tokenHash, hashToken(token)));
  if (!row || row.usedAt || row.revokedAt || row.expiresAt <= now) return null;
  return { role: row.role, email: row.email, expiresAt: row.expiresAt };
}

/**
 * Creates the invited account and spends the invite, in one transaction. The invite row is
 * locked, so two people using one link at the same moment: one joins, the other is told the
 * link is spent.
 */
export async function acceptInvite(db: Db, token: string, input: { name: string; email: string; password: string }, now = Date.now()): Promise<Actor> {
  const passwordHash = await hashPassword(input.password);
  return db.write(async (tx) => {
    const [row] = await forUpdate(
      tx.select().from(invites).where(and(eq(invites.tokenHash, hashToken(token)), isNull(invites.usedAt), isNull(invites.revokedAt))),
    );
    if (!row || row.expiresAt <= now) {
      throw new AppError('not_found', 'This invite link is not valid: it may have expired, been used or been revoked. Ask a team lead for a new one.');
    }
    if (row.email && row.email !== input.email) {
      throw invalid(`This invite is for ${row.email}.`, { email: [`This invite is for ${row.email}.`] });
    }
    if ((await tx.select({ id: users.id }).from(users).where(eq(users.email, input.email))).length) {
      throw conflict(`${input.email} already has an account: sign in instead.`);
    }
    const [user] = await tx
      .insert(users)
      .values({ name: input.name, email: input.email, passwordHash, role: row.role, createdAt: now })
      .returning({ id: users.id });
    await tx.update(invites).set({ usedAt: now, usedBy: user!.id }).where(eq(invites.id, row.id));
    await settleInvite(tx, { inviteId: row.id, joined: { userId: user!.id, role: row.role }, now });
    return { id: user!.id, name: input.name, email: input.email, role: row.role };
  });
}

/**
 * Single sign-on for an email with no account yet: the newest open invite for exactly that
 * email is spent and the account made with the invite's role, in one transaction, as
 * acceptInvite does. Returns null when there is no such invite: nobody joins uninvited. An
 * account made here has no password (NO_PASSWORD, which no password matches), so only
 * the identity provider signs it in. Two sign-ins of one person at once are decided one after
 * the other: the second finds the account the first made, and signs in to it.
 */
export async function joinWithVerifiedEmail(db: Db, identity: { email: string; name: string }, now = Date.now()): Promise<{ user: Actor; joined: boolean; active: boolean } | null> {
  const email = identity.email.toLowerCase();
  const passwordHash = NO_PASSWORD;
  return db.write(async (tx) => {
    await serialize(tx, `signpost:join:${email}`);
    const open = await forUpdate(
      tx
        .select()
        .from(invites)
        .where(and(eq(invites.email, email), isNull(invites.usedAt), isNull(invites.revokedAt), gt(invites.expiresAt, now)))
        .orderBy(desc(invites.createdAt), desc(invites.id)),
    );
    const [existing] = await tx.select({ id: users.id, name: users.name, email: users.email, role: users.role, active: users.active }).from(users).where(eq(users.email, email));
    if (existing) {
      return { user: { id: existing.id, name: existing.name, email: existing.email, role: existing.role }, joined: false, active: existing.active };
    }
    const invite = open[0];
    if (!invite) return null;
    const [user] = await tx
      .insert(users)
      .values({ name: identity.name, email, passwordHash, role: invite.role, createdAt: now })
      .returning({ id: users.id });
    await tx.update(invites).set({ usedAt: now, usedBy: user!.id }).where(eq(invites.id, invite.id));
    await settleInvite(tx, { inviteId: invite.id, joined: { userId: user!.id, role: invite.role }, now });
    await recordAudit(tx, { actorId: user!.id, action: 'invite.redeem_sso', entityType: 'invite', entityId: invite.id, detail: { role: invite.role, email }, at: now });
    return { user: { id: user!.id, name: identity.name, email, role: invite.role }, joined: true, active: true };
  });
}
