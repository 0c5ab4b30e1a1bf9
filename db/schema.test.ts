// Both engines' schemas stay in step: the declarations in db/schema/sqlite.ts and
// db/schema/pg.ts have the same tables, columns (name, JavaScript type, nullability, default,
// key), indexes, unique constraints and foreign keys; and the committed migrations of the
// engine under test produce exactly those tables, columns and indexes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getTableConfig as pgConfig, type PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig as sqliteConfig, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import { sql } from 'drizzle-orm';
import * as pg from './schema/pg';
import * as sqlite from './schema/sqlite';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle as drizzleSqlite } from 'drizzle-orm/better-sqlite3';
import { migrate as migrateSqlite } from 'drizzle-orm/better-sqlite3/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { DEFAULT_SKILL_PRIOR_COUNT, DEFAULT_SKILL_TEMPERATURE } from '@/lib/aggregation';
import { SQLITE_MIGRATIONS } from './engine-sqlite';
import { PG_MIGRATIONS } from './engine-postgres';
import { openDatabase } from './index';
import { questions } from './schema';
import { ENGINE, emptyDatabase, freshDb, keep } from './test-helpers';

interface Shape {
  columns: Record<string, { type: string; notNull: boolean; primary: boolean; hasDefault: boolean; default: unknown; unique: boolean; enum: string[] | undefined }>;
  primaryKeys: string[][];
  indexes: Record<string, { columns: string[]; unique: boolean }>;
  uniques: string[][];
  foreignKeys: string[];
}

type AnyConfig = ReturnType<typeof pgConfig> | ReturnType<typeof sqliteConfig>;

function shapeOf(config: AnyConfig): Shape {
  const columns: Shape['columns'] = {};
  for (const c of config.columns) {
    columns[c.name] = {
      type: c.dataType,
      notNull: c.notNull,
      primary: c.primary,
      // An identity column and an autoincrement primary key both fill themselves in.
      hasDefault: c.hasDefault && !c.primary,
      default: c.default instanceof Object ? String(c.default) : c.default,
      unique: c.isUnique,
      enum: c.enumValues?.length ? [...c.enumValues] : undefined,
    };
  }
  const indexes: Shape['indexes'] = {};
  for (const i of config.indexes) {
    indexes[i.config.name!] = { columns: i.config.columns.map((c) => (c as { name: string }).name), unique: Boolean(i.config.unique) };
  }
  return {
    columns,
    primaryKeys: config.primaryKeys.map((k) => k.columns.map((c) => c.name)),
    indexes,
    uniques: config.uniqueConstraints.map((u) => u.columns.map((c) => c.name)),
    foreignKeys: config.foreignKeys
      .map((fk) => {
        const r = fk.reference();
        const table = (r.foreignTable as unknown as Record<symbol, string>)[Symbol.for('drizzle:Name')];
        return `${r.columns.map((c) => c.name).join(',')} -> ${table}(${r.foreignColumns.map((c) => c.name).join(',')})`;
      })
      .sort(),
  };
}

const isTable = (t: unknown) => typeof t === 'object' && t !== null && Symbol.for('drizzle:Name') in t;
const pgTables = (Object.values(pg) as unknown[]).filter(isTable) as PgTable[];
const sqliteTables = (Object.values(sqlite) as unknown[]).filter(isTable) as SQLiteTable[];

test('the SQLite and PostgreSQL schemas declare the same tables, columns, keys and indexes', () => {
  const pgShapes = new Map(pgTables.map((t) => [pgConfig(t).name, shapeOf(pgConfig(t))]));
  const sqliteShapes = new Map(sqliteTables.map((t) => [sqliteConfig(t).name, shapeOf(sqliteConfig(t))]));
  assert.ok(pgShapes.size >= 12, `${pgShapes.size} tables`);
  assert.deepEqual([...sqliteShapes.keys()].sort(), [...pgShapes.keys()].sort());
  for (const [name, shape] of pgShapes) assert.deepEqual(sqliteShapes.get(name), shape, `table ${name}`);
});

/** Rows of a raw query on either engine. */
async function raw(db: Awaited<ReturnType<typeof freshDb>>, query: string): Promise<Record<string, unknown>[]> {
  if (ENGINE === 'sqlite') return (db as unknown as { all: (q: unknown) => Record<string, unknown>[] }).all(sql.raw(query));
  return ((await db.execute(sql.raw(query))) as unknown as { rows: Record<string, unknown>[] }).rows;
}

