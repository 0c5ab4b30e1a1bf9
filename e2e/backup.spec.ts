// `npm run backup` while the app serves a posting load (project `backup`, with a server of its
// own): `next start` on a throwaway SQLite database, several loops posting forecasts through
// the JSON API with API tokens, the backup CLI run in the middle of it, then the copy checked:
// it passes integrity_check, holds every forecast acknowledged (201) before the backup began
// with all its probabilities, and holds no forecast without them.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect, test } from '@playwright/test';
import { startNext, type RunningServer } from '../bench/harness';
import { openDatabase, type Db } from '../db/index';
import { createQuestion, getQuestionForUser, publishQuestion } from '../db/queries/questions';
import { createApiToken } from '../db/queries/tokens';
import { forecastProbabilities, forecasts, users } from '../db/schema';
import { questionInputSchema } from '../lib/validation/question';

const ROOT = path.resolve(__dirname, '..');
/** Concurrent posting loops, each as a forecaster of its own. */
const LOOPS = 8;
/** Bounds of the load: posts in all, and seconds. */
const MAX_POSTS = 4000;
const MAX_SECONDS = 90;
/** Forecasts already in the database, so the copy takes more than a moment. */
const HISTORY = 20_000;
const DAY = 86_400_000;

interface Acknowledged {
  id: number;
  /** Scenario id -> probability (a fraction), as the 201 answer gave it. */
  probabilities: Map<number, number>;
}

async function seed(db: Db): Promise<{ questionId: number; tokens: string[] }> {
  const now = Date.now();
  const lead = await db.write(async (tx) => {
    const [row] = await tx.insert(users).values({ email: 'lead@backup.example', name: 'Lead', passwordHash: 'x', role: 'lead', createdAt: now }).returning({ id: users.id });
    return { id: row!.id, name: 'Lead', email: 'lead@backup.example', role: 'lead' as const };
  });
  const people = await db.write((tx) =>
    tx
      .insert(users)
      .values(Array.from({ length: LOOPS }, (_, i) => ({ email: `f${i}@backup.example`, name: `F${i}`, passwordHash: 'x', role: 'forecaster' as const, createdAt: now })))
      .returning({ id: users.id, email: users.email, name: users.name }),
  );
  const questionId = await createQuestion(
    db,
    lead,
    questionInputSchema.parse({
      title: 'Backup under load',
      resolutionCriteria: 'Test data.',
      opensAt: new Date(now - DAY).toISOString(),
      closesAt: new Date(now + 30 * DAY).toISOString(),
      scenarios: ['A', 'B', 'C', 'D'].map((name) => ({ name })),
      indicators: [],
    }),
    now - 2 * DAY,
  );
  await publishQuestion(db, lead, questionId, now - 2 * DAY);
  const scenarioIds = (await getQuestionForUser(db, lead, questionId)).scenarios.map((s) => s.id);
  await db.write(async (tx) => {
    for (let i = 0; i < HISTORY; i += 500) {
      const rows = await tx
        .insert(forecasts)
        .values(Array.from({ length: 500 }, (_, k) => ({ questionId, userId: people[k % LOOPS]!.id, createdAt: now - DAY + i + k, rationale: 'Earlier forecast. '.repeat(16) })))
        .returning({ id: forecasts.id });
      await tx.insert(forecastProbabilities).values(rows.flatMap((r) => scenarioIds.map((scenarioId, j) => ({ forecastId: r.id, scenarioId, probability: [0.4, 0.3, 0.2, 0.1][j]! }))));
    }
  });
  const tokens: string[] = [];
  for (const p of people) tokens.push((await createApiToken(db, { ...p, role: 'forecaster' }, 'backup load')).token);
  return { questionId, tokens };
}

/** Runs the backup CLI as an operator would (`npm run backup -- <file>` is `tsx db/backup-cli.ts <file>`). */
function runBackupCli(databasePath: string, out: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [path.join('db', 'backup-cli.ts'), out], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_PATH: databasePath, DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += String(c)));
    child.stderr.on('data', (c) => (stderr += String(c)));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

