// Backups and restores of the SQLite database (db/backup.ts and its two CLIs): a copy taken
// while the app's connections are open is whole and equal, one taken while writes go on holds
// every write acknowledged before it began, and each refusal leaves everything as it was.
// SQLite only: test:postgres leaves this file out (scripts/test-postgres.mjs).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { questionInputSchema } from '@/lib/validation/question';
import { BackupError, backupSqlite, checkBackupFile, restoreSqlite } from './backup';
import { SQLITE_MIGRATIONS } from './engine-sqlite';
import { openDatabase } from './index';
import { saveForecast } from './queries/forecasts';
import { createQuestion, getQuestionForUser, publishQuestion } from './queries/questions';
import { DAY, T0, addUser, questionInput } from './test-helpers';
import type { Db, OpenDatabase } from './types';

/** How many migrations this release has (a restored database of this release records them all). */
const MIGRATIONS = (JSON.parse(fs.readFileSync(path.join(SQLITE_MIGRATIONS, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] }).entries.length;

const ROOT = path.resolve(__dirname, '..');
const dirs: string[] = [];
const opened: OpenDatabase[] = [];
after(async () => {
  for (const o of opened.splice(0)) await o.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-backup-test-'));
  dirs.push(d);
  return d;
}

async function open(file: string): Promise<OpenDatabase> {
  const o = await openDatabase({ engine: 'sqlite', file }, { synchronous: 'NORMAL' });
  opened.push(o);
  return o;
}

async function close(o: OpenDatabase): Promise<void> {
  opened.splice(opened.indexOf(o), 1);
  await o.close();
}

/** A lead, an open question of three scenarios, and `n` forecasts on it; returns what posts more. */
async function seed(db: Db, n: number) {
  const lead = await addUser(db, 'Lead', 'lead');
  const qid = await createQuestion(db, lead, questionInputSchema.parse(questionInput()), T0 - DAY);
  await publishQuestion(db, lead, qid, T0 - DAY);
  const ids = (await getQuestionForUser(db, lead, qid, T0)).scenarios.map((s) => s.id);
  const post = (i: number) =>
    saveForecast(db, lead, qid, { values: new Map([[ids[0]!, 50], [ids[1]!, 30 + (i % 10)], [ids[2]!, 20 - (i % 10)]]), rationale: `forecast ${i}` }, T0 + DAY + i);
  for (let i = 0; i < n; i++) await post(i);
  return { post };
}

/** Every row of every table, for comparing two databases. */
function contents(file: string): Record<string, unknown[]> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[];
    return Object.fromEntries(tables.map(({ name }) => [name, db.prepare(`SELECT * FROM "${name}" ORDER BY 1, 2`).all()]));
  } finally {
    db.close();
  }
}

function integrity(file: string): string {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
  } finally {
    db.close();
  }
}

function forecastIds(file: string): Set<number> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return new Set((db.prepare('SELECT id FROM forecasts').all() as { id: number }[]).map((r) => r.id));
  } finally {
    db.close();
  }
}

const refused = (pattern: RegExp) => (e: unknown) => e instanceof BackupError && pattern.test(e.message);
const sideFiles = (dir: string) => fs.readdirSync(dir).filter((f) => /partial|restoring/.test(f));

test('a backup taken while the app holds the database is whole, equal to it, and one self-contained file', async () => {
  const dir = tempDir();
  const live = path.join(dir, 'live.db');
  const o = await open(live);
  await seed(o.db, 40);
  const out = path.join(dir, 'copy.db');
  const r = await backupSqlite(live, out);
  assert.equal(r.forecasts, 40);
  assert.equal(r.restarts, 0);
  assert.equal(r.bytes, fs.statSync(out).size);
  assert.equal(integrity(out), 'ok');
  // Not in WAL mode, no -wal or -shm beside it: the file alone is the backup.
  const copy = new Database(out, { readonly: true });
  assert.equal(copy.pragma('journal_mode', { simple: true }), 'delete');
  copy.close();
  assert.deepEqual(fs.readdirSync(dir).sort(), ['copy.db', 'live.db', 'live.db-shm', 'live.db-wal']);
  await close(o);
  assert.deepEqual(contents(out), contents(live));
});

