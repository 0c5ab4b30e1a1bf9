// What is kept (scores of resolved questions) and cached (each question's history and
// aggregate, per version) must always equal a full recomputation. Random sequences of
// forecasts, updates, events and retractions, resolutions and corrections, annulments, method
// changes (with powers and skill settings), likelihood judgements and renames run on two
// questions; after every step the cached views (aggregates, and the kept parts every view
// reads: scenarios, indicators, judgements, events) and the kept scores are compared with
// values computed from scratch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { eq } from 'drizzle-orm';
import { questionInputSchema } from '@/lib/validation/question';
import { skillWeightsFromRecords } from '@/lib/aggregation';
import { AppError } from '@/lib/errors';
import { eventInputSchema } from '@/lib/validation/indicator';
import { computeForecasterScores, keptScoresOf, scoringFrame, skillWeightsForTeam } from './internal/scores';
import { buildSnapshot } from './internal/snapshot';
import { listIndicatorEvents, logIndicatorEvent, retractIndicatorEvent } from './queries/events';
import { listIndicatorViews, recordLikelihoods } from './queries/indicators';
import { readQuestionParts } from './internal/question-parts';
import { saveForecast } from './queries/forecasts';
import { createQuestion, getQuestionForUser, publishQuestion, updateQuestion } from './queries/questions';
import { annulQuestion, resolveQuestion, setAggregationMethod } from './queries/resolution';
import { getAggregateView, listLatestForecasts, listMyForecasts, listVisibleForecasts } from './queries/team-view';
import { getScoresView } from './queries/scores';
import { questions } from './schema';
import { DAY, T0, addUser, freshDb, questionInput } from './test-helpers';
import type { Actor } from './queries/access';
import type { Db } from './types';
import { AGGREGATION_METHODS, aggregate, getAggregationMethod } from '@/lib/aggregation';

const op = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('forecast' as const), q: fc.nat(1), user: fc.nat(3), p: fc.tuple(fc.integer({ min: 1, max: 97 }), fc.integer({ min: 1, max: 97 })) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('update' as const), q: fc.nat(1), user: fc.nat(3), l: fc.tuple(fc.integer({ min: 1, max: 99 }), fc.integer({ min: 1, max: 99 }), fc.integer({ min: 1, max: 99 })) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('event' as const), q: fc.nat(1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('retract' as const), q: fc.nat(1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('resolve' as const), q: fc.nat(1), outcome: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('annul' as const), q: fc.nat(1) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('method' as const),
      q: fc.nat(1),
      method: fc.nat(AGGREGATION_METHODS.length - 1),
      alpha: fc.constantFrom(undefined, 1, 2.5, 5),
      temperature: fc.constantFrom(undefined, 0.01, 0.05, 0.3),
      priorCount: fc.constantFrom(undefined, 0, 3, 20),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('rename' as const), q: fc.nat(1), suffix: fc.string({ maxLength: 5 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('likelihoods' as const), q: fc.nat(1), user: fc.nat(3), teamDefault: fc.boolean(), l: fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 1, max: 100 })) }) },
);

/** The aggregate fields a view shows, from a snapshot. */
const fromSnapshot = (s: Awaited<ReturnType<typeof buildSnapshot>>) => ({
  methodId: s.aggregate.methodId,
  alpha: s.aggregate.alpha,
  skill: s.aggregate.skill,
  probabilities: s.aggregate.probabilities,
  forecasterCount: s.aggregate.forecasterCount,
  spread: s.aggregate.spread,
  methods: s.aggregate.methods,
  series: s.aggregate.series,
});

