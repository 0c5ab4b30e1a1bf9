// Unsubscribe links: a token signed with AUTH_SECRET (HMAC-SHA256) naming the member and an
// expiry, so the link works signed out and cannot be forged or used after it expires.
import crypto from 'node:crypto';

export const UNSUBSCRIBE_TTL_MS = 60 * 86_400_000;

const mac = (secret: string, payload: string) => crypto.createHmac('sha256', secret).update(`signpost-unsubscribe:${payload}`).digest('base64url');

function secretOf(secret: string | undefined): string {
  if (!secret) throw new Error('AUTH_SECRET is not set: unsubscribe links cannot be signed.');
  return secret;
}

export function signUnsubscribe(userId: number, now: number, secret = process.env.AUTH_SECRET, ttlMs = UNSUBSCRIBE_TTL_MS): string {
  const payload = `${userId}.${now + ttlMs}`;
  return `${payload}.${mac(secretOf(secret), payload)}`;
}

export type UnsubscribeCheck = { ok: true; userId: number } | { ok: false; reason: 'malformed' | 'forged' | 'expired' };

export function verifyUnsubscribe(token: string | undefined | null, now: number, secret = process.env.AUTH_SECRET): UnsubscribeCheck {
  const m = typeof token === 'string' ? /^([1-9]\d{0,9})\.(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(token) : null;
  if (!m || !secret) return { ok: false, reason: 'malformed' };
  const expected = Buffer.from(mac(secret, `${m[1]}.${m[2]}`));
  const given = Buffer.from(m[3]!);
  if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given)) return { ok: false, reason: 'forged' };
  if (Number(m[2]) <= now) return { ok: false, reason: 'expired' };
  return { ok: true, userId: Number(m[1]) };
}
