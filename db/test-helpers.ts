// Shared set-up for the data-layer tests: a fresh, migrated database per test on the engine
// under test (SQLite in a temporary folder by default; PostgreSQL when the test run was
// started with DATABASE_URL, see scripts/test-db.mjs), and a few inputs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { readDbConfig, type DbConfig } from './config';
import { openDatabase } from './index';
import type { Actor } from './queries/access';
import { users } from './schema';
import type { Db, OpenDatabase } from './types';
import type { Role } from '@/lib/domain';

const opened: OpenDatabase[] = [];
const tempDirs: string[] = [];
let counter = 0;

after(async () => {
  for (const o of opened.splice(0)) await o.close();
  for (const d of tempDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  if (adminClient) await (await adminClient).end();
});

/** The engine these tests run on. */
export const ENGINE = readDbConfig().engine;

/**
 * A fresh database with migrations applied. On SQLite a new file; on PostgreSQL a new
 * database created on the test server (DATABASE_URL names the server's admin database).
 */
export async function freshDb(): Promise<Db> {
  const config = readDbConfig();
  if (config.engine === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-test-'));
    tempDirs.push(dir);
    const o = await openDatabase({ engine: 'sqlite', file: path.join(dir, 'test.db') }, { synchronous: 'NORMAL' });
    opened.push(o);
    return o.db;
  }
  const admin = await openAdmin(config.url);
  const name = `t_${process.pid}_${Date.now().toString(36)}_${++counter}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(config.url);
  url.pathname = `/${name}`;
  const o = await openDatabase({ ...config, url: url.toString(), where: `${url.host}/${name}` });
  opened.push(o);
  return o.db;
}

/**
 * Where a new, empty database is (no migration applied), for tests that migrate it
 * themselves: a SQLite file in a temporary folder, or a new database on the PostgreSQL test
 * server. The caller opens it; a handle it opens with openDatabase should be passed to `keep`.
 */
export async function emptyDatabase(): Promise<DbConfig> {
  const config = readDbConfig();
  if (config.engine === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-test-'));
    tempDirs.push(dir);
    return { engine: 'sqlite', file: path.join(dir, 'test.db') };
  }
  const admin = await openAdmin(config.url);
  const name = `t_${process.pid}_${Date.now().toString(36)}_${++counter}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(config.url);
  url.pathname = `/${name}`;
  return { ...config, url: url.toString(), where: `${url.host}/${name}` };
}

/** Closes a database opened by a test when the tests end. */
export function keep(o: OpenDatabase): OpenDatabase {
  opened.push(o);
  return o;
}

/**
 * Two independent handles on one fresh database, as two app instances would hold: on
 * PostgreSQL two connection pools, on SQLite two sets of connections to one file.
 */
export async function freshDbPair(): Promise<[Db, Db]> {
  const config = readDbConfig();
  if (config.engine === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-test-'));
    tempDirs.push(dir);
    const file = path.join(dir, 'test.db');
    const a = await openDatabase({ engine: 'sqlite', file }, { synchronous: 'NORMAL' });
    const b = await openDatabase({ engine: 'sqlite', file }, { synchronous: 'NORMAL' });
    opened.push(a, b);
    return [a.db, b.db];
  }
  const admin = await openAdmin(config.url);
  const name = `t_${process.pid}_${Date.now().toString(36)}_${++counter}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(config.url);
  url.pathname = `/${name}`;
  const pair = await Promise.all([0, 1].map(() => openDatabase({ ...config, url: url.toString(), where: `${url.host}/${name}` })));
  opened.push(...pair);
  return [pair[0]!.db, pair[1]!.db];
}

let adminClient: Promise<import('pg').Client> | undefined;
async function openAdmin(url: string) {
  adminClient ??= (async () => {
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    return client;
  })();
  return adminClient;
}

/** Inserts a user directly (no password hashing: these tests do not sign in). */
export async function addUser(db: Db, name: string, role: Role): Promise<Actor> {
  const email = `${name.toLowerCase()}@test.example`;
  const [row] = await db.write((tx) => tx.insert(users).values({ name, email, role, passwordHash: 'x', createdAt: 0 }).returning({ id: users.id }));
  return { id: row!.id, name, email, role };
}

export const DAY = 86_400_000;
export const T0 = Date.UTC(2026, 0, 1);

export const questionInput = (over: Partial<Record<string, unknown>> = {}) => ({
  title: 'Test question',
  background: '',
  resolutionCriteria: 'By the test.',
  opensAt: new Date(T0).toISOString(),
  closesAt: new Date(T0 + 100 * DAY).toISOString(),
  staleAfterDays: 14,
  antiHerding: true,
  scenarios: [
    { name: 'A', description: '' },
    { name: 'B', description: '' },
    { name: 'C', description: '' },
  ],
  indicators: [{ name: 'Signal', description: '' }],
  ...over,
});
