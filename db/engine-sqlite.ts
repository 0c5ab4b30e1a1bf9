// SQLite through better-sqlite3: the embedded default for one machine, the demo and the tests.
//
// better-sqlite3 is synchronous, and a drizzle transaction callback on it must be synchronous
// too (an awaited callback commits before its awaits run, and does not roll back). So the
// queries here are written as async code for both engines, and write transactions run on a
// connection of their own, one at a time, from a queue:
// - the writer takes every write queued at that moment, opens one transaction, runs each in a
//   savepoint (a failing write is rolled back alone and rejected; its neighbours go on), and
//   commits them together: one fsync for the group (group commit). Each caller's promise
//   settles only after the commit that holds its write. synchronous=FULL stays on.
// - while a group runs, other requests read through other connections, which see only
//   committed data (WAL gives each reader a consistent snapshot);
// - a read transaction takes a reader connection of its own for its snapshot.
// See docs/architecture.md, "The data layer".
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { Db, OpenDatabase } from './types';

export const SQLITE_MIGRATIONS = path.join(/*turbopackIgnore: true*/ process.cwd(), 'db', 'migrations', 'sqlite');

/** Most writes committed in one group; more wait for the next group. */
const MAX_GROUP = 256;
/** Reader connections kept for read transactions. */
const MAX_READERS = 4;

export interface SqliteOptions {
  /** 'FULL' (default): an acknowledged write survives a power cut. Tests may pass 'NORMAL'. */
  synchronous?: 'FULL' | 'NORMAL';
}

/** Prepared statements kept per connection, by SQL text (drizzle prepares on every query). */
const STATEMENT_CACHE = 400;

function connect(file: string, options: SqliteOptions): Database.Database {
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
  // Parsing SQL is a good part of a small query's cost: keep the statements of the queries the
  // app runs (a few dozen shapes) and hand them out again. Statements run to completion before
  // the next one starts (better-sqlite3 is synchronous), so one can serve every caller; its raw
  // mode, which drizzle turns on per call, is reset before each use.
  const prepare = sqlite.prepare.bind(sqlite);
  const statements = new Map<string, Database.Statement>();
  sqlite.prepare = ((source: string) => {
    let statement = statements.get(source);
    if (statement) {
      statements.delete(source); // most recently used last
    } else {
      statement = prepare(source);
      if (statements.size >= STATEMENT_CACHE) statements.delete(statements.keys().next().value!);
    }
    statements.set(source, statement);
    if (statement.reader) statement.raw(false);
    return statement;
  }) as typeof sqlite.prepare;
  return sqlite;
}

/** The extra methods on a handle that is already inside a transaction. */
function inTransaction(drizzleDb: object, key: string, writing: boolean): Db {
  const handle = drizzleDb as Db;
  return Object.assign(handle, {
    engine: 'sqlite' as const,
    key,
    inTransaction: true,
    writing,
    write: <T>(fn: (tx: Db) => Promise<T>) => fn(handle),
    read: <T>(fn: (tx: Db) => Promise<T>) => fn(handle),
  });
}

interface Job {
  fn: (tx: Db) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Opens (creating the file and its folder if needed) and migrates a SQLite database. */
export function openSqlite(file: string, options: SqliteOptions = {}): OpenDatabase & { sqlite: Database.Database } {
  if (file === ':memory:') throw new Error('openSqlite: use a file (an in-memory database cannot be shared by several connections).');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const main = connect(file, options);
  const mainDb = drizzle(main);
  migrate(mainDb, { migrationsFolder: SQLITE_MIGRATIONS });

  const writerConn = connect(file, options);
  const writer = inTransaction(drizzle(writerConn), file, true);
  const queue: Job[] = [];
  let draining: Promise<void> | null = null;
  const stats = { writes: 0, groups: 0 };

  async function runGroup(group: Job[]): Promise<void> {
    const settled: { job: Job; ok: boolean; value: unknown }[] = [];
    try {
      writerConn.exec('BEGIN IMMEDIATE');
    } catch (error) {
      for (const job of group) job.reject(error);
      return;
    }
    for (const job of group) {
      writerConn.exec('SAVEPOINT grouped');
      try {
        const value = await job.fn(writer);
        writerConn.exec('RELEASE grouped');
        settled.push({ job, ok: true, value });
      } catch (error) {
        writerConn.exec('ROLLBACK TO grouped');
        writerConn.exec('RELEASE grouped');
        settled.push({ job, ok: false, value: error });
      }
    }
    try {
      writerConn.exec('COMMIT');
    } catch (error) {
      if (writerConn.inTransaction) writerConn.exec('ROLLBACK');
      for (const s of settled) s.job.reject(error);
      return;
    }
    stats.groups += 1;
    stats.writes += settled.length;
    for (const s of settled) (s.ok ? s.job.resolve : s.job.reject)(s.value);
  }

  async function drain(): Promise<void> {
    while (queue.length > 0) {
      await runGroup(queue.splice(0, MAX_GROUP));
      // Let the event loop take in requests that arrived during the commit, so they share the
      // next group's fsync instead of each paying for one.
      if (queue.length === 0) await new Promise<void>((r) => setImmediate(r));
    }
    draining = null;
  }

  const readers: Database.Database[] = [];
  const idleReaders: Database.Database[] = [];
  const waiting: ((c: Database.Database) => void)[] = [];
  const acquireReader = (): Promise<Database.Database> => {
    const idle = idleReaders.pop();
    if (idle) return Promise.resolve(idle);
    if (readers.length < MAX_READERS) {
      const c = connect(file, options);
      readers.push(c);
      return Promise.resolve(c);
    }
    return new Promise((resolve) => waiting.push(resolve));
  };
  const releaseReader = (c: Database.Database) => {
    const next = waiting.shift();
    if (next) next(c);
    else idleReaders.push(c);
  };
  const readerDbs = new WeakMap<Database.Database, Db>();

  const db = Object.assign(mainDb as unknown as Db, {
    engine: 'sqlite' as const,
    key: file,
    inTransaction: false,
    writing: false,
    write<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
        // The group starts on the next turn of the event loop, not now: requests that arrive
        // together (parsed in the same turn) then share its commit instead of the first one
        // committing alone.
        draining ??= new Promise<void>((r) => setImmediate(r)).then(drain);
      });
    },
    async read<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
      const conn = await acquireReader();
      let handle = readerDbs.get(conn);
      if (!handle) readerDbs.set(conn, (handle = inTransaction(drizzle(conn), file, false)));
      conn.exec('BEGIN');
      try {
        return await fn(handle);
      } finally {
        if (conn.inTransaction) conn.exec('COMMIT');
        releaseReader(conn);
      }
    },
  });

  return {
    db,
    engine: 'sqlite',
    sqlite: main,
    writeStats: () => ({ ...stats }),
    async close() {
      while (draining) await draining;
      for (const c of [...readers, writerConn, main]) if (c.open) c.close();
    },
  };
}
