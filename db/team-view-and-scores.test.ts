import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { AppError } from '@/lib/errors';
import { eventInputSchema } from '@/lib/validation/indicator';
import { questionInputSchema } from '@/lib/validation/question';
import { logIndicatorEvent } from './queries/events';
import { saveForecast } from './queries/forecasts';
import { getLeaderboard, getScoresView, getTrackRecord } from './queries/scores';
import { canSeeTeamView, getAggregateView, listVisibleForecasts } from './queries/team-view';
import { createQuestion, getQuestionForUser, publishQuestion, updateQuestion } from './queries/questions';
import { annulQuestion, resolveQuestion, setAggregationMethod } from './queries/resolution';
import { listAuditLog } from './queries/audit';
import { auditLog } from './schema';
import { DAY, T0, addUser, freshDb, questionInput } from './test-helpers';

const code = (c: string) => (e: unknown) => e instanceof AppError && e.code === c;
const near = (a: number | null | undefined, b: number, eps = 1e-9) => assert.ok(a !== null && a !== undefined && Math.abs(a - b) < eps, `${a} != ${b}`);

async function twoScenarioQuestion() {
  const db = await freshDb();
  const lead = await addUser(db, 'Lead', 'lead');
  const a = await addUser(db, 'Alice', 'forecaster');
  const b = await addUser(db, 'Bob', 'forecaster');
  const c = await addUser(db, 'Cleo', 'forecaster');
  const viewer = await addUser(db, 'Vic', 'viewer');
  const input = questionInputSchema.parse(
    questionInput({
      closesAt: new Date(T0 + 10 * DAY).toISOString(),
      scenarios: [{ name: 'Yes', description: '' }, { name: 'No', description: '' }],
    }),
  );
  const qid = await createQuestion(db, lead, input, T0 - DAY);
  await publishQuestion(db, lead, qid, T0 - DAY);
  const q = await getQuestionForUser(db, lead, qid, T0);
  const [yes, no] = q.scenarios.map((s) => s.id) as [number, number];
  const v = (y: number, n: number) => new Map([[yes, y], [no, n]]);
  return { db, lead, a, b, c, viewer, qid, yes, no, v, ind: q.indicators[0]!.id };
}

test('anti-herding: a forecaster sees the team view only after a first forecast; leads and viewers always', async () => {
  const { db, lead, a, c, viewer, qid, v } = await twoScenarioQuestion();
  await saveForecast(db, a, qid, { values: v(60, 40), rationale: 'secret reasoning' }, T0 + DAY);
  const now = T0 + 2 * DAY;
  assert.equal(await getAggregateView(db, c, qid, { now: now }), null);
  assert.equal((await listVisibleForecasts(db, c, qid)).rows.length, 0);
  assert.equal((await listVisibleForecasts(db, c, qid)).restricted, true);
  assert.ok(await getAggregateView(db, lead, qid, { now: now }));
  assert.ok(await getAggregateView(db, viewer, qid, { now: now }));
  await saveForecast(db, c, qid, { values: v(30, 70), rationale: '' }, now);
  const view = (await getAggregateView(db, c, qid, { now: now + 1 }))!;
  assert.equal(view.forecasterCount, 2);
  assert.equal((await listVisibleForecasts(db, c, qid)).rows.length, 2);
  // Geometric mean of odds, recency weights off for N <= 2: sqrt(.6*.3)/(sqrt(.6*.3)+sqrt(.4*.7))
  // python3 -c "import math;a=math.sqrt(.6*.3);b=math.sqrt(.4*.7);print(a/(a+b))" -> 0.4449...
  near(view.probabilities![0]!, Math.sqrt(0.18) / (Math.sqrt(0.18) + Math.sqrt(0.28)));
  const sp = view.spread[0]!;
  [sp.min, sp.q1, sp.median, sp.q3, sp.max].forEach((x, i) => near(x, [0.3, 0.375, 0.45, 0.525, 0.6][i]!, 1e-12));
  // With the setting off, no one is hidden anything (a copy of the question with the setting
  // changed is not trusted: the rule reads the stored question, so the lead turns it off).
  const newcomer = await addUser(db, 'New', 'forecaster');
  const q = await getQuestionForUser(db, newcomer, qid);
  assert.equal(await canSeeTeamView(db, newcomer, { ...q, antiHerding: false }), false);
  await updateQuestion(db, lead, qid, { ...questionInputSchema.parse(questionInput({ closesAt: new Date(T0 + 10 * DAY).toISOString() })), antiHerding: false, scenarios: q.scenarios.map((s) => ({ id: s.id, name: s.name, description: s.description })), indicators: q.indicators.map((i) => ({ id: i.id, name: i.name, description: i.description, deadline: i.deadline })) }, T0 + 2 * DAY);
  assert.equal(await canSeeTeamView(db, newcomer, qid), true);
});

