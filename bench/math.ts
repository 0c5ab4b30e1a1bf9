/**
 * npm run bench:math — speed and memory of the forecasting mathematics on a large question.
 *
 * A synthetic, deterministic question (seeded PRNG): 1,000 forecasters × 20 forecasts =
 * 20,000 forecasts over 5 scenarios in a one-year window. Forecasts follow a drifting latent
 * "truth" plus per-forecast noise, clamped to [0.001, 0.999]. Each task runs 2 times to warm
 * up, then TIMED_RUNS times; the table shows the median and fails a task over the 250 ms
 * target. A baseline (a plain loop summing every probability of the history) is timed in the
 * same run, so the ratios say how many such passes each task costs on this machine.
 * Memory: heap retained (after global.gc) by a history and by its aggregate series, for 5k,
 * 10k and 20k forecasts, to show linear growth. Run with --expose-gc (the npm script does).
 */
import { performance } from 'node:perf_hooks';
import {
  AGGREGATION_METHODS,
  type AggregationOptions,
  type StandingForecast,
  aggregateSeries,
} from '../lib/aggregation';
import { calibrationBins, forecastPairs, murphyDecomposition, type ForecastPair } from '../lib/calibration';
import { clampVector } from '../lib/probability';
import { relativeBrier, scoreSeries, timeAveragedBrier, type ForecastStep } from '../lib/scoring';
import { mulberry32 } from './prng';

const FORECASTERS = 1000;
const PER_FORECASTER = 20;
const K = 5;
const TARGET_MS = 250;
const TIMED_RUNS = 7;
const WARMUP_RUNS = 2;
const START = Date.UTC(2026, 0, 1);
const END = Date.UTC(2027, 0, 1);
const OUTCOME = 0;