test('a backup taken while writes go on holds every write acknowledged before it began, and is never restarted', async () => {
  const dir = tempDir();
  const live = path.join(dir, 'live.db');
  const o = await open(live);
  const { post } = await seed(o.db, 300);
  const acknowledged: number[] = [];
  let stop = false;
  let i = 300;
  // Writes through the app's writer, one after another, between the backup's steps.
  const writing = (async () => {
    while (!stop) acknowledged.push((await post(i++)).id);
  })();
  await new Promise((r) => setTimeout(r, 20));
  const before = acknowledged.length;
  const ackedBefore = acknowledged.slice();
  const out = path.join(dir, 'copy.db');
  const r = await backupSqlite(live, out, { pagesPerStep: 1 });
  const during = acknowledged.length - before;
  stop = true;
  await writing;
  assert.ok(before > 0, 'writes were acknowledged before the backup began');
  assert.ok(during > 0, `writes went on during the backup (${during})`);
  assert.equal(r.restarts, 0);
  assert.equal(integrity(out), 'ok');
  const inCopy = forecastIds(out);
  for (const id of ackedBefore) assert.ok(inCopy.has(id), `forecast ${id}, acknowledged before the backup began, is in the copy`);
  assert.ok(inCopy.size >= 300 + ackedBefore.length);
  // A consistent snapshot: every forecast in the copy has all three probabilities.
  const copy = new Database(out, { readonly: true });
  const partial = copy.prepare('SELECT f.id FROM forecasts f LEFT JOIN forecast_probabilities p ON p.forecast_id = f.id GROUP BY f.id HAVING count(p.scenario_id) <> 3').all();
  copy.close();
  assert.deepEqual(partial, []);
  await close(o);
});

test('backup refuses a missing source, an existing destination without force, a missing folder and the database itself', async () => {
  const dir = tempDir();
  const live = path.join(dir, 'live.db');
  const o = await open(live);
  await seed(o.db, 3);
  await assert.rejects(backupSqlite(path.join(dir, 'nothing.db'), path.join(dir, 'a.db')), refused(/^No database at .*nothing\.db\.$/));
  await assert.rejects(backupSqlite(live, path.join(dir, 'no-such-folder', 'a.db')), refused(/^The folder .*no-such-folder does not exist/));
  await assert.rejects(backupSqlite(live, live, { force: true }), refused(/is the database itself/));
  await assert.rejects(backupSqlite(live, dir), refused(/is a folder/));
  const junk = path.join(dir, 'junk.db');
  fs.writeFileSync(junk, 'not a database at all, just text that is long enough');
  await assert.rejects(backupSqlite(junk, path.join(dir, 'b.db')), refused(/is not a SQLite database/));

  const existing = path.join(dir, 'existing.db');
  fs.writeFileSync(existing, 'an earlier file');
  await assert.rejects(backupSqlite(live, existing), refused(/already exists: name a new file, or pass --force/));
  assert.equal(fs.readFileSync(existing, 'utf8'), 'an earlier file');
  // A stale -wal beside the file being replaced would be read with the new copy: it goes.
  fs.writeFileSync(`${existing}-wal`, 'stale');
  const r = await backupSqlite(live, existing, { force: true });
  assert.equal(r.forecasts, 3);
  assert.equal(integrity(existing), 'ok');
  assert.equal(fs.existsSync(`${existing}-wal`), false);
  assert.deepEqual(sideFiles(dir), [], 'no temporary file is left behind');
  await close(o);
});

