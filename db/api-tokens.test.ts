// Data-layer tests for personal API tokens, and the shape checks of the API's forecast body.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { forecastBodySchema, tokenNameSchema, vectorToValues } from '@/lib/validation/api';
import { parseWith } from '@/lib/validation/common';
import { AppError } from '@/lib/errors';
import { questionInputSchema } from '@/lib/validation/question';
import { saveForecast } from './queries/forecasts';
import { listMyForecasts } from './queries/team-view';
import { createQuestion, getQuestionForUser, publishQuestion } from './queries/questions';
import {
  LAST_USED_GRANULARITY_MS,
  MAX_ACTIVE_TOKENS,
  actorFromApiToken,
  createApiToken,
  listApiTokens,
  revokeApiToken,
} from './queries/tokens';
import { setMemberActive } from './queries/users';
import { apiTokens } from './schema';
import { DAY, T0, addUser, freshDb, questionInput } from './test-helpers';

const code = (c: string) => (e: unknown) => e instanceof AppError && e.code === c;

async function team() {
  const db = await freshDb();
  const lead = await addUser(db, 'Lead', 'lead');
  const fc = await addUser(db, 'Fc', 'forecaster');
  const viewer = await addUser(db, 'Viewer', 'viewer');
  return { db, lead, fc, viewer };
}

test('a token is shown once, stored only as a SHA-256 hash with a short prefix, and identifies its owner', async () => {
  const { db, fc } = await team();
  const created = await createApiToken(db, fc, '  notebook  ', T0);
  assert.match(created.token, /^sp_[A-Za-z0-9_-]{43}$/);
  assert.equal(created.prefix, created.token.slice(0, 7));
  const row = (await db.select().from(apiTokens).where(eq(apiTokens.id, created.id)))[0]!;
  assert.equal(row.name, 'notebook');
  assert.match(row.tokenHash, /^[0-9a-f]{64}$/);
  assert.ok(!JSON.stringify(row).includes(created.token.slice(3)), 'the secret part is not stored');
  assert.deepEqual(await actorFromApiToken(db, created.token, T0 + 1), { id: fc.id, name: fc.name, email: fc.email, role: 'forecaster' });
  // Two tokens are never the same.
  assert.notEqual((await createApiToken(db, fc, 'second', T0)).token, created.token);
});

