/**
 * npm run bench:http — throughput and latency of the app's heaviest reads and its write, each
 * beside a trivial route of the same server in the same run.
 *
 * Needs a production build: run `npx next build` first (this script builds nothing).
 *
 * 1. Makes a throwaway database in the OS temp folder and seeds one open question with 4
 *    scenarios, 2 indicators, 1 logged event and 200 forecasters x 20 forecasts each (4,000
 *    forecasts, 16,000 probability rows), inserted through drizzle in one transaction.
 * 2. Starts `next start` on a free loopback port with that DATABASE_PATH and a random
 *    AUTH_SECRET.
 * 3. Signs one forecaster in through Auth.js (GET /api/auth/csrf, then POST the credentials
 *    form to /api/auth/callback/credentials) for the session cookie, and makes an API token
 *    for the same forecaster directly with createApiToken.
 * 4. Runs autocannon, 50 connections for BENCH_SECONDS (default 10) each, against:
 *    the trivial route GET /api/v1/health (no session, no database), the question page,
 *    the API question read and the API forecast post (every post appends a forecast, so the
 *    post runs last), then the trivial route again. Ratios are against the mean of the two
 *    trivial runs.
 * 5. Prints a table, stops the server and removes the database. The whole run is bounded by
 *    a watchdog (BENCH_TIMEOUT_S, default 300 s).
 *
 * Only loopback addresses are used.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../db/index';
import { createQuestion, getQuestionForUser, publishQuestion } from '../db/queries/questions';
import { createApiToken } from '../db/queries/tokens';
import { hashPassword } from '../db/queries/users';
import { forecastProbabilities, forecasts, indicatorEvents, users } from '../db/schema';
import { questionInputSchema } from '../lib/validation/question';
import { mulberry32 } from './prng';

// ---- autocannon (ships without type declarations) -------------------------------------

interface AutocannonOptions {
  url: string;
  connections: number;
  duration: number;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  timeout?: number;
}
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number; max: number };
  totalCompletedRequests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (opts: AutocannonOptions) => Promise<AutocannonResult>;

// ---- settings ---------------------------------------------------------------------------

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SECONDS = Number(process.env.BENCH_SECONDS) || 10;
const CONNECTIONS = 50;
const FORECASTERS = 200;
const FORECASTS_EACH = 20;
const TIMEOUT_S = Number(process.env.BENCH_TIMEOUT_S) || 300;
const HOST = '127.0.0.1';
const PASSWORD = 'bench-password-0000';
const DAY = 86_400_000;

if (!fs.existsSync(path.join(root, '.next', 'BUILD_ID'))) {
  console.error('bench:http needs a production build and found none (.next/BUILD_ID is missing).');
  console.error('Run `npx next build` first, then `npm run bench:http`.');
  process.exit(1);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-bench-http-'));
const dbFile = path.join(tmp, 'bench.db');
let server: ChildProcess | undefined;

function cleanup() {
  if (server?.pid && server.exitCode === null && server.signalCode === null) {
    try {
      process.kill(-server.pid, 'SIGKILL'); // the whole group: next start and its workers
    } catch {
      /* already gone */
    }
  }
  fs.rmSync(tmp, { recursive: true, force: true });
}
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    console.error(`bench:http: ${sig}, stopping.`);
    process.exit(130);
  });
}
const watchdog = setTimeout(() => {
  console.error(`bench:http: still running after ${TIMEOUT_S} s; stopping.`);
  process.exit(1);
}, TIMEOUT_S * 1000);
watchdog.unref();

// ---- seed -------------------------------------------------------------------------------