test('scores of a resolved question equal values computed by hand; a correction recomputes them', async () => {
  const { db, lead, a, b, c, qid, yes, no, v, ind } = await twoScenarioQuestion();
  await saveForecast(db, a, qid, { values: v(60, 40), rationale: '' }, T0);
  await saveForecast(db, b, qid, { values: v(20, 80), rationale: '' }, T0 + 5 * DAY);
  const e = await logIndicatorEvent(db, lead, qid, eventInputSchema.parse({ indicatorId: String(ind), occurredAt: new Date(T0 + 7 * DAY).toISOString() }), T0 + 7 * DAY);
  await saveForecast(db, a, qid, { values: v(70, 30), rationale: '', update: { eventId: e, likelihoods: new Map([[yes, 70], [no, 45]]) } }, T0 + 8 * DAY);
  await assert.rejects(async () => getScoresView(db, a, qid), code('conflict'));
  await assert.rejects(async () => resolveQuestion(db, a, qid, { scenarioId: yes, resolvedAt: T0 + 10 * DAY, note: '' }, T0 + 11 * DAY), code('forbidden'));
  await resolveQuestion(db, lead, qid, { scenarioId: yes, resolvedAt: T0 + 10 * DAY, note: 'done' }, T0 + 11 * DAY);
  await assert.rejects(async () => saveForecast(db, c, qid, { values: v(50, 50), rationale: '' }, T0 + 12 * DAY), code('conflict'));

  const s = await getScoresView(db, c, qid);
  const alice = s.forecasters.find((f) => f.name === 'Alice')!;
  const bob = s.forecasters.find((f) => f.name === 'Bob')!;
  // Alice: Brier .32 for 8 days then .18 for 2: (2.56 + .36) / 10 = .292.
  near(alice.timeAveragedBrier, 0.292);
  near(alice.coverage, 1);
  // Relative: 0 for 5 days (alone), -.48 for 3 (median of .32 and 1.28 is .8), -.55 for 2: -2.54 / 10.
  near(alice.relativeBrier, -0.254);
  near(alice.finalBrier, 0.18);
  near(alice.logScore, Math.log(0.7));
  near(bob.timeAveragedBrier, 1.28);
  near(bob.coverage, 0.5);
  near(bob.relativeBrier, 2.54 / 5);
  // Linear pool, equal weights: (.6,.4) for 5 days, mean (.4,.6) for 3, mean (.45,.55) for 2.
  // python3 -c "print((.32*5 + .72*3 + (.55**2*2)*2)/10)" -> 0.497
  near(s.methods.find((m) => m.id === 'linear-uniform')!.timeAveragedBrier, (0.32 * 5 + 0.72 * 3 + 0.55 ** 2 * 2 * 2) / 10);
  // The update on the event: Brier .32 before, .18 after.
  assert.deepEqual(s.events.map((x) => [x.eventId, x.updates]), [[e, 1]]);
  near(s.events[0]!.value, 0.14);

  // Leaderboard and track record read the same numbers.
  const board = await getLeaderboard(db, c, 1);
  assert.deepEqual(board.map((r) => r.name), ['Alice', 'Bob']);
  near(board[0]!.meanRelativeBrier, -0.254);
  assert.equal((await getLeaderboard(db, c, 2)).length, 0);
  const record = await getTrackRecord(db, a);
  assert.equal(record.questions.length, 1);
  assert.equal(record.pairCount, 4);
  await assert.rejects(async () => getTrackRecord(db, b, a.id), code('forbidden'));

  // Correcting the resolution to "No" recomputes every score and is audited.
  await resolveQuestion(db, lead, qid, { scenarioId: no, resolvedAt: T0 + 10 * DAY, note: 'corrected' }, T0 + 12 * DAY);
  const s2 = await getScoresView(db, c, qid);
  near(s2.forecasters.find((f) => f.name === 'Bob')!.timeAveragedBrier, 0.08);
  // Outcome "No": before (.6,.4) scores .36+.36 = .72, after (.7,.3) scores .49+.49 = .98.
  near(s2.events[0]!.value, 0.72 - 0.98);
  const audit = (await db.select().from(auditLog).where(eq(auditLog.action, 'question.correct_resolution')));
  assert.equal(audit.length, 1);
  assert.equal(JSON.parse(audit[0]!.detail).from.scenarioId, yes);
  const listed = await listAuditLog(db, lead);
  assert.deepEqual(listed.slice(0, 2).map((e) => e.action), ['question.correct_resolution', 'question.resolve']);
  assert.equal(listed[0]!.entityLabel, 'Test question');
  await assert.rejects(async () => listAuditLog(db, a), code('forbidden'));
});

