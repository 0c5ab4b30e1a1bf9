// The question's method and extremising power: stored, validated 1-5, used by the aggregate
// views, audited.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '@/lib/errors';
import { questionInputSchema } from '@/lib/validation/question';
import { methodSchema } from '@/lib/validation/resolution';
import { listAuditLog } from './queries/audit';
import { saveForecast } from './queries/forecasts';
import { createQuestion, getQuestionForUser, publishQuestion } from './queries/questions';
import { getMethodRecommendation, switchToRecommendedMethod } from './queries/recommendation';
import { resolveQuestion, setAggregationMethod } from './queries/resolution';
import { getAggregateView } from './queries/team-view';
import { DAY, T0, addUser, freshDb, questionInput } from './test-helpers';

const code = (c: string) => (e: unknown) => e instanceof AppError && e.code === c;
const logit = (p: number) => Math.log(p / (1 - p));
const expit = (x: number) => 1 / (1 + Math.exp(-x));

test('the extremising power is stored per question and used by the extremised methods (values by hand)', async () => {
  const db = await freshDb();
  const lead = await addUser(db, 'Lead', 'lead');
  const a = await addUser(db, 'Alice', 'forecaster');
  const f = await addUser(db, 'Fay', 'forecaster');
  const input = questionInputSchema.parse(questionInput({ scenarios: [{ name: 'Yes', description: '' }, { name: 'No', description: '' }] }));
  const qid = await createQuestion(db, lead, input, T0 - DAY);
  await publishQuestion(db, lead, qid, T0 - DAY);
  const q = await getQuestionForUser(db, lead, qid, T0);
  assert.equal(q.extremisingAlpha, 1.5); // the library's default
  const v = (y: number) => new Map([[q.scenarios[0]!.id, y], [q.scenarios[1]!.id, 100 - y]]);
  await saveForecast(db, a, qid, { values: v(70), rationale: '' }, T0 + DAY);
  await saveForecast(db, f, qid, { values: v(60), rationale: '' }, T0 + 2 * DAY);
  // Uniform weights, two scenarios: logit(a) = alpha * mean of the logits.
  const expected = (alpha: number) => expit((alpha * (logit(0.7) + logit(0.6))) / 2);
  const yesOf = async () => (await getAggregateView(db, lead, qid, { now: T0 + 3 * DAY }))!;

  await setAggregationMethod(db, lead, qid, 'extremised-uniform', T0 + 3 * DAY);
  let view = await yesOf();
  assert.equal(view.alpha, 1.5);
  assert.ok(Math.abs(view.probabilities![0]! - expected(1.5)) < 1e-12);

  await setAggregationMethod(db, lead, qid, { methodId: 'extremised-uniform', alpha: 3 }, T0 + 3 * DAY);
  view = await yesOf();
  assert.equal(view.alpha, 3);
  assert.ok(Math.abs(view.probabilities![0]! - expected(3)) < 1e-12, `${view.probabilities![0]} vs ${expected(3)}`);
  // Every method shown side by side uses it too; the log pool is unaffected.
  assert.ok(Math.abs(view.methods.find((m) => m.id === 'extremised-uniform')!.probabilities![0]! - expected(3)) < 1e-12);
  assert.ok(Math.abs(view.methods.find((m) => m.id === 'logarithmic-uniform')!.probabilities![0]! - expected(1)) < 1e-12);
  assert.equal((await getQuestionForUser(db, lead, qid)).extremisingAlpha, 3);

  // A method change without a power keeps it.
  await setAggregationMethod(db, lead, qid, 'linear-uniform', T0 + 3 * DAY);
  assert.equal((await getQuestionForUser(db, lead, qid)).extremisingAlpha, 3);

  // Out of range or not a number: refused, nothing changed.
  for (const bad of [0.5, 5.01, Number.NaN, Infinity]) {
    await assert.rejects(setAggregationMethod(db, lead, qid, { methodId: 'extremised-uniform', alpha: bad }), code('invalid'));
  }
  assert.equal((await getQuestionForUser(db, lead, qid)).extremisingAlpha, 3);
  assert.equal((await getQuestionForUser(db, lead, qid)).aggregationMethod, 'linear-uniform');
  await assert.rejects(setAggregationMethod(db, a, qid, { methodId: 'extremised-uniform', alpha: 2 }), code('forbidden'));

  const audit = (await listAuditLog(db, lead)).filter((e) => e.action === 'question.settings');
  assert.ok(audit.some((e) => JSON.stringify(e.detail).includes('"extremisingAlpha":{"from":1.5,"to":3}')), JSON.stringify(audit.map((e) => e.detail)));
});

