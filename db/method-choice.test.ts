// The question's method, extremising power and skill setting: stored, validated, used by the
// aggregate views, audited; and the method the team's record favours.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_SKILL_PRIOR_COUNT,
  DEFAULT_SKILL_TEMPERATURE,
  RECOMMEND_SKILL_SETTINGS,
  aggregate,
  getAggregationMethod,
  recommendMethod,
  skillWeightsFromRecords,
  type ResolvedQuestion,
} from '@/lib/aggregation';
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

// ---- per-question skill settings -----------------------------------------------------------

/**
 * Ten resolved questions (two scenarios, all forecasts at the opening, window [T0, T0 + 40
 * days]) on which Alice reliably leans the right way and Bob and Cleo the wrong way: sharper
 * skill weights (a lower temperature) trust Alice more and score better.
 */
const ALICE = [75, 72, 78, 70, 76, 74, 73, 77, 71, 79];
const BOB = [30, 35, 28, 33, 31, 36, 29, 32, 34, 30];
const CLEO = [40, 38, 42, 37, 41, 39, 43, 36, 44, 40];

async function teamWithSkilledAlice() {
  const db = await freshDb();
  const lead = await addUser(db, 'Lead', 'lead');
  const people = [await addUser(db, 'Alice', 'forecaster'), await addUser(db, 'Bob', 'forecaster'), await addUser(db, 'Cleo', 'forecaster')];
  const record: ResolvedQuestion[] = [];
  for (let i = 0; i < ALICE.length; i++) {
    const qid = await createQuestion(db, lead, questionInputSchema.parse(questionInput({ title: `S${i}`, scenarios: [{ name: 'Yes', description: '' }, { name: 'No', description: '' }] })), T0 - DAY);
    await publishQuestion(db, lead, qid, T0 - DAY);
    const q = await getQuestionForUser(db, lead, qid, T0);
    const outcome = i % 2;
    const history: ResolvedQuestion['history'][number][] = [];
    for (const [k, who] of people.entries()) {
      const onTruth = [ALICE, BOB, CLEO][k]![i]!;
      const onYes = outcome === 0 ? onTruth : 100 - onTruth;
      await saveForecast(db, who, qid, { values: new Map([[q.scenarios[0]!.id, onYes], [q.scenarios[1]!.id, 100 - onYes]]), rationale: '' }, T0);
      history.push({ forecasterId: String(who.id), time: T0, probabilities: [onYes / 100, 1 - onYes / 100] });
    }
    await resolveQuestion(db, lead, qid, { scenarioId: q.scenarios[outcome]!.id, resolvedAt: T0 + 40 * DAY, note: '' }, T0 + 41 * DAY);
    record.push({ id: String(qid), history, window: { start: T0, end: T0 + 40 * DAY }, outcome });
  }
  const open = await createQuestion(db, lead, questionInputSchema.parse(questionInput({ title: 'Open', scenarios: [{ name: 'Yes', description: '' }, { name: 'No', description: '' }] })), T0);
  await publishQuestion(db, lead, open, T0);
  const oq = await getQuestionForUser(db, lead, open, T0);
  for (const [k, who] of people.entries()) {
    const yes = [70, 20, 35][k]!;
    await saveForecast(db, who, open, { values: new Map([[oq.scenarios[0]!.id, yes], [oq.scenarios[1]!.id, 100 - yes]]), rationale: '' }, T0 + 50 * DAY + k);
  }
  // Each forecaster's record by hand: forecasts stand all window long, so the relative Brier of
  // a question is the forecaster's Brier 2 (1 - p)^2 minus the median of the three.
  const sums = [0, 0, 0];
  for (let i = 0; i < ALICE.length; i++) {
    const b = [ALICE, BOB, CLEO].map((xs) => 2 * (1 - xs[i]! / 100) ** 2);
    const median = [...b].sort((x, y) => x - y)[1]!;
    b.forEach((x, k) => (sums[k] = sums[k]! + x - median));
  }
  const records = people.map((p, k) => ({ forecasterId: String(p.id), meanRelativeBrier: sums[k]! / ALICE.length, resolvedCount: ALICE.length }));
  return { db, lead, people, record, records, open };
}

