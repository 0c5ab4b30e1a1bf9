// Times each data-layer read the question page makes, on 200 forecasters x 20 forecasts.
// Usage: node --import tsx bench/page-profile.ts   (a diagnostic for bench:http's page figure)
import { eq, sql } from 'drizzle-orm';
import { openDatabase } from '@/db';
import { getAggregateView, listVisibleForecasts } from '@/db/queries/analysis';
import { listForecastRows, listMyForecasts } from '@/db/queries/forecasts';
import { listIndicatorEvents, listIndicatorViews, pendingEventsFor } from '@/db/queries/indicators';
import { createQuestion, getQuestionForUser, publishQuestion } from '@/db/queries/questions';
import { forecastProbabilities, forecasts, users } from '@/db/schema';
import { questionInputSchema } from '@/lib/validation/question';

const DAY = 86_400_000;
const now = Date.now();
const { db } = openDatabase(':memory:');
const lead = { id: db.insert(users).values({ email: 'l@x', name: 'L', role: 'lead', passwordHash: 'x', createdAt: 0 }).returning().get().id, name: 'L', email: 'l@x', role: 'lead' as const };
const qid = createQuestion(db, lead, questionInputSchema.parse({
  title: 'Q', resolutionCriteria: 'c', opensAt: new Date(now - 100 * DAY).toISOString(), closesAt: new Date(now + 100 * DAY).toISOString(),
  scenarios: ['A', 'B', 'C', 'D'].map((name) => ({ name })), indicators: [{ name: 'I' }],
}), now - 101 * DAY);
publishQuestion(db, lead, qid, now - 100 * DAY);
const scen = getQuestionForUser(db, lead, qid).scenarios.map((s) => s.id);
let seed = 7;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
db.transaction((tx) => {
  for (let u = 0; u < 200; u++) {
    const uid = tx.insert(users).values({ email: `u${u}@x`, name: `U${u}`, role: 'forecaster', passwordHash: 'x', createdAt: 0 }).returning().get().id;
    for (let j = 0; j < 20; j++) {
      const fid = tx.insert(forecasts).values({ questionId: qid, userId: uid, createdAt: now - 99 * DAY + Math.floor(rnd() * 98 * DAY) }).returning().get().id;
      const raw = scen.map(() => 0.05 + rnd());
      const t = raw.reduce((a, b) => a + b, 0);
      tx.insert(forecastProbabilities).values(scen.map((s, k) => ({ forecastId: fid, scenarioId: s, probability: raw[k]! / t }))).run();
    }
  }
});
const time = (label: string, f: () => unknown) => {
  const xs: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    f();
    xs.push(performance.now() - t0);
  }
  xs.sort((a, b) => a - b);
  console.log(`${label.padEnd(28)} ${xs[3]!.toFixed(1)} ms`);
};
time('getQuestionForUser', () => getQuestionForUser(db, lead, qid));
time('listForecastRows (all)', () => listForecastRows(db, qid));
time('listMyForecasts', () => listMyForecasts(db, lead, qid));
time('listIndicatorViews', () => listIndicatorViews(db, lead, qid));
time('listIndicatorEvents', () => listIndicatorEvents(db, lead, qid));
time('pendingEventsFor', () => pendingEventsFor(db, lead.id, [qid]));
time('getAggregateView', () => getAggregateView(db, lead, qid, now));
time('listVisibleForecasts', () => listVisibleForecasts(db, lead, qid));
const view = getAggregateView(db, lead, qid, now)!;
console.log('series points', view.series.length, 'JSON bytes', JSON.stringify(view.series).length);
if (process.env.DETAIL) {
  time('raw probs query', () => db.all(sql`select fp.forecast_id, fp.scenario_id, fp.probability from forecast_probabilities fp join forecasts f on f.id = fp.forecast_id where f.question_id = ${qid}`));
  time('raw forecasts query', () => db.all(sql`select f.id, f.user_id, f.created_at from forecasts f where f.question_id = ${qid} order by f.created_at desc, f.id desc`));
  time('explain', () => console.log(db.all(sql`explain query plan select fp.forecast_id from forecast_probabilities fp join forecasts f on f.id = fp.forecast_id where f.question_id = ${qid}`)));
}
if (process.env.DETAIL) {
  time('drizzle .values()', () =>
    db.select({ a: forecastProbabilities.forecastId, b: forecastProbabilities.scenarioId, c: forecastProbabilities.probability })
      .from(forecastProbabilities).innerJoin(forecasts, eq(forecasts.id, forecastProbabilities.forecastId)).where(eq(forecasts.questionId, qid)).values());
}
