// PostgreSQL through node-postgres, for several app instances on one database.
// - Write transactions run at READ COMMITTED; the queries that guard an invariant (an invite
//   redeemed once, the last lead kept, a question resolved once) lock the rows they decide on
//   (db/lock.ts), and a deadlock or serialisation failure is retried a few times.
// - Read transactions are REPEATABLE READ, READ ONLY: one snapshot.
// - Writes marked `grouped` (forecasts) that arrive together are committed in one transaction,
//   each in a savepoint: a failing one is rolled back alone, a deadlock or serialisation failure
//   sends it to the next group, and each caller is answered once the commit holding its write
//   is done. Every forecast bumps its question's version, so forecasts on one question queue on
//   that row's lock; grouped, they share one lock hold and one WAL flush.
// - Migrations run under an advisory lock, so instances starting together migrate once.
// - A request waits at most acquireTimeoutMs for a free connection, then gets a 503; a lost
//   connection is a 503 too, and the pool opens new connections when the server is back.
// See docs/architecture.md, "The data layer".
import path from 'node:path';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import type { PostgresConfig } from './config';
import type { PgTransactionConfig } from 'drizzle-orm/pg-core';
import { describeConnectError, isDatabaseUnavailable, isRetryableTransactionError } from './errors';
import type { Db, OpenDatabase, WriteOptions } from './types';

export const PG_MIGRATIONS = path.join(/*turbopackIgnore: true*/ process.cwd(), 'db', 'migrations', 'pg');
/** pg_advisory_lock key for migrations ("signpost" in ASCII, truncated to fit a bigint). */
const MIGRATION_LOCK_KEY = '7526736430506897268';
const TRANSACTION_ATTEMPTS = 5;
/** Most grouped writes committed together; more wait for the next group. */
const MAX_GROUP = 64;

interface Job {
  fn: (tx: Db) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  attempts: number;
}

