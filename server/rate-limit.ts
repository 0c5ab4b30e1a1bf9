// Failed sign-in limits, per email and per client address. In-process memory: Signpost runs
// as one Node server on one SQLite file, so there is no second process to share counts with.
import { RateLimiterMemory } from 'rate-limiter-flexible';

export const SIGN_IN_WINDOW_SECONDS = 15 * 60;
export const SIGN_IN_FAILURES_PER_EMAIL = 10;
export const SIGN_IN_FAILURES_PER_ADDRESS = 30;

interface Limiters {
  email: RateLimiterMemory;
  address: RateLimiterMemory;
}
const g = globalThis as typeof globalThis & { __signpostSignInLimiters?: Limiters };

function limiters(): Limiters {
  return (g.__signpostSignInLimiters ??= {
    email: new RateLimiterMemory({ keyPrefix: 'signin-email', points: SIGN_IN_FAILURES_PER_EMAIL, duration: SIGN_IN_WINDOW_SECONDS }),
    address: new RateLimiterMemory({ keyPrefix: 'signin-addr', points: SIGN_IN_FAILURES_PER_ADDRESS, duration: SIGN_IN_WINDOW_SECONDS }),
  });
}

/** Seconds until the caller may try again, or 0 when not limited. Does not count an attempt. */
export async function signInRetryAfter(email: string, address: string): Promise<number> {
  const { email: byEmail, address: byAddress } = limiters();
  const [e, a] = await Promise.all([byEmail.get(email), byAddress.get(address)]);
  let wait = 0;
  if (e && e.consumedPoints >= SIGN_IN_FAILURES_PER_EMAIL) wait = Math.max(wait, e.msBeforeNext);
  if (a && a.consumedPoints >= SIGN_IN_FAILURES_PER_ADDRESS) wait = Math.max(wait, a.msBeforeNext);
  return Math.ceil(wait / 1000);
}

export async function recordSignInFailure(email: string, address: string): Promise<void> {
  const { email: byEmail, address: byAddress } = limiters();
  // penalty() adds points without rejecting; signInRetryAfter decides.
  await Promise.all([byEmail.penalty(email, 1), byAddress.penalty(address, 1)]);
}

export async function recordSignInSuccess(email: string): Promise<void> {
  await limiters().email.delete(email);
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
