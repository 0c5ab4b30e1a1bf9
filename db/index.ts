// The process's database: opened once, on first use (so `next build` never touches one), on
// the engine the environment selects (db/config.ts), with pending migrations applied.
import { engineFromEnv, readDbConfig, type DbConfig } from './config';
import { openPostgres } from './engine-postgres';
import { openSqlite, type SqliteOptions } from './engine-sqlite';
import { backfill } from './backfill';
import type { Db, OpenDatabase } from './types';

export type { Db, OpenDatabase, Queryable } from './types';
export type { Engine } from './config';

/** Opens a database on either engine and brings it up to date (migrations, then backfills). */
export async function openDatabase(config: DbConfig = readDbConfig(), options: SqliteOptions = {}): Promise<OpenDatabase> {
  // The tables a process uses are chosen once, from DATABASE_URL, when db/schema loads: a
  // database of the other engine cannot be opened in it (its values would be misread).
  if (config.engine !== engineFromEnv()) {
    throw new Error(
      `openDatabase: this process's tables are for ${engineFromEnv() === 'postgres' ? 'PostgreSQL' : 'SQLite'} (DATABASE_URL was ${engineFromEnv() === 'postgres' ? 'set' : 'unset'} when it started), so it cannot open a ${config.engine} database.`,
    );
  }
  const opened = config.engine === 'postgres' ? await openPostgres(config) : openSqlite(config.file, options);
  try {
    await backfill(opened.db);
  } catch (error) {
    await opened.close();
    throw error;
  }
  return opened;
}

// Survives module duplication across route bundles and dev hot reloads.
const holder = globalThis as typeof globalThis & { __signpostDb?: Promise<OpenDatabase> };

/** The process's database handle, opened on the first call. */
export async function getDb(): Promise<Db> {
  holder.__signpostDb ??= openDatabase().catch((error: unknown) => {
    holder.__signpostDb = undefined;
    throw error;
  });
  return (await holder.__signpostDb).db;
}

/** Closes the process's database, if it was opened (scripts and tests call this at the end). */
export async function closeDb(): Promise<void> {
  const opened = holder.__signpostDb;
  holder.__signpostDb = undefined;
  if (opened) await (await opened).close();
}