/** Scribbles over the first page of a table's b-tree. */
function corruptTable(file: string, table: string): void {
  const db = new Database(file, { readonly: true });
  const { rootpage } = db.prepare("SELECT rootpage FROM sqlite_schema WHERE name = ?").get(table) as { rootpage: number };
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.close();
  const fd = fs.openSync(file, 'r+');
  fs.writeSync(fd, Buffer.alloc(64, 0xa5), 0, 64, (rootpage - 1) * pageSize + 8);
  fs.closeSync(fd);
}

test('restore checks the file first: a missing file, not SQLite, failing integrity_check, or not Signpost is refused, and nothing changes', async () => {
  const dir = tempDir();
  const live = path.join(dir, 'live.db');
  const o = await open(live);
  await seed(o.db, 5);
  const good = path.join(dir, 'good.db');
  await backupSqlite(live, good);
  await close(o);
  const before = contents(live);

  await assert.rejects(restoreSqlite(path.join(dir, 'missing.db'), live), refused(/^No file at /));
  const junk = path.join(dir, 'junk.db');
  fs.writeFileSync(junk, Buffer.alloc(8192, 7));
  await assert.rejects(restoreSqlite(junk, live), refused(/junk\.db is not a SQLite database/));
  const corrupt = path.join(dir, 'corrupt.db');
  fs.copyFileSync(good, corrupt);
  corruptTable(corrupt, 'forecast_probabilities');
  await assert.rejects(restoreSqlite(corrupt, live), refused(/corrupt\.db failed integrity_check/));
  const other = path.join(dir, 'other.db');
  const odb = new Database(other);
  odb.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)');
  odb.close();
  await assert.rejects(restoreSqlite(other, live), refused(/is not a Signpost database \(no __drizzle_migrations, users, questions, scenarios, forecasts, forecast_probabilities tables\)/));
  await assert.rejects(restoreSqlite(live, live), refused(/is the database itself/));

  assert.deepEqual(contents(live), before);
  assert.deepEqual(fs.readdirSync(dir).filter((f) => f.includes('before-restore')), []);
  assert.deepEqual(sideFiles(dir), []);
  assert.equal(checkBackupFile(good).forecasts, 5);
});

test('restore refuses while another connection holds the database, then replaces it once closed, keeping the previous one', async () => {
  const dir = tempDir();
  const live = path.join(dir, 'live.db');
  const o = await open(live);
  const { post } = await seed(o.db, 10);
  const backup = path.join(dir, 'backup.db');
  await backupSqlite(live, backup);
  for (let i = 10; i < 15; i++) await post(i); // made after the backup: the restore takes them away

  await assert.rejects(restoreSqlite(backup, live), refused(/^The database at .*live\.db is in use \(is the app running\?\): stop the app/));
  assert.equal(forecastIds(live).size, 15, 'the held database is untouched');
  assert.deepEqual(sideFiles(dir), []);
  await close(o);
  const previousContents = contents(live);

  const now = new Date(Date.UTC(2026, 10, 27, 13, 19, 0));
  const r = await restoreSqlite(backup, live, { now });
  assert.equal(r.previous, `${live}.before-restore-20261127-131900Z`);
  assert.equal(r.replaced, true);
  assert.equal(r.forecasts, 10);
  assert.equal(r.migrations, MIGRATIONS);
  assert.equal(forecastIds(live).size, 10);
  assert.deepEqual(contents(live), contents(backup));
  assert.deepEqual(contents(r.previous!), previousContents, 'the previous database is kept whole');
  assert.equal(fs.existsSync(`${live}-wal`), false);

  // The same second again: the kept file gets a name of its own. And --no-keep keeps none.
  const again = await restoreSqlite(backup, live, { now });
  assert.equal(again.previous, `${live}.before-restore-20261127-131900Z-2`);
  const dropped = await restoreSqlite(backup, live, { keep: false });
  assert.equal(dropped.previous, null);
  assert.equal(fs.readdirSync(dir).filter((f) => f.includes('before-restore')).length, 2);

  // The app opens the restored database and carries on.
  const reopened = await open(live);
  assert.equal(forecastIds(live).size, 10);
  await close(reopened);
});