async function checkEverything(db: Db, lead: Actor, people: Actor[], qids: number[]) {
  for (const qid of qids) {
    // The kept parts of the question equal a fresh read, and each viewer's indicator and event
    // views built from them equal those built from the database (a question id, not a loaded
    // question, takes the uncached path).
    const fresh0 = await readQuestionParts(db, qid);
    for (const p of people) {
      const q = await getQuestionForUser(db, p, qid);
      assert.equal(q.version, fresh0.version);
      assert.deepEqual(q.scenarios, fresh0.scenarios, `scenarios of question ${qid}`);
      assert.deepEqual(q.indicators, fresh0.indicators, `indicators of question ${qid}`);
      assert.deepEqual(await listIndicatorViews(db, p, q), await listIndicatorViews(db, p, qid), `indicator views of question ${qid} for ${p.name}`);
      assert.deepEqual(await listIndicatorEvents(db, p, q), await listIndicatorEvents(db, p, qid), `events of question ${qid} for ${p.name}`);
    }

    // The cached view equals a full recomputation.
    const view = await getAggregateView(db, lead, qid);
    const fresh = await buildSnapshot(db, qid);
    const { asOf: _asOf, forecastTotal, ...cached } = view!;
    assert.deepEqual(cached, fromSnapshot(fresh), `aggregate of question ${qid}`);
    assert.equal(forecastTotal, fresh.rows.length);
    const visible = await listVisibleForecasts(db, lead, qid);
    assert.deepEqual(visible.rows, fresh.rows, `forecasts of question ${qid}`);
    for (const p of people) assert.deepEqual(await listMyForecasts(db, p, qid), fresh.byUser.get(p.id) ?? [], `history of ${p.name}`);
    const latest = await listLatestForecasts(db, lead, qid, { offset: 0, limit: 100 });
    assert.deepEqual(latest?.rows, fresh.latest);

    // Kept scores equal a rescoring; a resolved question's method scores equal their series scored afresh.
    const frame = await scoringFrame(db, qid);
    const kept = (await keptScoresOf(db, qid)).sort((a, b) => a.userId - b.userId);
    assert.deepEqual(kept, frame ? computeForecasterScores(frame).sort((a, b) => a.userId - b.userId) : [], `kept scores of question ${qid}`);
    if (frame) {
      const scores = await getScoresView(db, lead, qid);
      assert.deepEqual(scores.methods, await fresh.methodScores);
    }
  }
  // Skill weights from the kept scores equal those from rescoring every resolved question, at
  // the defaults and at each question's own skill setting; each question's skill-weighted
  // aggregate uses its own setting.
  const settings = new Map<number, { priorCount: number; temperature: number }>();
  for (const qid of qids) settings.set(qid, (await getQuestionForUser(db, lead, qid)).skillSettings);
  for (const exclude of [null, ...qids]) {
    const records = new Map<number, { sum: number; n: number }>();
    for (const qid of qids) {
      if (qid === exclude) continue;
      const frame = await scoringFrame(db, qid);
      if (!frame) continue;
      for (const s of computeForecasterScores(frame)) {
        if (s.relativeBrier === null) continue;
        const r = records.get(s.userId) ?? { sum: 0, n: 0 };
        r.sum += s.relativeBrier;
        r.n += 1;
        records.set(s.userId, r);
      }
    }
    const list = [...records].map(([id, r]) => ({ forecasterId: String(id), meanRelativeBrier: r.sum / r.n, resolvedCount: r.n }));
    const expected = skillWeightsFromRecords(list);
    const actual = await skillWeightsForTeam(db, exclude);
    assert.equal(actual.size, expected.size);
    for (const [id, w] of expected) assert.ok(Math.abs(actual.get(id)! - w) < 1e-12, `skill weight of ${id}`);
    for (const qid of qids) {
      const setting = settings.get(qid)!;
      const mine = skillWeightsFromRecords(list, setting);
      const got = await skillWeightsForTeam(db, exclude, setting);
      assert.equal(got.size, mine.size);
      for (const [id, w] of mine) assert.ok(Math.abs(got.get(id)! - w) < 1e-12, `skill weight of ${id} at ${JSON.stringify(setting)}`);
      // The question's own skill pool: its standing forecasts (as of resolution) pooled with
      // these weights, when this is the exclusion its snapshot uses.
      const q = await getQuestionForUser(db, lead, qid);
      if (exclude !== (q.status === 'resolved' ? qid : null)) continue;
      const asOf = q.status === 'resolved' && q.resolvedAt !== null ? q.resolvedAt : Number.MAX_SAFE_INTEGER;
      const latest = new Map<number, { forecasterId: string; time: number; probabilities: number[] }>();
      for (const r of (await buildSnapshot(db, qid)).rows) {
        if (r.createdAt <= asOf && !latest.has(r.userId)) latest.set(r.userId, { forecasterId: String(r.userId), time: r.createdAt, probabilities: r.probabilities });
      }
      const standing = [...latest.values()].sort((a, b) => a.time - b.time);
      const shown = (await getAggregateView(db, lead, qid))!.methods.find((m) => m.id === 'linear-skill')!.probabilities;
      if (standing.length === 0) assert.equal(shown, null);
      else {
        const want = aggregate(standing, { ...getAggregationMethod('linear-skill').options, skillWeights: mine });
        want.forEach((p, k) => assert.ok(Math.abs(shown![k]! - p) < 1e-12, `linear-skill of question ${qid} at ${JSON.stringify(setting)}`));
      }
    }
  }
}

