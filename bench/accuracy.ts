/**
 * npm run bench:accuracy — accuracy of every aggregation method on real forecasts, the method
 * the record favours (leave one question out), and the tuning of the skill-weight defaults.
 *
 * Data: the ForecastBench 2024-07-21 superforecaster set (see bench/forecastbench-data.ts),
 * 578 resolved binary targets: 521 dataset question x horizon pairs and 57 market questions,
 * from 162 source questions. Each target is aggregated with every method of
 * AGGREGATION_METHODS that can run without timestamps, and scored with the multi-category
 * Brier (0-2 scale) and the ForecastBench binary scale (p - o)^2 = half of it. "overall" is the
 * mean of the two subset means, as on the ForecastBench leaderboard; "pooled" is the mean over
 * all 578 targets, the criterion every choice below minimises.
 *
 * - Recency-weighted methods are omitted: the data has no per-forecast times (every forecast
 *   was made in the survey window ending 2024-07-21), so recency ranks would be arbitrary.
 * - The record is the targets as resolved questions (lib ResolvedQuestion): one forecast per
 *   forecaster at time 0, window [0, 1], so a method's time-averaged Brier is its Brier; the
 *   targets of one source question share a group (its horizons are one unit of a skill record,
 *   are left out together, and form one cluster of every standard error).
 * - Skill weights use leave-one-question-out: to score a target, each forecaster's record is
 *   their relative Brier (lib/scoring relativeBrier) on every OTHER source question, one unit
 *   per question (skillWeightsFromHistories with the target's question excluded). A
 *   chronological split is impossible here: all forecasts were made before the first target
 *   resolved (2024-07-28).
 * - Skill tuning (docs/formulas.md#tuned-skill-defaults): every (priorCount, temperature) of a
 *   grid, and no skill weighting at all, scored for the logarithmic pool as above; then nested
 *   leave-one-question-out: for each source question, the rule below picks a setting on the
 *   other questions only (their skill weights also without the held-out question) and the
 *   pick is scored on the held-out question. The rule: among the settings whose pooled mean is
 *   within one standard error of the best one (paired, clustered), the one closest to uniform
 *   weights (lowest effective inverse temperature n / ((n + c) T) at the median record length
 *   n). The same rule on all questions gives the defaults.
 * - Team-record method: recommendMethod (lib/aggregation/recommend.ts) on the targets as the
 *   record: per source question left out, the method (and alpha, and skill setting) with the
 *   lowest pooled mean on the others, scored on the question left out.
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
  DEFAULT_SKILL_PRIOR_COUNT,
  DEFAULT_SKILL_TEMPERATURE,
  RECOMMEND_ALPHAS,
  RECOMMEND_SKILL_SETTINGS,
  aggregate,
  logarithmicPool,
  recommendMethod,
  skillWeightsFromRecords,
  type AggregationOptions,
  type ResolvedQuestion,
} from '../lib/aggregation';
import { recordUnits, recordsFromUnits, type SkillRecord } from '../lib/aggregation/skill';
import { brier } from '../lib/scoring';
import { binaryVector, forecastBenchDir, loadForecastBench, type ForecastBenchTarget } from './forecastbench-data';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = forecastBenchDir(repoRoot);
const data = loadForecastBench(dir);
if (!data) {
  console.log(`bench:accuracy: skipped, the ForecastBench data folder is absent (${dir}).`);
  console.log('Set SIGNPOST_SHARED_DATA to the folder (or its parent) to run it.');
  process.exit(0);
}
const targets = data.targets;
const isDataset = targets.map((t) => t.kind === 'dataset');

// ---------------------------------------------------------------- the record

const record: ResolvedQuestion[] = targets.map((t) => ({
  id: t.id,
  group: t.sourceQuestionId,
  history: t.forecasts.map((f) => ({ forecasterId: f.forecasterId, time: 0, probabilities: binaryVector(f.pYes) })),
  window: { start: 0, end: 1 },
  outcome: t.outcome,
}));
const units = recordUnits('bench', record);
const unitOf = units.unitOf;
const groupCount = units.groups.length;

/** Skill records for target i from every source question except its own. */
const recordsCache = new Map<number, SkillRecord[]>();
function recordsFor(i: number): SkillRecord[] {
  const u = unitOf[i] as number;
  let r = recordsCache.get(u);
  if (!r) recordsCache.set(u, (r = recordsFromUnits(units, new Set([u]))));
  return r;
}