test('a record on which sharper skill weights win: the review equals the library over the same record and grid, and switching stores the temperature', async () => {
  const { db, lead, people, record, records, open } = await teamWithSkilledAlice();
  const view = await getMethodRecommendation(db, lead, open);
  // The same computation by the library over the record the test built, with the whole grid.
  const lib = recommendMethod(record, { currentMethodId: 'logarithmic-recency', currentAlpha: 1.5, skillSettings: RECOMMEND_SKILL_SETTINGS });
  assert.equal(view.tooShort, false);
  assert.equal(view.questionCount, 10);
  assert.deepEqual(view.current, { methodId: 'logarithmic-recency', alpha: null, skill: null, meanBrier: lib.current.meanBrier });
  assert.deepEqual([view.recommended.methodId, view.recommended.alpha, view.recommended.skill], [lib.recommended.methodId, lib.recommended.alpha, lib.recommended.skill]);
  assert.ok(Math.abs(view.recommended.meanBrier! - lib.recommendedMeanBrier!) < 1e-12);
  assert.ok(Math.abs(view.leaveOneOut!.meanBrier - lib.leaveOneOut!.meanBrier) < 1e-12);
  // The winner is a skill method at half the default temperature, clearly ahead of the same
  // method at the default temperature.
  assert.deepEqual(view.recommended.skill, { priorCount: DEFAULT_SKILL_PRIOR_COUNT, temperature: DEFAULT_SKILL_TEMPERATURE / 2 });
  const atDefault = lib.methods.find((m) => m.candidate.methodId === lib.recommended.methodId && m.candidate.alpha === lib.recommended.alpha && m.candidate.skill?.temperature === DEFAULT_SKILL_TEMPERATURE)!;
  assert.ok(atDefault.meanBrier - view.recommended.meanBrier! > 1e-4, `${atDefault.meanBrier} vs ${view.recommended.meanBrier}`);

  // Switching stores the method, power and skill setting, audited, one version up.
  const before = await getQuestionForUser(db, lead, open);
  assert.deepEqual(before.skillSettings, { priorCount: 20, temperature: 0.05 });
  const chosen = await switchToRecommendedMethod(db, lead, open, T0 + 60 * DAY);
  assert.deepEqual(chosen, { methodId: view.recommended.methodId, alpha: view.recommended.alpha, skill: view.recommended.skill });
  const after = await getQuestionForUser(db, lead, open);
  assert.deepEqual([after.aggregationMethod, after.skillSettings, after.version], [view.recommended.methodId, { priorCount: 20, temperature: 0.025 }, before.version + 1]);
  const audit = (await listAuditLog(db, lead)).find((e) => e.action === 'question.settings' && e.entityId === open)!;
  assert.deepEqual(audit.detail, {
    aggregationMethod: { from: 'logarithmic-recency', to: view.recommended.methodId },
    ...(view.recommended.alpha !== null ? { extremisingAlpha: { from: 1.5, to: view.recommended.alpha } } : {}),
    skillPriorCount: { from: 20, to: 20 },
    skillTemperature: { from: 0.05, to: 0.025 },
    via: 'recommendation',
  });
  assert.equal((await getMethodRecommendation(db, lead, open)).isCurrent, true);

  // The question's skill pools now use weights at temperature 0.025 from the records the test
  // computed: Alice's weight exp(-s / 0.025) with s = r * 10 / 30, the others' likewise.
  const weights = skillWeightsFromRecords(records, { priorCount: 20, temperature: 0.025 });
  const wA = Math.exp(-((records[0]!.meanRelativeBrier * 10) / 30) / 0.025);
  assert.ok(Math.abs(weights.get(String(people[0]!.id))! / wA - 1) < 1e-12);
  const agg = (await getAggregateView(db, lead, open, { now: T0 + 61 * DAY }))!;
  assert.deepEqual(agg.skill, { priorCount: 20, temperature: 0.025 });
  const standing = people.map((p, k) => ({ forecasterId: String(p.id), time: T0 + 50 * DAY + k, probabilities: [[0.7, 0.2, 0.35][k]!, 1 - [0.7, 0.2, 0.35][k]!] }));
  const m = getAggregationMethod(view.recommended.methodId);
  const expected = aggregate(standing, { ...m.options, ...(view.recommended.alpha !== null ? { alpha: view.recommended.alpha } : {}), skillWeights: weights });
  expected.forEach((p, k) => assert.ok(Math.abs(agg.probabilities![k]! - p) < 1e-12, `${agg.probabilities} vs ${expected}`));
  // The linear skill pool by hand: the weighted mean of 0.7, 0.2 and 0.35.
  const w = records.map((r) => Math.exp(-((r.meanRelativeBrier * 10) / 30) / 0.025));
  const linear = (w[0]! * 0.7 + w[1]! * 0.2 + w[2]! * 0.35) / (w[0]! + w[1]! + w[2]!);
  assert.ok(Math.abs(agg.methods.find((x) => x.id === 'linear-skill')!.probabilities![0]! - linear) < 1e-12);
  // At the default temperature it would differ: the setting is what moved it.
  const linearDefault = skillWeightsFromRecords(records);
  const wd = people.map((p) => linearDefault.get(String(p.id))!);
  assert.ok(Math.abs((wd[0]! * 0.7 + wd[1]! * 0.2 + wd[2]! * 0.35) / (wd[0]! + wd[1]! + wd[2]!) - linear) > 1e-4);

  // A setting outside the grid is the current candidate, scored at its own setting.
  await setAggregationMethod(db, lead, open, { methodId: 'linear-skill', temperature: 0.3, priorCount: 5 }, T0 + 62 * DAY);
  const own = await getMethodRecommendation(db, lead, open);
  const libOwn = recommendMethod(record, {
    currentMethodId: 'linear-skill',
    currentAlpha: after.extremisingAlpha,
    currentSkill: { priorCount: 5, temperature: 0.3 },
    skillSettings: [...RECOMMEND_SKILL_SETTINGS, { priorCount: 5, temperature: 0.3 }],
  });
  assert.deepEqual(own.current, { methodId: 'linear-skill', alpha: null, skill: { priorCount: 5, temperature: 0.3 }, meanBrier: libOwn.current.meanBrier });
  assert.deepEqual([own.recommended.methodId, own.recommended.skill], [libOwn.recommended.methodId, libOwn.recommended.skill]);
  assert.equal(own.isCurrent, false);
});

