// Backups of the SQLite database with nothing but better-sqlite3: `npm run backup` and
// `npm run restore` (db/backup-cli.ts, db/restore-cli.ts) are thin shells over this module.
//
// Backup, while the app serves: a connection of our own opens a read transaction on the live
// database (WAL lets the app's writer go on meanwhile) and copies that one snapshot page by
// page with SQLite's online backup API into a temporary file beside the destination. Holding
// the snapshot across the steps matters: without it SQLite restarts a backup whenever another
// connection writes, which under a steady load could be forever. The copy is switched to a
// single-file journal mode, checked with `PRAGMA integrity_check`, synced, and only then
// renamed into place, so the destination never holds a half-written backup.
//
// Restore, with the app stopped: the file must be a SQLite database that passes
// integrity_check and holds Signpost's tables, from this release or an earlier one (the app
// migrates it on start). Whether anything still has the live database open is asked of SQLite
// itself: in WAL mode every open connection keeps a shared lock, so switching the database out
// of WAL (`PRAGMA journal_mode=DELETE`) fails with SQLITE_BUSY while any other connection, in
// any process, holds it. The new file is then renamed over the old one, whose -wal/-shm/
// -journal are moved aside (a stale journal would be applied to the new file), and the
// previous database is kept beside it unless asked not to.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SQLITE_MIGRATIONS } from './engine-sqlite';

/** A backup or restore that cannot go ahead; the message says why and what to do. */
export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

export interface BackupResult {
  source: string;
  destination: string;
  bytes: number;
  ms: number;
  /** Forecasts in the copy (null when the database has no forecasts table). */
  forecasts: number | null;
  /** Times SQLite restarted the copy because the source changed under it (0 with the snapshot held). */
  restarts: number;
}

export interface RestoreResult {
  source: string;
  target: string;
  bytes: number;
  ms: number;
  forecasts: number;
  /** Migrations recorded in the restored database; the app applies any newer ones on start. */
  migrations: number;
  /** Where the database that was at the target now is, or null (none there, or --no-keep). */
  previous: string | null;
  /** True when a database was at the target and has been replaced. */
  replaced: boolean;
}

const SIDE_FILES = ['-wal', '-shm', '-journal'] as const;
/** Tables every Signpost database has had since the first release. */
const REQUIRED_TABLES = ['__drizzle_migrations', 'users', 'questions', 'scenarios', 'forecasts', 'forecast_probabilities'];
const SQLITE_HEADER = 'SQLite format 3\0';

const isBusy = (e: unknown) => e instanceof Error && /^SQLITE_(BUSY|LOCKED)/.test((e as { code?: string }).code ?? '');
const reason = (e: unknown) => (e instanceof Error ? e.message : String(e));

function exists(file: string): boolean {
  return fs.existsSync(file);
}

function removeWithSideFiles(file: string): void {
  for (const f of [file, ...SIDE_FILES.map((s) => file + s)]) fs.rmSync(f, { force: true });
}