test('the method form reads the power strictly: blank keeps it, 1-5 accepted, anything else named', () => {
  assert.equal(methodSchema.parse({ methodId: 'extremised-uniform', alpha: '' }).alpha, undefined);
  assert.equal(methodSchema.parse({ methodId: 'extremised-uniform' }).alpha, undefined);
  assert.equal(methodSchema.parse({ methodId: 'extremised-uniform', alpha: ' 2.5 ' }).alpha, 2.5);
  assert.equal(methodSchema.parse({ methodId: 'extremised-uniform', alpha: '5' }).alpha, 5);
  for (const bad of ['0.9', '6', 'two', '1e0', '-2', 'NaN', 'Infinity']) {
    const r = methodSchema.safeParse({ methodId: 'extremised-uniform', alpha: bad });
    assert.equal(r.success, false, bad);
    assert.match(r.error!.issues[0]!.message, /extremising power must be a number from 1 to 5/);
  }
});

// ---- the method the team's record favours ------------------------------------------------

/**
 * A team whose forecasters all lean the right way: on every question all three give the same
 * vector (p on the outcome), so every pool and weighting gives that vector and the most
 * extremised power tried (3) scores best. Brier of the series is then constant over the
 * window: 2 (1 - q)^2 with q the probability on the outcome.
 */
