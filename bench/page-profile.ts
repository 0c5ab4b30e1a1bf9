// Times each data-layer read the question page makes, on 200 forecasters x 20 forecasts.
// Usage: node --import tsx bench/page-profile.ts   (a diagnostic for bench:http's page figure)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '@/db';
import { listIndicatorEvents, listMyPendingEvents } from '@/db/queries/events';
import { listMyForecasts } from '@/db/queries/team-view';
import { listIndicatorViews } from '@/db/queries/indicators';
import { createQuestion, getQuestionForUser, publishQuestion } from '@/db/queries/questions';
import { getAggregateView, listVisibleForecasts } from '@/db/queries/team-view';
import { forecastProbabilities, forecasts, users } from '@/db/schema';
import { questionInputSchema } from '@/lib/validation/question';

const DAY = 86_400_000;

async function main() {
  const now = Date.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-profile-'));
  const { db, close } = await openDatabase({ engine: 'sqlite', file: path.join(dir, 'p.db') });
  const [leadRow] = await db.write((tx) => tx.insert(users).values({ email: 'l@x', name: 'L', role: 'lead', passwordHash: 'x', createdAt: 0 }).returning());
  const lead = { id: leadRow!.id, name: 'L', email: 'l@x', role: 'lead' as const };
  const qid = await createQuestion(db, lead, questionInputSchema.parse({
    title: 'Q', resolutionCriteria: 'c', opensAt: new Date(now - 100 * DAY).toISOString(), closesAt: new Date(now + 100 * DAY).toISOString(),
    scenarios: ['A', 'B', 'C', 'D'].map((name) => ({ name })), indicators: [{ name: 'I' }],
  }), now - 101 * DAY);
  await publishQuestion(db, lead, qid, now - 100 * DAY);
  const scen = (await getQuestionForUser(db, lead, qid)).scenarios.map((s) => s.id);
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  await db.write(async (tx) => {
    for (let u = 0; u < 200; u++) {
      const [user] = await tx.insert(users).values({ email: `u${u}@x`, name: `U${u}`, role: 'forecaster', passwordHash: 'x', createdAt: 0 }).returning();
      for (let j = 0; j < 20; j++) {
        const [f] = await tx.insert(forecasts).values({ questionId: qid, userId: user!.id, createdAt: now - 99 * DAY + Math.floor(rnd() * 98 * DAY) }).returning();
        const raw = scen.map(() => 0.05 + rnd());
        const t = raw.reduce((a, b) => a + b, 0);
        await tx.insert(forecastProbabilities).values(scen.map((s, k) => ({ forecastId: f!.id, scenarioId: s, probability: raw[k]! / t })));
      }
    }
  });
  const time = async (label: string, f: () => Promise<unknown>) => {
    const xs: number[] = [];
    for (let i = 0; i < 7; i++) {
      const t0 = performance.now();
      await f();
      xs.push(performance.now() - t0);
    }
    xs.sort((a, b) => a - b);
    console.log(`${label.padEnd(28)} ${xs[3]!.toFixed(1)} ms`);
  };
  await time('getQuestionForUser', () => getQuestionForUser(db, lead, qid));
  await time('listMyForecasts', () => listMyForecasts(db, lead, qid));
  await time('listIndicatorViews', () => listIndicatorViews(db, lead, qid));
  await time('listIndicatorEvents', () => listIndicatorEvents(db, lead, qid));
  await time('listMyPendingEvents', () => listMyPendingEvents(db, lead, qid));
  await time('getAggregateView', () => getAggregateView(db, lead, qid, { now }));
  await time('listVisibleForecasts', () => listVisibleForecasts(db, lead, qid));
  const view = (await getAggregateView(db, lead, qid, { now }))!;
  console.log('series points', view.series.length, 'JSON bytes', JSON.stringify(view.series).length);
  await close();
  fs.rmSync(dir, { recursive: true, force: true });

}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
