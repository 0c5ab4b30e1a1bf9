/**
 * npm run bench:accuracy — accuracy of every aggregation method on real forecasts.
 *
 * Data: the ForecastBench 2024-07-21 superforecaster set (see bench/forecastbench-data.ts),
 * 578 resolved binary targets: 521 dataset question x horizon pairs and 57 market questions.
 * Each target is aggregated with every method of AGGREGATION_METHODS that can run without
 * timestamps, and scored with the multi-category Brier (0-2 scale) and the ForecastBench
 * binary scale (p - o)^2 = half of it. "overall" is the mean of the two subset means, as on the
 * ForecastBench leaderboard.
 *
 * - Recency-weighted methods are omitted: the data has no per-forecast times (every forecast
 *   was made in the survey window ending 2024-07-21), so recency ranks would be arbitrary.
 * - Skill-weighted methods use weights from leave-one-question-out cross-validation: to score
 *   a target, each forecaster's record is their relative Brier (own Brier minus the median
 *   Brier of the forecasters on that target, from lib/scoring relativeBrier) on every target of
 *   every OTHER source question; the target itself and its sibling horizons of the same
 *   question are never used. A chronological split is impossible here: all forecasts were
 *   made before the first target resolved (2024-07-28). Weights come from
 *   skillWeightsFromRecords with its defaults (priorCount 5, temperature 0.1); a sensitivity
 *   table shows other temperatures (for information only; defaults were fixed beforehand).
 * - The mean individual forecaster is, per target, the mean Brier of its forecasters, then
 *   averaged over targets (the README's definition).
 * - Paired differences against the logarithmic pool (the pool of the default method
 *   'logarithmic-recency', which reduces to it without times) carry a standard error
 *   clustered by source question (horizons of one question are correlated).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AGGREGATION_METHODS,
  type AggregationOptions,
  aggregate,
  skillWeightsFromRecords,
} from '../lib/aggregation';
import { brier, relativeBrier, type ForecastStep } from '../lib/scoring';
import { binaryVector, forecastBenchDir, loadForecastBench, type ForecastBenchTarget } from './forecastbench-data';
import { methodLabel } from '../app/_components/method-labels';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = forecastBenchDir(repoRoot);
const data = loadForecastBench(dir);
if (!data) {
  console.log(`bench:accuracy: skipped, the ForecastBench data folder is absent (${dir}).`);
  console.log('Set SIGNPOST_SHARED_DATA to the folder (or its parent) to run it.');
  process.exit(0);
}
const targets = data.targets;
const subsets = {
  dataset: targets.filter((t) => t.kind === 'dataset'),
  market: targets.filter((t) => t.kind === 'market'),
};

// ---------------------------------------------------------------- relative Brier per target

/** relBrier.get(targetId).get(forecasterId): own Brier - median Brier on that target (0-2 scale). */
const relBrier = new Map<string, Map<string, number>>();
for (const t of targets) {
  const histories = new Map<string, ForecastStep[]>(
    t.forecasts.map((f) => [f.forecasterId, [{ time: 0, probabilities: binaryVector(f.pYes) }]]),
  );
  const r = relativeBrier(histories, { start: 0, end: 1 }, t.outcome);
  relBrier.set(t.id, new Map([...r].map(([id, v]) => [id, v.relativeBrier as number])));
}

// Per forecaster: totals over all targets and per source question, for leave-one-question-out.
const totals = new Map<string, { sum: number; n: number }>();
const byQuestion = new Map<string, Map<string, { sum: number; n: number }>>(); // question -> forecaster -> totals
for (const t of targets) {
  let q = byQuestion.get(t.sourceQuestionId);
  if (!q) byQuestion.set(t.sourceQuestionId, (q = new Map()));
  for (const [id, r] of relBrier.get(t.id) as Map<string, number>) {
    const a = totals.get(id) ?? { sum: 0, n: 0 };
    a.sum += r;
    a.n += 1;
    totals.set(id, a);
    const b = q.get(id) ?? { sum: 0, n: 0 };
    b.sum += r;
    b.n += 1;
    q.set(id, b);
  }
}

function skillWeightsFor(t: ForecastBenchTarget, temperature?: number): Map<string, number> {
  const excluded = byQuestion.get(t.sourceQuestionId) as Map<string, { sum: number; n: number }>;
  const records = t.forecasts.map((f) => {
    const all = totals.get(f.forecasterId) as { sum: number; n: number };
    const ex = excluded.get(f.forecasterId) ?? { sum: 0, n: 0 };
    const n = all.n - ex.n;
    return { forecasterId: f.forecasterId, meanRelativeBrier: n > 0 ? (all.sum - ex.sum) / n : 0, resolvedCount: n };
  });
  return skillWeightsFromRecords(records, temperature === undefined ? {} : { temperature });
}

// ---------------------------------------------------------------- scoring