test('kept scores and cached views equal a full recomputation after every step of random histories', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(op, { minLength: 8, maxLength: 28 }), async (ops) => {
      const db = await freshDb();
      const lead = await addUser(db, 'Lead', 'lead');
      const people = [lead, ...(await Promise.all(['Ana', 'Ben', 'Cho'].map((n) => addUser(db, n, 'forecaster'))))];
      const qids: number[] = [];
      for (const title of ['First', 'Second']) {
        const id = await createQuestion(db, lead, questionInputSchema.parse(questionInput({ title, closesAt: new Date(T0 + 400 * DAY).toISOString() })), T0 - DAY);
        await publishQuestion(db, lead, id, T0 - DAY);
        qids.push(id);
      }
      let now = T0 + DAY;
      for (const o of ops) {
        now += DAY / 3;
        const qid = qids[o.q]!;
        const q = await getQuestionForUser(db, lead, qid, now);
        const scen = q.scenarios.map((s) => s.id);
        const user = 'user' in o ? people[o.user]! : lead;
        try {
          switch (o.kind) {
            case 'forecast': {
              const [a, b] = o.p;
              const c = Math.max(1, 100 - a - b);
              const total = a + b + c;
              const v = [a, b, c].map((x) => (x / total) * 100);
              await saveForecast(db, user, qid, { values: new Map(scen.map((id, k) => [id, v[k]!.toFixed(6)])), rationale: '' }, now);
              break;
            }
            case 'update': {
              const events = (await db.select({ id: questions.id }).from(questions).where(eq(questions.id, qid))).length;
              if (!events) break;
              const snapshot = await buildSnapshot(db, qid);
              const ev = await latestOpenEvent(db, lead, qid);
              const mine = snapshot.byUser.get(user.id)?.[0];
              if (!ev || !mine) break;
              await saveForecast(
                db,
                user,
                qid,
                { values: new Map(scen.map((id, k) => [id, (mine.probabilities[k]! * 100).toFixed(6)])), rationale: 'update', update: { eventId: ev, likelihoods: new Map(scen.map((id, k) => [id, o.l[k]])) } },
                now,
              );
              break;
            }
            case 'event':
              await logIndicatorEvent(db, lead, qid, eventInputSchema.parse({ indicatorId: String(q.indicators[0]!.id), occurredAt: new Date(now - 1000).toISOString() }), now);
              break;
            case 'retract': {
              const ev = await latestOpenEvent(db, lead, qid);
              if (ev) await retractIndicatorEvent(db, lead, ev, 'random retraction', now);
              break;
            }
            case 'resolve':
              await resolveQuestion(db, lead, qid, { scenarioId: scen[o.outcome]!, resolvedAt: now - DAY / 6, note: '' }, now);
              break;
            case 'annul':
              await annulQuestion(db, lead, qid, 'random annulment', now);
              break;
            case 'method':
              await setAggregationMethod(db, lead, qid, { methodId: AGGREGATION_METHODS[o.method]!.id, alpha: o.alpha, temperature: o.temperature, priorCount: o.priorCount }, now);
              break;
            case 'likelihoods': {
              const who = o.teamDefault ? lead : user;
              await recordLikelihoods(db, who, q.indicators[0]!.id, new Map(scen.map((id, k) => [id, o.l[k]])), { teamDefault: o.teamDefault }, now);
              break;
            }
            case 'rename':
              if (q.status === 'resolved' || q.status === 'annulled') break;
              await updateQuestion(
                db,
                lead,
                qid,
                {
                  ...questionInputSchema.parse(questionInput({ closesAt: new Date(q.closesAt).toISOString(), opensAt: new Date(q.opensAt).toISOString() })),
                  title: q.title,
                  scenarios: q.scenarios.map((s) => ({ id: s.id, name: `${s.name}${o.suffix.trim() ? ` ${o.suffix.trim()}` : ''}`.slice(0, 100), description: '' })),
                  indicators: q.indicators.map((i) => ({ id: i.id, name: i.name, description: i.description, deadline: i.deadline })),
                },
                now,
              );
              break;
          }
        } catch (error) {
          // Refusals (a settled question, a retracted event) are part of random histories.
          if (!(error instanceof AppError)) throw error;
        }
        await checkEverything(db, lead, people, qids).catch((e) => {
          if (process.env.DEBUG_KEPT) console.error('after', JSON.stringify(o), e);
          throw e;
        });
      }
    }),
    { numRuns: 20 },
  );
});

async function latestOpenEvent(db: Db, lead: Actor, qid: number): Promise<number | null> {
  return (await listIndicatorEvents(db, lead, qid)).find((e) => e.retracted === null)?.id ?? null;
}