async function seed(now: number): Promise<{ questionId: number; scenarioIds: number[]; token: string; email: string }> {
  const { db, close } = await openDatabase({ engine: 'sqlite', file: dbFile });
  const passwordHash = await hashPassword(PASSWORD); // once; every account shares the string
  const rand = mulberry32(20260101);
  const opensAt = now - 60 * DAY;
  const result = await db.write(async (tx) => {
    const [lead] = await tx
      .insert(users)
      .values({ email: 'lead@bench.example', name: 'Bench Lead', passwordHash, role: 'lead', createdAt: opensAt })
      .returning({ id: users.id });
    const leadActor = { id: lead!.id, name: 'Bench Lead', email: 'lead@bench.example', role: 'lead' as const };
    const rows = await tx
      .insert(users)
      .values(Array.from({ length: FORECASTERS }, (_, i) => ({ email: `f${i}@bench.example`, name: `Forecaster ${i}`, passwordHash, role: 'forecaster' as const, createdAt: opensAt })))
      .returning({ id: users.id });
    return { leadActor, userIds: rows.map((r) => r.id) };
  });
  // createQuestion and publishQuestion open their own transactions: the same validated path as the app.
  const questionId = await createQuestion(
    db,
    result.leadActor,
    questionInputSchema.parse({
      title: 'Bench: how will the standoff develop?',
      resolutionCriteria: 'Benchmark data, not a real question.',
      opensAt: new Date(opensAt).toISOString(),
      closesAt: new Date(now + 365 * DAY).toISOString(),
      scenarios: ['De-escalation', 'Limited strike', 'Escalation', 'Other'].map((name) => ({ name })),
      indicators: [{ name: 'Channel suspended' }, { name: 'Readiness shift' }],
    }),
    opensAt - DAY,
  );
  await publishQuestion(db, result.leadActor, questionId, opensAt - DAY);
  const q = await getQuestionForUser(db, result.leadActor, questionId, now);
  const scenarioIds = q.scenarios.map((s) => s.id);
  const base = [0.5, 0.25, 0.15, 0.1];
  await db.write(async (tx) => {
    await tx
      .insert(indicatorEvents)
      .values({ questionId, indicatorId: q.indicators[0]!.id, kind: 'observed', occurredAt: now - 20 * DAY, note: 'Bench event', loggedBy: result.leadActor.id, createdAt: now - 20 * DAY });
    for (const userId of result.userIds) {
      const times = Array.from({ length: FORECASTS_EACH }, () => opensAt + Math.floor(rand() * (now - opensAt - 60_000))).sort((a, b) => a - b);
      const vectors = times.map(() => {
        const raw = base.map((b) => Math.max(0.01, b * (0.4 + 1.2 * rand())));
        const total = raw.reduce((s, x) => s + x, 0);
        return raw.map((x) => x / total);
      });
      const ids = await tx
        .insert(forecasts)
        .values(times.map((createdAt) => ({ questionId, userId, createdAt, rationale: 'Bench forecast.' })))
        .returning({ id: forecasts.id });
      await tx
        .insert(forecastProbabilities)
        .values(ids.flatMap(({ id }, i) => scenarioIds.map((scenarioId, k) => ({ forecastId: id, scenarioId, probability: vectors[i]![k]! }))));
    }
  });
  const forecaster = { id: result.userIds[0]!, name: 'Forecaster 0', email: 'f0@bench.example', role: 'forecaster' as const };
  const { token } = await createApiToken(db, forecaster, 'bench', now);
  await close();
  return { questionId, scenarioIds, token, email: forecaster.email };
}

// ---- server -----------------------------------------------------------------------------

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, HOST, () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function startServer(port: number): Promise<string> {
  const base = `http://${HOST}:${port}`;
  let log = '';
  server = spawn(path.join(root, 'node_modules', '.bin', 'next'), ['start', '-H', HOST, '-p', String(port)], {
    cwd: root,
    detached: true, // its own process group, so cleanup stops every child
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      AUTH_TRUST_HOST: 'true',
      AUTH_URL: base,
      AUTH_SECRET: crypto.randomBytes(32).toString('base64'),
      DATABASE_PATH: dbFile,
    },
  });
  server.stdout!.on('data', (c) => (log += String(c)));
  server.stderr!.on('data', (c) => (log += String(c)));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`next start exited (${server.exitCode}):\n${log}`);
    try {
      const r = await fetch(`${base}/api/v1/health`);
      if (r.ok) return base;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`next start did not answer within 60 s:\n${log}`);
}

