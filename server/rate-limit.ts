// Failed sign-in limits, per email and per client address. On PostgreSQL the counts live in
// the database (rate-limiter-flexible's Drizzle store, table rate_limits), so every app
// instance sees the same counts; on SQLite, one process by design, they live in its memory.
import { RateLimiterDrizzle, RateLimiterMemory, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { getDb } from '@/db';
import { engineFromEnv } from '@/db/config';
import { rateLimits } from '@/db/schema';

export const SIGN_IN_WINDOW_SECONDS = 15 * 60;
export const SIGN_IN_FAILURES_PER_EMAIL = 10;
export const SIGN_IN_FAILURES_PER_ADDRESS = 30;

interface Limiters {
  email: RateLimiterAbstract;
  address: RateLimiterAbstract;
}
const g = globalThis as typeof globalThis & { __signpostSignInLimiters?: Promise<Limiters> };

async function makeLimiters(): Promise<Limiters> {
  const db = engineFromEnv() === 'postgres' ? await getDb() : null;
  const make = (keyPrefix: string, points: number) =>
    db
      ? new RateLimiterDrizzle({ storeClient: db, schema: rateLimits, keyPrefix, points, duration: SIGN_IN_WINDOW_SECONDS })
      : new RateLimiterMemory({ keyPrefix, points, duration: SIGN_IN_WINDOW_SECONDS });
  return { email: make('signin-email', SIGN_IN_FAILURES_PER_EMAIL), address: make('signin-addr', SIGN_IN_FAILURES_PER_ADDRESS) };
}

function limiters(): Promise<Limiters> {
  return (g.__signpostSignInLimiters ??= makeLimiters().catch((error: unknown) => {
    g.__signpostSignInLimiters = undefined;
    throw error;
  }));
}

/** Seconds until the caller may try again, or 0 when not limited. Does not count an attempt. */
export async function signInRetryAfter(email: string, address: string): Promise<number> {
  const { email: byEmail, address: byAddress } = await limiters();
  const [e, a] = await Promise.all([byEmail.get(email), byAddress.get(address)]);
  let wait = 0;
  if (e && e.consumedPoints >= SIGN_IN_FAILURES_PER_EMAIL) wait = Math.max(wait, e.msBeforeNext);
  if (a && a.consumedPoints >= SIGN_IN_FAILURES_PER_ADDRESS) wait = Math.max(wait, a.msBeforeNext);
  return Math.ceil(wait / 1000);
}

export async function recordSignInFailure(email: string, address: string): Promise<void> {
  const { email: byEmail, address: byAddress } = await limiters();
  // penalty() adds points without rejecting; signInRetryAfter decides.
  await Promise.all([byEmail.penalty(email, 1), byAddress.penalty(address, 1)]);
}

export async function recordSignInSuccess(email: string): Promise<void> {
  await (await limiters()).email.delete(email);
}

export function describeRetry(seconds: number): string {
  const minutes = Math.ceil(seconds / 60);
  return seconds < 90 ? `${seconds} seconds` : `${minutes} minutes`;
}

/**
 * The client address: the last X-Forwarded-For hop, which is the one the nearest proxy (or
 * Next itself, from the socket, when there is no proxy) wrote. Earlier hops come from the
 * client and could be forged to dodge the per-address limit.
 */
export function clientAddress(headers: Headers): string {
  const hops = (headers.get('x-forwarded-for') ?? '').split(',').map((h) => h.trim()).filter(Boolean);
  return hops.at(-1) || headers.get('x-real-ip') || 'unknown';
}
