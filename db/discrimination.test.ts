// Which signposts discriminated, from the database: the judgement standing when the event was
// logged (or a judge's first one after it), scored against a flat baseline; leads see every
// forecaster, others only themselves and the team default. Expected values computed by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '@/lib/errors';
import { eventInputSchema } from '@/lib/validation/indicator';
import { questionInputSchema } from '@/lib/validation/question';
import { getMyDiscrimination, getQuestionDiscrimination, getTeamDiscrimination } from './queries/discrimination';
import { logIndicatorEvent, retractIndicatorEvent } from './queries/events';
import { saveForecast } from './queries/forecasts';
import { recordLikelihoods } from './queries/indicators';
import { createQuestion, getQuestionForUser, publishQuestion } from './queries/questions';
import { resolveQuestion } from './queries/resolution';
import { DAY, T0, addUser, freshDb, questionInput } from './test-helpers';

const code = (c: string) => (e: unknown) => e instanceof AppError && e.code === c;
const close = (a: number | null | undefined, b: number, what = '') => assert.ok(a !== null && a !== undefined && Math.abs(a - b) < 1e-12, `${what}: ${a} != ${b}`);

async function setUp() {
  const db = await freshDb();
  const lead = await addUser(db, 'Lead', 'lead');
  const alice = await addUser(db, 'Alice', 'forecaster');
  const bob = await addUser(db, 'Bob', 'forecaster');
  const viewer = await addUser(db, 'Vic', 'viewer');
  const make = async (title: string) => {
    const qid = await createQuestion(db, lead, questionInputSchema.parse(questionInput({ title, indicators: [{ name: `${title} signal`, description: '', deadline: new Date(T0 + 9 * DAY).toISOString() }, { name: `${title} quiet`, description: '' }] })), T0 - DAY);
    await publishQuestion(db, lead, qid, T0 - DAY);
    return getQuestionForUser(db, lead, qid, T0);
  };
  const q1 = await make('Q1');
  const q2 = await make('Q2');
  const L = (q: typeof q1, l: number[]) => new Map(q.scenarios.map((s, k) => [s.id, l[k]]));
  const P = (q: typeof q1, p: number[]) => new Map(q.scenarios.map((s, k) => [s.id, p[k]]));
  const event = (q: typeof q1, kind: 'observed' | 'deadline_passed', at: number, indicator = 0) =>
    logIndicatorEvent(db, lead, q.id, eventInputSchema.parse({ indicatorId: String(q.indicators[indicator]!.id), kind, occurredAt: new Date(at).toISOString() }), at);

  // Q1, scenarios A B C, resolves to B; its signal is observed on day 5.
  await recordLikelihoods(db, lead, q1.indicators[0]!.id, L(q1, [10, 60, 30]), { teamDefault: true }, T0 + DAY);
  await recordLikelihoods(db, alice, q1.indicators[0]!.id, L(q1, [20, 80, 50]), {}, T0 + 2 * DAY);
  // Alice changes her mind after the event: the one standing when it was logged counts.
  await saveForecast(db, alice, q1.id, { values: P(q1, [30, 40, 30]), rationale: '' }, T0 + 3 * DAY);
  await saveForecast(db, bob, q1.id, { values: P(q1, [40, 30, 30]), rationale: '' }, T0 + 3 * DAY);
  const ev1 = await event(q1, 'observed', T0 + 5 * DAY);
  await recordLikelihoods(db, alice, q1.indicators[0]!.id, L(q1, [90, 10, 10]), {}, T0 + 6 * DAY);
  // Bob had none when it was logged: the likelihoods of his update on it count.
  await saveForecast(db, bob, q1.id, { values: P(q1, [20, 50, 30]), rationale: '', update: { eventId: ev1, likelihoods: L(q1, [30, 70, 40]) } }, T0 + 7 * DAY);
  // The second indicator's event is retracted: it is not scored.
  await recordLikelihoods(db, alice, q1.indicators[1]!.id, L(q1, [50, 10, 10]), {}, T0 + 2 * DAY);
  const ev2 = await event(q1, 'observed', T0 + 8 * DAY, 1);
  await retractIndicatorEvent(db, lead, ev2, 'wrong report', T0 + 9 * DAY);
  await resolveQuestion(db, lead, q1.id, { scenarioId: q1.scenarios[1]!.id, resolvedAt: T0 + 20 * DAY, note: '' }, T0 + 21 * DAY);

  // Q2 resolves to C; its signal's deadline passes unobserved.
  await recordLikelihoods(db, lead, q2.indicators[0]!.id, L(q2, [50, 50, 50]), { teamDefault: true }, T0 + DAY);
  await recordLikelihoods(db, alice, q2.indicators[0]!.id, L(q2, [70, 60, 5]), {}, T0 + 2 * DAY);
  await recordLikelihoods(db, bob, q2.indicators[0]!.id, L(q2, [10, 20, 90]), {}, T0 + 2 * DAY);
  await saveForecast(db, alice, q2.id, { values: P(q2, [30, 40, 30]), rationale: '' }, T0 + 3 * DAY);
  await event(q2, 'deadline_passed', T0 + 10 * DAY);
  await resolveQuestion(db, lead, q2.id, { scenarioId: q2.scenarios[2]!.id, resolvedAt: T0 + 20 * DAY, note: '' }, T0 + 21 * DAY);
  return { db, lead, alice, bob, viewer, q1, q2 };
}