async function stopServer() {
  if (!server?.pid || server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => server!.once('exit', () => resolve()));
  process.kill(-server.pid, 'SIGTERM');
  const timer = setTimeout(() => {
    try {
      process.kill(-server!.pid!, 'SIGKILL');
    } catch {
      /* gone */
    }
  }, 5000);
  await exited;
  clearTimeout(timer);
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
  if (![...jar.keys()].some((k) => k.endsWith('authjs.session-token'))) {
    throw new Error(`sign-in failed: HTTP ${r.status}, location ${r.headers.get('location')}`);
  }
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

async function check(base: string, t: Target) {
  const r = await fetch(base + t.path, { method: t.method ?? 'GET', headers: t.headers, body: t.body, redirect: 'manual' });
  const text = await r.text();
  if (r.status !== t.expect) throw new Error(`${t.name}: expected HTTP ${t.expect}, got ${r.status}: ${text.slice(0, 300)}`);
  return text.length;
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

async function measure(base: string, t: Target): Promise<Row> {
  const bytes = await check(base, t);
  // A short warm-up so the first requests' JIT and cache misses stay out of the figures.
  const request = { url: base + t.path, method: t.method ?? 'GET', headers: t.headers ?? {}, ...(t.body !== undefined ? { body: t.body } : {}), timeout: 30 };
  await autocannon({ ...request, connections: 10, duration: 1 });
  process.stdout.write(`  ${t.name} ... `);
  const r = await autocannon({ ...request, connections: CONNECTIONS, duration: SECONDS });
  const row = {
    name: t.name,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r.requests.total,
    failures: r.non2xx + r.errors + r.timeouts,
    bytes,
  };
  console.log(`${row.rps.toFixed(0)} req/s`);
  return row;
}

async function main() {
  const started = Date.now();
  const now = Date.now();
  console.log(`bench:http: seeding ${FORECASTERS} forecasters x ${FORECASTS_EACH} forecasts in ${tmp}`);
  const seeded = await seed(now);
  const port = await freePort();
  const base = await startServer(port);
  console.log(`bench:http: next start on ${base}`);
  const cookie = await sessionCookie(base, seeded.email);
  const bearer = { authorization: `Bearer ${seeded.token}` };
  const body = JSON.stringify({ probabilities: [40, 30, 20, 10], rationale: 'Bench post.' });

  const trivial: Target = { name: 'GET /api/v1/health (trivial)', path: '/api/v1/health', expect: 200 };
  const targets: Target[] = [
    { name: `GET /questions/${seeded.questionId} (page, session)`, path: `/questions/${seeded.questionId}`, headers: { cookie }, expect: 200 },
    { name: `GET /api/v1/questions/${seeded.questionId} (token)`, path: `/api/v1/questions/${seeded.questionId}`, headers: bearer, expect: 200 },
    {
      name: `POST /api/v1/questions/${seeded.questionId}/forecasts (token)`,
      path: `/api/v1/questions/${seeded.questionId}/forecasts`,
      method: 'POST',
      headers: { ...bearer, 'content-type': 'application/json' },
      body,
      expect: 201,
    },
  ];
  console.log(`bench:http: autocannon, ${CONNECTIONS} connections, ${SECONDS} s per target`);
  const first = await measure(base, trivial);
  const rows = [];
  for (const t of targets) rows.push(await measure(base, t));
  const last = await measure(base, { ...trivial, name: 'GET /api/v1/health (trivial, again)' });
  await stopServer();

  const ref = (first.rps + last.rps) / 2;
  const all = [first, ...rows, last];
  const cpu = os.cpus();
  console.log('');
  console.log(
    `Machine: ${cpu.length} x ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, ` +
      `${os.platform()} ${os.release()}. Server and load generator share the machine.`,
  );
  console.log(`Seed: 1 question, ${FORECASTERS} forecasters x ${FORECASTS_EACH} forecasts; ${CONNECTIONS} connections, ${SECONDS} s each.`);
  console.log('');
  console.log('| target | req/s | p50 ms | p99 ms | vs trivial | requests | non-2xx/errors | body bytes |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of all) {
    console.log(
      `| ${r.name} | ${r.rps.toFixed(1)} | ${r.p50} | ${r.p99} | ${(r.rps / ref).toFixed(3)} | ${r.requests} | ${r.failures} | ${r.bytes} |`,
    );
  }
  console.log('');
  console.log(`Ratio = req/s / mean req/s of the two trivial runs (${ref.toFixed(1)}). Total time ${((Date.now() - started) / 1000).toFixed(0)} s.`);
  if (all.some((r) => r.failures > 0)) {
    console.error('bench:http: some requests failed (non-2xx, errors or timeouts): see the table.');
    process.exitCode = 1;
  }
}

main()
  .catch((e) => {
    console.error('bench:http failed:', e instanceof Error ? e.message : e);
    process.exitCode = 1;
  })
  .finally(async () => {
    await stopServer().catch(() => {});
    cleanup();
    process.exit();
  });
