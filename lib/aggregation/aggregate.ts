/**
 * The team forecast from the forecasts standing at one moment: one pool, one weighting
 * (docs/formulas.md#team-aggregate).
 */
import { checkFinite, fail } from '../math-errors';
import { resolveOptions, type AggregationOptions, type ResolvedOptions, type StandingForecast } from './options';
import { linearCore, logCore, medianCore } from './pools';
import { checkVectors, skillWeightOf } from './validate';
import { recencyWeights } from './weights';

/** Runs the pool chosen by `o.method` on validated vectors. */
function poolWith(
  fn: string,
  o: ResolvedOptions,
  vectors: readonly (readonly number[])[],
  weights: readonly number[] | undefined,
  k: number,
): number[] {
  switch (o.method) {
    case 'linear':
      return linearCore(vectors, weights, k);
    case 'median':
      return medianCore(fn, vectors, weights, k);
    case 'logarithmic':
      return logCore(vectors, weights, k, 1);
    case 'extremised':
      return logCore(vectors, weights, k, o.alpha);
  }
}

/**
 * The team forecast from the standing forecasts (each forecaster's latest): the pool chosen by
 * options.method with the weights chosen by options.weighting:
 * - 'uniform': every forecaster weight 1;
 * - 'recency': `recencyWeights(N)` by rank of time, oldest first; equal times are ranked in
 *   input order;
 * - 'skill': options.skillWeights.get(forecasterId), or 1 when missing.
 * See the pool functions for the formulas.
 *
 * Complexity O(N K) for linear and logarithmic pools, O(K N log N) for the median and for
 * recency ranking. Throws MathInputError for an empty standing set, a forecaster listed
 * twice, a non-finite time, vectors of different lengths or not on the simplex, an unknown
 * method or weighting, alpha below 1, 'skill' without skillWeights, a negative or non-finite
 * skill weight, or weights that are all zero.
 *
 * @example const standing = [
 *   { forecasterId: 'a', time: 1, probabilities: [0.6, 0.4] },
 *   { forecasterId: 'b', time: 2, probabilities: [0.2, 0.8] },
 * ];
 * aggregate(standing, { method: 'linear', weighting: 'uniform' }) // [0.4, 0.6]
 * aggregate(standing, { method: 'logarithmic', weighting: 'uniform' }) // ≈ [0.3798, 0.6202]
 */
export function aggregate(standing: readonly StandingForecast[], options: AggregationOptions): number[] {
  const fn = 'aggregate';
  const o = resolveOptions(fn, options);
  if (!Array.isArray(standing) || standing.length === 0) fail(fn, 'no standing forecasts (empty input)');
  const seen = new Set<string>();
  const vectors: (readonly number[])[] = [];
  for (let i = 0; i < standing.length; i++) {
    const s = standing[i] as StandingForecast;
    if (seen.has(s.forecasterId)) {
      fail(fn, `forecaster "${s.forecasterId}" appears twice; pass only each forecaster's latest forecast`);
    }
    seen.add(s.forecasterId);
    checkFinite(fn, s.time, `standing[${i}].time`);
    vectors.push(s.probabilities);
  }
  const k = checkVectors(fn, vectors);
  let weights: number[] | undefined;
  if (o.weighting === 'recency') {
    const n = standing.length;
    const order = standing.map((_, i) => i);
    order.sort((a, b) => (standing[a] as StandingForecast).time - (standing[b] as StandingForecast).time || a - b);
    const rw = recencyWeights(n);
    weights = new Array<number>(n);
    for (let r = 0; r < n; r++) weights[order[r] as number] = rw[r] as number;
  } else if (o.weighting === 'skill') {
    const sw = o.skillWeights as ReadonlyMap<string, number>;
    weights = standing.map((s) => skillWeightOf(fn, sw, s.forecasterId));
    if (!weights.some((w) => w > 0)) fail(fn, 'skill weights of the standing forecasters are all zero');
  }
  return poolWith(fn, o, vectors, weights, k);
}