test('unknown, malformed, revoked tokens and deactivated owners are refused', async () => {
  const { db, lead, fc } = await team();
  const { id, token } = await createApiToken(db, fc, 'script', T0);
  assert.equal(await actorFromApiToken(db, ''), null);
  assert.equal(await actorFromApiToken(db, 'not-a-token'), null);
  assert.equal(await actorFromApiToken(db, token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A')), null, 'one character off');
  assert.equal(await actorFromApiToken(db, `${token} `), null);

  await setMemberActive(db, lead, fc.id, false, T0);
  assert.equal(await actorFromApiToken(db, token), null, 'deactivated owner');
  await setMemberActive(db, lead, fc.id, true, T0);
  assert.equal((await actorFromApiToken(db, token))?.id, fc.id, 'reactivated owner');

  await revokeApiToken(db, fc, id, T0 + DAY);
  assert.equal(await actorFromApiToken(db, token), null, 'revoked');
  await assert.rejects(async () => revokeApiToken(db, fc, id), code('conflict'), 'revoking twice');
});

test('lastUsedAt is set on use, at most once a minute', async () => {
  const { db, viewer } = await team();
  const { id, token } = await createApiToken(db, viewer, 'reader', T0);
  const lastUsed = async () => (await db.select({ t: apiTokens.lastUsedAt }).from(apiTokens).where(eq(apiTokens.id, id)))[0]!.t;
  assert.equal(await lastUsed(), null);
  await actorFromApiToken(db, token, T0 + 1000);
  assert.equal(await lastUsed(), T0 + 1000);
  await actorFromApiToken(db, token, T0 + 2000);
  assert.equal(await lastUsed(), T0 + 1000, 'within the granularity: not rewritten');
  await actorFromApiToken(db, token, T0 + 1000 + LAST_USED_GRANULARITY_MS);
  assert.equal(await lastUsed(), T0 + 1000 + LAST_USED_GRANULARITY_MS);
});

test('each user lists and revokes only their own tokens; the list never carries the hash', async () => {
  const { db, lead, fc } = await team();
  const mine = await createApiToken(db, fc, 'mine', T0);
  const leads = await createApiToken(db, lead, 'the lead’s', T0 + 1);
  const list = await listApiTokens(db, fc);
  assert.deepEqual(list.map((t) => t.name), ['mine']);
  assert.deepEqual(Object.keys(list[0]!).sort(), ['createdAt', 'id', 'lastUsedAt', 'name', 'prefix', 'revokedAt']);
  // A forecaster cannot revoke the lead's token, nor can a lead revoke a forecaster's: 404, unchanged.
  await assert.rejects(async () => revokeApiToken(db, fc, leads.id), code('not_found'));
  await assert.rejects(async () => revokeApiToken(db, lead, mine.id), code('not_found'));
  await assert.rejects(async () => revokeApiToken(db, fc, 999_999), code('not_found'));
  assert.equal((await actorFromApiToken(db, leads.token))?.id, lead.id);
  assert.equal((await actorFromApiToken(db, mine.token))?.id, fc.id);
  await revokeApiToken(db, fc, mine.id, T0 + DAY);
  assert.equal((await listApiTokens(db, fc))[0]!.revokedAt, T0 + DAY);
});

test('token names are required and bounded; active tokens per user are capped', async () => {
  const { db, fc } = await team();
  await assert.rejects(async () => createApiToken(db, fc, '   '), code('invalid'));
  await assert.rejects(async () => createApiToken(db, fc, 'x'.repeat(81)), code('invalid'));
  assert.equal(tokenNameSchema.safeParse({ name: ' ' }).success, false);
  assert.equal(tokenNameSchema.safeParse({ name: 'ok' }).success, true);
  const ids: number[] = [];
  for (let i = 0; i < MAX_ACTIVE_TOKENS; i++) ids.push((await createApiToken(db, fc, `t${i}`, T0)).id);
  await assert.rejects(async () => createApiToken(db, fc, 'one too many'), code('conflict'));
  await revokeApiToken(db, fc, ids[0]!);
  assert.ok((await createApiToken(db, fc, 'after a revoke')).id > 0);
});

test('a viewer may hold a token, and a viewer token still cannot forecast', async () => {
  const { db, lead, viewer } = await team();
  const qid = await createQuestion(db, lead, questionInputSchema.parse(questionInput()), T0 - DAY);
  await publishQuestion(db, lead, qid, T0 - DAY);
  const { token } = await createApiToken(db, viewer, 'read only', T0);
  const actor = (await actorFromApiToken(db, token))!;
  const scen = (await getQuestionForUser(db, actor, qid, T0)).scenarios;
  await assert.rejects(
    async () => saveForecast(db, actor, qid, { values: vectorToValues([50, 30, 20], scen, 'probabilities'), rationale: '' }, T0 + DAY),
    code('forbidden'),
  );
});

// ---- the API forecast body --------------------------------------------------------------

const scen = [
  { id: 11, name: 'A' },
  { id: 12, name: 'B' },
  { id: 13, name: 'C' },
];

test('the forecast body accepts an id-keyed object or an array in scenario order', async () => {
  const a = parseWith(forecastBodySchema, { probabilities: { '11': 50, '12': 30, '13': 20 } });
  assert.equal(a.rationale, '');
  assert.deepEqual([...vectorToValues(a.probabilities, scen, 'probabilities')], [[11, 50], [12, 30], [13, 20]]);
  const b = parseWith(forecastBodySchema, { probabilities: [50, 30, 20], rationale: '  why  ', eventId: 4, likelihoods: [10, 50, 90] });
  assert.equal(b.rationale, 'why');
  assert.deepEqual([...vectorToValues(b.probabilities, scen, 'probabilities')], [[11, 50], [12, 30], [13, 20]]);
  assert.deepEqual([...vectorToValues(b.likelihoods!, scen, 'likelihoods')], [[11, 10], [12, 50], [13, 90]]);
});

test('malformed forecast bodies are refused with a message that names the problem', async () => {
  const fails = (body: unknown, pattern: RegExp) => {
    assert.throws(() => parseWith(forecastBodySchema, body), (e: unknown) => {
      assert.ok(e instanceof AppError && e.code === 'invalid', 'an invalid AppError');
      assert.match(e.message, pattern);
      return true;
    });
  };
  fails(null, /JSON object/);
  fails([50, 50], /JSON object/);
  fails({}, /probabilities/);
  fails({ probabilities: '50,50' }, /"probabilities" must be an array of numbers/);
  fails({ probabilities: [50, '50'] }, /"probabilities" must be/);
  fails({ probabilities: { abc: 50 } }, /"probabilities" must be/);
  fails({ probabilities: [50, 50], probability: 1 }, /Unknown field: probability/);
  fails({ probabilities: [50, 50], rationale: 7 }, /"rationale" must be a string/);
  fails({ probabilities: [50, 50], rationale: 'x'.repeat(5001) }, /rationale is longer than 5,000/i);
  fails({ probabilities: [50, 50], eventId: 3 }, /needs "likelihoods"/);
  fails({ probabilities: [50, 50], likelihoods: [1, 2] }, /send the "eventId"/);
  fails({ probabilities: [50, 50], eventId: 1.5, likelihoods: [1, 2] }, /whole number/);
  fails({ probabilities: [50, 50], eventId: -1, likelihoods: [1, 2] }, /positive/);
  fails({ probabilities: Array.from({ length: 13 }, () => 1) }, /"probabilities" must be/);
  // Wrong number of values for the question: refused before anything is saved.
  assert.throws(() => vectorToValues([50, 50], scen, 'probabilities'), (e: unknown) => e instanceof AppError && /has 2 values, but the question has 3 scenarios/.test(e.message));
});

test('an API body flows into saveForecast: the input rule applies, nothing half-written', async () => {
  const { db, lead, fc } = await team();
  const qid = await createQuestion(db, lead, questionInputSchema.parse(questionInput()), T0 - DAY);
  await publishQuestion(db, lead, qid, T0 - DAY);
  const s = (await getQuestionForUser(db, fc, qid, T0)).scenarios;
  const save = async (body: unknown) => {
    const b = parseWith(forecastBodySchema, body);
    return await saveForecast(db, fc, qid, { values: vectorToValues(b.probabilities, s, 'probabilities'), rationale: b.rationale }, T0 + DAY);
  };
  await assert.rejects(async () => save({ probabilities: [50, 30, 30] }), (e: unknown) => e instanceof AppError && e.code === 'invalid' && /100/.test(e.message));
  await assert.rejects(async () => save({ probabilities: { [s[0]!.id]: 50, [s[1]!.id]: 50, 999: 0 } }), (e: unknown) => e instanceof AppError && /999/.test(e.message));
  assert.equal((await listMyForecasts(db, fc, qid)).length, 0, 'refused bodies wrote nothing');
  const saved = await save({ probabilities: { [s[0]!.id]: 50, [s[1]!.id]: 30, [s[2]!.id]: 20 } });
  assert.equal((await listMyForecasts(db, fc, qid)).length, 1);
  assert.deepEqual(saved.probabilities.map((p) => Math.round(p * 100)), [50, 30, 20]);
});
