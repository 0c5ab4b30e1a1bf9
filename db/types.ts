// The database handle every query takes. Queries are written once for both engines with
// drizzle's query builder and awaited; see docs/architecture.md, "The data layer".
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { Engine } from './config';

/** Drizzle's query builder (select, insert, update, delete), typed as PostgreSQL's. */
type Builder = NodePgDatabase;

/** What every query takes: the handle of the process's database, or of a transaction on it. */
export type Queryable = Db;

export interface Db extends Builder {
  readonly engine: Engine;
  /** Names the database (its file, or its server and name): equal for every handle on it. */
  readonly key: string;
  /** True for the handle a write or read callback receives. */
  readonly inTransaction: boolean;
  /**
   * True for the handle a write callback receives: what it reads may include writes not yet
   * committed (and, on SQLite, a neighbour's in the same group that may still roll back), so
   * nothing read through it may be cached for other requests.
   */
  readonly writing: boolean;
  /**
   * Runs `fn` in a write transaction and returns its result once the transaction has
   * committed; if `fn` throws, nothing it wrote is kept. Inside a transaction it simply calls
   * `fn` with the same handle. `fn` must use the handle it is given for every query and must
   * not wait on anything but those queries (SQLite commits several callbacks together).
   */
  write<T>(fn: (tx: Db) => Promise<T>, options?: WriteOptions): Promise<T>;
  /** Runs `fn` on one consistent snapshot of the database (a read-only transaction). */
  read<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
}

export interface WriteOptions {
  /**
   * Commit this write together with others marked so that arrive at the same time, each in a
   * savepoint (a failing one is rolled back alone): on PostgreSQL, writes that all update one
   * row (every forecast bumps its question's version) then share one commit instead of each
   * waiting for the last one's. SQLite always groups writes, so it ignores this.
   */
  grouped?: boolean;
}

/** An open database: the handle, and what only the process that opened it may do. */
export interface OpenDatabase {
  db: Db;
  engine: Engine;
  /** Waits for queued writes, then closes every connection. */
  close(): Promise<void>;
  /** How many grouped writes were committed, and in how many commits (on SQLite every write is grouped). */
  writeStats?: () => { writes: number; groups: number };
}
