// The invariants SQLite gets from its single writer must hold when two app instances write
// at the same moment. Each test races two handles on one database (on PostgreSQL two
// connection pools, so the transactions really overlap), many times over.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { count, eq } from 'drizzle-orm';
import { AppError } from '@/lib/errors';
import { questionInputSchema } from '@/lib/validation/question';
import { saveForecast } from './queries/forecasts';
import { acceptInvite, createInvite } from './queries/invites';
import { createQuestion, getQuestionForUser, publishQuestion } from './queries/questions';
import { resolveQuestion } from './queries/resolution';
import { changeMemberRole, createFirstUser, setMemberActive } from './queries/users';
import { auditLog, forecastProbabilities, forecasts, users } from './schema';
import { DAY, T0, addUser, freshDbPair, questionInput } from './test-helpers';

const ROUNDS = 8;
const outcome = (r: PromiseSettledResult<unknown>) => (r.status === 'fulfilled' ? 'ok' : r.reason instanceof AppError ? r.reason.code : `error: ${r.reason}`);

test('an invite used by two people at the same moment is redeemed once', async () => {
  for (let round = 0; round < ROUNDS; round++) {
    const [a, b] = await freshDbPair();
    const lead = await addUser(a, 'Lead', 'lead');
    const invite = await createInvite(a, lead, { role: 'forecaster', email: null, expiresInDays: 7 });
    const results = await Promise.allSettled([
      acceptInvite(a, invite.token, { name: 'One', email: `one${round}@example.org`, password: 'long-enough-pw' }),
      acceptInvite(b, invite.token, { name: 'Two', email: `two${round}@example.org`, password: 'long-enough-pw' }),
    ]);
    assert.deepEqual(results.map(outcome).sort(), ['not_found', 'ok'], `round ${round}`);
    assert.equal((await a.select({ n: count() }).from(users))[0]!.n, 2, `round ${round}: one new account`);
  }
});

test('two leads demoting each other at the same moment leave one lead', async () => {
  for (let round = 0; round < ROUNDS; round++) {
    const [a, b] = await freshDbPair();
    const ann = await addUser(a, 'Ann', 'lead');
    const bob = await addUser(a, 'Bob', 'lead');
    const results = await Promise.allSettled([changeMemberRole(a, ann, bob.id, 'forecaster'), changeMemberRole(b, bob, ann.id, 'forecaster')]);
    const leads = await a.select({ id: users.id }).from(users).where(eq(users.role, 'lead'));
    assert.equal(leads.length, 1, `round ${round}: ${results.map(outcome)}`);
    assert.deepEqual(results.map(outcome).sort(), ['forbidden', 'ok'], `round ${round}`);
  }
  // The same with deactivation.
  for (let round = 0; round < ROUNDS; round++) {
    const [a, b] = await freshDbPair();
    const ann = await addUser(a, 'Ann', 'lead');
    const bob = await addUser(a, 'Bob', 'lead');
    await Promise.allSettled([setMemberActive(a, ann, bob.id, false), setMemberActive(b, bob, ann.id, false)]);
    const active = await a.select({ id: users.id }).from(users).where(eq(users.active, true));
    assert.equal(active.length, 1, `round ${round}: one active lead`);
  }
});

test('the first account is made once when two people sign up at the same moment', async () => {
  for (let round = 0; round < ROUNDS; round++) {
    const [a, b] = await freshDbPair();
    const results = await Promise.allSettled([
      createFirstUser(a, { name: 'One', email: 'one@example.org', password: 'long-enough-pw' }),
      createFirstUser(b, { name: 'Two', email: 'two@example.org', password: 'long-enough-pw' }),
    ]);
    assert.deepEqual(results.map(outcome).sort(), ['conflict', 'ok'], `round ${round}`);
  }
});

test('a question resolved by two leads at the same moment is resolved once, the second recorded as a correction', async () => {
  for (let round = 0; round < ROUNDS; round++) {
    const [a, b] = await freshDbPair();
    const ann = await addUser(a, 'Ann', 'lead');
    const bob = await addUser(a, 'Bob', 'lead');
    const qid = await createQuestion(a, ann, questionInputSchema.parse(questionInput()), T0 - DAY);
    await publishQuestion(a, ann, qid, T0 - DAY);
    const [yes, no] = (await getQuestionForUser(a, ann, qid)).scenarios.map((s) => s.id);
    await Promise.all([
      resolveQuestion(a, ann, qid, { scenarioId: yes!, resolvedAt: T0 + DAY, note: 'Ann' }, T0 + 2 * DAY),
      resolveQuestion(b, bob, qid, { scenarioId: no!, resolvedAt: T0 + DAY, note: 'Bob' }, T0 + 2 * DAY),
    ]);
    const entries = await a.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.entityId, qid));
    const actions = entries.map((e) => e.action).filter((x) => x.startsWith('question.resolve') || x.startsWith('question.correct'));
    assert.deepEqual(actions.sort(), ['question.correct_resolution', 'question.resolve'], `round ${round}`);
  }
});

test('concurrent forecasts from two instances are each stored whole: one row and every probability', async () => {
  const [a, b] = await freshDbPair();
  const lead = await addUser(a, 'Lead', 'lead');
  const qid = await createQuestion(a, lead, questionInputSchema.parse(questionInput()), T0 - DAY);
  await publishQuestion(a, lead, qid, T0 - DAY);
  const scen = (await getQuestionForUser(a, lead, qid)).scenarios.map((s) => s.id);
  const people = await Promise.all(Array.from({ length: 6 }, (_, i) => addUser(a, `F${i}`, 'forecaster')));
  const good = new Map(scen.map((id, k) => [id, [50, 30, 20][k]]));
  const bad = new Map(scen.map((id, k) => [id, [50, 30, 30][k]]));
  const jobs = people.flatMap((p, i) =>
    Array.from({ length: 10 }, (_, j) =>
      saveForecast(i % 2 ? a : b, p, qid, { values: j === 3 ? bad : good, rationale: `${i}/${j}` }, T0 + DAY + j),
    ),
  );
  const results = await Promise.allSettled(jobs);
  const ok = results.filter((r) => r.status === 'fulfilled').length;
  assert.equal(ok, 6 * 9, results.filter((r) => r.status === 'rejected').map(outcome).join());
  assert.ok(results.filter((r) => r.status === 'rejected').every((r) => outcome(r) === 'invalid'));
  const n = (await a.select({ n: count() }).from(forecasts))[0]!.n;
  const p = (await a.select({ n: count() }).from(forecastProbabilities))[0]!.n;
  assert.equal(n, 54);
  assert.equal(p, 54 * scen.length);
});
