/**
 * Opinion pools over a set of probability vectors (Genest & Zidek 1986, "Combining
 * probability distributions: a critique and an annotated bibliography", Statistical Science
 * 1(1)): linear, per-scenario weighted median, logarithmic and extremised logarithmic.
 *
 * Formulas: docs/formulas.md#linear-pool to docs/formulas.md#extremised-logarithmic-pool.
 * The `...Core` functions take inputs already validated; `aggregate` and the series engine
 * call them directly. The public pools check their input first.
 */
import { checkFinite, checkWeights, fail } from '../math-errors';
import { MAX_PROBABILITY, MIN_PROBABILITY } from '../probability';
import { checkAlpha, checkVectors } from './validate';

/**
 * Relative tolerance for "the cumulative weight is exactly half the total" in the weighted
 * median: within it the median is the midpoint of the two middle values, which makes the
 * uniform-weight median the textbook median for even counts.
 */
export const MEDIAN_HALF_TOLERANCE = 1e-10;

// ---------------------------------------------------------------------------------------
// Cores (inputs already validated)
// ---------------------------------------------------------------------------------------

/** Linear pool of validated vectors: sum_i w_i p_ik / sum_i w_i (weights undefined: all 1). */
export function linearCore(vectors: readonly (readonly number[])[], weights: readonly number[] | undefined, k: number): number[] {
  const acc = new Array<number>(k).fill(0);
  let total = 0;
  for (let i = 0; i < vectors.length; i++) {
    const w = weights ? (weights[i] as number) : 1;
    if (w === 0) continue;
    const v = vectors[i] as readonly number[];
    for (let j = 0; j < k; j++) acc[j] = (acc[j] as number) + w * (v[j] as number);
    total += w;
  }
  return renormalise(acc.map((x) => x / total));
}

/** Sums to 1 exactly in the usual floating-point sense (removes rounding drift). */
export function renormalise(a: number[]): number[] {
  let s = 0;
  for (const x of a) s += x;
  return a.map((x) => x / s);
}

/** exp(alpha * (s_k - max s)), normalised: the (extremised) log pool from mean log-probabilities. */
export function softmaxScaled(meanLogs: ArrayLike<number>, alpha: number, k: number): number[] {
  let max = -Infinity;
  for (let j = 0; j < k; j++) if ((meanLogs[j] as number) > max) max = meanLogs[j] as number;
  const out = new Array<number>(k);
  let s = 0;
  for (let j = 0; j < k; j++) {
    const e = Math.exp(alpha * ((meanLogs[j] as number) - max));
    out[j] = e;
    s += e;
  }
  for (let j = 0; j < k; j++) out[j] = (out[j] as number) / s;
  return out;
}

/** ln p with p clamped to [MIN_PROBABILITY, MAX_PROBABILITY] first. */
export function clampLog(p: number): number {
  return Math.log(p < MIN_PROBABILITY ? MIN_PROBABILITY : p > MAX_PROBABILITY ? MAX_PROBABILITY : p);
}

/** (Extremised) log pool of validated vectors: weighted mean of clamped ln p, then `softmaxScaled`. */
export function logCore(
  vectors: readonly (readonly number[])[],
  weights: readonly number[] | undefined,
  k: number,
  alpha: number,
): number[] {
  const acc = new Array<number>(k).fill(0);
  let total = 0;
  for (let i = 0; i < vectors.length; i++) {
    const w = weights ? (weights[i] as number) : 1;
    if (w === 0) continue;
    const v = vectors[i] as readonly number[];
    for (let j = 0; j < k; j++) acc[j] = (acc[j] as number) + w * clampLog(v[j] as number);
    total += w;
  }
  return softmaxScaled(
    acc.map((x) => x / total),
    alpha,
    k,
  );
}

