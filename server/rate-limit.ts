// Failed sign-in limits. On PostgreSQL the counts live in the database (rate-limiter-flexible's
// Drizzle store, table rate_limits), so every app instance sees the same counts; on SQLite, one
// process by design, they live in its memory.
//
// Three limits, so that nobody can lock someone else out:
// - per email and address pair: 10 failures in 15 minutes refuse that pair;
// - per address: 30 failures in 15 minutes (across emails) refuse that address;
// - per email, from anywhere: past 10 failures in the window, each further failure makes the
//   next attempt wait longer (1 s, 2 s, 4 s, … up to 15 minutes), but only for addresses that
//   have already failed on that email. Someone with the right password, from an address that
//   has not failed on it, always gets to try.
// A successful sign-in clears the pair and the email's counts.
import { RateLimiterDrizzle, RateLimiterMemory, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { getDb } from '@/db';
import { engineFromEnv } from '@/db/config';
import { rateLimits } from '@/db/schema';
import { trustedProxyHops } from './env';
import { PEER_HEADER } from './peer';

export const SIGN_IN_WINDOW_SECONDS = 15 * 60;
export const SIGN_IN_FAILURES_PER_PAIR = 10;
export const SIGN_IN_FAILURES_PER_ADDRESS = 30;
/** Failures on one email, from anywhere, before further attempts on it slow down. */
export const SIGN_IN_EMAIL_SLOWDOWN_AFTER = 10;

/** The wait after the `failures`-th failure on one email: 0, then 1 s doubling to 15 minutes. */
export function emailCooldownSeconds(failures: number): number {
  if (failures < SIGN_IN_EMAIL_SLOWDOWN_AFTER) return 0;
  return Math.min(2 ** (failures - SIGN_IN_EMAIL_SLOWDOWN_AFTER), SIGN_IN_WINDOW_SECONDS);
}

interface Limiters {
  pair: RateLimiterAbstract;
  address: RateLimiterAbstract;
  email: RateLimiterAbstract;
  cooldown: RateLimiterAbstract;
}
const g = globalThis as typeof globalThis & { __signpostSignInLimiters?: Promise<Limiters> };

async function makeLimiters(): Promise<Limiters> {
  const db = engineFromEnv() === 'postgres' ? await getDb() : null;
  const make = (keyPrefix: string, points: number, duration = SIGN_IN_WINDOW_SECONDS) =>
    db
      ? new RateLimiterDrizzle({ storeClient: db, schema: rateLimits, keyPrefix, points, duration })
      : new RateLimiterMemory({ keyPrefix, points, duration });
  return {
    pair: make('signin-pair', SIGN_IN_FAILURES_PER_PAIR),
    address: make('signin-addr', SIGN_IN_FAILURES_PER_ADDRESS),
    email: make('signin-email', 1_000_000),
    cooldown: make('signin-cooldown', 1, 1),
  };
}

function limiters(): Promise<Limiters> {
  return (g.__signpostSignInLimiters ??= makeLimiters().catch((error: unknown) => {
    g.__signpostSignInLimiters = undefined;
    throw error;
  }));
}

const pairKey = (email: string, address: string) => `${email.toLowerCase()}|${address}`;

/** Seconds until this email and address may try again, or 0. Does not count an attempt. */
export async function signInRetryAfter(email: string, address: string): Promise<number> {
  const l = await limiters();
  const [pair, addr, cooldown] = await Promise.all([l.pair.get(pairKey(email, address)), l.address.get(address), l.cooldown.get(email.toLowerCase())]);
  let wait = 0;
  if (pair && pair.consumedPoints >= SIGN_IN_FAILURES_PER_PAIR) wait = Math.max(wait, pair.msBeforeNext);
  if (addr && addr.consumedPoints >= SIGN_IN_FAILURES_PER_ADDRESS) wait = Math.max(wait, addr.msBeforeNext);
  // The email's slow-down binds only addresses that have failed on it.
  const dirty = pair !== null && pair.consumedPoints > 0;
  if (dirty && cooldown && cooldown.consumedPoints > 1) wait = Math.max(wait, cooldown.msBeforeNext);
  return Math.ceil(wait / 1000);
}

export async function recordSignInFailure(email: string, address: string): Promise<void> {
  const l = await limiters();
  // penalty() adds points without refusing; signInRetryAfter decides.
  const [, , byEmail] = await Promise.all([l.pair.penalty(pairKey(email, address), 1), l.address.penalty(address, 1), l.email.penalty(email.toLowerCase(), 1)]);
  const wait = emailCooldownSeconds(byEmail.consumedPoints);
  if (wait > 0) await l.cooldown.block(email.toLowerCase(), wait);
}

export async function recordSignInSuccess(email: string, address: string): Promise<void> {
  const l = await limiters();
  await Promise.all([l.pair.delete(pairKey(email, address)), l.email.delete(email.toLowerCase()), l.cooldown.delete(email.toLowerCase())]);
}

export function describeRetry(seconds: number): string {
  const minutes = Math.ceil(seconds / 60);
  return seconds < 90 ? `${seconds} second${seconds === 1 ? '' : 's'}` : `${minutes} minutes`;
}

/**
 * The client's address. Without TRUST_PROXY_HOPS it is the connection's own peer address
 * (recorded by the server, server/peer.ts): X-Forwarded-For is ignored, since a client can
 * write it. With TRUST_PROXY_HOPS=n, n proxies in front of the app each append the address
 * they received from, so the client is the n-th entry from the end.
 */
export function clientAddress(headers: Headers, env: Record<string, string | undefined> = process.env): string {
  const peer = headers.get(PEER_HEADER) || 'unknown';
  const hops = trustedProxyHops(env);
  if (hops === 0) return peer;
  const forwarded = (headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  return forwarded.length >= hops ? forwarded[forwarded.length - hops]! : forwarded[0] ?? peer;
}
