import { test } from 'node:test';
import assert from 'node:assert/strict';
import { count, eq } from 'drizzle-orm';
import { AppError } from '@/lib/errors';
import { questionInputSchema } from '@/lib/validation/question';
import { listMyForecasts, saveForecast } from './queries/forecasts';
import { createQuestion, getQuestionForUser, listQuestionsForUser, publishQuestion, updateQuestion } from './queries/questions';
import {
  acceptInvite,
  changeMemberRole,
  createFirstUser,
  createInvite,
  getOpenInvite,
  revokeInvite,
  setMemberActive,
  verifyCredentials,
} from './queries/users';
import { auditLog, forecastProbabilities, forecasts, users } from './schema';
import { DAY, T0, addUser, freshDb, questionInput } from './test-helpers';

const code = (c: string) => (e: unknown) => e instanceof AppError && e.code === c;
const values = (ids: number[], percents: unknown[]) => new Map(ids.map((id, i) => [id, percents[i]]));

function openQuestion() {
  const db = freshDb();
  const lead = addUser(db, 'Lead', 'lead');
  const fc = addUser(db, 'Fc', 'forecaster');
  const viewer = addUser(db, 'Viewer', 'viewer');
  const qid = createQuestion(db, lead, questionInputSchema.parse(questionInput()), T0 - DAY);
  publishQuestion(db, lead, qid, T0 - DAY);
  const scen = getQuestionForUser(db, lead, qid, T0).scenarios.map((s) => s.id);
  return { db, lead, fc, viewer, qid, scen };
}

test('the first account becomes the lead; a second first-account is refused', async () => {
  const db = freshDb();
  const first = await createFirstUser(db, { name: 'Ada', email: 'ada@example.org', password: 'long-enough-pw' });
  assert.equal(first.role, 'lead');
  await assert.rejects(createFirstUser(db, { name: 'Bob', email: 'bob@example.org', password: 'long-enough-pw' }), code('conflict'));
  assert.equal(db.select({ n: count() }).from(users).get()?.n, 1);
  // The stored hash is argon2id and verifies.
  const row = db.select().from(users).where(eq(users.id, first.id)).get()!;
  assert.match(row.passwordHash, /^\$argon2id\$/);
  assert.equal((await verifyCredentials(db, 'ADA@example.org', 'long-enough-pw'))?.id, first.id);
  assert.equal(await verifyCredentials(db, 'ada@example.org', 'wrong-password'), null);
});

test('invites are single-use, expire, can be revoked, and carry their role', async () => {
  const db = freshDb();
  const lead = addUser(db, 'Lead', 'lead');
  const fc = addUser(db, 'Fc', 'forecaster');
  assert.throws(() => createInvite(db, fc, { role: 'lead', email: null, expiresInDays: 7 }), code('forbidden'));
  const inv = createInvite(db, lead, { role: 'viewer', email: null, expiresInDays: 7 }, T0);
  assert.equal(getOpenInvite(db, inv.token, T0)?.role, 'viewer');
  assert.equal(getOpenInvite(db, inv.token, T0 + 8 * DAY), null, 'expired');
  const user = await acceptInvite(db, inv.token, { name: 'New', email: 'new@example.org', password: 'long-enough-pw' }, T0 + DAY);
  assert.equal(user.role, 'viewer');
  await assert.rejects(acceptInvite(db, inv.token, { name: 'Again', email: 'again@example.org', password: 'long-enough-pw' }, T0 + DAY), code('not_found'));
  const late = createInvite(db, lead, { role: 'forecaster', email: null, expiresInDays: 1 }, T0);
  await assert.rejects(acceptInvite(db, late.token, { name: 'Late', email: 'late@example.org', password: 'long-enough-pw' }, T0 + 2 * DAY), code('not_found'));
  const revoked = createInvite(db, lead, { role: 'forecaster', email: 'x@example.org', expiresInDays: 3 }, T0);
  revokeInvite(db, lead, revoked.id, T0);
  assert.equal(getOpenInvite(db, revoked.token, T0), null);
  const bound = createInvite(db, lead, { role: 'forecaster', email: 'only@example.org', expiresInDays: 3 }, T0);
  await assert.rejects(acceptInvite(db, bound.token, { name: 'Other', email: 'other@example.org', password: 'long-enough-pw' }, T0), code('invalid'));
});

