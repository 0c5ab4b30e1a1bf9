// Personal API tokens. A token is shown once, when it is made; only its SHA-256 and a short
// display prefix are stored, so a copy of the database does not hand out working tokens.
import crypto from 'node:crypto';
import { and, count, desc, eq, isNull } from 'drizzle-orm';
import type { Db, Queryable } from '@/db/types';
import { apiTokens, users } from '@/db/schema';
import { forUpdate } from '@/db/lock';
import { conflict, invalid, notFound } from '@/lib/errors';
import { isId } from '@/lib/ids';
import { stripInvisible } from '@/lib/text';
import { LIMITS } from '@/lib/validation/common';
import { TEAM_ROLES, assertRole, type Actor } from './access';

export const TOKEN_PREFIX = 'sp_';
/** 32 random bytes in base64url: 43 characters after the prefix. */
const TOKEN_PATTERN = /^sp_[A-Za-z0-9_-]{43}$/;
/** How many characters of the secret part the list shows, after 'sp_'. */
const DISPLAY_CHARS = 4;
/** A user may hold this many unrevoked tokens; more is a sign of tokens nobody tracks. */
export const MAX_ACTIVE_TOKENS = 20;
/**
 * lastUsedAt is written at most once a minute per token: a write per request would put a
 * synchronous fsync on every API read.
 */
export const LAST_USED_GRANULARITY_MS = 60_000;

const hashToken = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

export interface CreatedApiToken {
  id: number;
  /** The full token: returned once, never stored. */
  token: string;
  prefix: string;
}

/** Makes a named token for the actor (any role: a viewer's token can only read). */
export async function createApiToken(db: Db, actor: Actor, name: string, now = Date.now()): Promise<CreatedApiToken> {
  assertRole(actor, TEAM_ROLES, 'create API tokens');
  const trimmed = stripInvisible(name).trim();
  if (!trimmed) throw invalid('Give the token a name, so you can tell it apart later.', { name: ['Required.'] });
  if (trimmed.length > LIMITS.tokenName) {
    throw invalid(`The token name is longer than ${LIMITS.tokenName} characters.`, { name: ['Too long.'] });
  }
  const token = TOKEN_PREFIX + crypto.randomBytes(32).toString('base64url');
  const prefix = token.slice(0, TOKEN_PREFIX.length + DISPLAY_CHARS);
  return db.write(async (tx) => {
    const [counted] = await tx.select({ n: count() }).from(apiTokens).where(and(eq(apiTokens.userId, actor.id), isNull(apiTokens.revokedAt)));
    const active = counted?.n ?? 0;
    if (active >= MAX_ACTIVE_TOKENS) {
      throw conflict(`You already have ${MAX_ACTIVE_TOKENS} active tokens: revoke one you no longer use first.`);
    }
    const [row] = await tx
      .insert(apiTokens)
      .values({ userId: actor.id, name: trimmed, tokenHash: hashToken(token), prefix, createdAt: now })
      .returning({ id: apiTokens.id });
    return { id: row!.id, token, prefix };
  });
}

export interface ApiTokenSummary {
  id: number;
  name: string;
  prefix: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

/** The actor's own tokens, newest first; never the hash. */
export async function listApiTokens(db: Queryable, actor: Actor): Promise<ApiTokenSummary[]> {
  assertRole(actor, TEAM_ROLES, 'list API tokens');
  return db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      prefix: apiTokens.prefix,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
      revokedAt: apiTokens.revokedAt,
    })
    .from(apiTokens)
    .where(eq(apiTokens.userId, actor.id))
    .orderBy(desc(apiTokens.createdAt), desc(apiTokens.id));
}

/** Revokes one of the actor's own tokens. Someone else's token is reported as not found. */
export async function revokeApiToken(db: Db, actor: Actor, tokenId: number, now = Date.now()): Promise<void> {
  assertRole(actor, TEAM_ROLES, 'revoke API tokens');
  await db.write(async (tx) => {
    const [row] = isId(tokenId)
      ? await forUpdate(tx.select({ userId: apiTokens.userId, revokedAt: apiTokens.revokedAt }).from(apiTokens).where(eq(apiTokens.id, tokenId)))
      : [];
    if (!row || row.userId !== actor.id) throw notFound('That token does not exist.');
    if (row.revokedAt !== null) throw conflict('That token is already revoked.');
    await tx.update(apiTokens).set({ revokedAt: now }).where(eq(apiTokens.id, tokenId));
  });
}

/**
 * The active user a bearer token belongs to, or null when the token is malformed, unknown,
 * revoked, or its owner is deactivated. Role comes from the users table on every call, so a
 * demotion applies to existing tokens at once.
 */
export async function actorFromApiToken(db: Db, token: string, now = Date.now()): Promise<Actor | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  const [row] = await db
    .select({
      tokenId: apiTokens.id,
      revokedAt: apiTokens.revokedAt,
      lastUsedAt: apiTokens.lastUsedAt,
      id: users.id,
      name: users.name,
      email: users.email,
      role: users.role,
      active: users.active,
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(eq(apiTokens.tokenHash, hashToken(token)));
  if (!row || row.revokedAt !== null || !row.active) return null;
  if (row.lastUsedAt === null || now - row.lastUsedAt >= LAST_USED_GRANULARITY_MS) {
    await db.write((tx) => tx.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.tokenId)));
  }
  return { id: row.id, name: row.name, email: row.email, role: row.role };
}
