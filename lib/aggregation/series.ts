/**
 * The aggregate as a time series, computed with running state rather than by recomputing the
 * pool after every forecast. `aggregateSeries` dispatches to one of three engines: running
 * sums (this file), Fenwick trees for the median (series-median.ts) and rank-shift updates
 * for recency weights (series-recency.ts). Definition and algorithms:
 * docs/formulas.md#aggregate-series.
 */
import { fail } from '../math-errors';
import { resolveCall, type AggregationMethodId, type MethodInputs } from './catalogue';
import type { AggregatePoint, AggregationOptions, ResolvedOptions, StandingForecast } from './options';
import * as pools from './pools';
import { prepareHistory, type PreparedHistory } from './series-history';
import { seriesMedianTree } from './series-median';
import { seriesRecency } from './series-recency';
import { skillWeightOf } from './validate';

// Hot-loop helpers bound once at load: where this file is compiled to CommonJS (tsx for the
// tests and benchmarks, the Next dev server), every use of an imported name reads a getter on
// the other module's exports object, and these run for every forecast and scenario (bound
// here they save 5 to 15% of the series time, measured with npm run bench:math).
const { clampLog, renormalise, softmaxScaled } = pools;

/**
 * The aggregate as a time series: after every forecast of the history, the aggregate
 * (`aggregate`, same options) of the forecasts standing then, where each forecaster's latest
 * forecast supersedes their earlier ones. Forecasts with equal times are applied in input
 * order, one point each.
 *
 * Running state instead of recomputation (N forecasts, F forecasters, K scenarios, M <= N
 * distinct values of a scenario):
 * - linear, logarithmic and extremised pools with uniform or skill weights keep running
 *   weighted sums of p (or of ln p, clamped) per scenario, replacing a forecaster's old term
 *   when they update: O(K) per forecast, re-summed from scratch every max(256, F) steps so
 *   that rounding cannot accumulate (amortised O(K)). Total O(N K).
 * - the median with uniform or skill weights keeps, per scenario, Fenwick trees of weight
 *   and of count over the sorted distinct values; the weighted median is a tree descent:
 *   O(K log M) per forecast, O(N K log N) in all (plus the initial sort).
 * - recency weights depend on every standing forecast's rank, and one superseded forecast
 *   shifts the rank of all newer ones by one, so no O(1) update exists. The forecasts are kept
 *   in time order; a new forecaster only adds a term, and an update corrects the running sums
 *   for the shifted ranks with one pass over the newer forecasts (half the standing set on
 *   average); the median steps from the previous median along a value-sorted list per
 *   scenario. O(F K) per step in the worst case, O(N F K) in all (see seriesRecency).
 * Memory O(N K) for the output plus O(N K) working arrays.
 *
 * Called like `aggregate`: by catalogue id (`aggregateSeries(history, 'logarithmic-recency')`,
 * skill weights as a third argument `{ skillWeights }`) or by options. Every point is total on
 * probability vectors, exact 0 and 1 included (docs/formulas.md#median-fallback), and vectors
 * within 1e-3 of summing to 1 are renormalised (docs/formulas.md#tolerance-renormalisation).
 *
 * An empty history gives an empty series. Throws MathInputError (naming aggregateSeries) for
 * a history out of time order, a non-finite time, vectors of different lengths or not on the
 * simplex, bad options or method id (as `aggregate`), a forecaster missing from the skill
 * weights (unless missingSkill is 'neutral'), or standing weights that are all zero.
 *
 * @example aggregateSeries(
 *   [
 *     { forecasterId: 'a', time: 1, probabilities: [0.6, 0.4] },
 *     { forecasterId: 'b', time: 2, probabilities: [0.2, 0.8] },
 *     { forecasterId: 'a', time: 3, probabilities: [0.4, 0.6] }, // supersedes a's first
 *   ],
 *   'linear-uniform',
 * )
 * // [{ time: 1, probabilities: [0.6, 0.4], forecasterCount: 1 },
 * //  { time: 2, probabilities: [0.4, 0.6], forecasterCount: 2 },
 * //  { time: 3, probabilities: [0.3, 0.7], forecasterCount: 2 }]
 */
export function aggregateSeries(history: readonly StandingForecast[], options: AggregationOptions): AggregatePoint[];
export function aggregateSeries(
  history: readonly StandingForecast[],
  methodId: AggregationMethodId | (string & {}),
  inputs?: MethodInputs,
): AggregatePoint[];
export function aggregateSeries(
  history: readonly StandingForecast[],
  how: AggregationOptions | string,
  inputs?: MethodInputs,
): AggregatePoint[] {
  const fn = 'aggregateSeries';
  const o = resolveCall(fn, how, inputs);
  const h = prepareHistory(fn, history);
  if (h.n === 0) return [];
  let weightOf: Float64Array | undefined;
  if (o.weighting === 'skill') {
    const sw = o.skillWeights as ReadonlyMap<string, number>;
    weightOf = Float64Array.from(h.ids, (id) => skillWeightOf(fn, sw, id, o.missingSkill));
  }
  if (o.weighting === 'recency') return seriesRecency(h, o);
  if (o.method === 'median') return seriesMedianTree(fn, h, weightOf);
  return seriesRunningSums(fn, h, o, weightOf);
}

/** Linear / log / extremised pools with fixed per-forecaster weights: running sums. */
function seriesRunningSums(
  fn: string,
  h: PreparedHistory,
  o: ResolvedOptions,
  weightOf: Float64Array | undefined,
): AggregatePoint[] {
  const { n, k, who, times, probs } = h;
  const f = h.ids.length;
  const isLinear = o.method === 'linear';
  const cur = new Float64Array(f * k);
  const has = new Uint8Array(f);
  const standing: number[] = [];
  const sums = new Float64Array(k);
  let total = 0;
  const resyncEvery = Math.max(256, f);
  const out: AggregatePoint[] = new Array(n);
  for (let s = 0; s < n; s++) {
    const who_s = who[s] as number;
    const w = weightOf ? (weightOf[who_s] as number) : 1;
    const base = who_s * k;
    if (has[who_s]) {
      for (let j = 0; j < k; j++) sums[j] = (sums[j] as number) - w * (cur[base + j] as number);
    } else {
      has[who_s] = 1;
      standing.push(who_s);
      total += w;
    }
    for (let j = 0; j < k; j++) {
      const p = probs[s * k + j] as number;
      const v = isLinear ? p : clampLog(p);
      cur[base + j] = v;
      sums[j] = (sums[j] as number) + w * v;
    }
    if (s % resyncEvery === resyncEvery - 1) {
      sums.fill(0);
      total = 0;
      for (const g of standing) {
        const wg = weightOf ? (weightOf[g] as number) : 1;
        total += wg;
        for (let j = 0; j < k; j++) sums[j] = (sums[j] as number) + wg * (cur[g * k + j] as number);
      }
    }
    if (!(total > 0)) fail(fn, `after history[${s}] the weights of the standing forecasters are all zero`);
    let probabilities: number[];
    if (isLinear) {
      // Subtracting a superseded term can leave -1e-17 where the exact sum is 0: clamp at 0.
      probabilities = new Array<number>(k);
      for (let j = 0; j < k; j++) probabilities[j] = Math.max(0, sums[j] as number) / total;
      probabilities = renormalise(probabilities);
    } else {
      const means = new Float64Array(k);
      for (let j = 0; j < k; j++) means[j] = (sums[j] as number) / total;
      probabilities = softmaxScaled(means, o.alpha, k);
    }
    out[s] = { time: times[s] as number, probabilities, forecasterCount: standing.length };
  }
  return out;
}