function scoresOf(options: AggregationOptions, subset: readonly ForecastBenchTarget[], temperature?: number): number[] {
  return subset.map((t) => {
    const standing = t.forecasts.map((f) => ({ forecasterId: f.forecasterId, time: 0, probabilities: binaryVector(f.pYes) }));
    const o = options.weighting === 'skill' ? { ...options, skillWeights: skillWeightsFor(t, temperature) } : options;
    return brier(aggregate(standing, o), t.outcome);
  });
}
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Mean paired difference and its standard error clustered by source question. */
function pairedDiff(a: readonly number[], b: readonly number[], subset: readonly ForecastBenchTarget[]): { d: number; se: number } {
  const n = a.length;
  const diffs = a.map((x, i) => x - (b[i] as number));
  const d = mean(diffs);
  const clusters = new Map<string, { s: number; n: number }>();
  subset.forEach((t, i) => {
    const c = clusters.get(t.sourceQuestionId) ?? { s: 0, n: 0 };
    c.s += diffs[i] as number;
    c.n += 1;
    clusters.set(t.sourceQuestionId, c);
  });
  const g = clusters.size;
  let v = 0;
  for (const c of clusters.values()) v += (c.s - c.n * d) ** 2;
  return { d, se: (Math.sqrt(v) / n) * Math.sqrt(g / Math.max(1, g - 1)) };
}

interface Row {
  id: string;
  label: string;
  dataset: number[];
  market: number[];
}
const rows: Row[] = [];
const omitted: string[] = [];
for (const m of AGGREGATION_METHODS) {
  if (m.needsTimes) {
    omitted.push(m.id);
    continue;
  }
  rows.push({
    id: m.id,
    label: methodLabel(m.id),
    dataset: scoresOf(m.options, subsets.dataset),
    market: scoresOf(m.options, subsets.market),
  });
}
const individual = (subset: readonly ForecastBenchTarget[]) =>
  subset.map((t) => mean(t.forecasts.map((f) => brier(binaryVector(f.pYes), t.outcome))));
rows.push({ id: 'individual', label: 'Mean individual forecaster', dataset: individual(subsets.dataset), market: individual(subsets.market) });

// ---------------------------------------------------------------- print

const f4 = (x: number) => x.toFixed(4);
const summary = rows.map((r) => {
  const d = mean(r.dataset);
  const m = mean(r.market);
  return { ...r, d, m, o: (d + m) / 2 };
});
const aggregates = summary.filter((r) => r.id !== 'individual');
const best = {
  d: Math.min(...aggregates.map((r) => r.d)),
  m: Math.min(...aggregates.map((r) => r.m)),
  o: Math.min(...aggregates.map((r) => r.o)),
};
const mark = (x: number, b: number) => (x === b ? '*' : ' ');

console.log(`ForecastBench 2024-07-21 superforecasters (${dir})`);
console.log(
  `${targets.length} resolved targets: dataset ${subsets.dataset.length}, market ${subsets.market.length}; ${data.forecasterCount} forecasters`,
);
console.log('Mean Brier, lower is better. 0-2 = multi-category sum; bin = ForecastBench binary (p - o)^2 = half.');
console.log('overall = (dataset + market) / 2. * = best aggregate in the column.\n');
const header = `${'method'.padEnd(24)} ${'dataset 0-2'.padStart(12)} ${'bin'.padStart(8)} ${'market 0-2'.padStart(12)} ${'bin'.padStart(8)} ${'overall 0-2'.padStart(12)} ${'bin'.padStart(8)}`;
console.log(header);
console.log('-'.repeat(header.length));
for (const r of summary) {
  console.log(
    `${r.id.padEnd(24)} ${(f4(r.d) + mark(r.d, best.d)).padStart(12)} ${f4(r.d / 2).padStart(8)} ${(f4(r.m) + mark(r.m, best.m)).padStart(12)} ${f4(r.m / 2).padStart(8)} ${(f4(r.o) + mark(r.o, best.o)).padStart(12)} ${f4(r.o / 2).padStart(8)}`,
  );
}
console.log(`${'published SF median'.padEnd(24)} ${''.padStart(12)} ${'0.122'.padStart(8)} ${''.padStart(12)} ${'0.082'.padStart(8)} ${''.padStart(12)} ${'0.102'.padStart(8)}`);
console.log('  (published market figure is over 54 targets; this snapshot has 57)');
console.log(`Omitted (need forecast times, which the data lacks): ${omitted.join(', ')}.`);
console.log('Skill weights: leave-one-question-out relative Brier, priorCount 5, temperature 0.1.\n');

const ref = summary.find((r) => r.id === 'logarithmic-uniform') as (typeof summary)[number];
console.log('Paired difference vs logarithmic-uniform (0-2 scale; negative = better), ± 1 SE clustered by question:');
console.log(`${'method'.padEnd(24)} ${'dataset'.padStart(18)} ${'market'.padStart(18)}`);
for (const r of aggregates) {
  if (r.id === ref.id) continue;
  const a = pairedDiff(r.dataset, ref.dataset, subsets.dataset);
  const b = pairedDiff(r.market, ref.market, subsets.market);
  const fmt = (x: { d: number; se: number }) => `${x.d >= 0 ? '+' : ''}${x.d.toFixed(4)} ± ${x.se.toFixed(4)}`;
  console.log(`${r.id.padEnd(24)} ${fmt(a).padStart(18)} ${fmt(b).padStart(18)}`);
}

console.log('\nSkill-weight temperature sensitivity (overall 0-2; information only, defaults not tuned on it):');
const temps = [0.025, 0.05, 0.1, 0.2, 0.4];
console.log(`${'method'.padEnd(24)} ${temps.map((t) => `T=${t}`.padStart(9)).join(' ')}`);
for (const m of AGGREGATION_METHODS.filter((x) => x.needsSkillWeights)) {
  const cells = temps.map((t) => f4((mean(scoresOf(m.options, subsets.dataset, t)) + mean(scoresOf(m.options, subsets.market, t))) / 2));
  console.log(`${m.id.padEnd(24)} ${cells.map((c) => c.padStart(9)).join(' ')}`);
}
