// Which database this process uses, read from the environment once and checked, so a bad
// setting stops the start with one clear line instead of failing on the first request.
// DATABASE_URL=postgres://... selects PostgreSQL; otherwise SQLite at DATABASE_PATH.
import path from 'node:path';

export type Engine = 'sqlite' | 'postgres';

export interface SqliteConfig {
  engine: 'sqlite';
  /** Absolute path of the database file. */
  file: string;
}

export interface PostgresConfig {
  engine: 'postgres';
  url: string;
  /** host:port/database, for messages (never the password). */
  where: string;
  /** Most connections this instance opens. */
  poolMax: number;
  /** How long a request waits for a free connection before it gets a 503. */
  acquireTimeoutMs: number;
}

export type DbConfig = SqliteConfig | PostgresConfig;

/** A setting that makes the database unusable; the message says which and why. */
export class DbConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DbConfigError';
  }
}

function positiveInt(env: Record<string, string | undefined>, name: string, fallback: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > max) throw new DbConfigError(`${name} must be a whole number from 1 to ${max}, got "${raw}".`);
  return n;
}

/** The engine the environment asks for; throws DbConfigError with a clear message when it is malformed. */
export function readDbConfig(env: Record<string, string | undefined> = process.env): DbConfig {
  const url = env.DATABASE_URL?.trim();
  if (!url) {
    const file = path.resolve(/*turbopackIgnore: true*/ env.DATABASE_PATH || path.join('data', 'signpost.db'));
    return { engine: 'sqlite', file };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DbConfigError('DATABASE_URL is not a valid URL: expected postgres://user:password@host:5432/database.');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new DbConfigError(
      `DATABASE_URL must start with postgres:// or postgresql://, not ${parsed.protocol}//. Leave it unset to use SQLite at DATABASE_PATH.`,
    );
  }
  if (!parsed.hostname) throw new DbConfigError('DATABASE_URL names no host: expected postgres://user:password@host:5432/database.');
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!database) throw new DbConfigError('DATABASE_URL names no database: add it after the host, as in postgres://user@host:5432/signpost.');
  return {
    engine: 'postgres',
    url,
    where: `${parsed.hostname}:${parsed.port || '5432'}/${database}`,
    poolMax: positiveInt(env, 'DATABASE_POOL_MAX', 10, 1000),
    acquireTimeoutMs: positiveInt(env, 'DATABASE_POOL_TIMEOUT_MS', 5000, 600_000),
  };
}

/** The engine without opening anything (the schema module picks its tables by it). */
export function engineFromEnv(env: Record<string, string | undefined> = process.env): Engine {
  return env.DATABASE_URL?.trim() ? 'postgres' : 'sqlite';
}
