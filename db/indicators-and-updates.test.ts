import { test } from 'node:test';
import assert from 'node:assert/strict';
import { count, eq } from 'drizzle-orm';
import { posterior, posteriorUnobserved } from '@/lib/bayes';
import { AppError } from '@/lib/errors';
import { eventInputSchema } from '@/lib/validation/indicator';
import { questionInputSchema } from '@/lib/validation/question';
import { listForecastRows, pendingEventsFor } from './internal/rows';
import { listIndicatorEvents, logIndicatorEvent, retractIndicatorEvent } from './queries/events';
import { saveForecast } from './queries/forecasts';
import { listIndicatorViews, recordLikelihoods, retireIndicator } from './queries/indicators';
import { createQuestion, getQuestionForUser, publishQuestion } from './queries/questions';
import { indicatorEvents, likelihoodJudgements } from './schema';
import { DAY, T0, addUser, freshDb, questionInput } from './test-helpers';

const code = (c: string) => (e: unknown) => e instanceof AppError && e.code === c;
const vals = (ids: number[], xs: unknown[]) => new Map(ids.map((id, i) => [id, xs[i]]));
const close = (a: readonly number[], b: readonly number[]) => a.every((x, i) => Math.abs(x - b[i]!) < 1e-12);

async function setup() {
  const db = await freshDb();
  const lead = await addUser(db, 'Lead', 'lead');
  const ana = await addUser(db, 'Ana', 'forecaster');
  const ben = await addUser(db, 'Ben', 'forecaster');
  const viewer = await addUser(db, 'Viewer', 'viewer');
  const input = questionInputSchema.parse(
    questionInput({ indicators: [{ name: 'Signal', description: '' }, { name: 'Deadline signal', description: '', deadline: new Date(T0 + 10 * DAY).toISOString() }] }),
  );
  const qid = await createQuestion(db, lead, input, T0 - DAY);
  await publishQuestion(db, lead, qid, T0 - DAY);
  const q = await getQuestionForUser(db, lead, qid, T0);
  return { db, lead, ana, ben, viewer, qid, scen: q.scenarios.map((s) => s.id), ind: q.indicators.map((i) => i.id) };
}

const ev = (indicatorId: number, at: number, extra: Record<string, unknown> = {}) =>
  eventInputSchema.parse({ indicatorId: String(indicatorId), occurredAt: new Date(at).toISOString(), sourceUrl: 'https://example.org/x', note: 'n', ...extra });

test('likelihoods: recorded with history, pooled by geometric mean, bad input refused and nothing stored', async () => {
  const { db, lead, ana, ben, viewer, qid, scen, ind } = await setup();
  await recordLikelihoods(db, ana, ind[0]!, vals(scen, [20, 60, 40]), {}, T0);
  await recordLikelihoods(db, ana, ind[0]!, vals(scen, [10, 80, 40]), {}, T0 + 1);
  await recordLikelihoods(db, ben, ind[0]!, vals(scen, [40, 20, 40]), {}, T0 + 2);
  await recordLikelihoods(db, lead, ind[0]!, vals(scen, [30, 30, 30]), { teamDefault: true }, T0 + 3);
  // Anti-herding: before Ana's first forecast the team's pooled judgements are hidden from her
  // (with one judgement the pool is a colleague's exact numbers); her own and the default show.
  const hidden = (await listIndicatorViews(db, ana, qid))[0]!;
  assert.equal(hidden.pooled, null);
  assert.equal(hidden.pooledCount, 0);
  assert.equal(hidden.pooledHidden, true);
  assert.deepEqual(hidden.byForecaster, [], 'only leads see each forecaster’s judgement');
  assert.ok(close(hidden.mine!, [0.1, 0.8, 0.4]));
  assert.equal(hidden.diagnosticity?.ratio, 1, 'from the team default while the pool is hidden');
  await saveForecast(db, ana, qid, { values: vals(scen, [50, 30, 20]), rationale: '' }, T0 + 4);
  assert.equal((await listIndicatorViews(db, lead, qid))[0]!.byForecaster.length, 2);
  const view = (await listIndicatorViews(db, ana, qid))[0]!;
  assert.ok(close(view.mine!, [0.1, 0.8, 0.4]));
  assert.equal(view.myHistory.length, 2);
  // Geometric means of Ana's latest and Ben's: sqrt(.1*.4)=.2, sqrt(.8*.2)=.4, .4
  assert.ok(close(view.pooled!, [0.2, 0.4, 0.4]));
  assert.ok(close(view.teamDefault!, [0.3, 0.3, 0.3]));
  assert.equal(view.diagnosticity?.ratio, 2);
  const before = (await db.select({ n: count() }).from(likelihoodJudgements))[0]!.n;
  for (const [bad, re] of [
    [[120, 50, 50], /"A" is 120%/],
    [[0, 0, 0], /all 0%/],
    [[50, 50], /Enter a likelihood for "C"/],
    [['x', 50, 50], /not a number/],
  ] as const) {
    await assert.rejects(async () => recordLikelihoods(db, ana, ind[0]!, vals(scen, [...bad]), {}, T0), (e: unknown) => e instanceof AppError && re.test(e.message));
  }
  await assert.rejects(async () => recordLikelihoods(db, viewer, ind[0]!, vals(scen, [1, 2, 3]), {}, T0), code('forbidden'));
  await assert.rejects(async () => recordLikelihoods(db, ana, ind[0]!, vals(scen, [1, 2, 3]), { teamDefault: true }, T0), code('forbidden'));
  assert.equal((await db.select({ n: count() }).from(likelihoodJudgements))[0]!.n, before);
});

