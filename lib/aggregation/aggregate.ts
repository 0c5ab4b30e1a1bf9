/**
 * The team forecast from the forecasts standing at one moment: one pool, one weighting
 * (docs/formulas.md#team-aggregate).
 */
import { checkFinite, fail } from '../math-errors';
import { resolveCall, type AggregationMethodId, type MethodInputs } from './catalogue';
import type { AggregationOptions, ResolvedOptions, StandingForecast } from './options';
import { linearCore, logCore, medianCore } from './pools';
import { checkVectors, skillWeightOf } from './validate';
import { recencyWeights } from './weights';

/** Runs the pool chosen by `o.method` on validated vectors. */
function poolWith(
  o: ResolvedOptions,
  vectors: readonly (readonly number[])[],
  weights: readonly number[] | undefined,
  k: number,
): number[] {
  switch (o.method) {
    case 'linear':
      return linearCore(vectors, weights, k);
    case 'median':
      return medianCore(vectors, weights, k);
    case 'logarithmic':
      return logCore(vectors, weights, k, 1);
    case 'extremised':
      return logCore(vectors, weights, k, o.alpha);
  }
}

/**
 * The team forecast from the standing forecasts (each forecaster's latest), by catalogue id or
 * by options (docs/formulas.md#team-aggregate):
 * - `aggregate(standing, 'logarithmic-recency')`: a method of AGGREGATION_METHODS by id; the
 *   skill methods take their weights as a third argument, `{ skillWeights }` (see
 *   `skillWeightsFromHistories`), where a forecaster missing from the map is an error naming
 *   them unless `missingSkill: 'neutral'` gives them weight 1; the extremised methods take
 *   another `alpha` there. An unknown id is an error listing every valid id.
 * - `aggregate(standing, { method, weighting, alpha?, skillWeights?, missingSkill? })`: the
 *   pool chosen by options.method with the weights chosen by options.weighting.
 * Weightings:
 * - 'uniform': every forecaster weight 1;
 * - 'recency': `recencyWeights(N)` by rank of time, oldest first; equal times are ranked in
 *   input order;
 * - 'skill': skillWeights.get(forecasterId) (docs/formulas.md#skill-weights).
 * See the pool functions for the formulas. Every pool is total on probability vectors,
 * exact 0 and 1 included: the log pools clamp, and the median falls back to the linear pool
 * when every per-scenario median is 0 (docs/formulas.md#median-fallback). Vectors within
 * 1e-3 of summing to 1 are renormalised (docs/formulas.md#tolerance-renormalisation).
 *
 * Complexity O(N K) for linear and logarithmic pools, O(K N log N) for the median and for
 * recency ranking. Throws MathInputError for an empty standing set, a forecaster listed
 * twice, a non-finite time, vectors of different lengths or not on the simplex, an unknown
 * method id, method or weighting, alpha below 1, a skill method without skill weights, a
 * forecaster missing from them (unless missingSkill is 'neutral'), a negative or non-finite
 * skill weight, or weights that are all zero.
 *
 * @example const standing = [
 *   { forecasterId: 'a', time: 1, probabilities: [0.6, 0.4] },
 *   { forecasterId: 'b', time: 2, probabilities: [0.2, 0.8] },
 * ];
 * aggregate(standing, 'linear-uniform') // [0.4, 0.6]
 * aggregate(standing, { method: 'logarithmic', weighting: 'uniform' }) // ≈ [0.3798, 0.6202]
 * aggregate(standing, 'linear-skill', { skillWeights: new Map([['a', 3], ['b', 1]]) }) // [0.5, 0.5]
 * aggregate(standing, 'linear-skill', { skillWeights: new Map([['a', 3]]) })
 * // throws: forecaster "b" has no skill weight ...
 * aggregate(standing, 'linear-skill', { skillWeights: new Map([['a', 3]]), missingSkill: 'neutral' }) // [0.5, 0.5]
 * aggregate(standing, 'mean') // throws: unknown aggregation method id "mean"; valid ids: linear-uniform, ...
 */
export function aggregate(standing: readonly StandingForecast[], options: AggregationOptions): number[];
export function aggregate(
  standing: readonly StandingForecast[],
  methodId: AggregationMethodId | (string & {}),
  inputs?: MethodInputs,
): number[];
export function aggregate(
  standing: readonly StandingForecast[],
  how: AggregationOptions | string,
  inputs?: MethodInputs,
): number[] {
  const fn = 'aggregate';
  const o = resolveCall(fn, how, inputs);
  if (!Array.isArray(standing) || standing.length === 0) fail(fn, 'no standing forecasts (empty input)');
  const seen = new Set<string>();
  const raw: (readonly number[])[] = [];
  for (let i = 0; i < standing.length; i++) {
    const s = standing[i] as StandingForecast;
    if (seen.has(s.forecasterId)) {
      fail(fn, `forecaster "${s.forecasterId}" appears twice; pass only each forecaster's latest forecast`);
    }
    seen.add(s.forecasterId);
    checkFinite(fn, s.time, `standing[${i}].time`);
    raw.push(s.probabilities);
  }
  const { k, vectors } = checkVectors(fn, raw);
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
    weights = standing.map((s) => skillWeightOf(fn, sw, s.forecasterId, o.missingSkill));
    if (!weights.some((w) => w > 0)) fail(fn, 'skill weights of the standing forecasters are all zero');
  }
  return poolWith(o, vectors, weights, k);
}