test('a backup taken during a posting load passes integrity_check and holds every forecast acknowledged before it began', async () => {
  test.setTimeout(240_000);
  expect(fs.existsSync(path.join(ROOT, '.next', 'BUILD_ID')), 'this test needs a production build: run `npx next build` first').toBe(true);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-e2e-backup-'));
  const file = path.join(dir, 'live.db');
  const out = path.join(dir, 'backup.db');
  let server: RunningServer | undefined;
  let stop = false;
  let loops: Promise<void>[] = [];
  try {
    const opened = await openDatabase({ engine: 'sqlite', file });
    const { questionId, tokens } = await seed(opened.db).finally(() => opened.close());
    // Throws with the server's output if it cannot start.
    server = await startNext({ DATABASE_PATH: file });

    const url = `${server.base}/api/v1/questions/${questionId}/forecasts`;
    const acknowledged: Acknowledged[] = [];
    const refusals: string[] = [];
    const deadline = Date.now() + MAX_SECONDS * 1000;
    let sent = 0;
    loops = tokens.map(async (token, loop) => {
      while (!stop && Date.now() < deadline && sent < MAX_POSTS) {
        const n = sent++;
        const a = n % 20;
        const res = await fetch(url, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ probabilities: [40 + a, 30 - a, 20, 10], rationale: `Loop ${loop}, post ${n}.` }),
        });
        const body = await res.text();
        if (res.status !== 201) {
          refusals.push(`${res.status} ${body.slice(0, 200)}`);
          continue;
        }
        const f = (JSON.parse(body) as { forecast: { id: number; scenarioIds: number[]; probabilities: number[] } }).forecast;
        acknowledged.push({ id: f.id, probabilities: new Map(f.scenarioIds.map((s, i) => [s, f.probabilities[i]!])) });
      }
    });

    // Let the load run, then back up in the middle of it.
    const warm = Date.now() + 30_000;
    while (acknowledged.length < 200 && Date.now() < warm && refusals.length === 0) await new Promise((r) => setTimeout(r, 50));
    expect(refusals, 'every post before the backup got 201').toEqual([]);
    expect(acknowledged.length, 'the load is running').toBeGreaterThanOrEqual(200);
    const before = acknowledged.slice();
    const backup = await runBackupCli(file, out);
    const during = acknowledged.length - before.length;
    stop = true;
    await Promise.all(loops);
    await server.stop();

    expect(backup.code, `backup CLI: ${backup.stderr}`).toBe(0);
    expect(backup.stdout).toMatch(new RegExp(`^Backed up ${file} to ${out}: [\\d.]+ MB, \\d+ ms, integrity ok, [\\d,]+ forecasts\\.\\n$`));
    expect(during, 'posts were acknowledged while the backup ran').toBeGreaterThan(0);
    expect(refusals, 'every post got 201').toEqual([]);

    const copy = new Database(out, { readonly: true, fileMustExist: true });
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      const read = copy.prepare('SELECT scenario_id AS scenarioId, probability FROM forecast_probabilities WHERE forecast_id = ?');
      const missing: number[] = [];
      for (const f of before) {
        const rows = read.all(f.id) as { scenarioId: number; probability: number }[];
        if (rows.length === 0) {
          missing.push(f.id);
          continue;
        }
        expect(new Map(rows.map((r) => [r.scenarioId, r.probability])), `probabilities of forecast ${f.id}`).toEqual(f.probabilities);
      }
      expect(missing, 'forecasts acknowledged before the backup began and missing from it').toEqual([]);
      const partial = copy.prepare('SELECT f.id FROM forecasts f LEFT JOIN forecast_probabilities p ON p.forecast_id = f.id GROUP BY f.id HAVING count(p.scenario_id) <> 4').all();
      expect(partial, 'forecasts in the copy without all four probabilities').toEqual([]);
      const inCopy = (copy.prepare('SELECT count(*) AS n FROM forecasts').get() as { n: number }).n;
      console.log(
        `[backup under load] ${before.length} forecasts acknowledged before the backup began, all ${before.length} in the copy; ` +
          `${during} more acknowledged while it ran, ${acknowledged.length} in all; the copy holds ${inCopy} forecasts (${HISTORY} seeded). ` +
          `CLI: ${backup.stdout.trim()}`,
      );
    } finally {
      copy.close();
    }
  } finally {
    stop = true;
    await Promise.allSettled(loops);
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