test('events: validated, logged by forecasters, retracted by leads only and kept on record', async () => {
  const { db, lead, ana, viewer, qid, ind } = await setup();
  const now = T0 + 20 * DAY;
  await assert.rejects(async () => logIndicatorEvent(db, ana, qid, ev(ind[0]!, now + DAY), now), (e: unknown) => e instanceof AppError && /future/.test(e.message));
  await assert.rejects(async () => logIndicatorEvent(db, ana, qid, ev(ind[0]!, T0 - 3 * DAY), now), (e: unknown) => e instanceof AppError && /before the question opened/.test(e.message));
  await assert.rejects(async () => logIndicatorEvent(db, viewer, qid, ev(ind[0]!, now), now), code('forbidden'));
  await assert.rejects(async () => logIndicatorEvent(db, ana, qid, ev(ind[1]!, now, { kind: 'deadline_passed' }), now), code('forbidden'));
  await assert.rejects(async () => logIndicatorEvent(db, lead, qid, ev(ind[0]!, now, { kind: 'deadline_passed' }), now), (e: unknown) => e instanceof AppError && /no deadline/.test(e.message));
  await assert.rejects(async () => logIndicatorEvent(db, lead, qid, ev(ind[1]!, T0 + 5 * DAY, { kind: 'deadline_passed' }), T0 + 6 * DAY), (e: unknown) => e instanceof AppError && /has not passed/.test(e.message));
  assert.equal(eventInputSchema.safeParse({ indicatorId: '1', occurredAt: '2026-01-01T00:00', sourceUrl: 'javascript:alert(1)' }).success, false);
  assert.equal(eventInputSchema.safeParse({ indicatorId: '1', occurredAt: '2026-01-01T00:00', note: 'x'.repeat(2001) }).success, false);
  assert.equal((await db.select({ n: count() }).from(indicatorEvents))[0]!.n, 0);

  const id = await logIndicatorEvent(db, ana, qid, ev(ind[0]!, now - DAY), now);
  const passed = await logIndicatorEvent(db, lead, qid, ev(ind[1]!, T0 + 11 * DAY, { kind: 'deadline_passed' }), now);
  await assert.rejects(async () => retractIndicatorEvent(db, ana, id, 'mine', now), code('forbidden'));
  await retractIndicatorEvent(db, lead, id, 'Logged against the wrong indicator', now);
  await assert.rejects(async () => retractIndicatorEvent(db, lead, id, 'again', now), code('conflict'));
  const listed = await listIndicatorEvents(db, ana, qid);
  assert.equal(listed.length, 2);
  assert.equal(listed.find((e) => e.id === id)!.retracted?.reason, 'Logged against the wrong indicator');
  assert.equal(listed.find((e) => e.id === passed)!.kind, 'deadline_passed');
  // A closed question takes no events; a retired indicator takes none either.
  await assert.rejects(async () => logIndicatorEvent(db, ana, qid, ev(ind[0]!, T0 + 101 * DAY), T0 + 101 * DAY), code('conflict'));
  await retireIndicator(db, lead, ind[0]!, now);
  await assert.rejects(async () => logIndicatorEvent(db, ana, qid, ev(ind[0]!, now), now), (e: unknown) => e instanceof AppError && /retired/.test(e.message));
});