interface Setting {
  priorCount: number;
  temperature: number;
}
const standingOf = (t: ForecastBenchTarget) =>
  t.forecasts.map((f) => ({ forecasterId: f.forecasterId, time: 0, probabilities: binaryVector(f.pYes) }));

/** Brier of target i by `options`; skill weights from the other questions with `setting` (null: uniform weights). */
function scoreTarget(i: number, options: AggregationOptions, setting: Setting | null): number {
  const t = targets[i] as ForecastBenchTarget;
  if (options.weighting !== 'skill') return brier(aggregate(standingOf(t), options), t.outcome);
  if (setting === null) return brier(aggregate(standingOf(t), { ...options, weighting: 'uniform' }), t.outcome);
  const skillWeights = skillWeightsFromRecords(recordsFor(i), setting);
  return brier(aggregate(standingOf(t), { ...options, skillWeights, missingSkill: 'neutral' }), t.outcome);
}

// ---------------------------------------------------------------- statistics

const mean = (xs: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i] as number;
  return s / xs.length;
};
const subsetMean = (xs: readonly number[], dataset: boolean) => mean(xs.filter((_, i) => isDataset[i] === dataset));
const summaryOf = (xs: readonly number[]) => {
  const d = subsetMean(xs, true);
  const m = subsetMean(xs, false);
  return { d, m, o: (d + m) / 2, p: mean(xs) };
};

/** Mean paired difference over `idx` (default all targets) and its SE clustered by source question. */
function pairedDiff(a: ArrayLike<number>, b: ArrayLike<number>, idx?: readonly number[]): { d: number; se: number } {
  const rows = idx ?? targets.map((_, i) => i);
  const diffs = rows.map((i) => (a[i] as number) - (b[i] as number));
  const d = mean(diffs);
  const clusters = new Map<number, number>();
  rows.forEach((i, r) => clusters.set(unitOf[i] as number, (clusters.get(unitOf[i] as number) ?? 0) + (diffs[r] as number) - d));
  const g = clusters.size;
  let v = 0;
  for (const c of clusters.values()) v += c * c;
  return { d, se: (Math.sqrt(v) / rows.length) * Math.sqrt(g / Math.max(1, g - 1)) };
}
const datasetIdx = targets.map((_, i) => i).filter((i) => isDataset[i]);
const marketIdx = targets.map((_, i) => i).filter((i) => !isDataset[i]);

// ---------------------------------------------------------------- skill tuning

const PRIOR_COUNTS = [0, 2, 5, 10, 20, 50];
const TEMPERATURES = [0.0125, 0.025, 0.05, 0.1, 0.2, 0.4];
/** null = no skill weighting (uniform weights). */
const grid: (Setting | null)[] = [null, ...PRIOR_COUNTS.flatMap((priorCount) => TEMPERATURES.map((temperature) => ({ priorCount, temperature })))];
const settingKey = (s: Setting | null) => (s === null ? 'uniform' : `priorCount ${s.priorCount}, temperature ${s.temperature}`);
const logOptions: AggregationOptions = { method: 'logarithmic', weighting: 'skill' };

// Median record length (in source questions) of a forecaster on one target's record: the n
// at which the effective inverse temperature n / ((n + c) T) orders settings from uniform up.
const recordLengths = recordsFromUnits(units, new Set()).map((r) => r.resolvedCount).sort((a, b) => a - b);
const typicalN = recordLengths[Math.floor(recordLengths.length / 2)] as number;
const sharpness = (s: Setting | null) => (s === null ? 0 : typicalN / ((typicalN + s.priorCount) * s.temperature));
const conservativeOrder = grid.map((_, j) => j).sort((a, b) => sharpness(grid[a] ?? null) - sharpness(grid[b] ?? null));

