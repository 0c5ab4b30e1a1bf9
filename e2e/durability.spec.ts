// Group commit keeps its promise under a crash (project `durability`, a server of its own):
// several loops post forecasts through the JSON API while `next start` runs on a throwaway
// SQLite database (synchronous=FULL, writes committed in groups); the server is killed with
// SIGKILL in the middle of the load. Every forecast that got a 201 must then be in the
// database with all its probabilities, the database must pass integrity_check, and the server
// must start again on it and serve.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect, test } from '@playwright/test';
import { startNext, type RunningServer } from '../bench/harness';
import { openDatabase, type Db } from '../db/index';
import { createQuestion, getQuestionForUser, publishQuestion } from '../db/queries/questions';
import { createApiToken } from '../db/queries/tokens';
import { users } from '../db/schema';
import { questionInputSchema } from '../lib/validation/question';

/** Concurrent posting loops, each as a forecaster of its own; bounds of the load. */
const LOOPS = 16;
const MAX_POSTS = 6000;
const KILL_AFTER_ACKNOWLEDGED = 400;
const DAY = 86_400_000;

async function seed(db: Db): Promise<{ questionId: number; scenarioIds: number[]; tokens: string[] }> {
  const now = Date.now();
  const lead = await db.write(async (tx) => {
    const [row] = await tx.insert(users).values({ email: 'lead@crash.example', name: 'Lead', passwordHash: 'x', role: 'lead', createdAt: now }).returning({ id: users.id });
    return { id: row!.id, name: 'Lead', email: 'lead@crash.example', role: 'lead' as const };
  });
  const people = await db.write((tx) =>
    tx
      .insert(users)
      .values(Array.from({ length: LOOPS }, (_, i) => ({ email: `f${i}@crash.example`, name: `F${i}`, passwordHash: 'x', role: 'forecaster' as const, createdAt: now })))
      .returning({ id: users.id, email: users.email, name: users.name }),
  );
  const questionId = await createQuestion(
    db,
    lead,
    questionInputSchema.parse({
      title: 'Crash under load',
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
  const tokens: string[] = [];
  for (const p of people) tokens.push((await createApiToken(db, { ...p, role: 'forecaster' }, 'crash load')).token);
  return { questionId, scenarioIds, tokens };
}

test('forecasts acknowledged before a SIGKILL are all on disk, whole, and the database is intact', async () => {
  test.setTimeout(180_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-crash-'));
  const file = path.join(dir, 'crash.db');
  let server: RunningServer | null = null;
  try {
    const opened = await openDatabase({ engine: 'sqlite', file });
    const { questionId, scenarioIds, tokens } = await seed(opened.db);
    await opened.close();
    server = await startNext({ DATABASE_PATH: file });
    const base = server.base;

    const acknowledged = new Map<number, number[]>();
    let sent = 0;
    let killed = false;
    let kill!: () => void;
    const killNow = new Promise<void>((resolve) => (kill = resolve));
    const loops = tokens.map(async (token, i) => {
      while (!killed && sent < MAX_POSTS) {
        sent++;
        const p = [40 + (i % 5), 30, 20, 10 - (i % 5)];
        try {
          const r = await fetch(`${base}/api/v1/questions/${questionId}/forecasts`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ probabilities: p, rationale: `loop ${i}` }),
          });
          if (r.status === 201) {
            const { forecast } = (await r.json()) as { forecast: { id: number; probabilities: number[] } };
            acknowledged.set(forecast.id, forecast.probabilities);
            if (acknowledged.size >= KILL_AFTER_ACKNOWLEDGED) kill();
          } else {
            expect(r.status, await r.text()).toBe(201);
          }
        } catch {
          // The connection dropped: the server was killed while answering. Not acknowledged.
          if (!killed) throw new Error('a post failed before the server was killed');
        }
      }
    });
    await Promise.race([killNow, Promise.all(loops)]);
    expect(acknowledged.size, 'the load reached the kill point').toBeGreaterThanOrEqual(KILL_AFTER_ACKNOWLEDGED);
    killed = true;
    process.kill(-server.process.pid!, 'SIGKILL');
    await Promise.allSettled(loops);
    await server.stop();
    server = null;

    // The database as the crash left it (WAL and all): intact, and every acknowledged forecast whole.
    const sqlite = new Database(file);
    expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    const stored = new Map<number, Map<number, number>>();
    for (const row of sqlite.prepare('SELECT forecast_id AS f, scenario_id AS s, probability AS p FROM forecast_probabilities').all() as { f: number; s: number; p: number }[]) {
      const m = stored.get(row.f) ?? new Map<number, number>();
      m.set(row.s, row.p);
      stored.set(row.f, m);
    }
    const forecastCount = (sqlite.prepare('SELECT count(*) AS n FROM forecasts').get() as { n: number }).n;
    sqlite.close();
    for (const [id, probabilities] of acknowledged) {
      const row = stored.get(id);
      expect(row, `acknowledged forecast ${id} is stored`).toBeTruthy();
      expect(scenarioIds.map((s) => row!.get(s))).toEqual(probabilities);
    }
    expect(stored.size, 'no forecast without its probabilities, and no orphaned probabilities').toBe(forecastCount);
    expect(forecastCount).toBeGreaterThanOrEqual(acknowledged.size);

    // And the app starts again on it.
    server = await startNext({ DATABASE_PATH: file });
    const r = await fetch(`${server.base}/api/v1/questions/${questionId}/forecasts`, { headers: { authorization: `Bearer ${tokens[0]}` } });
    expect(r.status).toBe(200);
    expect(((await r.json()) as { forecasts: unknown[] }).forecasts.length).toBe(forecastCount);
  } finally {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