test('updates: linked to the event, keep prior, likelihoods and the lib/ posterior; events chain in sequence', async () => {
  const { db, lead, ana, qid, scen, ind } = await setup();
  await saveForecast(db, ana, qid, { values: vals(scen, [50, 30, 20]), rationale: 'first' }, T0 + DAY);
  const e1 = await logIndicatorEvent(db, lead, qid, ev(ind[0]!, T0 + 2 * DAY), T0 + 2 * DAY);
  assert.deepEqual((await pendingEventsFor(db, ana.id, [qid])).get(qid)?.map((e) => e.id), [e1]);
  // Updating needs the event to belong to the question.
  await assert.rejects(async () => saveForecast(db, ana, qid, { values: vals(scen, [50, 30, 20]), rationale: '', update: { eventId: 9999, likelihoods: vals(scen, [1, 1, 1]) } }, T0 + 3 * DAY), code('not_found'));
  // Bad likelihoods: refused, nothing stored.
  await assert.rejects(async () => saveForecast(db, ana, qid, { values: vals(scen, [50, 30, 20]), rationale: '', update: { eventId: e1, likelihoods: vals(scen, [0, 0, 0]) } }, T0 + 3 * DAY), code('invalid'));
  assert.equal((await listForecastRows(db, qid)).length, 1);

  const u1 = await saveForecast(db, ana, qid, { values: vals(scen, [27.8, 50, 22.2]), rationale: 'update', update: { eventId: e1, likelihoods: vals(scen, [20, 60, 40]) } }, T0 + 3 * DAY);
  // posterior((.5,.3,.2), (.2,.6,.4)) = (.1,.18,.08)/.36, computed independently in db/.. python:
  // python3 -c "p=[.5,.3,.2];L=[.2,.6,.4];z=sum(a*b for a,b in zip(p,L));print([a*b/z for a,b in zip(p,L)])"
  assert.ok(close(u1.implied!, [0.1 / 0.36, 0.18 / 0.36, 0.08 / 0.36]));
  assert.ok(close(u1.implied!, posterior([0.5, 0.3, 0.2], [0.2, 0.6, 0.4])));
  assert.equal((await pendingEventsFor(db, ana.id, [qid])).get(qid), undefined);
  // Ana's likelihoods were recorded as her judgement.
  assert.ok(close((await listIndicatorViews(db, ana, qid))[0]!.mine!, [0.2, 0.6, 0.4]));

  // A second event (a passed deadline) uses the standing forecast as prior and 1 - L.
  const e2 = await logIndicatorEvent(db, lead, qid, ev(ind[1]!, T0 + 11 * DAY, { kind: 'deadline_passed' }), T0 + 12 * DAY);
  const standing = u1.probabilities;
  const u2 = await saveForecast(db, ana, qid, { values: vals(scen, [40, 40, 20]), rationale: '', update: { eventId: e2, likelihoods: vals(scen, [10, 50, 90]) } }, T0 + 13 * DAY);
  assert.ok(close(u2.prior!, standing));
  assert.ok(close(u2.implied!, posteriorUnobserved(standing, [0.1, 0.5, 0.9])));
  const rows = await listForecastRows(db, qid);
  assert.equal(rows[0]!.event?.id, e2);
  assert.equal(rows[1]!.event?.id, e1);
  assert.ok(close(rows[1]!.likelihoods!, [0.2, 0.6, 0.4]));
  // A retracted event takes no updates.
  await retractIndicatorEvent(db, lead, e2, 'error', T0 + 14 * DAY);
  await assert.rejects(async () => saveForecast(db, ana, qid, { values: vals(scen, [40, 40, 20]), rationale: '', update: { eventId: e2, likelihoods: vals(scen, [10, 50, 90]) } }, T0 + 15 * DAY), code('conflict'));
  // An update needs a prior.
  const ben = await addUser(db, 'Benny', 'forecaster');
  await assert.rejects(async () => saveForecast(db, ben, qid, { values: vals(scen, [40, 40, 20]), rationale: '', update: { eventId: e1, likelihoods: vals(scen, [10, 50, 90]) } }, T0 + 15 * DAY), code('conflict'));
  assert.equal((await db.select({ n: count() }).from(indicatorEvents).where(eq(indicatorEvents.questionId, qid)))[0]!.n, 2);
});