/** fsync a file or, on platforms that allow it, a folder (so a rename survives a power cut). */
function fsyncPath(p: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(p, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Folders cannot be opened for fsync on some platforms; the rename is then as durable as the OS makes it.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Throws unless `file` starts with SQLite's header. */
function assertSqliteFile(file: string, what: string): void {
  const buf = Buffer.alloc(16);
  const fd = fs.openSync(file, 'r');
  let n: number;
  try {
    n = fs.readSync(fd, buf, 0, 16, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (n < 16 || buf.toString('latin1') !== SQLITE_HEADER) throw new BackupError(`${what} ${file} is not a SQLite database.`);
}

function sameFile(a: string, b: string): boolean {
  try {
    return fs.realpathSync(a) === fs.realpathSync(b);
  } catch {
    return false;
  }
}

function integrityProblems(db: Database.Database): string[] {
  const rows = db.pragma('integrity_check') as { integrity_check: string }[];
  const lines = rows.map((r) => r.integrity_check);
  return lines.length === 1 && lines[0] === 'ok' ? [] : lines;
}

function hasTable(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

function countForecasts(db: Database.Database): number | null {
  if (!hasTable(db, 'forecasts')) return null;
  return (db.prepare('SELECT count(*) AS n FROM forecasts').get() as { n: number }).n;
}

/**
 * Copies everything `src` sees in its current read transaction into `file` with the online
 * backup API, `pagesPerStep` pages at a time, yielding to the event loop between steps.
 * Returns how many times SQLite restarted the copy.
 */
async function copyPages(src: Database.Database, file: string, pagesPerStep: number): Promise<number> {
  let restarts = 0;
  let remaining = Infinity;
  await src.backup(file, {
    progress({ remainingPages }) {
      if (remainingPages > remaining) restarts++;
      remaining = remainingPages;
      return pagesPerStep;
    },
  });
  return restarts;
}

/** Makes a finished copy a single self-contained file and returns its integrity problems and forecast count. */
function settleCopy(file: string): { problems: string[]; forecasts: number | null } {
  const db = new Database(file, { fileMustExist: true });
  try {
    // The copy carries the source's WAL flag; a backup should be one file that can be moved anywhere.
    db.pragma('journal_mode = DELETE');
    return { problems: integrityProblems(db), forecasts: countForecasts(db) };
  } finally {
    db.close();
  }
}

export interface BackupOptions {
  /** Replace an existing file at the destination. */
  force?: boolean;
  /** Pages copied per step of the backup API (tests use small steps to interleave writes). */
  pagesPerStep?: number;
}

/**
 * Makes a consistent copy of the SQLite database `source` at `destination` while the app may
 * be serving it, checks the copy's integrity, and renames it into place. Throws BackupError
 * with a clear message when it cannot (no source, destination exists without `force`, folder
 * missing or not writable, a copy that fails integrity_check).
 */
export async function backupSqlite(source: string, destination: string, options: BackupOptions = {}): Promise<BackupResult> {
  const started = performance.now();
  const src = path.resolve(source);
  const dest = path.resolve(destination);
  if (!exists(src)) throw new BackupError(`No database at ${src}.`);
  if (!fs.statSync(src).isFile()) throw new BackupError(`${src} is not a file.`);
  assertSqliteFile(src, 'The database');
  if (exists(dest)) {
    if (fs.statSync(dest).isDirectory()) throw new BackupError(`${dest} is a folder: name the backup file, e.g. ${path.join(dest, 'signpost-backup.db')}.`);
    if (sameFile(src, dest)) throw new BackupError(`${dest} is the database itself: name another file.`);
    if (!options.force) throw new BackupError(`${dest} already exists: name a new file, or pass --force to replace it.`);
  }
  const dir = path.dirname(dest);
  if (!exists(dir) || !fs.statSync(dir).isDirectory()) throw new BackupError(`The folder ${dir} does not exist: create it first.`);
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch {
    throw new BackupError(`Cannot write to the folder ${dir}.`);
  }

  const tmp = `${dest}.partial-${process.pid}`;
  removeWithSideFiles(tmp);
  try {
    let db: Database.Database;
    try {
      db = new Database(src, { fileMustExist: true, timeout: 5000 });
    } catch (e) {
      throw new BackupError(`Cannot open ${src}: ${reason(e)}`);
    }
    let restarts: number;
    let snapshotForecasts: number | null;
    try {
      // One read transaction for the whole copy: the snapshot it sees is what the backup holds.
      db.exec('BEGIN');
      snapshotForecasts = countForecasts(db);
      restarts = await copyPages(db, tmp, options.pagesPerStep ?? 1024);
      db.exec('COMMIT');
    } finally {
      db.close();
    }
    const { problems, forecasts } = settleCopy(tmp);
    if (problems.length > 0) throw new BackupError(`The copy failed integrity_check: ${problems.slice(0, 5).join('; ')}`);
    if (forecasts !== snapshotForecasts) {
      throw new BackupError(`The copy holds ${forecasts} forecasts where the database held ${snapshotForecasts}: the copy is not consistent.`);
    }
    fsyncPath(tmp);
    // A -wal or -journal left beside an older file at the destination would be read with the new one.
    for (const s of SIDE_FILES) fs.rmSync(dest + s, { force: true });
    fs.renameSync(tmp, dest);
    fsyncPath(dir);
    return { source: src, destination: dest, bytes: fs.statSync(dest).size, ms: performance.now() - started, forecasts, restarts };
  } catch (e) {
    removeWithSideFiles(tmp);
    if (e instanceof BackupError) throw e;
    throw new BackupError(`Backup of ${src} failed: ${reason(e)}`);
  }
}

/** The newest migration this release knows, as drizzle records it (its folder timestamp). */
function newestKnownMigration(): number {
  const journal = JSON.parse(fs.readFileSync(path.join(SQLITE_MIGRATIONS, 'meta', '_journal.json'), 'utf8')) as { entries: { when: number }[] };
  return Math.max(...journal.entries.map((e) => e.when));
}

export interface BackupFileCheck {
  forecasts: number;
  migrations: number;
}

/**
 * Checks that `file` can be restored: a SQLite database that passes integrity_check, holds
 * Signpost's tables, and was not made by a newer release than this one. Opens it read-only.
 */
export function checkBackupFile(file: string): BackupFileCheck {
  if (!exists(file)) throw new BackupError(`No file at ${file}.`);
  if (!fs.statSync(file).isFile()) throw new BackupError(`${file} is not a file.`);
  assertSqliteFile(file, 'The backup');
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw new BackupError(`Cannot open ${file}: ${reason(e)}`);
  }
  try {
    let problems: string[];
    try {
      problems = integrityProblems(db);
    } catch (e) {
      throw new BackupError(`${file} failed integrity_check: ${reason(e)}`);
    }
    if (problems.length > 0) throw new BackupError(`${file} failed integrity_check: ${problems.slice(0, 5).join('; ')}`);
    const missing = REQUIRED_TABLES.filter((t) => !hasTable(db, t));
    if (missing.length > 0) throw new BackupError(`${file} is not a Signpost database (no ${missing.join(', ')} table${missing.length === 1 ? '' : 's'}).`);
    const applied = db.prepare('SELECT count(*) AS n, max(created_at) AS newest FROM __drizzle_migrations').get() as { n: number; newest: number | null };
    if (applied.newest !== null && applied.newest > newestKnownMigration()) {
      throw new BackupError(`${file} was made by a newer release of Signpost than this one: restore it with that release.`);
    }
    return { forecasts: countForecasts(db) ?? 0, migrations: applied.n };
  } finally {
    db.close();
  }
}

/** 20261127-131900Z: a file-name-safe UTC time. */
const stamp = (d: Date) => d.toISOString().replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '').replace('T', '-');

/**
 * Refuses if any connection (any process) has the database at `target` open. In WAL mode each
 * open connection holds a shared lock, so leaving WAL fails with SQLITE_BUSY while one does;
 * when it succeeds the database has been checkpointed into one file, which is what gets kept.
 * A file SQLite cannot read as a database is not being served, so it may be replaced.
 */
function assertNotInUse(target: string): void {
  let db: Database.Database | undefined;
  try {
    db = new Database(target, { fileMustExist: true, timeout: 0 });
    db.pragma('journal_mode = DELETE');
  } catch (e) {
    if (isBusy(e)) {
      throw new BackupError(`The database at ${target} is in use (is the app running?): stop the app, then restore again. Nothing was changed.`);
    }
    const code = (e as { code?: string }).code ?? '';
    if (!/^SQLITE_(NOTADB|CORRUPT)/.test(code)) throw new BackupError(`Cannot check whether ${target} is in use: ${reason(e)}. Nothing was changed.`);
  } finally {
    db?.close();
  }
}

export interface RestoreOptions {
  /** Keep the database being replaced as `<target>.before-restore-<time>` (default true). */
  keep?: boolean;
  now?: Date;
}

/**
 * Replaces the SQLite database at `target` with the backup `source`, after checking the
 * backup (checkBackupFile) and that nothing holds the target open. The swap is a rename, so
 * the target is always either the old database or the new one.
 */
export async function restoreSqlite(source: string, target: string, options: RestoreOptions = {}): Promise<RestoreResult> {
  const started = performance.now();
  const src = path.resolve(source);
  const tgt = path.resolve(target);
  const keep = options.keep ?? true;
  const check = checkBackupFile(src);
  const replacing = exists(tgt);
  if (replacing && sameFile(src, tgt)) throw new BackupError(`${src} is the database itself: restore from a backup file.`);
  if (replacing && !fs.statSync(tgt).isFile()) throw new BackupError(`${tgt} is not a file.`);
  const dir = path.dirname(tgt);
  fs.mkdirSync(dir, { recursive: true });

  const tmp = `${tgt}.restoring-${process.pid}`;
  removeWithSideFiles(tmp);
  try {
    // Copy through SQLite rather than byte by byte, so a backup still in WAL mode comes whole.
    const db = new Database(src, { readonly: true, fileMustExist: true });
    try {
      await copyPages(db, tmp, 0x7fffffff);
    } finally {
      db.close();
    }
    settleCopy(tmp);
    fsyncPath(tmp);

    let previous: string | null = null;
    if (replacing) {
      assertNotInUse(tgt);
      if (keep) {
        const base = `${tgt}.before-restore-${stamp(options.now ?? new Date())}`;
        previous = base;
        for (let i = 2; exists(previous); i++) previous = `${base}-${i}`;
        // A second name for the old file: the target itself is only ever replaced by a rename.
        try {
          fs.linkSync(tgt, previous);
        } catch {
          fs.copyFileSync(tgt, previous);
        }
      }
      for (const s of SIDE_FILES) {
        if (!exists(tgt + s)) continue;
        if (previous) fs.renameSync(tgt + s, previous + s);
        else fs.rmSync(tgt + s, { force: true });
      }
    } else {
      for (const s of SIDE_FILES) fs.rmSync(tgt + s, { force: true });
    }
    fs.renameSync(tmp, tgt);
    fsyncPath(dir);
    return { source: src, target: tgt, bytes: fs.statSync(tgt).size, ms: performance.now() - started, forecasts: check.forecasts, migrations: check.migrations, previous, replaced: replacing };
  } catch (e) {
    removeWithSideFiles(tmp);
    if (e instanceof BackupError) throw e;
    throw new BackupError(`Restore of ${src} failed: ${reason(e)}`);
  }
}

/** What to run instead on PostgreSQL (README, "Running on PostgreSQL"). */
export function postgresInstructions(kind: 'backup' | 'restore', where: string, file = 'signpost.dump'): string {
  const dump = /\s/.test(file) ? JSON.stringify(file) : file;
  return kind === 'backup'
    ? [
        `DATABASE_URL is set, so Signpost runs on PostgreSQL (${where}): \`npm run backup\` copies SQLite databases only, and did nothing.`,
        'Back up PostgreSQL with pg_dump:',
        `  pg_dump --format=custom --file=${dump} "$DATABASE_URL"`,
      ].join('\n')
    : [
        `DATABASE_URL is set, so Signpost runs on PostgreSQL (${where}): \`npm run restore\` restores SQLite databases only, and did nothing.`,
        'Restore a pg_dump file into an empty database, then start the app:',
        `  pg_restore --no-owner --dbname="$DATABASE_URL" ${dump}`,
      ].join('\n');
}

/** A size for people: 0.15 MB, 12.3 MB. */
export const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(bytes < 10e6 ? 2 : 1)} MB`;
