// Property-based fuzzing of the JSON API on a server of its own: fast-check makes methods,
// paths and ids, query strings, headers and bodies (random JSON, wrong types, unknown fields,
// near-valid forecasts and resolutions) for every endpoint, as a lead, a forecaster, a viewer,
// a bad token or nobody. Every answer must be below 500 and JSON, and after every refusal the
// database must be exactly as before.
import crypto from 'node:crypto';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { expect, test } from '@playwright/test';
import type { Db } from '../db/index';
import { saveForecast } from '../db/queries/forecasts';
import { createQuestion, getQuestionForUser, publishQuestion } from '../db/queries/questions';
import { createApiToken } from '../db/queries/tokens';
import { users } from '../db/schema';
import type { Actor } from '../lib/domain';
import { questionInputSchema } from '../lib/validation/question';
import { startOwnServer, type OwnServer } from './own-server';

const DAY = 86_400_000;
const RUNS = Number(process.env.FUZZ_RUNS) || 1000;

async function seed(db: Db) {
  const now = Date.now();
  const people = await db.write((tx) =>
    tx
      .insert(users)
      .values((['lead', 'forecaster', 'viewer'] as const).map((role) => ({ email: `${role}@fuzz.example`, name: role, role, passwordHash: 'x', createdAt: now })))
      .returning({ id: users.id, email: users.email, name: users.name, role: users.role }),
  );
  const [lead, forecaster, viewer] = people as Actor[];
  const ids: number[] = [];
  for (const title of ['Open', 'Second']) {
    const id = await createQuestion(
      db,
      lead!,
      questionInputSchema.parse({
        title,
        resolutionCriteria: 'Fuzz.',
        opensAt: new Date(now - 10 * DAY).toISOString(),
        closesAt: new Date(now + 30 * DAY).toISOString(),
        scenarios: ['A', 'B', 'C'].map((name) => ({ name })),
        indicators: [{ name: 'Signal' }],
      }),
      now - 11 * DAY,
    );
    await publishQuestion(db, lead!, id, now - 10 * DAY);
    ids.push(id);
  }
  const q = await getQuestionForUser(db, lead!, ids[0]!);
  await saveForecast(db, forecaster!, q.id, { values: new Map(q.scenarios.map((s, k) => [s.id, [50, 30, 20][k]])), rationale: 'seed' }, now - DAY);
  const tokens = {
    lead: (await createApiToken(db, lead!, 'fuzz')).token,
    forecaster: (await createApiToken(db, forecaster!, 'fuzz')).token,
    viewer: (await createApiToken(db, viewer!, 'fuzz')).token,
  };
  return { questionIds: ids, scenarioIds: q.scenarios.map((s) => s.id), tokens };
}

type Seeded = Awaited<ReturnType<typeof seed>>;

/** What a refused request must not change: a digest of every table's rows. */
function fingerprint(file: string): string {
  const sqlite = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const tables = (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
    const hash = crypto.createHash('sha256');
    for (const t of tables) {
      // lastUsedAt of a token and lastSeenAt of a session move on reads by design.
      const rows = sqlite.prepare(`SELECT * FROM "${t}"`).all() as Record<string, unknown>[];
      for (const r of rows) {
        delete r.last_used_at;
        delete r.last_seen_at;
        hash.update(`${t}:${JSON.stringify(r)}\n`);
      }
    }
    return hash.digest('hex');
  } finally {
    sqlite.close();
  }
}

let own: OwnServer<Seeded>;
test.beforeAll(async () => {
  // The notification sender's timer is off: its lease and reminder scan write on their own
  // schedule, and this spec checks that refused requests change nothing.
  own = await startOwnServer('fuzz', seed, { NOTIFY_INTERVAL_SECONDS: '0' });
});
test.afterAll(async () => {
  await own?.stop();
});

