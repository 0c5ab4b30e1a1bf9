// "Still my forecast": a reaffirmation records the standing vector again as a new forecast,
// flagged, in one transaction; it counts for recency, staleness and the kept scores like any
// forecast, and refuses what a forecast refuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { AppError } from '@/lib/errors';
import { questionInputSchema } from '@/lib/validation/question';
import { buildSnapshot } from './internal/snapshot';
import { reaffirmForecast, saveForecast } from './queries/forecasts';
import { createQuestion, getQuestionForUser, publishQuestion } from './queries/questions';
import { resolveQuestion, setAggregationMethod } from './queries/resolution';
import { getScoresView } from './queries/scores';
import { getAggregateView, listMyForecasts, listVisibleForecasts } from './queries/team-view';
import { forecasts, questions } from './schema';
import { DAY, T0, addUser, freshDb, questionInput } from './test-helpers';

const code = (c: string) => (e: unknown) => e instanceof AppError && e.code === c;

async function setUp() {
  const db = await freshDb();
  const lead = await addUser(db, 'Lead', 'lead');
  const a = await addUser(db, 'Alice', 'forecaster');
  const b = await addUser(db, 'Bob', 'forecaster');
  const c = await addUser(db, 'Cleo', 'forecaster');
  const viewer = await addUser(db, 'Vic', 'viewer');
  const input = questionInputSchema.parse(
    questionInput({ closesAt: new Date(T0 + 30 * DAY).toISOString(), scenarios: [{ name: 'Yes', description: '' }, { name: 'No', description: '' }] }),
  );
  const qid = await createQuestion(db, lead, input, T0 - DAY);
  await publishQuestion(db, lead, qid, T0 - DAY);
  const q = await getQuestionForUser(db, lead, qid, T0);
  const [yes, no] = q.scenarios.map((s) => s.id) as [number, number];
  const v = (y: number, n: number) => new Map([[yes, y], [no, n]]);
  return { db, lead, a, b, c, viewer, qid, yes, no, v };
}

const version = async (db: Awaited<ReturnType<typeof freshDb>>, qid: number) =>
  (await db.read((tx) => tx.select({ v: questions.version }).from(questions).where(eq(questions.id, qid))))[0]!.v;

test('a reaffirmation records the standing vector again, flagged, and bumps the version', async () => {
  const { db, a, qid, v } = await setUp();
  await saveForecast(db, a, qid, { values: v(70, 30), rationale: 'my reasons' }, T0 + DAY);
  await saveForecast(db, a, qid, { values: v(65, 35), rationale: 'second thoughts' }, T0 + 2 * DAY);
  const before = await version(db, qid);
  const saved = await reaffirmForecast(db, a, qid, T0 + 20 * DAY);
  assert.equal(await version(db, qid), before + 1);
  const mine = await listMyForecasts(db, a, qid);
  assert.equal(mine.length, 3);
  assert.deepEqual(
    mine.map((f) => [f.createdAt, f.reaffirmation, f.rationale]),
    [
      [T0 + 20 * DAY, true, 'second thoughts'],
      [T0 + 2 * DAY, false, 'second thoughts'],
      [T0 + DAY, false, 'my reasons'],
    ],
  );
  // Exactly the stored vector, bit for bit.
  assert.deepEqual(mine[0]!.probabilities, mine[1]!.probabilities);
  assert.ok(Math.abs(mine[2]!.probabilities[0]! - 0.7) < 1e-12);
  // The reaffirmed forecast is linked, and the row is not an update on an event.
  const [row] = await db.read((tx) => tx.select().from(forecasts).where(eq(forecasts.id, saved.id)));
  assert.equal(row!.priorForecastId, mine[1]!.id);
  assert.equal(row!.eventId, null);
  assert.equal(mine[0]!.event, null);
  assert.equal(mine[0]!.prior, null);
  // The cached view (what pages and the API show) equals a full recomputation.
  const view = await getAggregateView(db, a, qid, { now: T0 + 21 * DAY });
  const fresh = await buildSnapshot(db, qid);
  assert.deepEqual(view!.series, fresh.aggregate.series);
  assert.equal(fresh.rows[0]!.reaffirmation, true);
});

