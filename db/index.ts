// The database connection: one per process, opened lazily so `next build` never touches a file.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema';
import { readEnv } from '@/lib/env';

export type Db = BetterSQLite3Database<typeof schema>;
/** A transaction handle; queries that may run inside a transaction accept either. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type Queryable = Db | Tx;

const MIGRATIONS_FOLDER = path.join(/*turbopackIgnore: true*/ process.cwd(), 'db', 'migrations');

interface Holder {
  db?: Db;
  sqlite?: Database.Database;
}
// Survives module duplication across route bundles and dev hot reloads.
const holder = globalThis as typeof globalThis & { __signpostDb?: Holder };

/** Opens a database file with the pragmas Signpost relies on and applies pending migrations. */
export function openDatabase(file: string): { db: Db; sqlite: Database.Database } {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // FULL: an acknowledged forecast is on disk before we answer, even through a power cut.
  sqlite.pragma('synchronous = FULL');
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
  return { db, sqlite };
}

export function getDb(): Db {
  const h = (holder.__signpostDb ??= {});
  if (!h.db) {
    const opened = openDatabase(readEnv().databasePath);
    h.db = opened.db;
    h.sqlite = opened.sqlite;
  }
  return h.db;
}

export { schema };
