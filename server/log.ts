// The server's log: one JSON object per line on standard output (pino), so a log collector
// can index it and an operator can find a user's report by its request id. Server-only.
//
// What it never holds: passwords, API tokens, session cookies, Authorization headers, invite
// tokens, or any query string (Auth.js passes codes and states in them). Request lines carry
// only the fields named in server/request-log.ts; whatever else is logged goes through the
// redaction below, which censors those keys wherever they sit up to three levels deep.
import pino from 'pino';
import { EdgeConfigError } from './env';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** LOG_LEVEL (default info), checked: a misspelt level stops the start with a clear line. */
export function logLevel(env: Record<string, string | undefined> = process.env): LogLevel {
  const raw = env.LOG_LEVEL?.trim().toLowerCase();
  if (!raw) return 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(raw)) {
    throw new EdgeConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}; got "${env.LOG_LEVEL}".`);
  }
  return raw as LogLevel;
}

/** Keys whose values never reach the log, at any of the first levels of a logged object. */
const SECRET_KEYS = ['password', 'newPassword', 'currentPassword', 'token', 'apiToken', 'secret', 'authorization', 'cookie', 'set-cookie', 'csrfToken'];
export const REDACTED_PATHS = SECRET_KEYS.flatMap((k) => {
  const key = /^[A-Za-z_$][\w$]*$/.test(k) ? k : `["${k}"]`;
  const dot = key.startsWith('[') ? '' : '.';
  return [key, `*${dot}${key}`, `*.*${dot}${key}`];
});
export const CENSOR = '[redacted]';

/** A logger writing to `destination` (standard output when omitted). */
export function createLogger(destination?: pino.DestinationStream, env: Record<string, string | undefined> = process.env): pino.Logger {
  return pino(
    {
      level: logLevel(env),
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      // "level":"info" rather than 30: readable without pino's own tools.
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED_PATHS, censor: CENSOR },
      serializers: { err: pino.stdSerializers.err },
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

let shared: pino.Logger | null = null;
/** The process's logger, made on first use. */
export function log(): pino.Logger {
  shared ??= createLogger();
  return shared;
}

/**
 * The path of a request as logged: never its query string, and path segments that are
 * secrets themselves (an invite link's token) replaced by a name.
 */
export function routeForLog(url: string | undefined): string {
  let path = (url ?? '/').split(/[?#]/, 1)[0] || '/';
  if (path.length > 512) path = `${path.slice(0, 512)}…`;
  return path.replace(/^\/invite\/[^/]+/, '/invite/[token]');
}