/**
 * The tuning rule on the targets `idx` with scores[j][r] (r indexes idx): the best pooled
 * mean, then the setting closest to uniform whose paired difference from the best is within
 * one clustered standard error.
 */
function pickSetting(scores: readonly (readonly number[])[], idx: readonly number[]): { best: number; pick: number } {
  const means = scores.map(mean);
  let best = 0;
  means.forEach((m, j) => {
    if (m < (means[best] as number)) best = j;
  });
  const full = (row: readonly number[]) => {
    const a = new Float64Array(targets.length);
    idx.forEach((i, r) => (a[i] = row[r] as number));
    return a;
  };
  const bestRow = full(scores[best] as number[]);
  for (const j of conservativeOrder) {
    const p = pairedDiff(full(scores[j] as number[]), bestRow, idx);
    if (p.d <= p.se) return { best, pick: j };
  }
  return { best, pick: best };
}

// Simple leave-one-question-out scores of every setting (weights from the other questions).
const gridScores = grid.map((s) => targets.map((_, i) => scoreTarget(i, logOptions, s)));
const uniformLog = gridScores[0] as number[];
const allIdx = targets.map((_, i) => i);
const tuned = pickSetting(gridScores, allIdx);
const tunedSetting = grid[tuned.pick] ?? null;

// Nested: per held-out source question h, the rule on the others, scored on h. Weights are
// computed once per (question, held-out question, setting) and the pool called directly.
const vectorsOf = targets.map((t) => t.forecasts.map((f) => binaryVector(f.pYes)));
const targetsOfUnit = units.groups.map(() => [] as number[]);
unitOf.forEach((u, i) => (targetsOfUnit[u] as number[]).push(i));
const nested = new Float64Array(targets.length);
const nestedPicks = new Map<string, number>();
for (let h = 0; h < groupCount; h++) {
  const idx = allIdx.filter((i) => unitOf[i] !== h);
  const position = new Map(idx.map((i, r) => [i, r]));
  const scores = grid.map(() => new Array<number>(idx.length));
  for (let u = 0; u < groupCount; u++) {
    if (u === h) continue;
    const records = recordsFromUnits(units, new Set([u, h]));
    grid.forEach((setting, j) => {
      const w = setting === null ? null : skillWeightsFromRecords(records, setting);
      for (const i of targetsOfUnit[u] as number[]) {
        const t = targets[i] as ForecastBenchTarget;
        const weights = w === null ? undefined : t.forecasts.map((f) => w.get(f.forecasterId) ?? 1);
        (scores[j] as number[])[position.get(i) as number] = brier(logarithmicPool(vectorsOf[i] as number[][], weights), t.outcome);
      }
    });
  }
  const { pick } = pickSetting(scores, idx);
  const key = settingKey(grid[pick] ?? null);
  nestedPicks.set(key, (nestedPicks.get(key) ?? 0) + 1);
  for (const i of allIdx) if (unitOf[i] === h) nested[i] = (gridScores[pick] as number[])[i] as number;
}

// ---------------------------------------------------------------- fixed methods and the team-record method

interface Row {
  id: string;
  scores: number[];
}
const rows: Row[] = [];
const omitted: string[] = [];
const defaults: Setting = { priorCount: DEFAULT_SKILL_PRIOR_COUNT, temperature: DEFAULT_SKILL_TEMPERATURE };
for (const m of AGGREGATION_METHODS) {
  if (m.needsTimes) {
    omitted.push(m.id);
    continue;
  }
  rows.push({ id: m.id, scores: targets.map((_, i) => scoreTarget(i, m.options, defaults)) });
}
const t0 = performance.now();
const recommendation = recommendMethod(record, {
  currentMethodId: 'logarithmic-uniform',
  candidates: AGGREGATION_METHODS.filter((m) => !m.needsTimes).map((m) => m.id),
});
const recommendMs = performance.now() - t0;
const loo = recommendation.leaveOneOut;
if (!loo) throw new Error('bench:accuracy: the record has fewer than 2 source questions');
const looScores = loo.perQuestion.map((q) => q.brier);
if (loo.perQuestion.some((q, i) => q.id !== (targets[i] as ForecastBenchTarget).id)) throw new Error('recommendMethod changed the order');
rows.push({ id: 'team-record (LOO)', scores: looScores });
rows.push({
  id: 'individual',
  scores: targets.map((t) => mean(t.forecasts.map((f) => brier(binaryVector(f.pYes), t.outcome)))),
});