test('the last lead cannot be demoted or deactivated; role changes are audited', () => {
  const db = freshDb();
  const lead = addUser(db, 'Lead', 'lead');
  const fc = addUser(db, 'Fc', 'forecaster');
  assert.throws(() => changeMemberRole(db, lead, lead.id, 'forecaster'), code('conflict'));
  assert.throws(() => setMemberActive(db, lead, lead.id, false), code('conflict'));
  assert.throws(() => changeMemberRole(db, fc, fc.id, 'lead'), code('forbidden'));
  changeMemberRole(db, lead, fc.id, 'lead', T0);
  changeMemberRole(db, lead, lead.id, 'viewer', T0);
  const entries = db.select().from(auditLog).where(eq(auditLog.action, 'member.role')).all();
  assert.equal(entries.length, 2);
  assert.deepEqual(JSON.parse(entries[0]!.detail), { from: 'forecaster', to: 'lead' });
});

test('a valid forecast is stored renormalised to exactly 1, one row per scenario', () => {
  const { db, fc, qid, scen } = openQuestion();
  const saved = saveForecast(db, fc, qid, { values: values(scen, ['50', '30.2', '20']), rationale: 'why' }, T0 + DAY);
  const rows = db.select().from(forecastProbabilities).where(eq(forecastProbabilities.forecastId, saved.id)).all();
  assert.equal(rows.length, 3);
  const total = rows.reduce((s, r) => s + r.probability, 0);
  assert.ok(Math.abs(total - 1) < 1e-12, `total ${total}`);
  // 50 / 100.2 computed by hand: 0.499001996...
  assert.ok(Math.abs(rows.find((r) => r.scenarioId === scen[0])!.probability - 50 / 100.2) < 1e-12);
  const history = listMyForecasts(db, fc, qid);
  assert.equal(history.length, 1);
  assert.equal(history[0]!.rationale, 'why');
});

test('bad forecasts are refused with a message naming the problem, and nothing is stored', () => {
  const { db, fc, viewer, lead, qid, scen } = openQuestion();
  const cases: [string, Map<number, unknown>, RegExp][] = [
    ['total 90', values(scen, [40, 30, 20]), /total 90%/],
    ['total 101', values(scen, [41, 40, 20]), /total 101%/],
    ['missing', values(scen.slice(0, 2), [50, 50]), /Enter a probability for "C"/],
    ['extra', new Map([...values(scen, [50, 30, 20]), [99999, 1]]), /not a scenario of this question/],
    ['not a number', values(scen, ['fifty', 30, 20]), /"A" is not a number/],
    ['too small', values(scen, [0.05, 49.95, 50]), /"A".*0\.1%/],
    ['too large', values(scen, [99.95, 0.05, 0]), /"A".*99\.9%/],
  ];
  for (const [label, v, message] of cases) {
    assert.throws(
      () => saveForecast(db, fc, qid, { values: v, rationale: '' }, T0 + DAY),
      (e: unknown) => e instanceof AppError && e.code === 'invalid' && message.test(e.message),
      label,
    );
  }
  assert.throws(() => saveForecast(db, fc, qid, { values: values(scen, [50, 30, 20]), rationale: 'x'.repeat(5001) }, T0 + DAY), code('invalid'));
  assert.throws(() => saveForecast(db, viewer, qid, { values: values(scen, [50, 30, 20]), rationale: '' }, T0 + DAY), code('forbidden'));
  assert.throws(() => saveForecast(db, fc, 424242, { values: values(scen, [50, 30, 20]), rationale: '' }, T0 + DAY), code('not_found'));
  assert.throws(() => saveForecast(db, fc, qid, { values: values(scen, [50, 30, 20]), rationale: '' }, T0 + 200 * DAY), (e: unknown) => e instanceof AppError && /closed/.test(e.message));
  assert.throws(() => saveForecast(db, fc, qid, { values: values(scen, [50, 30, 20]), rationale: '' }, T0 - 2 * DAY), (e: unknown) => e instanceof AppError && /opens at/.test(e.message));
  const draft = createQuestion(db, lead, questionInputSchema.parse(questionInput()), T0);
  assert.throws(() => saveForecast(db, fc, draft, { values: new Map(), rationale: '' }, T0 + DAY), code('not_found'), 'a draft is invisible to forecasters');
  assert.equal(db.select({ n: count() }).from(forecasts).get()?.n, 0);
  assert.equal(db.select({ n: count() }).from(forecastProbabilities).get()?.n, 0);
});