test('skill settings out of range are refused with a message naming the field, and nothing changes', async () => {
  const { db, lead, people, open } = await teamWithSkilledAlice();
  await setAggregationMethod(db, lead, open, { methodId: 'linear-skill', temperature: 0.1, priorCount: 10 }, T0 + 60 * DAY);
  const before = await getQuestionForUser(db, lead, open);
  assert.deepEqual([before.aggregationMethod, before.skillSettings], ['linear-skill', { priorCount: 10, temperature: 0.1 }]);
  const badTemperature = [0, -0.05, 10.01, Number.NaN, Infinity, '0.1' as unknown as number];
  for (const t of badTemperature) {
    await assert.rejects(
      setAggregationMethod(db, lead, open, { methodId: 'extremised-skill', alpha: 2, temperature: t, priorCount: 30 }),
      (e) => code('invalid')(e) && /skill temperature must be a number above 0 and at most 10/.test((e as Error).message),
      String(t),
    );
  }
  for (const c of [-1, 1000.5, Number.NaN, -Infinity]) {
    await assert.rejects(
      setAggregationMethod(db, lead, open, { methodId: 'extremised-skill', alpha: 2, temperature: 0.2, priorCount: c }),
      (e) => code('invalid')(e) && /skill prior count must be a number from 0 to 1000/.test((e as Error).message),
      String(c),
    );
  }
  await assert.rejects(setAggregationMethod(db, people[0]!, open, { methodId: 'linear-skill', temperature: 0.2 }), code('forbidden'));
  const after = await getQuestionForUser(db, lead, open);
  assert.deepEqual([after.aggregationMethod, after.extremisingAlpha, after.skillSettings, after.version], ['linear-skill', 1.5, { priorCount: 10, temperature: 0.1 }, before.version]);
  // The bounds themselves are accepted.
  await setAggregationMethod(db, lead, open, { methodId: 'linear-skill', temperature: 10, priorCount: 0 });
  await setAggregationMethod(db, lead, open, { methodId: 'linear-skill', priorCount: 1000 });
  assert.deepEqual((await getQuestionForUser(db, lead, open)).skillSettings, { priorCount: 1000, temperature: 10 });
});

test('the method form reads the skill temperature and prior count strictly: blank keeps them, anything else named', () => {
  const parsed = methodSchema.parse({ methodId: 'linear-skill', temperature: ' 0.025 ', priorCount: '5' });
  assert.deepEqual([parsed.temperature, parsed.priorCount], [0.025, 5]);
  const blank = methodSchema.parse({ methodId: 'linear-skill', temperature: '', priorCount: '' });
  assert.deepEqual([blank.temperature, blank.priorCount], [undefined, undefined]);
  for (const bad of ['0', '0.0', '10.5', '-1', 'hot', '1e-2', 'NaN']) {
    const r = methodSchema.safeParse({ methodId: 'linear-skill', temperature: bad });
    assert.equal(r.success, false, bad);
    assert.match(r.error!.issues[0]!.message, /skill temperature must be a number above 0 and at most 10/);
    assert.deepEqual(r.error!.issues[0]!.path, ['temperature']);
  }
  for (const bad of ['1001', '-0.5', 'many', '2e1']) {
    const r = methodSchema.safeParse({ methodId: 'linear-skill', priorCount: bad });
    assert.equal(r.success, false, bad);
    assert.match(r.error!.issues[0]!.message, /skill prior count must be a number from 0 to 1000/);
    assert.deepEqual(r.error!.issues[0]!.path, ['priorCount']);
  }
});