// ---------------------------------------------------------------- print

const f4 = (x: number) => x.toFixed(4);
const signed = (x: { d: number; se: number }) => `${x.d >= 0 ? '+' : ''}${x.d.toFixed(4)} ± ${x.se.toFixed(4)}`;
const summary = rows.map((r) => ({ ...r, ...summaryOf(r.scores) }));
const aggregates = summary.filter((r) => r.id !== 'individual');
const best = {
  d: Math.min(...aggregates.map((r) => r.d)),
  m: Math.min(...aggregates.map((r) => r.m)),
  o: Math.min(...aggregates.map((r) => r.o)),
  p: Math.min(...aggregates.map((r) => r.p)),
};
const mark = (x: number, b: number) => (x === b ? '*' : ' ');

console.log(`ForecastBench 2024-07-21 superforecasters (${dir})`);
console.log(
  `${targets.length} resolved targets: dataset ${datasetIdx.length}, market ${marketIdx.length}; ${groupCount} source questions; ${data.forecasterCount} forecasters`,
);
console.log('Mean Brier, lower is better. 0-2 = multi-category sum; bin = ForecastBench binary (p - o)^2 = half.');
console.log('overall = (dataset + market) / 2; pooled = mean over all targets. * = best aggregate in the column.\n');
const header = `${'method'.padEnd(24)} ${'dataset 0-2'.padStart(12)} ${'bin'.padStart(7)} ${'market 0-2'.padStart(11)} ${'bin'.padStart(7)} ${'overall 0-2'.padStart(12)} ${'bin'.padStart(7)} ${'pooled 0-2'.padStart(11)}`;
console.log(header);
console.log('-'.repeat(header.length));
for (const r of summary) {
  console.log(
    `${r.id.padEnd(24)} ${(f4(r.d) + mark(r.d, best.d)).padStart(12)} ${f4(r.d / 2).padStart(7)} ${(f4(r.m) + mark(r.m, best.m)).padStart(11)} ${f4(r.m / 2).padStart(7)} ${(f4(r.o) + mark(r.o, best.o)).padStart(12)} ${f4(r.o / 2).padStart(7)} ${(f4(r.p) + mark(r.p, best.p)).padStart(11)}`,
  );
}
console.log(`${'published SF median'.padEnd(24)} ${''.padStart(12)} ${'0.122'.padStart(7)} ${''.padStart(11)} ${'0.082'.padStart(7)} ${''.padStart(12)} ${'0.102'.padStart(7)}`);
console.log('  (published market figure is over 54 targets; this snapshot has 57)');
console.log(`Omitted (need forecast times, which the data lacks): ${omitted.join(', ')}.`);
console.log(`Skill weights: leave-one-question-out relative Brier, defaults priorCount ${defaults.priorCount}, temperature ${defaults.temperature}.`);
console.log(
  `team-record (LOO): recommendMethod over the ${recommendation.methods.length} non-recency candidates (alphas ${RECOMMEND_ALPHAS.join(', ')}; skill settings ${RECOMMEND_SKILL_SETTINGS.map((x) => `(${x.priorCount}, ${x.temperature})`).join(', ')}), one source question left out at a time.`,
);
console.log(
  `  On all questions it picks ${recommendation.recommended.key} (pooled ${f4(recommendation.recommendedMeanBrier as number)} in sample). Picks when leaving one question out: ${loo.choices.map((c) => `${c.key} x${c.count}`).join('; ')}.`,
);
console.log(`  recommendMethod took ${(recommendMs / 1000).toFixed(1)} s here.\n`);