async function teamWithRecord(leans: number[]) {
  const db = await freshDb();
  const lead = await addUser(db, 'Lead', 'lead');
  const people = [await addUser(db, 'Alice', 'forecaster'), await addUser(db, 'Bob', 'forecaster'), await addUser(db, 'Cleo', 'forecaster')];
  const viewer = await addUser(db, 'Vic', 'viewer');
  const ids: number[] = [];
  for (const [i, p] of leans.entries()) {
    const qid = await createQuestion(db, lead, questionInputSchema.parse(questionInput({ title: `Q${i}`, scenarios: [{ name: 'Yes', description: '' }, { name: 'No', description: '' }] })), T0 - DAY);
    await publishQuestion(db, lead, qid, T0 - DAY);
    const q = await getQuestionForUser(db, lead, qid, T0);
    // Odd questions resolve No: the forecasters lean to No there.
    const outcome = i % 2;
    const onYes = outcome === 0 ? p : 100 - p;
    for (const [k, who] of people.entries()) {
      await saveForecast(db, who, qid, { values: new Map([[q.scenarios[0]!.id, onYes], [q.scenarios[1]!.id, 100 - onYes]]), rationale: '' }, T0 + k);
    }
    await resolveQuestion(db, lead, qid, { scenarioId: q.scenarios[outcome]!.id, resolvedAt: T0 + 40 * DAY, note: '' }, T0 + 41 * DAY);
    ids.push(qid);
  }
  // The question the lead reviews: open, with the default method.
  const open = await createQuestion(db, lead, questionInputSchema.parse(questionInput({ title: 'Open' })), T0);
  await publishQuestion(db, lead, open, T0);
  return { db, lead, people, viewer, ids, open };
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

test('ten resolved questions where extremising clearly helps: the record favours extremised-uniform at power 3 (values by hand)', async () => {
  const leans = [70, 65, 80, 60, 75, 72, 68, 77, 62, 85];
  const { db, lead, people, viewer, open } = await teamWithRecord(leans);
  const r = await getMethodRecommendation(db, lead, open);
  assert.equal(r.tooShort, false);
  assert.equal(r.questionCount, 10);
  assert.deepEqual([r.current.methodId, r.current.alpha], ['logarithmic-recency', null]);
  assert.deepEqual([r.recommended.methodId, r.recommended.alpha], ['extremised-uniform', 3]);
  assert.equal(r.isCurrent, false);
  const q = leans.map((p) => p / 100);
  const now = q.map((x) => 2 * (1 - x) ** 2);
  const e3 = q.map((x) => x ** 3 / (x ** 3 + (1 - x) ** 3));
  const rec = e3.map((x) => 2 * (1 - x) ** 2);
  const d = rec.map((x, i) => x - now[i]!);
  const se = Math.sqrt(d.reduce((s, x) => s + (x - mean(d)) ** 2, 0) / (d.length * (d.length - 1)));
  assert.ok(Math.abs(r.current.meanBrier! - mean(now)) < 1e-12);
  assert.ok(Math.abs(r.recommended.meanBrier! - mean(rec)) < 1e-12);
  assert.ok(Math.abs(r.recommended.difference! - mean(d)) < 1e-12);
  assert.ok(Math.abs(r.recommended.standardError! - se) < 1e-12, `${r.recommended.standardError} vs ${se}`);
  // Left out one at a time, every question is still best served by power 3.
  assert.ok(Math.abs(r.leaveOneOut!.meanBrier - mean(rec)) < 1e-12);
  assert.ok(Math.abs(r.leaveOneOut!.difference - mean(d)) < 1e-12);

  // Leads only.
  for (const who of [people[0]!, viewer]) {
    await assert.rejects(getMethodRecommendation(db, who, open), code('forbidden'));
    await assert.rejects(switchToRecommendedMethod(db, who, open), code('forbidden'));
  }
  // Cached per resolved-set version: the same computation is returned until the record changes.
  const again = await getMethodRecommendation(db, lead, open);
  assert.equal(again.computeMs, r.computeMs);

  // It never switches by itself; one call by the lead does, audited.
  assert.equal((await getQuestionForUser(db, lead, open)).aggregationMethod, 'logarithmic-recency');
  const v0 = (await getQuestionForUser(db, lead, open)).version;
  assert.deepEqual(await switchToRecommendedMethod(db, lead, open, T0 + 50 * DAY), { methodId: 'extremised-uniform', alpha: 3, skill: null });
  const after = await getQuestionForUser(db, lead, open);
  assert.deepEqual([after.aggregationMethod, after.extremisingAlpha, after.version], ['extremised-uniform', 3, v0 + 1]);
  const audit = (await listAuditLog(db, lead)).find((e) => e.action === 'question.settings' && e.entityId === open)!;
  assert.deepEqual(audit.detail, { aggregationMethod: { from: 'logarithmic-recency', to: 'extremised-uniform' }, extremisingAlpha: { from: 1.5, to: 3 }, via: 'recommendation' });
  // Now it is the current method: nothing to switch to.
  const now2 = await getMethodRecommendation(db, lead, open);
  assert.equal(now2.isCurrent, true);
  assert.ok(Math.abs(now2.current.meanBrier! - mean(rec)) < 1e-12);
  await assert.rejects(switchToRecommendedMethod(db, lead, open), (e) => code('conflict')(e) && /already uses/.test((e as Error).message));
});

test('fewer than ten resolved questions: the record is too short, the current method stays and the switch is refused', async () => {
  const { db, lead, open } = await teamWithRecord([70, 65, 80, 60, 75, 72, 68, 77, 62]);
  const r = await getMethodRecommendation(db, lead, open);
  assert.equal(r.tooShort, true);
  assert.equal(r.questionCount, 9);
  assert.equal(r.minQuestions, 10);
  assert.deepEqual([r.recommended.methodId, r.recommended.alpha], ['logarithmic-recency', null]);
  assert.equal(r.isCurrent, true);
  await assert.rejects(switchToRecommendedMethod(db, lead, open), (e) => code('conflict')(e) && /too short .*9 of the 10/.test((e as Error).message));
  assert.equal((await getQuestionForUser(db, lead, open)).aggregationMethod, 'logarithmic-recency');
});