test('a reaffirmation counts for recency like a forecast (values computed by hand)', async () => {
  const { db, a, b, c, lead, qid, v } = await setUp();
  await saveForecast(db, a, qid, { values: v(80, 20), rationale: '' }, T0 + DAY);
  await saveForecast(db, b, qid, { values: v(50, 50), rationale: '' }, T0 + 2 * DAY);
  await saveForecast(db, c, qid, { values: v(20, 80), rationale: '' }, T0 + 3 * DAY);
  await setAggregationMethod(db, lead, qid, 'logarithmic-recency', T0 + 3 * DAY);
  // Log pool, two scenarios: logit(a) = sum w_i logit(p_i) / sum w_i, w_n = exp(sqrt(n) - sqrt(3)).
  const pooled = (ordered: number[]) => {
    const w = ordered.map((_, i) => Math.exp(Math.sqrt(i + 1) - Math.sqrt(3)));
    const l = ordered.reduce((s, p, i) => s + w[i]! * Math.log(p / (1 - p)), 0) / w.reduce((s, x) => s + x, 0);
    return 1 / (1 + Math.exp(-l));
  };
  const before = await getAggregateView(db, lead, qid, { now: T0 + 4 * DAY });
  assert.ok(Math.abs(before!.probabilities![0]! - pooled([0.8, 0.5, 0.2])) < 1e-12);
  await reaffirmForecast(db, a, qid, T0 + 4 * DAY);
  // Alice is now the newest: ranks Bob 1, Cleo 2, Alice 3.
  const after = await getAggregateView(db, lead, qid, { now: T0 + 5 * DAY });
  assert.ok(Math.abs(after!.probabilities![0]! - pooled([0.5, 0.2, 0.8])) < 1e-12, `${after!.probabilities![0]} vs ${pooled([0.5, 0.2, 0.8])}`);
  assert.ok(after!.probabilities![0]! > before!.probabilities![0]! + 0.01);
  // And the series gains a point at the reaffirmation.
  assert.equal(after!.series.at(-1)!.time, T0 + 4 * DAY);
  // Everyone with the team view sees it flagged.
  const seen = await listVisibleForecasts(db, b, qid);
  assert.equal(seen.rows.filter((r) => r.reaffirmation).length, 1);
});

test('kept scores count a reaffirmation as a forecast', async () => {
  const { db, a, b, lead, qid, v, yes } = await setUp();
  await saveForecast(db, a, qid, { values: v(60, 40), rationale: '' }, T0 + DAY);
  await saveForecast(db, b, qid, { values: v(40, 60), rationale: '' }, T0 + DAY);
  await reaffirmForecast(db, a, qid, T0 + 10 * DAY);
  await resolveQuestion(db, lead, qid, { scenarioId: yes, resolvedAt: T0 + 30 * DAY, note: '' }, T0 + 31 * DAY);
  const scores = await getScoresView(db, lead, qid);
  const alice = scores.forecasters.find((f) => f.userId === a.id)!;
  assert.equal(alice.forecastCount, 2);
  // Same vector throughout: time-averaged Brier (0.4^2 + 0.4^2 = 0.32) over Alice's covered time.
  assert.ok(Math.abs(alice.timeAveragedBrier! - 0.32) < 1e-12);
});

test('refusals: viewer 403, unknown or a draft 404, no standing forecast or not open 409; nothing is written', async () => {
  const { db, a, b, viewer, lead, qid, v } = await setUp();
  await saveForecast(db, a, qid, { values: v(60, 40), rationale: '' }, T0 + DAY);
  await assert.rejects(reaffirmForecast(db, viewer, qid, T0 + 2 * DAY), code('forbidden'));
  await assert.rejects(reaffirmForecast(db, a, 999_999, T0 + 2 * DAY), code('not_found'));
  await assert.rejects(reaffirmForecast(db, b, qid, T0 + 2 * DAY), (e) => code('conflict')(e) && /no standing forecast/.test((e as Error).message));
  const draft = await createQuestion(db, lead, questionInputSchema.parse(questionInput({ title: 'Draft' })), T0);
  await assert.rejects(reaffirmForecast(db, a, draft, T0 + 2 * DAY), code('not_found'));
  // After it closes (T0 + 30 days) it takes no reaffirmation.
  await assert.rejects(reaffirmForecast(db, a, qid, T0 + 31 * DAY), (e) => code('conflict')(e) && /closed/.test((e as Error).message));
  assert.equal((await listMyForecasts(db, a, qid)).length, 1);
  assert.equal((await listMyForecasts(db, b, qid)).length, 0);
});