test('fuzzed API requests never get a 5xx, always get JSON, and refusals change nothing', async () => {
  test.setTimeout(300_000);
  const s = own.seeded;
  const id = fc.oneof(
    fc.constantFrom(...s.questionIds.map(String)),
    fc.constantFrom('0', '-1', '0x3', '3.0', '1e3', '00001', '9999999999999999999', '%00', '..', ' 1', '１'),
    fc.string({ maxLength: 12 }).map(encodeURIComponent),
    fc.nat().map(String),
  );
  const path = fc.oneof(
    fc.constant('/api/v1/me'),
    fc.constant('/api/v1/health'),
    fc.constant('/api/v1/questions'),
    id.map((x) => `/api/v1/questions/${x}`),
    id.map((x) => `/api/v1/questions/${x}/forecasts`),
    id.map((x) => `/api/v1/questions/${x}/scores`),
    id.map((x) => `/api/v1/questions/${x}/series`),
    id.map((x) => `/api/v1/questions/${x}/resolution`),
    fc.string({ maxLength: 20 }).map((x) => `/api/v1/${encodeURIComponent(x)}`),
  );
  const query = fc.dictionary(fc.constantFrom('include', 'points', 'x', 'page', '__proto__'), fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('series', '300', '-1', '1e9', '')), { maxKeys: 3 });
  const vector = fc.oneof(
    fc.array(fc.oneof(fc.double(), fc.integer({ min: -5, max: 200 }), fc.string({ maxLength: 4 }), fc.constant(null)), { maxLength: 5 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...s.scenarioIds.map(String)), fc.string({ maxLength: 4 })), fc.oneof(fc.double(), fc.integer({ min: -5, max: 200 }))),
    fc.constantFrom([50, 30, 20], [33.4, 33.3, 33.3]),
    fc.anything(),
  );
  const body = fc.oneof(
    fc.record(
      { probabilities: vector, rationale: fc.oneof(fc.string({ maxLength: 30 }), fc.anything()), eventId: fc.oneof(fc.integer(), fc.anything()), likelihoods: vector, extra: fc.anything() },
      { requiredKeys: [] },
    ),
    fc.record(
      { scenarioId: fc.oneof(fc.constantFrom(...s.scenarioIds), fc.anything()), resolvedAt: fc.oneof(fc.constantFrom('0001-01-01', '2026-02-31', '2026-01-01T00:00', '99999-01-01'), fc.string({ maxLength: 12 })), note: fc.anything() },
      { requiredKeys: [] },
    ),
    fc.json(),
    fc.string({ maxLength: 40 }),
  );
  const who = fc.constantFrom('lead', 'forecaster', 'viewer', 'bad-token', 'nobody', 'malformed-header');
  const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', '');
  const method = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'GET', 'POST');

  let baseline = fingerprint(own.file);
  let requests = 0;
  await fc.assert(
    fc.asyncProperty(method, path, query, who, contentType, body, async (m, p, q, w, type, b) => {
      const url = `${own.base}${p}${Object.keys(q).length ? `?${new URLSearchParams(q as Record<string, string>)}` : ''}`;
      const headers: Record<string, string> = {};
      if (w === 'lead' || w === 'forecaster' || w === 'viewer') headers.authorization = `Bearer ${s.tokens[w]}`;
      if (w === 'bad-token') headers.authorization = 'Bearer sp_not-a-real-token';
      if (w === 'malformed-header') headers.authorization = 'Basic Zm9vOmJhcg==';
      if (type) headers['content-type'] = type;
      const sendsBody = m !== 'GET';
      const r = await fetch(url, { method: m, headers, body: sendsBody ? (typeof b === 'string' ? b : JSON.stringify(b)) : undefined, redirect: 'manual' });
      requests++;
      const text = await r.text();
      expect(r.status, `${m} ${p}: ${text.slice(0, 200)}`).toBeLessThan(500);
      if (r.status === 308) {
        // Next sends a path with a doubled or trailing slash to its single-slash form before
        // the app sees it; the new place is on this server, and answers JSON.
        expect(new URL(r.headers.get('location') ?? '', own.base).origin).toBe(own.base);
        expect(new URL(r.headers.get('location') ?? '', own.base).pathname).toMatch(/^\/api\/v1(\/[^/]+)*$/);
        return;
      }
      expect(r.headers.get('content-type') ?? '', `${m} ${p} answers JSON`).toMatch(/^application\/json/);
      expect(() => JSON.parse(text), `${m} ${p}: the body is JSON`).not.toThrow();
      const now = fingerprint(own.file);
      if (r.status >= 400) expect(now, `${m} ${p} refused with ${r.status} and changed nothing`).toBe(baseline);
      baseline = now;
    }),
    { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED) || undefined },
  );
  expect(requests).toBeGreaterThanOrEqual(RUNS);
});
