import { test } from 'node:test';
import assert from 'node:assert/strict';
import { count, eq } from 'drizzle-orm';
import { AppError } from '@/lib/errors';
import { questionInputSchema } from '@/lib/validation/question';
import { saveForecast } from './queries/forecasts';
import { listMyForecasts } from './queries/team-view';
import { createQuestion, getQuestionForUser, listQuestionsForUser, publishQuestion, updateQuestion } from './queries/questions';
import { acceptInvite, createInvite, getOpenInvite, revokeInvite } from './queries/invites';
import { changeMemberRole, createFirstUser, setMemberActive, verifyCredentials } from './queries/users';
import { auditLog, forecastProbabilities, forecasts, users } from './schema';
import { DAY, T0, addUser, freshDb, questionInput } from './test-helpers';

const code = (c: string) => (e: unknown) => e instanceof AppError && e.code === c;
const values = (ids: number[], percents: unknown[]) => new Map(ids.map((id, i) => [id, percents[i]]));

async function openQuestion() {
  const db = await freshDb();
  const lead = await addUser(db, 'Lead', 'lead');
  const fc = await addUser(db, 'Fc', 'forecaster');
  const viewer = await addUser(db, 'Viewer', 'viewer');
  const qid = await createQuestion(db, lead, questionInputSchema.parse(questionInput()), T0 - DAY);
  await publishQuestion(db, lead, qid, T0 - DAY);
  const scen = (await getQuestionForUser(db, lead, qid, T0)).scenarios.map((s) => s.id);
  return { db, lead, fc, viewer, qid, scen };
}

test('the first account becomes the lead; a second first-account is refused', async () => {
  const db = await freshDb();
  const first = await createFirstUser(db, { name: 'Ada', email: 'ada@example.org', password: 'long-enough-pw' });
  assert.equal(first.role, 'lead');
  await assert.rejects(createFirstUser(db, { name: 'Bob', email: 'bob@example.org', password: 'long-enough-pw' }), code('conflict'));
  assert.equal((await db.select({ n: count() }).from(users))[0]?.n, 1);
  // The stored hash is argon2id and verifies.
  const row = (await db.select().from(users).where(eq(users.id, first.id)))[0]!;
  assert.match(row.passwordHash, /^\$argon2id\$/);
  assert.equal((await verifyCredentials(db, 'ADA@example.org', 'long-enough-pw'))?.id, first.id);
  assert.equal(await verifyCredentials(db, 'ada@example.org', 'wrong-password'), null);
});

test('invites are single-use, expire, can be revoked, and carry their role', async () => {
  const db = await freshDb();
  const lead = await addUser(db, 'Lead', 'lead');
  const fc = await addUser(db, 'Fc', 'forecaster');
  await assert.rejects(async () => createInvite(db, fc, { role: 'lead', email: null, expiresInDays: 7 }), code('forbidden'));
  const inv = await createInvite(db, lead, { role: 'viewer', email: null, expiresInDays: 7 }, T0);
  assert.equal((await getOpenInvite(db, inv.token, T0))?.role, 'viewer');
  assert.equal(await getOpenInvite(db, inv.token, T0 + 8 * DAY), null, 'expired');
  const user = await acceptInvite(db, inv.token, { name: 'New', email: 'new@example.org', password: 'long-enough-pw' }, T0 + DAY);
  assert.equal(user.role, 'viewer');
  await assert.rejects(acceptInvite(db, inv.token, { name: 'Again', email: 'again@example.org', password: 'long-enough-pw' }, T0 + DAY), code('not_found'));
  const late = await createInvite(db, lead, { role: 'forecaster', email: null, expiresInDays: 1 }, T0);
  await assert.rejects(acceptInvite(db, late.token, { name: 'Late', email: 'late@example.org', password: 'long-enough-pw' }, T0 + 2 * DAY), code('not_found'));
  const revoked = await createInvite(db, lead, { role: 'forecaster', email: 'x@example.org', expiresInDays: 3 }, T0);
  await revokeInvite(db, lead, revoked.id, T0);
  assert.equal(await getOpenInvite(db, revoked.token, T0), null);
  const bound = await createInvite(db, lead, { role: 'forecaster', email: 'only@example.org', expiresInDays: 3 }, T0);
  await assert.rejects(acceptInvite(db, bound.token, { name: 'Other', email: 'other@example.org', password: 'long-enough-pw' }, T0), code('invalid'));
});

test('the last lead cannot be demoted or deactivated; role changes are audited', async () => {
  const db = await freshDb();
  const lead = await addUser(db, 'Lead', 'lead');
  const fc = await addUser(db, 'Fc', 'forecaster');
  await assert.rejects(async () => changeMemberRole(db, lead, lead.id, 'forecaster'), code('conflict'));
  await assert.rejects(async () => setMemberActive(db, lead, lead.id, false), code('conflict'));
  await assert.rejects(async () => changeMemberRole(db, fc, fc.id, 'lead'), code('forbidden'));
  await changeMemberRole(db, lead, fc.id, 'lead', T0);
  await changeMemberRole(db, lead, lead.id, 'viewer', T0);
  const entries = (await db.select().from(auditLog).where(eq(auditLog.action, 'member.role')));
  assert.equal(entries.length, 2);
  assert.deepEqual(JSON.parse(entries[0]!.detail), { from: 'forecaster', to: 'lead' });
});