test("resolving one question updates the skill-weighted aggregates of another (the team's scores counter)", async () => {
  const db = await freshDb();
  const lead = await addUser(db, 'Lead', 'lead');
  const [ana, ben] = await Promise.all([addUser(db, 'Ana', 'forecaster'), addUser(db, 'Ben', 'forecaster')]);
  const ids: number[] = [];
  for (const title of ['Settled first', 'Still open']) {
    const id = await createQuestion(db, lead, questionInputSchema.parse(questionInput({ title, closesAt: new Date(T0 + 400 * DAY).toISOString() })), T0 - DAY);
    await publishQuestion(db, lead, id, T0 - DAY);
    ids.push(id);
  }
  const [first, open] = ids as [number, number];
  const vector = async (qid: number, v: number[]) => new Map((await getQuestionForUser(db, lead, qid)).scenarios.map((s, k) => [s.id, v[k]]));
  await saveForecast(db, ana, first, { values: await vector(first, [80, 10, 10]), rationale: '' }, T0 + DAY);
  await saveForecast(db, ben, first, { values: await vector(first, [10, 80, 10]), rationale: '' }, T0 + DAY);
  await saveForecast(db, ana, open, { values: await vector(open, [70, 20, 10]), rationale: '' }, T0 + 2 * DAY);
  await saveForecast(db, ben, open, { values: await vector(open, [20, 70, 10]), rationale: '' }, T0 + 2 * DAY);
  const skillOf = (v: Awaited<ReturnType<typeof getAggregateView>>) => v!.methods.find((m) => m.id === 'linear-skill')!.probabilities!;
  const before = skillOf(await getAggregateView(db, lead, open));
  assert.ok(Math.abs(before[0]! - 0.45) < 1e-12, 'no record yet: equal weights');
  await resolveQuestion(db, lead, first, { scenarioId: (await getQuestionForUser(db, lead, first)).scenarios[0]!.id, resolvedAt: T0 + 3 * DAY, note: '' }, T0 + 4 * DAY);
  const after = skillOf(await getAggregateView(db, lead, open));
  assert.ok(after[0]! > 0.45 + 1e-6, `Ana was right, so her weight grows: ${after[0]}`);
  assert.deepEqual(after, (await buildSnapshot(db, open)).aggregate.methods.find((m) => m.id === 'linear-skill')!.probabilities);
});

test('a forecast adds one to the question version with its rows; a refused one (bad vector, closed question, too long a rationale) leaves neither', async () => {
  const db = await freshDb();
  const lead = await addUser(db, 'Lead', 'lead');
  const people = await Promise.all(['Ana', 'Ben', 'Cho', 'Dee'].map((n) => addUser(db, n, 'forecaster')));
  const qid = await createQuestion(db, lead, questionInputSchema.parse(questionInput({ closesAt: new Date(T0 + 10 * DAY).toISOString() })), T0 - DAY);
  await publishQuestion(db, lead, qid, T0 - DAY);
  const q = await getQuestionForUser(db, lead, qid, T0);
  const scen = q.scenarios.map((s) => s.id);
  const version = async () => (await db.select({ v: questions.version }).from(questions).where(eq(questions.id, qid)))[0]!.v;
  const start = await version();
  const good = (v: number[]) => new Map(scen.map((id, k) => [id, v[k]]));
  // Concurrent: on SQLite they share a group commit, each in its own savepoint.
  const results = await Promise.allSettled([
    saveForecast(db, people[0]!, qid, { values: good([50, 30, 20]), rationale: '' }, T0 + 1),
    saveForecast(db, people[1]!, qid, { values: good([50, 30, 30]), rationale: '' }, T0 + 2), // sums to 110
    saveForecast(db, people[2]!, qid, { values: good([40, 40, 20]), rationale: 'x'.repeat(100_000) }, T0 + 3),
    saveForecast(db, people[3]!, qid, { values: good([10, 10, 80]), rationale: '' }, T0 + 4),
    saveForecast(db, people[3]!, qid, { values: good([10, 10, 80]), rationale: '' }, T0 + 20 * DAY), // after the close
  ]);
  assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'rejected', 'fulfilled', 'rejected']);
  for (const r of results) if (r.status === 'rejected') assert.ok(r.reason instanceof AppError, String(r.reason));
  assert.equal(await version(), start + 2, 'two accepted forecasts, two version steps');
  const snapshot = await buildSnapshot(db, qid);
  assert.deepEqual(snapshot.rows.map((r) => r.userId).sort(), [people[0]!.id, people[3]!.id].sort());
  for (const r of snapshot.rows) assert.equal(r.probabilities.length, 3);
});