/** Weighted median of values (weights validated, positive total). */
export function weightedMedianCore(values: readonly number[], weights: readonly number[] | undefined): number {
  const n = values.length;
  const idx: number[] = [];
  let total = 0;
  for (let i = 0; i < n; i++) {
    const w = weights ? (weights[i] as number) : 1;
    if (w > 0) {
      idx.push(i);
      total += w;
    }
  }
  idx.sort((a, b) => (values[a] as number) - (values[b] as number));
  const half = total / 2;
  let cum = 0;
  for (let r = 0; r < idx.length; r++) {
    const i = idx[r] as number;
    cum += weights ? (weights[i] as number) : 1;
    if (cum >= half * (1 - MEDIAN_HALF_TOLERANCE)) {
      const v = values[i] as number;
      if (cum <= half * (1 + MEDIAN_HALF_TOLERANCE) && r + 1 < idx.length) {
        return (v + (values[idx[r + 1] as number] as number)) / 2;
      }
      return v;
    }
  }
  return values[idx[idx.length - 1] as number] as number;
}

/**
 * Median pool of validated vectors: per-scenario `weightedMedianCore`, then `renormaliseMedians`;
 * when every median is 0, the linear pool of the same vectors and weights
 * (docs/formulas.md#median-fallback).
 */
export function medianCore(
  vectors: readonly (readonly number[])[],
  weights: readonly number[] | undefined,
  k: number,
): number[] {
  const medians = new Array<number>(k);
  const column = new Array<number>(vectors.length);
  for (let j = 0; j < k; j++) {
    for (let i = 0; i < vectors.length; i++) column[i] = (vectors[i] as readonly number[])[j] as number;
    medians[j] = weightedMedianCore(column, weights);
  }
  return renormaliseMedians(medians) ?? linearCore(vectors, weights, k);
}

/**
 * Divides per-scenario medians by their sum; null when they are all zero, where the callers
 * fall back to the linear pool (docs/formulas.md#median-fallback).
 */
export function renormaliseMedians(medians: number[]): number[] | null {
  let s = 0;
  for (const x of medians) s += x;
  if (!(s > 0)) return null;
  return medians.map((x) => x / s);
}

// ---------------------------------------------------------------------------------------
// Public pools
// ---------------------------------------------------------------------------------------

/**
 * Weighted median of numbers (docs/formulas.md#weighted-median): sort the values; the median
 * is the first value at which the cumulative weight reaches half the total. When the
 * cumulative weight equals half the total exactly (within MEDIAN_HALF_TOLERANCE, relative),
 * it is the midpoint of that value and the next one, so with equal weights this is the
 * textbook median (midpoint of the two middle values for an even count). Zero-weight values
 * are ignored.
 *
 * Complexity O(n log n). Throws MathInputError for empty input, non-finite values, weights of
 * a different length, negative or non-finite weights, or weights that are all zero.
 *
 * @example weightedMedian([3, 1, 2]) // 2
 * @example weightedMedian([4, 1, 2, 3]) // 2.5, the midpoint of 2 and 3
 * @example weightedMedian([0.1, 0.5, 0.9], [1, 1, 3])
 * // 0.9: the cumulative weights 1, 2, 5 first reach half of 5 there
 */
export function weightedMedian(values: readonly number[], weights?: readonly number[]): number {
  const fn = 'weightedMedian';
  if (!Array.isArray(values) || values.length === 0) fail(fn, 'values are empty');
  for (let i = 0; i < values.length; i++) checkFinite(fn, values[i] as number, `values[${i}]`);
  if (weights !== undefined) checkWeights(fn, weights, values.length);
  return weightedMedianCore(values, weights);
}

/**
 * Linear opinion pool (docs/formulas.md#linear-pool; Stone 1961; Genest & Zidek 1986):
 * a_k = sum_i w_i p_ik / sum_i w_i, the weighted mean of the forecasts. Weights default to
 * equal.
 *
 * Complexity O(n K) for n vectors of K scenarios. Throws MathInputError for no vectors,
 * vectors of different lengths, a vector that is not a probability vector (non-finite value,
 * value outside [0, 1], sum not 1), or weights that are of the wrong length, negative,
 * non-finite or all zero.
 *
 * @example linearPool([[0.2, 0.8], [0.6, 0.4]]) // [0.4, 0.6]
 * @example linearPool([[0.2, 0.8], [0.6, 0.4]], [1, 3]) // [0.5, 0.5]: (0.2 + 3 * 0.6) / 4
 */
export function linearPool(vectors: readonly (readonly number[])[], weights?: readonly number[]): number[] {
  const { k, vectors: v } = checkVectors('linearPool', vectors);
  if (weights !== undefined) checkWeights('linearPool', weights, vectors.length);
  return linearCore(v, weights, k);
}

