// What a database error means for the person who caused it. A lost or exhausted connection
// is "try again shortly" (503), never a 500 and never a half-written change.
import { AppError } from '@/lib/errors';

/** The error and every `cause` under it (drizzle wraps driver errors in its own). */
function* chain(error: unknown): Generator<Record<string, unknown>> {
  let e = error;
  for (let depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    yield e as Record<string, unknown>;
    e = (e as { cause?: unknown }).cause;
  }
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', 'EPIPE', 'EAI_AGAIN']);
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '53000']);
const UNAVAILABLE_MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error/i,
  /Cannot use a pool after calling end/i,
  /database is locked/i,
];

/** True when the database could not be reached or was too busy: the request may be retried. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (const e of chain(error)) {
    const code = typeof e.code === 'string' ? e.code : '';
    if (CONNECTION_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code) || code.startsWith('08')) return true;
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT') return true;
    const message = typeof e.message === 'string' ? e.message : '';
    if (UNAVAILABLE_MESSAGES.some((re) => re.test(message))) return true;
  }
  return false;
}

/** Seconds a client should wait before retrying after a 503. */
export const RETRY_AFTER_SECONDS = 5;

/** The AppError for a database that is unreachable or busy, or null for any other error. */
export function unavailableError(error: unknown): AppError | null {
  if (error instanceof AppError || !isDatabaseUnavailable(error)) return null;
  return new AppError('unavailable', 'The database is not reachable right now, so nothing was saved. Please try again in a few seconds.');
}

/** PostgreSQL asks for the transaction to be run again (serialisation failure or deadlock). */
export function isRetryableTransactionError(error: unknown): boolean {
  for (const e of chain(error)) if (e.code === '40001' || e.code === '40P01') return true;
  return false;
}

/** A short cause for "cannot connect" messages: the driver's code and text, no secrets. */
export function describeConnectError(error: unknown): string {
  for (const e of chain(error)) {
    const code = typeof e.code === 'string' ? e.code : '';
    const message = typeof e.message === 'string' ? e.message : '';
    if (code === 'ECONNREFUSED') return 'connection refused (is the server running and listening on that port?)';
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the host name does not resolve';
    if (code === '28P01' || code === '28000') return `authentication failed (${message})`;
    if (code === '3D000') return `the database does not exist (${message})`;
    if (message) return code ? `${message} (${code})` : message;
  }
  return String(error);
}