// score = ln(e_o / mean_k e_k); e = L observed, 1 - L when the deadline passed.
const s = (e: number[], o: number) => Math.log(e[o]! / (e.reduce((a, b) => a + b, 0) / e.length));
const teamQ1 = s([0.1, 0.6, 0.3], 1); // ln(0.6 / (1/3)) = ln 1.8
const aliceQ1 = s([0.2, 0.8, 0.5], 1);
const bobQ1 = s([0.3, 0.7, 0.4], 1);
const teamQ2 = 0; // flat likelihoods tell nothing
const aliceQ2 = s([0.3, 0.4, 0.95], 2);
const bobQ2 = s([0.9, 0.8, 0.1], 2); // pointed away from what happened: negative

test('the lead sees every indicator, the team default and every forecaster, with counts (values by hand)', async () => {
  const { db, lead, alice, bob, q1, q2 } = await setUp();
  close(teamQ1, Math.log(1.8), 'sanity');
  assert.ok(bobQ2 < 0 && aliceQ2 > 0);
  const v = await getTeamDiscrimination(db, lead);
  assert.equal(v.questionCount, 2);
  assert.deepEqual(v.indicators.map((i) => [i.indicatorId, i.name, i.questionId]), [
    [q1.indicators[0]!.id, 'Q1 signal', q1.id],
    [q2.indicators[0]!.id, 'Q2 signal', q2.id],
  ]);
  const [i1, i2] = v.indicators as [(typeof v.indicators)[number], (typeof v.indicators)[number]];
  close(i1.teamDefault!.meanScore, teamQ1, 'team Q1');
  assert.equal(i1.teamDefault!.observedCount, 1);
  const by = (i: typeof i1, id: number) => i.byForecaster.find((f) => f.userId === id)!.stats;
  close(by(i1, alice.id).meanScore, aliceQ1, 'alice Q1');
  close(by(i1, bob.id).meanScore, bobQ1, 'bob Q1');
  close(i1.forecasters!.meanScore, (aliceQ1 + bobQ1) / 2, 'forecasters Q1');
  assert.equal(i1.forecasters!.count, 2);
  close(i2.teamDefault!.meanScore, teamQ2, 'team Q2');
  assert.equal(i2.teamDefault!.observedCount, 0);
  close(by(i2, alice.id).meanScore, aliceQ2, 'alice Q2');
  close(by(i2, bob.id).meanScore, bobQ2, 'bob Q2');
  assert.equal(by(i2, bob.id).disfavouredCount, 1);
  // Per judge over both indicators, the team default first; standard error s / sqrt(2).
  assert.deepEqual(v.judges.map((j) => j.name), ['Team default', 'Alice', 'Bob']);
  const alicej = v.judges.find((j) => j.userId === alice.id)!.stats;
  close(alicej.meanScore, (aliceQ1 + aliceQ2) / 2, 'alice overall');
  close(alicej.standardError, Math.abs(aliceQ1 - aliceQ2) / 2, 'alice se');
  assert.deepEqual([alicej.count, alicej.observedCount], [2, 1]);
});

test('a forecaster sees only their own numbers and the team default; a viewer nothing; the team view is for leads', async () => {
  const { db, alice, bob, viewer, q1 } = await setUp();
  const mine = await getMyDiscrimination(db, bob);
  assert.equal(mine.indicators.length, 2);
  for (const i of mine.indicators) {
    assert.deepEqual(i.byForecaster.map((f) => f.userId), [bob.id]);
    assert.equal(i.forecasters, null);
  }
  close(mine.indicators[0]!.byForecaster[0]!.stats.meanScore, bobQ1);
  close(mine.indicators[0]!.teamDefault!.meanScore, teamQ1);
  assert.deepEqual(mine.judges.map((j) => j.userId), [null, bob.id]);
  assert.ok(!JSON.stringify(mine).includes('Alice'));
  assert.deepEqual((await getMyDiscrimination(db, viewer)).indicators, []);
  await assert.rejects(getTeamDiscrimination(db, alice), code('forbidden'));
  await assert.rejects(getTeamDiscrimination(db, viewer), code('forbidden'));
  // One question, as the scores CSV shows it.
  const one = await getQuestionDiscrimination(db, alice, q1.id);
  assert.equal(one.indicators.length, 1);
  assert.deepEqual(one.indicators[0]!.byForecaster.map((f) => f.userId), [alice.id]);
  close(one.indicators[0]!.byForecaster[0]!.stats.meanScore, aliceQ1);
});

test('an unresolved question has no signpost scores (409); cached figures follow a new resolution', async () => {
  const { db, lead, alice } = await setUp();
  const qid = await createQuestion(db, lead, questionInputSchema.parse(questionInput({ title: 'Q3' })), T0);
  await publishQuestion(db, lead, qid, T0);
  await assert.rejects(getQuestionDiscrimination(db, alice, qid), code('conflict'));
  const before = await getTeamDiscrimination(db, lead);
  assert.equal(before.questionCount, 2);
  const q3 = await getQuestionForUser(db, lead, qid);
  await recordLikelihoods(db, alice, q3.indicators[0]!.id, new Map(q3.scenarios.map((s, k) => [s.id, [80, 10, 10][k]])), {}, T0 + DAY);
  await logIndicatorEvent(db, lead, qid, eventInputSchema.parse({ indicatorId: String(q3.indicators[0]!.id), occurredAt: new Date(T0 + 2 * DAY).toISOString() }), T0 + 2 * DAY);
  await saveForecast(db, alice, qid, { values: new Map(q3.scenarios.map((s, k) => [s.id, [60, 20, 20][k]])), rationale: '' }, T0 + 3 * DAY);
  await resolveQuestion(db, lead, qid, { scenarioId: q3.scenarios[0]!.id, resolvedAt: T0 + 20 * DAY, note: '' }, T0 + 21 * DAY);
  const after = await getTeamDiscrimination(db, lead);
  assert.equal(after.questionCount, 3);
  close(after.indicators.at(-1)!.byForecaster[0]!.stats.meanScore, s([0.8, 0.1, 0.1], 0));
});