test('resolution input is checked; annulment needs the lead; the method choice is validated', async () => {
  const { db, lead, a, qid, yes, v } = await twoScenarioQuestion();
  const other = await twoScenarioQuestion();
  const otherScenario = other.yes + 1000;
  await assert.rejects(async () => resolveQuestion(db, lead, qid, { scenarioId: otherScenario, resolvedAt: T0 + DAY, note: '' }, T0 + 2 * DAY), code('invalid'));
  await assert.rejects(async () => resolveQuestion(db, lead, qid, { scenarioId: yes, resolvedAt: T0 - 5 * DAY, note: '' }, T0 + 2 * DAY), (e: unknown) => e instanceof AppError && /before the question opened/.test(e.message));
  await assert.rejects(async () => resolveQuestion(db, lead, qid, { scenarioId: yes, resolvedAt: T0 + 9 * DAY, note: '' }, T0 + 2 * DAY), (e: unknown) => e instanceof AppError && /future/.test(e.message));
  await assert.rejects(async () => resolveQuestion(db, lead, 4242, { scenarioId: yes, resolvedAt: T0, note: '' }, T0 + 2 * DAY), code('not_found'));
  await assert.rejects(async () => setAggregationMethod(db, lead, qid, 'no-such-method'), code('invalid'));
  await assert.rejects(async () => setAggregationMethod(db, a, qid, 'linear-uniform'), code('forbidden'));
  await setAggregationMethod(db, lead, qid, 'median-uniform');
  assert.equal((await getQuestionForUser(db, lead, qid)).aggregationMethod, 'median-uniform');
  await assert.rejects(async () => annulQuestion(db, a, qid, 'because'), code('forbidden'));
  await annulQuestion(db, lead, qid, 'The premise failed', T0 + 3 * DAY);
  assert.equal((await getQuestionForUser(db, lead, qid)).status, 'annulled');
  await assert.rejects(async () => saveForecast(db, a, qid, { values: v(50, 50), rationale: '' }, T0 + 4 * DAY), code('conflict'));
  await assert.rejects(async () => getScoresView(db, a, qid), (e: unknown) => e instanceof AppError && /annulled/.test(e.message));
  await assert.rejects(async () => resolveQuestion(db, lead, qid, { scenarioId: yes, resolvedAt: T0 + DAY, note: '' }, T0 + 4 * DAY), code('conflict'));
});

test('thinSeries keeps exact points, the first and the last, and at most the limit', async () => {
  const { thinSeries } = await import('@/lib/team-view');
  const series = Array.from({ length: 1000 }, (_, i) => ({ time: i * 10, value: i }));
  const thin = thinSeries(series, 50);
  assert.ok(thin.length <= 50, `${thin.length} points`);
  assert.equal(thin[0], series[0]);
  assert.equal(thin.at(-1), series.at(-1));
  for (const p of thin) assert.equal(p, series[p.value]);
  assert.deepEqual(thinSeries(series.slice(0, 10), 50), series.slice(0, 10));
});