test(`the ${ENGINE} migrations create exactly the declared tables, columns and indexes`, async () => {
  const db = await freshDb();
  const declared: AnyConfig[] = ENGINE === 'sqlite' ? sqliteTables.map((t) => sqliteConfig(t)) : pgTables.map((t) => pgConfig(t));
  for (const config of declared) {
    const shape = shapeOf(config);
    let columns: { name: string; notNull: boolean }[];
    let indexNames: string[];
    if (ENGINE === 'sqlite') {
      columns = (await raw(db, `PRAGMA table_info(${config.name})`)).map((c) => ({ name: String(c.name), notNull: Number(c.notnull) === 1 || Number(c.pk) > 0 }));
      indexNames = (await raw(db, `PRAGMA index_list(${config.name})`)).filter((i) => i.origin === 'c' || i.origin === 'u').map((i) => String(i.name));
    } else {
      columns = (
        await raw(db, `SELECT column_name, is_nullable FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '${config.name}'`)
      ).map((c) => ({ name: String(c.column_name), notNull: c.is_nullable === 'NO' }));
      indexNames = (await raw(db, `SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND tablename = '${config.name}'`))
        .map((i) => String(i.indexname))
        .filter((n) => !n.endsWith('_pkey') && !n.endsWith('_pk')); // primary keys are checked as columns
    }
    assert.deepEqual(
      columns.map((c) => `${c.name}${c.notNull ? ' not null' : ''}`).sort(),
      Object.entries(shape.columns).map(([n, c]) => `${n}${c.notNull || c.primary ? ' not null' : ''}`).sort(),
      `columns of ${config.name}`,
    );
    const expectedIndexes = [
      ...Object.keys(shape.indexes),
      ...Object.entries(shape.columns).filter(([, c]) => c.unique).map(([n]) => `${config.name}_${n}_unique`),
    ].sort();
    assert.deepEqual(indexNames.sort(), expectedIndexes, `indexes of ${config.name}`);
  }
});

test(`a ${ENGINE} database from before migration 0006, with questions, gets the library's skill defaults on every question`, async () => {
  // The migrations up to 0005_notifications, as the previous release shipped them.
  const old = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-old-migrations-'));
  try {
    fs.cpSync(ENGINE === 'sqlite' ? SQLITE_MIGRATIONS : PG_MIGRATIONS, old, { recursive: true });
    const journalFile = path.join(old, 'meta', '_journal.json');
    const journal = JSON.parse(fs.readFileSync(journalFile, 'utf8')) as { entries: { tag: string }[] };
    const at = journal.entries.findIndex((e) => e.tag === '0006_skill_settings');
    assert.equal(at, 6);
    journal.entries = journal.entries.slice(0, at);
    fs.writeFileSync(journalFile, JSON.stringify(journal));
    const target = await emptyDatabase();
    const rows = [
      "INSERT INTO users (email, name, password_hash, role, created_at) VALUES ('lead@old.example', 'Lead', 'x', 'lead', 0)",
      "INSERT INTO questions (title, opens_at, closes_at, status, aggregation_method, created_by, created_at, updated_at) VALUES ('Old skill question', 0, 86400000, 'open', 'linear-skill', 1, 0, 0)",
      "INSERT INTO questions (title, opens_at, closes_at, created_by, created_at, updated_at) VALUES ('Old draft', 0, 86400000, 1, 0, 0)",
    ];
    if (target.engine === 'sqlite') {
      const s = new Database(target.file);
      migrateSqlite(drizzleSqlite(s), { migrationsFolder: old });
      assert.equal((s.prepare("SELECT count(*) AS n FROM pragma_table_info('questions') WHERE name LIKE 'skill_%'").get() as { n: number }).n, 0);
      for (const r of rows) s.exec(r);
      s.close();
    } else {
      const { default: pg } = await import('pg');
      const client = new pg.Client({ connectionString: target.url });
      await client.connect();
      try {
        await migratePg(drizzlePg(client), { migrationsFolder: old });
        const cols = await client.query("SELECT column_name FROM information_schema.columns WHERE table_name = 'questions' AND column_name LIKE 'skill_%'");
        assert.equal(cols.rowCount, 0);
        for (const r of rows) await client.query(r);
      } finally {
        await client.end();
      }
    }
    // Opening it applies 0006: every existing question gets the defaults.
    const o = keep(await openDatabase(target, { synchronous: 'NORMAL' }));
    const got = await o.db.select({ title: questions.title, priorCount: questions.skillPriorCount, temperature: questions.skillTemperature }).from(questions).orderBy(questions.id);
    assert.deepEqual(got, [
      { title: 'Old skill question', priorCount: DEFAULT_SKILL_PRIOR_COUNT, temperature: DEFAULT_SKILL_TEMPERATURE },
      { title: 'Old draft', priorCount: DEFAULT_SKILL_PRIOR_COUNT, temperature: DEFAULT_SKILL_TEMPERATURE },
    ]);
    assert.deepEqual([DEFAULT_SKILL_PRIOR_COUNT, DEFAULT_SKILL_TEMPERATURE], [20, 0.05]);
  } finally {
    fs.rmSync(old, { recursive: true, force: true });
  }
});