test('a valid forecast is stored renormalised to exactly 1, one row per scenario', async () => {
  const { db, fc, qid, scen } = await openQuestion();
  const saved = await saveForecast(db, fc, qid, { values: values(scen, ['50', '30.2', '20']), rationale: 'why' }, T0 + DAY);
  const rows = (await db.select().from(forecastProbabilities).where(eq(forecastProbabilities.forecastId, saved.id)));
  assert.equal(rows.length, 3);
  const total = rows.reduce((s, r) => s + r.probability, 0);
  assert.ok(Math.abs(total - 1) < 1e-12, `total ${total}`);
  // 50 / 100.2 computed by hand: 0.499001996...
  assert.ok(Math.abs(rows.find((r) => r.scenarioId === scen[0])!.probability - 50 / 100.2) < 1e-12);
  const history = await listMyForecasts(db, fc, qid);
  assert.equal(history.length, 1);
  assert.equal(history[0]!.rationale, 'why');
});

test('bad forecasts are refused with a message naming the problem, and nothing is stored', async () => {
  const { db, fc, viewer, lead, qid, scen } = await openQuestion();
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
    await assert.rejects(
      async () => saveForecast(db, fc, qid, { values: v, rationale: '' }, T0 + DAY),
      (e: unknown) => e instanceof AppError && e.code === 'invalid' && message.test(e.message),
      label,
    );
  }
  await assert.rejects(async () => saveForecast(db, fc, qid, { values: values(scen, [50, 30, 20]), rationale: 'x'.repeat(5001) }, T0 + DAY), code('invalid'));
  await assert.rejects(async () => saveForecast(db, viewer, qid, { values: values(scen, [50, 30, 20]), rationale: '' }, T0 + DAY), code('forbidden'));
  await assert.rejects(async () => saveForecast(db, fc, 424242, { values: values(scen, [50, 30, 20]), rationale: '' }, T0 + DAY), code('not_found'));
  await assert.rejects(async () => saveForecast(db, fc, qid, { values: values(scen, [50, 30, 20]), rationale: '' }, T0 + 200 * DAY), (e: unknown) => e instanceof AppError && /closed/.test(e.message));
  await assert.rejects(async () => saveForecast(db, fc, qid, { values: values(scen, [50, 30, 20]), rationale: '' }, T0 - 2 * DAY), (e: unknown) => e instanceof AppError && /opens at/.test(e.message));
  const draft = await createQuestion(db, lead, questionInputSchema.parse(questionInput()), T0);
  await assert.rejects(async () => saveForecast(db, fc, draft, { values: new Map(), rationale: '' }, T0 + DAY), code('not_found'), 'a draft is invisible to forecasters');
  assert.equal((await db.select({ n: count() }).from(forecasts))[0]?.n, 0);
  assert.equal((await db.select({ n: count() }).from(forecastProbabilities))[0]?.n, 0);
});

test('drafts are visible to leads only; the list carries my latest forecast', async () => {
  const { db, lead, fc, qid, scen } = await openQuestion();
  await createQuestion(db, lead, questionInputSchema.parse(questionInput({ title: 'Draft' })), T0);
  assert.equal((await listQuestionsForUser(db, lead, T0)).length, 2);
  assert.deepEqual((await listQuestionsForUser(db, fc, T0)).map((q) => q.title), ['Test question']);
  await saveForecast(db, fc, qid, { values: values(scen, [60, 30, 10]), rationale: '' }, T0 + DAY);
  await saveForecast(db, fc, qid, { values: values(scen, [20, 30, 50]), rationale: '' }, T0 + 2 * DAY);
  const item = (await listQuestionsForUser(db, fc, T0 + 3 * DAY))[0]!;
  assert.equal(item.myLatest?.createdAt, T0 + 2 * DAY);
  assert.ok(Math.abs(item.myLatest!.probabilities.get(scen[2]!)! - 0.5) < 1e-12);
});

test('once forecasts exist, scenarios are fixed but can be reworded', async () => {
  const { db, lead, fc, qid, scen } = await openQuestion();
  const base = questionInputSchema.parse(questionInput());
  // Before any forecast, a scenario can be added.
  await updateQuestion(db, lead, qid, { ...base, scenarios: [...scen.map((id, i) => ({ id, name: 'ABC'[i]!, description: '' })), { id: null, name: 'Other', description: '' }] }, T0);
  const now4 = (await getQuestionForUser(db, lead, qid, T0)).scenarios;
  assert.equal(now4.length, 4);
  await saveForecast(db, fc, qid, { values: values(now4.map((s) => s.id), [40, 30, 20, 10]), rationale: '' }, T0 + DAY);
  const reworded = now4.map((s) => ({ id: s.id, name: `${s.name} (reworded)`, description: 'new' }));
  await updateQuestion(db, lead, qid, { ...base, scenarios: reworded }, T0 + DAY);
  assert.equal((await getQuestionForUser(db, lead, qid, T0)).scenarios[0]!.name, 'A (reworded)');
  await assert.rejects(async () => updateQuestion(db, lead, qid, { ...base, scenarios: reworded.slice(0, 3) }, T0 + DAY), code('conflict'));
  await assert.rejects(async () => updateQuestion(db, lead, qid, { ...base, scenarios: [...reworded].reverse() }, T0 + DAY), code('conflict'));
  await assert.rejects(async () => updateQuestion(db, fc, qid, { ...base, scenarios: reworded }, T0 + DAY), code('forbidden'));
});

test('the question schema refuses bad input with named problems', async () => {
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