test('an older backup restores into an empty place and migrates in place when the app opens it', async () => {
  const dir = tempDir();
  // A database from the first release: only the first migration applied.
  const oldMigrations = path.join(dir, 'migrations');
  fs.cpSync(SQLITE_MIGRATIONS, oldMigrations, { recursive: true });
  const journalFile = path.join(oldMigrations, 'meta', '_journal.json');
  const journal = JSON.parse(fs.readFileSync(journalFile, 'utf8')) as { entries: unknown[] };
  assert.ok(journal.entries.length >= 2, 'there is a later migration to apply');
  journal.entries = journal.entries.slice(0, 1);
  fs.writeFileSync(journalFile, JSON.stringify(journal));
  const old = path.join(dir, 'old.db');
  const sqlite = new Database(old);
  migrate(drizzle(sqlite), { migrationsFolder: oldMigrations });
  sqlite.exec("INSERT INTO users (email, name, password_hash, role, created_at) VALUES ('lead@old.example', 'Lead', 'x', 'lead', 0)");
  sqlite.close();
  assert.equal(checkBackupFile(old).migrations, 1);

  const target = path.join(dir, 'new-folder', 'signpost.db');
  const r = await restoreSqlite(old, target);
  assert.deepEqual([r.replaced, r.previous, r.migrations], [false, null, 1]);
  const o = await open(target);
  await close(o);
  const db = new Database(target, { readonly: true });
  assert.equal((db.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }).n, MIGRATIONS);
  assert.equal((db.prepare('SELECT email FROM users').get() as { email: string }).email, 'lead@old.example');
  db.close();
});

const cli = (script: string, args: string[], env: Record<string, string>) =>
  spawnSync(process.execPath, ['--import', 'tsx', path.join('db', script), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: '', ...env },
  });

test('the CLIs report what they did, and on PostgreSQL print the pg_dump / pg_restore commands and do nothing', async () => {
  const dir = tempDir();
  const live = path.join(dir, 'live.db');
  const o = await open(live);
  await seed(o.db, 7);
  await close(o);
  const out = path.join(dir, 'out.db');

  const b = cli('backup-cli.ts', [out], { DATABASE_PATH: live });
  assert.equal(b.status, 0, b.stderr);
  assert.match(b.stdout, new RegExp(`^Backed up ${live} to ${out}: 0\\.\\d\\d MB, \\d+ ms, integrity ok, 7 forecasts\\.\\n$`));
  const again = cli('backup-cli.ts', [out], { DATABASE_PATH: live });
  assert.equal(again.status, 1);
  assert.match(again.stderr, /already exists: name a new file, or pass --force/);

  const r = cli('restore-cli.ts', [out], { DATABASE_PATH: path.join(dir, 'restored.db') });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^Restored .*out\\.db to .*restored\\.db: 0\\.\\d\\d MB, \\d+ ms, integrity ok, 7 forecasts, ${MIGRATIONS} migrations recorded\\.\\nThere was no database there before\\.`));

  const pg = { DATABASE_URL: 'postgres://signpost:secret@db.internal:5432/signpost', DATABASE_PATH: live };
  const pb = cli('backup-cli.ts', [path.join(dir, 'pg.dump')], pg);
  assert.equal(pb.status, 1);
  assert.match(pb.stderr, /runs on PostgreSQL \(db\.internal:5432\/signpost\)/);
  assert.match(pb.stderr, /pg_dump --format=custom --file=.*pg\.dump "\$DATABASE_URL"/);
  const pr = cli('restore-cli.ts', ['signpost.dump'], pg);
  assert.equal(pr.status, 1);
  assert.match(pr.stderr, /pg_restore --no-owner --dbname="\$DATABASE_URL" signpost\.dump/);
  assert.equal(fs.existsSync(path.join(dir, 'pg.dump')), false);
  assert.equal(cli('backup-cli.ts', [], { DATABASE_PATH: live }).status, 2);
});
