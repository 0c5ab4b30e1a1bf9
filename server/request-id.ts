// Request ids: one per request, made by the server (server/request-log.ts), passed to the app
// in the X-Request-Id request header, returned in the X-Request-Id response header, written in
// the request's log line and shown on error pages and in JSON errors, so a report of a failure
// can be found in the log.
import crypto from 'node:crypto';

export const REQUEST_ID_HEADER = 'x-request-id';

/** What an id taken from a proxy must look like: short, and nothing a log line could misread. */
const WELL_FORMED = /^[A-Za-z0-9][A-Za-z0-9._:-]{7,99}$/;

export function isWellFormedRequestId(value: unknown): value is string {
  return typeof value === 'string' && WELL_FORMED.test(value);
}

export function newRequestId(): string {
  return crypto.randomUUID();
}

/**
 * The id of a request: the X-Request-Id a trusted proxy in front sent, when there is one
 * (TRUST_PROXY_HOPS > 0) and it is well formed; otherwise a new one. A client's own value is
 * never taken when no proxy is trusted: it could be chosen to collide with someone else's.
 */
export function requestIdFor(incoming: string | string[] | undefined, trustProxy: boolean): string {
  const value = Array.isArray(incoming) ? incoming[0] : incoming;
  return trustProxy && isWellFormedRequestId(value) ? value : newRequestId();
}