/**
 * Median pool (docs/formulas.md#median-pool): for each scenario the weighted median (see
 * `weightedMedian`) of the forecasters' probabilities, then renormalised to sum 1:
 * a_k = m_k / sum_j m_j. For two scenarios with equal weights the medians already sum to 1,
 * so this is the median of p_yes, the "superforecaster median forecast" aggregate of
 * ForecastBench (Karger et al. 2025); a robust alternative to the pools of Genest & Zidek
 * 1986.
 *
 * When every per-scenario median is 0 (possible only with forecasts containing zeros, e.g.
 * three forecasters each certain of a different scenario) there is nothing to renormalise and
 * the result is the linear pool of the same forecasts and weights
 * (docs/formulas.md#median-fallback).
 *
 * Complexity O(K n log n). Throws MathInputError as `linearPool` does.
 *
 * @example medianPool([[0.5, 0.3, 0.2], [0.2, 0.5, 0.3], [0.1, 0.1, 0.8]])
 * // [0.25, 0.375, 0.375]: the medians 0.2, 0.3, 0.3 divided by their sum 0.8
 * @example medianPool([[1, 0, 0], [0, 1, 0], [0, 0, 1]])
 * // [1/3, 1/3, 1/3]: every median is 0, so the linear pool
 */
export function medianPool(vectors: readonly (readonly number[])[], weights?: readonly number[]): number[] {
  const { k, vectors: v } = checkVectors('medianPool', vectors);
  if (weights !== undefined) checkWeights('medianPool', weights, vectors.length);
  return medianCore(v, weights, k);
}

/**
 * Logarithmic opinion pool (docs/formulas.md#logarithmic-pool; Genest & Zidek 1986): a_k
 * proportional to prod_i p_ik^(w_i / sum w), i.e. the renormalised weighted geometric mean;
 * for two scenarios the geometric mean of the odds. Inputs are clamped to [0.001, 0.999]
 * first (a zero would veto a scenario), and the product is computed as a sum of logarithms
 * with the largest term subtracted before exponentiating, so it neither underflows nor
 * overflows.
 *
 * Complexity O(n K). Throws MathInputError as `linearPool` does.
 *
 * @example logarithmicPool([[0.5, 0.5], [0.9, 0.1]]) // [0.75, 0.25]: odds sqrt(1 * 9) = 3
 * @example logarithmicPool([[0.2, 0.8], [0.6, 0.4]]) // ≈ [0.3798, 0.6202]
 */
export function logarithmicPool(vectors: readonly (readonly number[])[], weights?: readonly number[]): number[] {
  const { k, vectors: v } = checkVectors('logarithmicPool', vectors);
  if (weights !== undefined) checkWeights('logarithmicPool', weights, vectors.length);
  return logCore(v, weights, k, 1);
}

/**
 * Extremised logarithmic pool (docs/formulas.md#extremised-logarithmic-pool): a_k
 * proportional to (prod_i p_ik^(w_i / sum w))^alpha with alpha >= 1; for two scenarios this
 * multiplies the pooled log-odds by alpha, the extremising aggregator of Satopaa et al. 2014.
 * alpha = 1 is `logarithmicPool`. Inputs are clamped to [0.001, 0.999]; computed in log
 * space.
 *
 * Complexity O(n K). Throws MathInputError as `linearPool` does, and for alpha not finite or
 * below 1.
 *
 * @example extremisedPool([[0.5, 0.5], [0.9, 0.1]], 2) // [0.9, 0.1]: pooled odds 3, squared 9
 * @example extremisedPool([[0.2, 0.8], [0.6, 0.4]], 2) // ≈ [0.2727, 0.7273]: 0.12 / (0.12 + 0.32)
 */
export function extremisedPool(
  vectors: readonly (readonly number[])[],
  alpha: number,
  weights?: readonly number[],
): number[] {
  const { k, vectors: v } = checkVectors('extremisedPool', vectors);
  checkAlpha('extremisedPool', alpha);
  if (weights !== undefined) checkWeights('extremisedPool', weights, vectors.length);
  return logCore(v, weights, k, alpha);
}