function inTransaction(tx: object, key: string, writing: boolean): Db {
  const handle = tx as Db;
  return Object.assign(handle, {
    engine: 'postgres' as const,
    key,
    inTransaction: true,
    writing,
    write: <T>(fn: (t: Db) => Promise<T>) => fn(handle),
    read: <T>(fn: (t: Db) => Promise<T>) => fn(handle),
  });
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Opens a pool and applies pending migrations. Throws an Error whose message names the host
 * and the cause when the server cannot be reached.
 */
export async function openPostgres(config: PostgresConfig): Promise<OpenDatabase & { pool: pg.Pool }> {
  const pool = new pg.Pool({
    connectionString: config.url,
    max: config.poolMax,
    connectionTimeoutMillis: config.acquireTimeoutMs,
    idleTimeoutMillis: 30_000,
    application_name: 'signpost',
  });
  // An idle connection that the server drops emits 'error' on the pool; without a listener
  // that would end the process. The next query simply gets a new connection.
  pool.on('error', (error) => console.error(`[signpost] PostgreSQL connection lost (${config.where}): ${error.message}`));
  // A connection checked out but between queries (inside a transaction) reports a server
  // shutdown as an 'error' event too; its pending or next query fails on its own, so the
  // event itself only needs a listener (unheard, it would end the process).
  pool.on('connect', (client) => client.on('error', () => {}));

  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    await pool.end().catch(() => {});
    throw new Error(`Cannot connect to PostgreSQL at ${config.where}: ${describeConnectError(error)}`);
  }
  const base = drizzle(pool);
  try {
    // On one connection: it holds the advisory lock while it migrates (a pool of one has no other).
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await migrate(drizzle(client), { migrationsFolder: PG_MIGRATIONS });
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    client.release();
  }

  /**
   * One transaction on a connection checked out here, not by drizzle: drizzle's pool
   * transaction sends BEGIN before its try/finally, so a BEGIN that fails (the server just went
   * away) never gives its connection back, and each such failure would shrink the pool for
   * good. Here the connection always goes back, and is discarded when the server dropped it.
   */
  async function transaction<T>(fn: (tx: Db) => Promise<T>, options?: PgTransactionConfig): Promise<T> {
    const client = await pool.connect();
    let broken = false;
    try {
      return await drizzle(client).transaction((tx) => fn(inTransaction(tx, config.where, options?.accessMode !== 'read only')), options);
    } catch (error) {
      broken = isDatabaseUnavailable(error);
      throw error;
    } finally {
      client.release(broken);
    }
  }

  // Grouped writes: one group at a time, on a connection of its own.
  const queue: Job[] = [];
  let draining: Promise<void> | null = null;
  const stats = { writes: 0, groups: 0 };

  const again = (job: Job, error: unknown): boolean => {
    if (!isRetryableTransactionError(error) || job.attempts >= TRANSACTION_ATTEMPTS) return false;
    job.attempts += 1;
    queue.push(job);
    return true;
  };

  async function runGroup(group: Job[]): Promise<void> {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      for (const job of group) job.reject(error);
      return;
    }
    const settled: { job: Job; ok: boolean; value: unknown }[] = [];
    const retried: { job: Job; error: unknown }[] = [];
    let broken = false;
    try {
      await client.query('BEGIN');
      const handle = inTransaction(drizzle(client), config.where, true);
      for (const job of group) {
        await client.query('SAVEPOINT grouped');
        try {
          const value = await job.fn(handle);
          await client.query('RELEASE SAVEPOINT grouped');
          settled.push({ job, ok: true, value });
        } catch (error) {
          if (isDatabaseUnavailable(error)) throw error;
          await client.query('ROLLBACK TO SAVEPOINT grouped');
          await client.query('RELEASE SAVEPOINT grouped');
          if (isRetryableTransactionError(error)) retried.push({ job, error });
          else settled.push({ job, ok: false, value: error });
        }
      }
      await client.query('COMMIT');
    } catch (error) {
      // Nothing of the group was kept: a write that had failed on its own gets its own error,
      // the others are tried again in a later group if PostgreSQL asks for it, else refused.
      broken = isDatabaseUnavailable(error);
      if (!broken) await client.query('ROLLBACK').catch(() => {});
      for (const job of group) {
        const own = settled.find((s) => s.job === job && !s.ok);
        if (own) job.reject(own.value);
        else if (!again(job, error)) job.reject(error);
      }
      return;
    } finally {
      client.release(broken);
    }
    stats.groups += 1;
    stats.writes += settled.filter((s) => s.ok).length;
    for (const s of settled) (s.ok ? s.job.resolve : s.job.reject)(s.value);
    for (const { job, error } of retried) if (!again(job, error)) job.reject(error);
  }

  async function drain(): Promise<void> {
    while (queue.length > 0) {
      await runGroup(queue.splice(0, MAX_GROUP));
      // Let the event loop take in writes that arrived during the commit, for the next group.
      if (queue.length === 0) await new Promise<void>((r) => setImmediate(r));
    }
    draining = null;
  }

  const db = Object.assign(base as unknown as Db, {
    engine: 'postgres' as const,
    key: config.where,
    inTransaction: false,
    writing: false,
    async write<T>(fn: (tx: Db) => Promise<T>, options?: WriteOptions): Promise<T> {
      if (options?.grouped) {
        return new Promise<T>((resolve, reject) => {
          queue.push({ fn, resolve: resolve as (v: unknown) => void, reject, attempts: 1 });
          // The group starts on the next turn of the event loop, so writes that arrive together share it.
          draining ??= new Promise<void>((r) => setImmediate(r)).then(drain);
        });
      }
      for (let attempt = 1; ; attempt++) {
        try {
          return await transaction(fn);
        } catch (error) {
          if (attempt >= TRANSACTION_ATTEMPTS || !isRetryableTransactionError(error)) throw error;
          await pause(Math.random() * 10 * attempt);
        }
      }
    },
    read<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
      return transaction(fn, { isolationLevel: 'repeatable read', accessMode: 'read only' });
    },
  });

  return {
    db,
    engine: 'postgres',
    pool,
    writeStats: () => ({ ...stats }),
    async close() {
      while (draining) await draining;
      await pool.end();
    },
  };
}
