/**
 * npm run bench:recommendation — what the lead's review page pays for the method the team's
 * record favours and for the signpost scores, on SQLite: a throwaway team with QUESTIONS
 * resolved questions of FORECASTS forecasts each (FORECASTERS forecasters, 4 scenarios, one
 * observed indicator judged by everyone), then the first computation (read every resolved
 * question's history, recommendMethod over 27 candidates) and a cached read.
 * BENCH_QUESTIONS, BENCH_FORECASTS, BENCH_FORECASTERS override the defaults (50, 1,000, 25).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../db/index';
import { logIndicatorEvent } from '../db/queries/events';
import { getTeamDiscrimination } from '../db/queries/discrimination';
import { recordLikelihoods } from '../db/queries/indicators';
import { createQuestion, getQuestionForUser, publishQuestion } from '../db/queries/questions';
import { getMethodRecommendation } from '../db/queries/recommendation';
import { resolveQuestion } from '../db/queries/resolution';
import { forecastProbabilities, forecasts, users } from '../db/schema';
import type { Actor } from '../lib/domain';
import { eventInputSchema } from '../lib/validation/indicator';
import { questionInputSchema } from '../lib/validation/question';
import { mulberry32 } from './prng';

const QUESTIONS = Number(process.env.BENCH_QUESTIONS) || 50;
const FORECASTS = Number(process.env.BENCH_FORECASTS) || 1_000;
const FORECASTERS = Number(process.env.BENCH_FORECASTERS) || 25;
const DAY = 86_400_000;

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-bench-recommendation-'));
  const opened = await openDatabase({ engine: 'sqlite', file: path.join(dir, 'bench.db') }, { synchronous: 'NORMAL' });
  const db = opened.db;
  try {
    const rand = mulberry32(7);
    const people = (await db.write((tx) =>
      tx
        .insert(users)
        .values(Array.from({ length: FORECASTERS + 1 }, (_, i) => ({ email: `u${i}@bench.example`, name: `U${i}`, role: i === 0 ? ('lead' as const) : ('forecaster' as const), passwordHash: 'x', createdAt: 0 })))
        .returning({ id: users.id, email: users.email, name: users.name, role: users.role }),
    )) as Actor[];
    const lead = people[0]!;
    const t0 = Date.UTC(2025, 0, 1);
    const seedStart = performance.now();
    for (let qi = 0; qi < QUESTIONS; qi++) {
      const start = t0 + qi * 5 * DAY;
      const qid = await createQuestion(
        db,
        lead,
        questionInputSchema.parse({
          title: `Q${qi}`,
          resolutionCriteria: 'bench',
          opensAt: new Date(start).toISOString(),
          closesAt: new Date(start + 30 * DAY).toISOString(),
          scenarios: ['A', 'B', 'C', 'D'].map((name) => ({ name })),
          indicators: [{ name: 'Signal' }],
        }),
        start - DAY,
      );
      await publishQuestion(db, lead, qid, start - DAY);
      const q = await getQuestionForUser(db, lead, qid, start);
      const outcome = Math.floor(rand() * 4);
      const ind = q.indicators[0]!.id;
      for (const who of people) {
        const l = q.scenarios.map((_, k) => (k === outcome ? 40 + Math.round(rand() * 50) : 5 + Math.round(rand() * 50)));
        await recordLikelihoods(db, who, ind, new Map(q.scenarios.map((s, k) => [s.id, l[k]])), { teamDefault: who === lead }, start + 1000);
      }
      await logIndicatorEvent(db, lead, qid, eventInputSchema.parse({ indicatorId: String(ind), occurredAt: new Date(start + DAY).toISOString() }), start + DAY);
      await db.write(async (tx) => {
        for (let i = 0; i < FORECASTS; i += 200) {
          const batch = Array.from({ length: Math.min(200, FORECASTS - i) }, (_, j) => ({
            questionId: qid,
            userId: people[1 + ((i + j) % FORECASTERS)]!.id,
            createdAt: start + 2000 + Math.floor(((i + j) / FORECASTS) * 25 * DAY),
          }));
          const rows = await tx.insert(forecasts).values(batch).returning({ id: forecasts.id });
          const probs = rows.flatMap((r) => {
            const raw = q.scenarios.map((_, k) => rand() + (k === outcome ? 0.6 : 0));
            const sum = raw.reduce((a, b) => a + b, 0);
            return q.scenarios.map((s, k) => ({ forecastId: r.id, scenarioId: s.id, probability: raw[k]! / sum }));
          });
          for (let p = 0; p < probs.length; p += 400) await tx.insert(forecastProbabilities).values(probs.slice(p, p + 400));
        }
      });
      await resolveQuestion(db, lead, qid, { scenarioId: q.scenarios[outcome]!.id, resolvedAt: start + 28 * DAY, note: '' }, start + 29 * DAY);
    }
    const open = await createQuestion(db, lead, questionInputSchema.parse({ title: 'Open', resolutionCriteria: 'bench', opensAt: new Date(t0).toISOString(), closesAt: new Date(t0 + 900 * DAY).toISOString(), scenarios: ['A', 'B'].map((name) => ({ name })), indicators: [] }), t0);
    console.log(`bench:recommendation: ${QUESTIONS} resolved questions x ${FORECASTS.toLocaleString('en-US')} forecasts by ${FORECASTERS} forecasters (4 scenarios), seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s.`);

    let t = performance.now();
    const first = await getMethodRecommendation(db, lead, open);
    const firstMs = performance.now() - t;
    t = performance.now();
    await getMethodRecommendation(db, lead, open);
    const cachedMs = performance.now() - t;
    console.log(`method recommendation: first view ${firstMs.toFixed(0)} ms (of which reading the record ${first.readMs.toFixed(0)} ms, recommendMethod ${(first.computeMs - first.readMs).toFixed(0)} ms), cached view ${cachedMs.toFixed(1)} ms.`);
    console.log(`  recommended ${first.recommended.methodId}${first.recommended.alpha === null ? '' : ` power ${first.recommended.alpha}`} on ${first.questionCount} questions.`);
    t = performance.now();
    const d = await getTeamDiscrimination(db, lead);
    const dFirst = performance.now() - t;
    t = performance.now();
    await getTeamDiscrimination(db, lead);
    const dCached = performance.now() - t;
    console.log(`signpost scores: first view ${dFirst.toFixed(0)} ms, cached view ${dCached.toFixed(1)} ms (${d.indicators.length} indicators, ${d.judges.length} judges).`);
  } finally {
    await opened.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