test('drafts are visible to leads only; the list carries my latest forecast', () => {
  const { db, lead, fc, qid, scen } = openQuestion();
  createQuestion(db, lead, questionInputSchema.parse(questionInput({ title: 'Draft' })), T0);
  assert.equal(listQuestionsForUser(db, lead, T0).length, 2);
  assert.deepEqual(listQuestionsForUser(db, fc, T0).map((q) => q.title), ['Test question']);
  saveForecast(db, fc, qid, { values: values(scen, [60, 30, 10]), rationale: '' }, T0 + DAY);
  saveForecast(db, fc, qid, { values: values(scen, [20, 30, 50]), rationale: '' }, T0 + 2 * DAY);
  const item = listQuestionsForUser(db, fc, T0 + 3 * DAY)[0]!;
  assert.equal(item.myLatest?.createdAt, T0 + 2 * DAY);
  assert.ok(Math.abs(item.myLatest!.probabilities.get(scen[2]!)! - 0.5) < 1e-12);
});

test('once forecasts exist, scenarios are fixed but can be reworded', () => {
  const { db, lead, fc, qid, scen } = openQuestion();
  const base = questionInputSchema.parse(questionInput());
  // Before any forecast, a scenario can be added.
  updateQuestion(db, lead, qid, { ...base, scenarios: [...scen.map((id, i) => ({ id, name: 'ABC'[i]!, description: '' })), { id: null, name: 'Other', description: '' }] }, T0);
  const now4 = getQuestionForUser(db, lead, qid, T0).scenarios;
  assert.equal(now4.length, 4);
  saveForecast(db, fc, qid, { values: values(now4.map((s) => s.id), [40, 30, 20, 10]), rationale: '' }, T0 + DAY);
  const reworded = now4.map((s) => ({ id: s.id, name: `${s.name} (reworded)`, description: 'new' }));
  updateQuestion(db, lead, qid, { ...base, scenarios: reworded }, T0 + DAY);
  assert.equal(getQuestionForUser(db, lead, qid, T0).scenarios[0]!.name, 'A (reworded)');
  assert.throws(() => updateQuestion(db, lead, qid, { ...base, scenarios: reworded.slice(0, 3) }, T0 + DAY), code('conflict'));
  assert.throws(() => updateQuestion(db, lead, qid, { ...base, scenarios: [...reworded].reverse() }, T0 + DAY), code('conflict'));
  assert.throws(() => updateQuestion(db, fc, qid, { ...base, scenarios: reworded }, T0 + DAY), code('forbidden'));
});

test('the question schema refuses bad input with named problems', () => {
  const bad = (over: Record<string, unknown>) => {
    const r = questionInputSchema.safeParse(questionInput(over));
    assert.equal(r.success, false);
    return r.error!.issues.map((i) => i.message).join(' | ');
  };
  assert.match(bad({ scenarios: [{ name: 'Only', description: '' }] }), /at least 2 scenarios/);
  assert.match(bad({ scenarios: Array.from({ length: 13 }, (_, i) => ({ name: `S${i}`, description: '' })) }), /at most 12 scenarios/);
  assert.match(bad({ title: '' }), /Title is required/);
  assert.match(bad({ title: 'x'.repeat(201) }), /Title is longer than 200/);
  assert.match(bad({ opensAt: '2026-01-02T00:00', closesAt: '2026-01-01T00:00' }), /closing time must be after/);
  assert.match(bad({ opensAt: '2026-02-31T00:00' }), /not a valid date/);
  assert.match(bad({ scenarios: [{ name: 'Same', description: '' }, { name: 'same', description: '' }] }), /both named/);
});