function gaussian(rand: () => number): number {
  const u = 1 - rand();
  const v = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** A time-ordered history of `forecasters` × `perForecaster` forecasts over K scenarios. */
function syntheticHistory(forecasters: number, perForecaster: number, seed = 20260101): StandingForecast[] {
  const rand = mulberry32(seed);
  // Latent truth: log-weights per scenario drifting over 100 knots across the window.
  const knots = 100;
  const truth: number[][] = [];
  let cur = Array.from({ length: K }, () => gaussian(rand));
  for (let i = 0; i <= knots; i++) {
    truth.push(cur);
    cur = cur.map((x, k) => x + 0.15 * gaussian(rand) + (k === OUTCOME ? 0.02 : 0));
  }
  const rows: StandingForecast[] = [];
  for (let f = 0; f < forecasters; f++) {
    const noise = 0.3 + rand();
    const bias = Array.from({ length: K }, () => 0.3 * gaussian(rand));
    for (let j = 0; j < perForecaster; j++) {
      const time = START + Math.floor(rand() * (END - START));
      const knot = truth[Math.floor(((time - START) / (END - START)) * knots)] as number[];
      const w = knot.map((x, k) => Math.exp(x + (bias[k] as number) + noise * gaussian(rand)));
      const s = w.reduce((a, b) => a + b, 0);
      rows.push({ forecasterId: `forecaster-${f}`, time, probabilities: clampVector(w.map((x) => x / s)) });
    }
  }
  rows.sort((a, b) => a.time - b.time);
  return rows;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Median wall time of `fn` in ms over `timed` runs after `warmup` runs. */
function time(fn: () => unknown, warmup = WARMUP_RUNS, timed = TIMED_RUNS): number {
  let sink: unknown;
  for (let i = 0; i < warmup; i++) sink = fn();
  const runs: number[] = [];
  for (let i = 0; i < timed; i++) {
    const t0 = performance.now();
    sink = fn();
    runs.push(performance.now() - t0);
  }
  if (sink === Symbol.for('never')) console.log(sink);
  return median(runs);
}

const gc = (globalThis as { gc?: () => void }).gc;
function heapUsed(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

// ------------------------------------------------------------------ data

const history = syntheticHistory(FORECASTERS, PER_FORECASTER);
const window = { start: START, end: END };
const rand = mulberry32(7);
const skillWeights = new Map(Array.from({ length: FORECASTERS }, (_, f) => [`forecaster-${f}`, Math.exp(0.5 * gaussian(rand))]));
const withSkill = (o: AggregationOptions): AggregationOptions => (o.weighting === 'skill' ? { ...o, skillWeights } : o);
const histories = new Map<string, ForecastStep[]>();
for (const h of history) {
  const list = histories.get(h.forecasterId);
  if (list) list.push(h);
  else histories.set(h.forecasterId, [h]);
}
const pairs: ForecastPair[] = history.flatMap((h) => forecastPairs(h.probabilities, OUTCOME));

console.log(
  `Synthetic question: ${FORECASTERS} forecasters × ${PER_FORECASTER} forecasts = ${history.length} forecasts, K = ${K}; ` +
    `median of ${TIMED_RUNS} runs after ${WARMUP_RUNS} warm-up runs; node ${process.version}.`,
);

// ------------------------------------------------------------------ timings

// The baseline is short, so it gets more runs (20 warm-up, 21 timed) for a stable median.
const baseline = time(
  () => {
    let s = 0;
    for (const h of history) for (const p of h.probabilities) s += p;
    return s;
  },
  20,
  21,
);

interface Result {
  task: string;
  ms: number;
}
const results: Result[] = [];
const series = new Map<string, ReturnType<typeof aggregateSeries>>();
for (const m of AGGREGATION_METHODS) {
  const o = withSkill(m.options);
  results.push({ task: `aggregateSeries ${m.id}`, ms: time(() => aggregateSeries(history, o)) });
  series.set(m.id, aggregateSeries(history, o));
}
results.push({
  task: `timeAveragedBrier × ${histories.size} forecasters`,
  ms: time(() => {
    let s = 0;
    for (const h of histories.values()) s += timeAveragedBrier(h, window, OUTCOME).score ?? 0;
    return s;
  }),
});
results.push({ task: `relativeBrier, all ${histories.size} forecasters`, ms: time(() => relativeBrier(histories, window, OUTCOME)) });
results.push({ task: `calibrationBins, ${pairs.length} pairs`, ms: time(() => calibrationBins(pairs)) });
results.push({ task: `murphyDecomposition, ${pairs.length} pairs`, ms: time(() => murphyDecomposition(pairs)) });
results.push({
  task: `forecastPairs for ${history.length} forecasts`,
  ms: time(() => history.flatMap((h) => forecastPairs(h.probabilities, OUTCOME))),
});
results.push({
  task: `scoreSeries × ${series.size} method series`,
  ms: time(() => {
    let s = 0;
    for (const x of series.values()) s += scoreSeries(x, window, OUTCOME).score ?? 0;
    return s;
  }),
});

const width = Math.max(...results.map((r) => r.task.length), 30);
console.log(`\n${'task'.padEnd(width)} ${'median ms'.padStart(10)} ${'× baseline'.padStart(11)}  target ${TARGET_MS} ms`);
console.log('-'.repeat(width + 40));
console.log(`${'baseline: sum all probabilities'.padEnd(width)} ${baseline.toFixed(2).padStart(10)} ${'1'.padStart(11)}`);
let failures = 0;
for (const r of results) {
  const pass = r.ms < TARGET_MS;
  if (!pass) failures++;
  console.log(
    `${r.task.padEnd(width)} ${r.ms.toFixed(2).padStart(10)} ${(r.ms / baseline).toFixed(0).padStart(11)}  ${pass ? 'pass' : 'FAIL'}`,
  );
}
console.log(failures === 0 ? `\nAll ${results.length} tasks under ${TARGET_MS} ms.` : `\n${failures} task(s) over ${TARGET_MS} ms.`);

// ------------------------------------------------------------------ memory

if (!gc) {
  console.log('\nMemory: skipped (run with node --expose-gc, as npm run bench:math does).');
} else {
  console.log('\nHeap retained (after gc), 1,000 forecasters, K = 5:');
  console.log(
    `${'forecasts'.padStart(10)} ${'history MB'.padStart(11)} ${'B/forecast'.padStart(11)} ${'series MB'.padStart(10)} ${'B/point'.padStart(8)}   series method`,
  );
  const memMethod = 'median-uniform';
  const memOptions = AGGREGATION_METHODS.find((m) => m.id === memMethod)?.options as AggregationOptions;
  // Free the timing data first so it does not blur the measurements.
  series.clear();
  for (const per of [5, 10, 20]) {
    const before = heapUsed();
    let h: StandingForecast[] | null = syntheticHistory(FORECASTERS, per, 99 + per);
    const afterHistory = heapUsed();
    let s: ReturnType<typeof aggregateSeries> | null = aggregateSeries(h, memOptions);
    const afterSeries = heapUsed();
    const n = h.length;
    const hb = afterHistory - before;
    const sb = afterSeries - afterHistory;
    console.log(
      `${String(n).padStart(10)} ${(hb / 1e6).toFixed(2).padStart(11)} ${(hb / n).toFixed(0).padStart(11)} ${(sb / 1e6).toFixed(2).padStart(10)} ${(sb / n).toFixed(0).padStart(8)}   ${memMethod}`,
    );
    h = null;
    s = null;
    if (h === null && s === null) heapUsed();
  }
}