const ref = summary.find((r) => r.id === 'logarithmic-uniform') as (typeof summary)[number];
console.log('Paired difference vs logarithmic-uniform (0-2 scale; negative = better), ± 1 SE clustered by source question:');
console.log(`${'method'.padEnd(24)} ${'dataset'.padStart(18)} ${'market'.padStart(18)} ${'pooled'.padStart(18)}`);
for (const r of aggregates) {
  if (r.id === ref.id) continue;
  console.log(
    `${r.id.padEnd(24)} ${signed(pairedDiff(r.scores, ref.scores, datasetIdx)).padStart(18)} ${signed(pairedDiff(r.scores, ref.scores, marketIdx)).padStart(18)} ${signed(pairedDiff(r.scores, ref.scores)).padStart(18)}`,
  );
}

const team = summary.find((r) => r.id === 'team-record (LOO)') as (typeof summary)[number];
console.log('\nTeam-record method (LOO) minus each fixed method (0-2 scale; negative = the team-record choice is better), ± 1 SE clustered by source question:');
console.log(`${'fixed method'.padEnd(24)} ${'dataset'.padStart(18)} ${'market'.padStart(18)} ${'pooled'.padStart(18)}`);
for (const r of aggregates) {
  if (r.id === team.id) continue;
  console.log(
    `${r.id.padEnd(24)} ${signed(pairedDiff(team.scores, r.scores, datasetIdx)).padStart(18)} ${signed(pairedDiff(team.scores, r.scores, marketIdx)).padStart(18)} ${signed(pairedDiff(team.scores, r.scores)).padStart(18)}`,
  );
}
console.log('\nSkill tuning for the logarithmic pool (docs/formulas.md#tuned-skill-defaults).');
console.log(`Leave-one-question-out pooled mean (0-2); uniform weights ${f4(mean(uniformLog))}; * = best, + = picked by the rule.`);
console.log(`${'priorCount'.padEnd(12)} ${TEMPERATURES.map((t) => `T=${t}`.padStart(10)).join(' ')}`);
for (const c of PRIOR_COUNTS) {
  const cells = TEMPERATURES.map((t) => {
    const j = grid.findIndex((s) => s !== null && s.priorCount === c && s.temperature === t);
    const m = mean(gridScores[j] as number[]);
    return `${f4(m)}${j === tuned.best ? '*' : j === tuned.pick ? '+' : ' '}`.padStart(10);
  });
  console.log(`${String(c).padEnd(12)} ${cells.join(' ')}`);
}
console.log(`Median record length: ${typicalN} source questions. Rule on all questions: ${settingKey(tunedSetting)}.`);
const defaultsMatch = tunedSetting !== null && tunedSetting.priorCount === defaults.priorCount && tunedSetting.temperature === defaults.temperature;
console.log(`Library defaults: priorCount ${defaults.priorCount}, temperature ${defaults.temperature}${defaultsMatch ? ' (the rule\'s choice)' : ' (NOT the rule\'s choice: update lib/aggregation/weights.ts)'}.`);
console.log(`Nested leave-one-question-out picks: ${[...nestedPicks].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} x${n}`).join('; ')}.`);

const defaultsRow = rows.find((r) => r.id === 'logarithmic-skill') as Row;
const lines: [string, ArrayLike<number>][] = [
  ['uniform log pool', uniformLog],
  ['skill, defaults', defaultsRow.scores],
  ['skill, tuned (nested)', nested],
];
console.log(`\n${'logarithmic pool'.padEnd(24)} ${'dataset'.padStart(8)} ${'market'.padStart(8)} ${'overall'.padStart(8)} ${'pooled'.padStart(8)}   ${'pooled - uniform ± SE'.padStart(22)}`);
for (const [name, xs] of lines) {
  const arr = Array.from(xs);
  const s = summaryOf(arr);
  const diff = name === 'uniform log pool' ? '' : signed(pairedDiff(xs, uniformLog));
  console.log(`${name.padEnd(24)} ${f4(s.d).padStart(8)} ${f4(s.m).padStart(8)} ${f4(s.o).padStart(8)} ${f4(s.p).padStart(8)}   ${diff.padStart(22)}`);
}
console.log('(skill, defaults: the defaults chosen on all questions, scored leave-one-question-out, so the choice saw every');
console.log(' question; skill, tuned (nested): the rule re-run without each held-out question, the honest estimate.)');
