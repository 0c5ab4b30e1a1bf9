// The request edge's settings, read and checked in one place. Server-only.

/** The message shown when a production server starts without a secret; scripts use it too. */
export const MISSING_SECRET_MESSAGE =
  'AUTH_SECRET is not set. Signpost signs its session cookies with it and will not start without it ' +
  'in production. Generate one with `openssl rand -base64 32` and set AUTH_SECRET (see README.md).';

export class EdgeConfigError extends Error {}

/**
 * How many reverse proxies in front of the app append to X-Forwarded-For (TRUST_PROXY_HOPS,
 * default 0: none, the connection's own address is the client's).
 */
export function trustedProxyHops(env: Record<string, string | undefined> = process.env): number {
  const raw = env.TRUST_PROXY_HOPS?.trim();
  if (!raw) return 0;
  if (!/^\d{1,2}$/.test(raw) || Number(raw) > 10) throw new EdgeConfigError(`TRUST_PROXY_HOPS must be a whole number from 0 to 10 (the proxies in front of the app), got "${raw}".`);
  return Number(raw);
}

/** Checks every edge setting at start, so a bad one stops the server with a clear line. */
export function checkEdgeEnv(env: Record<string, string | undefined> = process.env): void {
  trustedProxyHops(env);
}
