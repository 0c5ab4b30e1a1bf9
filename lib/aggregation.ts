/**
 * Aggregation: the team forecast from the forecasts standing at a moment, and its time series.
 *
 * Pools (Genest & Zidek 1986, "Combining probability distributions: a critique and an
 * annotated bibliography", Statistical Science 1(1)):
 * - linear pool (weighted mean),
 * - per-scenario weighted median, renormalised,
 * - logarithmic pool (weighted geometric mean, renormalised; for two scenarios the geometric
 *   mean of odds),
 * - extremised logarithmic pool, the log pool raised to a power alpha >= 1 (Satopaa et al.
 *   2014, "Combining multiple probability predictions using a simple logit model",
 *   International Journal of Forecasting 30(2)).
 * Weights: uniform, recency (the Metaculus community prediction weights) or skill (from past
 * relative Brier scores, shrunk towards equal weight).
 */
import { checkFinite, checkLength, checkProbabilityVector, checkWeights, describe, fail } from './math-errors';
import { MAX_PROBABILITY, MIN_PROBABILITY } from './probability';

/** How the standing forecasts are combined. */
export type PoolMethod = 'linear' | 'median' | 'logarithmic' | 'extremised';
/** How the standing forecasts are weighted. */
export type Weighting = 'uniform' | 'recency' | 'skill';

/** One forecaster's forecast (their latest, when passed to `aggregate`). */
export interface StandingForecast {
  forecasterId: string;
  /** Milliseconds since the epoch. */
  time: number;
  probabilities: readonly number[];
}

/** Which pool and which weights to use. */
export interface AggregationOptions {
  method: PoolMethod;
  weighting: Weighting;
  /** Extremising power for method 'extremised'; default DEFAULT_EXTREMISING_ALPHA = 1.5; must be >= 1. */
  alpha?: number;
  /** Required when weighting is 'skill'; a forecaster missing from the map gets weight 1. */
  skillWeights?: ReadonlyMap<string, number>;
}

/** One point of an aggregate time series: the aggregate just after a forecast. */
export interface AggregatePoint {
  time: number;
  probabilities: number[];
  /** Forecasters with a standing forecast at this point. */
  forecasterCount: number;
}

/** Default extremising power (Satopaa et al. 2014 estimate values of this order for crowds). */
export const DEFAULT_EXTREMISING_ALPHA = 1.5;
/** Default number of pseudo-questions that shrink a skill record towards equal weight. */
export const DEFAULT_SKILL_PRIOR_COUNT = 5;
/**
 * Default temperature of skill weights, in Brier points (0-2 scale): a forecaster whose
 * shrunk relative Brier is 0.1 better than the median gets e times the weight of an average
 * one. See `skillWeightsFromRecords`.
 */
export const DEFAULT_SKILL_TEMPERATURE = 0.1;
/**
 * Relative tolerance for "the cumulative weight is exactly half the total" in the weighted
 * median: within it the median is the midpoint of the two middle values, which makes the
 * uniform-weight median the textbook median for even counts.
 */
export const MEDIAN_HALF_TOLERANCE = 1e-10;

const METHODS: readonly PoolMethod[] = ['linear', 'median', 'logarithmic', 'extremised'];
const WEIGHTINGS: readonly Weighting[] = ['uniform', 'recency', 'skill'];

// ---------------------------------------------------------------------------------------
// Validation helpers
// ---------------------------------------------------------------------------------------

/** Checks a non-empty list of probability vectors of one length; returns that length K. */
function checkVectors(fn: string, vectors: readonly (readonly number[])[]): number {
  if (!Array.isArray(vectors)) fail(fn, 'vectors is not an array');
  if (vectors.length === 0) fail(fn, 'no forecasts to pool (empty input)');
  const k = (vectors[0] as readonly number[])?.length ?? 0;
  for (let i = 0; i < vectors.length; i++) {
    const v = vectors[i] as readonly number[];
    checkProbabilityVector(fn, v, `vectors[${i}]`);
    checkLength(fn, `vectors[${i}]`, v.length, k);
  }
  return k;
}

function checkAlpha(fn: string, alpha: number): void {
  checkFinite(fn, alpha, 'alpha');
  if (alpha < 1) fail(fn, `alpha must be at least 1, got ${alpha}`);
}

interface ResolvedOptions {
  method: PoolMethod;
  weighting: Weighting;
  alpha: number;
  skillWeights: ReadonlyMap<string, number> | undefined;
}

function resolveOptions(fn: string, options: AggregationOptions): ResolvedOptions {
  if (options === null || typeof options !== 'object') fail(fn, 'options are missing');
  const { method, weighting } = options;
  if (!METHODS.includes(method)) fail(fn, `unknown method ${describe(method)}; expected one of ${METHODS.join(', ')}`);
  if (!WEIGHTINGS.includes(weighting)) {
    fail(fn, `unknown weighting ${describe(weighting)}; expected one of ${WEIGHTINGS.join(', ')}`);
  }
  const alpha = options.alpha ?? DEFAULT_EXTREMISING_ALPHA;
  if (method === 'extremised') checkAlpha(fn, alpha);
  let skillWeights: ReadonlyMap<string, number> | undefined;
  if (weighting === 'skill') {
    if (!(options.skillWeights instanceof Map)) fail(fn, "weighting 'skill' needs options.skillWeights (a Map)");
    skillWeights = options.skillWeights;
  }
  return { method, weighting, alpha: method === 'extremised' ? alpha : 1, skillWeights };
}

function skillWeightOf(fn: string, skillWeights: ReadonlyMap<string, number>, id: string): number {
  const w = skillWeights.get(id) ?? 1;
  if (typeof w !== 'number' || !Number.isFinite(w)) fail(fn, `skill weight of "${id}" is not a finite number (${describe(w)})`);
  if (w < 0) fail(fn, `skill weight of "${id}" is negative (${w})`);
  return w;
}

// ---------------------------------------------------------------------------------------
// Pools (inputs already validated)
// ---------------------------------------------------------------------------------------

function linearCore(vectors: readonly (readonly number[])[], weights: readonly number[] | undefined, k: number): number[] {
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
function renormalise(a: number[]): number[] {
  let s = 0;
  for (const x of a) s += x;
  return a.map((x) => x / s);
}

/** exp(alpha * (s_k - max s)), normalised: the (extremised) log pool from mean log-probabilities. */
function softmaxScaled(meanLogs: ArrayLike<number>, alpha: number, k: number): number[] {
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

function clampLog(p: number): number {
  return Math.log(p < MIN_PROBABILITY ? MIN_PROBABILITY : p > MAX_PROBABILITY ? MAX_PROBABILITY : p);
}

function logCore(
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
function weightedMedianCore(values: readonly number[], weights: readonly number[] | undefined): number {
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

function medianCore(
  fn: string,
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
  return renormaliseMedians(fn, medians);
}

function renormaliseMedians(fn: string, medians: number[]): number[] {
  let s = 0;
  for (const x of medians) s += x;
  if (!(s > 0)) fail(fn, 'the per-scenario medians are all zero, so they cannot be renormalised');
  return medians.map((x) => x / s);
}

// ---------------------------------------------------------------------------------------
// Public pools
// ---------------------------------------------------------------------------------------

/**
 * Weighted median of numbers: sort the values; the median is the first value at which the
 * cumulative weight reaches half the total. When the cumulative weight equals half the total
 * exactly (within MEDIAN_HALF_TOLERANCE, relative), it is the midpoint of that value and the
 * next one, so with equal weights this is the textbook median (midpoint of the two middle
 * values for an even count). Zero-weight values are ignored.
 *
 * Complexity O(n log n). Throws MathInputError for empty input, non-finite values, weights of
 * a different length, negative or non-finite weights, or weights that are all zero.
 */
export function weightedMedian(values: readonly number[], weights?: readonly number[]): number {
  const fn = 'weightedMedian';
  if (!Array.isArray(values) || values.length === 0) fail(fn, 'values are empty');
  for (let i = 0; i < values.length; i++) checkFinite(fn, values[i] as number, `values[${i}]`);
  if (weights !== undefined) checkWeights(fn, weights, values.length);
  return weightedMedianCore(values, weights);
}

/**
 * Linear opinion pool (Stone 1961; Genest & Zidek 1986): a_k = sum_i w_i p_ik / sum_i w_i,
 * the weighted mean of the forecasts. Weights default to equal.
 *
 * Complexity O(n K) for n vectors of K scenarios. Throws MathInputError for no vectors,
 * vectors of different lengths, a vector that is not a probability vector (non-finite value,
 * value outside [0, 1], sum not 1), or weights that are of the wrong length, negative,
 * non-finite or all zero.
 */
export function linearPool(vectors: readonly (readonly number[])[], weights?: readonly number[]): number[] {
  const k = checkVectors('linearPool', vectors);
  if (weights !== undefined) checkWeights('linearPool', weights, vectors.length);
  return linearCore(vectors, weights, k);
}

/**
 * Median pool: for each scenario the weighted median (see `weightedMedian`) of the
 * forecasters' probabilities, then renormalised to sum 1: a_k = m_k / sum_j m_j. For two
 * scenarios with equal weights the medians already sum to 1, so this is the median of p_yes,
 * the "superforecaster median forecast" aggregate of ForecastBench (Karger et al. 2025); a
 * robust alternative to the pools of Genest & Zidek 1986.
 *
 * Complexity O(K n log n). Throws MathInputError as `linearPool` does, and when every
 * per-scenario median is 0 (possible only with forecasts containing zeros).
 */
export function medianPool(vectors: readonly (readonly number[])[], weights?: readonly number[]): number[] {
  const k = checkVectors('medianPool', vectors);
  if (weights !== undefined) checkWeights('medianPool', weights, vectors.length);
  return medianCore('medianPool', vectors, weights, k);
}

/**
 * Logarithmic opinion pool (Genest & Zidek 1986): a_k proportional to
 * prod_i p_ik^(w_i / sum w), i.e. the renormalised weighted geometric mean; for two scenarios
 * the geometric mean of the odds. Inputs are clamped to [0.001, 0.999] first (a zero would
 * veto a scenario), and the product is computed as a sum of logarithms with the largest term
 * subtracted before exponentiating, so it neither underflows nor overflows.
 *
 * Complexity O(n K). Throws MathInputError as `linearPool` does.
 */
export function logarithmicPool(vectors: readonly (readonly number[])[], weights?: readonly number[]): number[] {
  const k = checkVectors('logarithmicPool', vectors);
  if (weights !== undefined) checkWeights('logarithmicPool', weights, vectors.length);
  return logCore(vectors, weights, k, 1);
}

/**
 * Extremised logarithmic pool: a_k proportional to (prod_i p_ik^(w_i / sum w))^alpha with
 * alpha >= 1; for two scenarios this multiplies the pooled log-odds by alpha, the extremising
 * aggregator of Satopaa et al. 2014. alpha = 1 is `logarithmicPool`. Inputs are clamped to
 * [0.001, 0.999]; computed in log space.
 *
 * Complexity O(n K). Throws MathInputError as `linearPool` does, and for alpha not finite or
 * below 1.
 */
export function extremisedPool(
  vectors: readonly (readonly number[])[],
  alpha: number,
  weights?: readonly number[],
): number[] {
  const k = checkVectors('extremisedPool', vectors);
  checkAlpha('extremisedPool', alpha);
  if (weights !== undefined) checkWeights('extremisedPool', weights, vectors.length);
  return logCore(vectors, weights, k, alpha);
}

// ---------------------------------------------------------------------------------------
// Weights
// ---------------------------------------------------------------------------------------

/**
 * Recency weights of the Metaculus community prediction (Metaculus FAQ / scoring
 * documentation, "community prediction"): rank the n standing forecasts by time, oldest
 * first; the forecast of rank m = 1..n gets w_m = exp(sqrt(m) - sqrt(n)), so the newest has
 * weight 1. With n <= 2 every weight is 1 (no weighting). Index 0 of the result is the oldest.
 *
 * Complexity O(n). Throws MathInputError when n is not a positive integer.
 */
export function recencyWeights(n: number): number[] {
  if (!Number.isInteger(n) || n < 1) fail('recencyWeights', `n must be a positive integer, got ${describe(n)}`);
  const out = new Array<number>(n);
  if (n <= 2) return out.fill(1);
  const root = Math.sqrt(n);
  for (let i = 0; i < n; i++) out[i] = Math.exp(Math.sqrt(i + 1) - root);
  return out;
}

/**
 * Skill weights from past relative Brier scores (relative Brier: the forecaster's Brier minus
 * the median Brier of the forecasters standing, averaged over time; negative is better; see
 * `relativeBrier` in lib/scoring). For a forecaster with mean relative Brier r over n
 * resolved questions:
 *   shrunk s = r * n / (n + c)   (c = priorCount, default 5: c pseudo-questions at r = 0)
 *   weight w = exp(-s / T)       (T = temperature in Brier points, default 0.1)
 * A forecaster with no or few resolved questions has s near 0 and so weight near 1, the
 * weight of a forecaster missing from the map. Weights are relative: pools divide by their
 * total. This is an exponentially weighted (softmax) scheme on a shrunk skill estimate, in
 * the spirit of performance weighting in Budescu & Chen 2015 ("Identifying expertise to
 * extract the wisdom of crowds", Management Science 61(2)).
 *
 * Complexity O(n). Throws MathInputError for a duplicate forecaster id, a non-finite mean
 * relative Brier or one outside [-2, 2], a resolved count that is not a non-negative integer,
 * a negative or non-finite priorCount, or a temperature that is not positive and finite.
 * An empty list gives an empty map.
 */
export function skillWeightsFromRecords(
  records: readonly { forecasterId: string; meanRelativeBrier: number; resolvedCount: number }[],
  options: { priorCount?: number; temperature?: number } = {},
): Map<string, number> {
  const fn = 'skillWeightsFromRecords';
  if (!Array.isArray(records)) fail(fn, 'records is not an array');
  const c = options.priorCount ?? DEFAULT_SKILL_PRIOR_COUNT;
  const t = options.temperature ?? DEFAULT_SKILL_TEMPERATURE;
  checkFinite(fn, c, 'priorCount');
  if (c < 0) fail(fn, `priorCount is negative (${c})`);
  checkFinite(fn, t, 'temperature');
  if (t <= 0) fail(fn, `temperature must be positive, got ${t}`);
  const out = new Map<string, number>();
  for (let i = 0; i < records.length; i++) {
    const r = records[i] as { forecasterId: string; meanRelativeBrier: number; resolvedCount: number };
    if (out.has(r.forecasterId)) fail(fn, `forecaster "${r.forecasterId}" appears twice`);
    checkFinite(fn, r.meanRelativeBrier, `records[${i}].meanRelativeBrier`);
    if (r.meanRelativeBrier < -2 || r.meanRelativeBrier > 2) {
      fail(fn, `records[${i}].meanRelativeBrier is ${r.meanRelativeBrier}, outside -2..2`);
    }
    if (!Number.isInteger(r.resolvedCount) || r.resolvedCount < 0) {
      fail(fn, `records[${i}].resolvedCount must be a non-negative integer, got ${describe(r.resolvedCount)}`);
    }
    const n = r.resolvedCount;
    const shrunk = n === 0 ? 0 : (r.meanRelativeBrier * n) / (n + c);
    out.set(r.forecasterId, Math.exp(-shrunk / t));
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Aggregate of a standing set
// ---------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------
// Aggregate time series
// ---------------------------------------------------------------------------------------

interface PreparedHistory {
  n: number;
  k: number;
  /** Distinct forecasters, in order of first appearance. */
  ids: string[];
  /** Dense forecaster index of each history entry. */
  who: Int32Array;
  times: Float64Array;
  /** Row-major n x k probabilities. */
  probs: Float64Array;
}

function prepareHistory(fn: string, history: readonly StandingForecast[]): PreparedHistory {
  if (!Array.isArray(history)) fail(fn, 'history is not an array');
  const n = history.length;
  const first = history[0];
  const k = first ? first.probabilities?.length ?? 0 : 0;
  const index = new Map<string, number>();
  const ids: string[] = [];
  const who = new Int32Array(n);
  const times = new Float64Array(n);
  const probs = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    const h = history[i] as StandingForecast;
    if (typeof h.forecasterId !== 'string') fail(fn, `history[${i}].forecasterId is not a string`);
    checkFinite(fn, h.time, `history[${i}].time`);
    if (i > 0 && h.time < (times[i - 1] as number)) {
      fail(
        fn,
        `history is out of time order: history[${i}] at ${h.time} is earlier than history[${i - 1}] at ${times[i - 1]}`,
      );
    }
    checkProbabilityVector(fn, h.probabilities, `history[${i}].probabilities`);
    checkLength(fn, `history[${i}].probabilities`, h.probabilities.length, k);
    let f = index.get(h.forecasterId);
    if (f === undefined) {
      f = ids.length;
      index.set(h.forecasterId, f);
      ids.push(h.forecasterId);
    }
    who[i] = f;
    times[i] = h.time;
    for (let j = 0; j < k; j++) probs[i * k + j] = h.probabilities[j] as number;
  }
  return { n, k, ids, who, times, probs };
}

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
 * An empty history gives an empty series. Throws MathInputError (naming aggregateSeries) for
 * a history out of time order, a non-finite time, vectors of different lengths or not on the
 * simplex, bad options (as `aggregate`), or standing weights that are all zero.
 */
export function aggregateSeries(history: readonly StandingForecast[], options: AggregationOptions): AggregatePoint[] {
  const fn = 'aggregateSeries';
  const o = resolveOptions(fn, options);
  const h = prepareHistory(fn, history);
  if (h.n === 0) return [];
  let weightOf: Float64Array | undefined;
  if (o.weighting === 'skill') {
    const sw = o.skillWeights as ReadonlyMap<string, number>;
    weightOf = Float64Array.from(h.ids, (id) => skillWeightOf(fn, sw, id));
  }
  if (o.weighting === 'recency') return seriesRecency(fn, h, o);
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
      probabilities = new Array<number>(k);
      for (let j = 0; j < k; j++) probabilities[j] = (sums[j] as number) / total;
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

/** Fenwick (binary indexed) tree helpers over 1-based arrays of length m + 1. */
function fenwickAdd(tree: Float64Array, m: number, i: number, delta: number): void {
  for (; i <= m; i += i & -i) tree[i] = (tree[i] as number) + delta;
}
function fenwickPrefix(tree: Float64Array, i: number): number {
  let s = 0;
  for (; i > 0; i -= i & -i) s += tree[i] as number;
  return s;
}
/** Smallest i in 1..m with prefix(i) >= target (entries non-negative); m when none. */
function fenwickLowerBound(tree: Float64Array, m: number, top: number, target: number): number {
  let pos = 0;
  let rem = target;
  for (let step = top; step > 0; step >>= 1) {
    const next = pos + step;
    if (next <= m && (tree[next] as number) < rem) {
      pos = next;
      rem -= tree[next] as number;
    }
  }
  return Math.min(pos + 1, m);
}
function fenwickBuild(base: Float64Array, m: number): Float64Array {
  const tree = new Float64Array(m + 1);
  for (let i = 1; i <= m; i++) {
    tree[i] = (tree[i] as number) + (base[i] as number);
    const parent = i + (i & -i);
    if (parent <= m) tree[parent] = (tree[parent] as number) + (tree[i] as number);
  }
  return tree;
}

/** Median pool with fixed per-forecaster weights: Fenwick trees over sorted distinct values. */
function seriesMedianTree(fn: string, h: PreparedHistory, weightOf: Float64Array | undefined): AggregatePoint[] {
  const { n, k, who, times, probs } = h;
  const f = h.ids.length;
  // Per scenario: sorted distinct values and the value index of every history entry.
  const values: Float64Array[] = [];
  const valueIndex = new Int32Array(n * k); // 1-based index into values[j]
  const sizes: number[] = [];
  const tops: number[] = [];
  for (let j = 0; j < k; j++) {
    const col = new Float64Array(n);
    for (let s = 0; s < n; s++) col[s] = probs[s * k + j] as number;
    col.sort();
    let m = 0;
    for (let s = 0; s < n; s++) if (s === 0 || col[s] !== col[s - 1]) col[m++] = col[s] as number;
    const distinct = col.slice(0, m);
    values.push(distinct);
    sizes.push(m);
    let top = 1;
    while (top * 2 <= m) top *= 2;
    tops.push(top);
    for (let s = 0; s < n; s++) {
      const x = probs[s * k + j] as number;
      let lo = 0;
      let hi = m - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((distinct[mid] as number) < x) lo = mid + 1;
        else hi = mid;
      }
      valueIndex[s * k + j] = lo + 1;
    }
  }
  const weighted = weightOf !== undefined;
  const counts: Float64Array[] = sizes.map((m) => new Float64Array(m + 1));
  // With uniform weights the weight tree is the count tree (exact integers).
  let weightTrees: Float64Array[] = weighted ? sizes.map((m) => new Float64Array(m + 1)) : counts;
  const curIndex = new Int32Array(f * k); // value index of each forecaster's standing forecast
  const has = new Uint8Array(f);
  const standing: number[] = [];
  let total = 0; // total weight of standing forecasters with positive weight
  let positiveCount = 0;
  const rebuildEvery = Math.max(4096, f);
  const out: AggregatePoint[] = new Array(n);
  const medians = new Array<number>(k);
  for (let s = 0; s < n; s++) {
    const g = who[s] as number;
    const w = weighted ? ((weightOf as Float64Array)[g] as number) : 1;
    const positive = w > 0;
    if (has[g]) {
      if (positive) {
        for (let j = 0; j < k; j++) {
          const vi = curIndex[g * k + j] as number;
          fenwickAdd(counts[j] as Float64Array, sizes[j] as number, vi, -1);
          if (weighted) fenwickAdd(weightTrees[j] as Float64Array, sizes[j] as number, vi, -w);
        }
      }
    } else {
      has[g] = 1;
      standing.push(g);
      if (positive) {
        total += w;
        positiveCount++;
      }
    }
    for (let j = 0; j < k; j++) {
      const vi = valueIndex[s * k + j] as number;
      curIndex[g * k + j] = vi;
      if (positive) {
        fenwickAdd(counts[j] as Float64Array, sizes[j] as number, vi, 1);
        if (weighted) fenwickAdd(weightTrees[j] as Float64Array, sizes[j] as number, vi, w);
      }
    }
    if (weighted && s % rebuildEvery === rebuildEvery - 1) {
      // Rebuild the weight trees from the standing forecasts so rounding cannot accumulate.
      total = 0;
      weightTrees = sizes.map((m, j) => {
        const base = new Float64Array(m + 1);
        for (const q of standing) {
          const wq = (weightOf as Float64Array)[q] as number;
          if (wq > 0) {
            const vi = curIndex[q * k + j] as number;
            base[vi] = (base[vi] as number) + wq;
          }
        }
        return fenwickBuild(base, m);
      });
      for (const q of standing) {
        const wq = (weightOf as Float64Array)[q] as number;
        if (wq > 0) total += wq;
      }
    }
    if (positiveCount === 0) fail(fn, `after history[${s}] the weights of the standing forecasters are all zero`);
    const half = total / 2;
    for (let j = 0; j < k; j++) {
      const m = sizes[j] as number;
      const wt = weightTrees[j] as Float64Array;
      const ct = counts[j] as Float64Array;
      const vals = values[j] as Float64Array;
      const i = fenwickLowerBound(wt, m, tops[j] as number, half * (1 - MEDIAN_HALF_TOLERANCE));
      let median = vals[i - 1] as number;
      const prefix = fenwickPrefix(wt, i);
      if (prefix <= half * (1 + MEDIAN_HALF_TOLERANCE)) {
        const c = fenwickPrefix(ct, i);
        if (c < positiveCount) {
          const next = fenwickLowerBound(ct, m, tops[j] as number, c + 0.5);
          median = (median + (vals[next - 1] as number)) / 2;
        }
      }
      medians[j] = median;
    }
    out[s] = { time: times[s] as number, probabilities: renormaliseMedians(fn, medians), forecasterCount: standing.length };
  }
  return out;
}

/**
 * sum_{from <= r < to} a_r b_r with four independent accumulators, so the loop is not bound by
 * the latency of one chain of floating-point additions.
 */
function dotRange(a: Float64Array, b: Float64Array, from: number, to: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let r = from;
  for (; r + 3 < to; r += 4) {
    s0 += (a[r] as number) * (b[r] as number);
    s1 += (a[r + 1] as number) * (b[r + 1] as number);
    s2 += (a[r + 2] as number) * (b[r + 2] as number);
    s3 += (a[r + 3] as number) * (b[r + 3] as number);
  }
  for (; r < to; r++) s0 += (a[r] as number) * (b[r] as number);
  return s0 + s1 + (s2 + s3);
}

/**
 * sum of w_r over from <= r < to with col_r <= v, as `dotRange`. Written as w * +(x <= v)
 * rather than a conditional so that V8 emits no unpredictable branch (measured: about 5x
 * faster on random data).
 */
function maskedSumRange(w: Float64Array, col: Float64Array, from: number, to: number, v: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let r = from;
  for (; r + 3 < to; r += 4) {
    s0 += (w[r] as number) * +((col[r] as number) <= v);
    s1 += (w[r + 1] as number) * +((col[r + 1] as number) <= v);
    s2 += (w[r + 2] as number) * +((col[r + 2] as number) <= v);
    s3 += (w[r + 3] as number) * +((col[r + 3] as number) <= v);
  }
  for (; r < to; r++) s0 += (w[r] as number) * +((col[r] as number) <= v);
  return s0 + s1 + (s2 + s3);
}

/** First index in sorted[0..len) whose value is >= x (Int32Array, ascending). */
function lowerBoundInt(sorted: Int32Array, len: number, x: number): number {
  let lo = 0;
  let hi = len;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index in sorted[0..len) whose value is > x (Float64Array, ascending). */
function upperBound(sorted: Float64Array, len: number, x: number): number {
  let lo = 0;
  let hi = len;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Recency series: running sums are recomputed from scratch at least this often (bounds rounding drift). */
const RECENCY_RESYNC_EVERY = 64;

/**
 * Any pool with recency weights.
 *
 * Weights: with N >= 3 standing forecasts the weight of time rank r (0 = oldest) is
 * exp(sqrt(r + 1) - sqrt(N)); the factor exp(-sqrt(N)) is common to all and cancels in every
 * pool, so one table u_r = exp(sqrt(r + 1) - sqrt(F)) (F = forecasters in the history, so
 * u <= 1; it underflows only beyond about 500,000 forecasters) serves every N. With N <= 2
 * every weight is 1.
 *
 * State: the standing forecasts in time order (one column per scenario). For the linear and log
 * pools S_k = sum_r u_r x_rk; for the median C_k = sum_r u_r [x_rk <= v_k], the weight at or
 * below a pivot v_k (the previous median). A new forecaster is appended as the newest and only
 * adds a term. When a forecaster updates, their old forecast at rank p leaves, every newer one
 * moves down one rank, and the new one is appended:
 *   S_k += -u_p x_pk + sum_{r > p} (u_{r-1} - u_r) x_rk + u_{N-1} x_new,k
 * (likewise C_k with indicators), an O((N - p) K) pass, half a full pass on average. Sums are
 * recomputed from scratch every RECENCY_RESYNC_EVERY points. The median steps along a
 * value-sorted list per scenario from the pivot to the first value whose cumulative weight
 * reaches half; the median moves little between points, so the steps are few. O(F K) per
 * point in the worst case.
 */
function seriesRecency(fn: string, h: PreparedHistory, o: ResolvedOptions): AggregatePoint[] {
  const { n, k, who, times, probs } = h;
  const f = h.ids.length;
  const isMedian = o.method === 'median';
  const isLinear = o.method === 'linear';
  const table = new Float64Array(f);
  const shifts = new Float64Array(f); // shifts[r] = table[r - 1] - table[r]
  const rootF = Math.sqrt(f);
  for (let r = 0; r < f; r++) {
    table[r] = Math.exp(Math.sqrt(r + 1) - rootF);
    if (r > 0) shifts[r] = (table[r - 1] as number) - (table[r] as number);
  }
  const ones = new Float64Array(2).fill(1);
  // The standing forecasts in time order, as history indices ("slots"): ascending, because
  // every new forecast is appended at the end, so a slot's rank is found by binary search.
  const slots = new Int32Array(f);
  const curSlot = new Int32Array(f).fill(-1); // each forecaster's standing slot
  let count = 0;
  let total = 0;
  // One column per scenario aligned with `slots`: p (linear, median) or clamped ln p (log).
  const cols: Float64Array[] = Array.from({ length: k }, () => new Float64Array(f));
  // Median: per scenario the standing slots sorted by probability, with their values alongside.
  const sorted: Int32Array[] = isMedian ? Array.from({ length: k }, () => new Int32Array(f)) : [];
  const sortedValues: Float64Array[] = isMedian ? Array.from({ length: k }, () => new Float64Array(f)) : [];
  const pivot = new Float64Array(k).fill(0.5);
  const state = new Float64Array(k); // S_k, or C_k for the median
  let sinceResync = 0;
  const out: AggregatePoint[] = new Array(n);
  // Median: the time rank of every standing slot, for the weights met while stepping.
  const rankOf = isMedian ? new Int32Array(n) : new Int32Array(0);
  const weightOfSlot = (slot: number): number => (count <= 2 ? 1 : (table[rankOf[slot] as number] as number));

  for (let s = 0; s < n; s++) {
    const g = who[s] as number;
    const old = curSlot[g] as number;
    let full = count < 3; // with N <= 2 (before or after) recompute directly: it is tiny
    if (old >= 0) {
      // Remove the superseded forecast, first updating the sums for the rank shift.
      const p = lowerBoundInt(slots, count, old);
      if (!full) {
        const up = table[p] as number;
        for (let j = 0; j < k; j++) {
          const col = cols[j] as Float64Array;
          const x = col[p] as number;
          if (isMedian) {
            const v = pivot[j] as number;
            state[j] = (state[j] as number) - up * +(x <= v) + maskedSumRange(shifts, col, p + 1, count, v);
          } else {
            state[j] = (state[j] as number) - up * x + dotRange(shifts, col, p + 1, count);
          }
        }
      }
      slots.copyWithin(p, p + 1, count);
      for (const col of cols) col.copyWithin(p, p + 1, count);
      count--;
      if (isMedian) for (let r = p; r < count; r++) rankOf[slots[r] as number] = r;
    }
    // Append the new forecast as the newest.
    curSlot[g] = s;
    slots[count] = s;
    if (isMedian) rankOf[s] = count;
    for (let j = 0; j < k; j++) {
      const x = probs[s * k + j] as number;
      (cols[j] as Float64Array)[count] = isLinear || isMedian ? x : clampLog(x);
    }
    if (isMedian) {
      // Move the forecaster's entry within each value-sorted list (one block move), or insert it.
      for (let j = 0; j < k; j++) {
        const list = sorted[j] as Int32Array;
        const vals = sortedValues[j] as Float64Array;
        const x = probs[s * k + j] as number;
        const len = old >= 0 ? count + 1 : count; // entries in the list now
        let at: number;
        if (old >= 0) {
          let a = upperBound(vals, len, probs[old * k + j] as number) - 1;
          while ((list[a] as number) !== old) a--;
          const ub = upperBound(vals, len, x);
          if (ub > a) {
            list.copyWithin(a, a + 1, ub);
            vals.copyWithin(a, a + 1, ub);
            at = ub - 1;
          } else {
            list.copyWithin(ub + 1, ub, a);
            vals.copyWithin(ub + 1, ub, a);
            at = ub;
          }
        } else {
          at = upperBound(vals, len, x);
          list.copyWithin(at + 1, at, len);
          vals.copyWithin(at + 1, at, len);
        }
        list[at] = s;
        vals[at] = x;
      }
    }
    count++;
    sinceResync++;
    if (count === 3 && old < 0) full = true; // leaving the all-ones regime
    if (full || sinceResync >= RECENCY_RESYNC_EVERY) {
      const w = count <= 2 ? ones : table;
      total = 0;
      for (let r = 0; r < count; r++) total += w[r] as number;
      for (let j = 0; j < k; j++) {
        const col = cols[j] as Float64Array;
        state[j] = isMedian ? maskedSumRange(w, col, 0, count, pivot[j] as number) : dotRange(w, col, 0, count);
      }
      sinceResync = 0;
    } else {
      const un = table[count - 1] as number;
      if (old < 0) total += un;
      for (let j = 0; j < k; j++) {
        const x = (cols[j] as Float64Array)[count - 1] as number;
        state[j] = (state[j] as number) + (isMedian ? un * +(x <= (pivot[j] as number)) : un * x);
      }
    }

    let probabilities: number[];
    if (isMedian) {
      const half = total / 2;
      const lowHalf = half * (1 - MEDIAN_HALF_TOLERANCE);
      const medians = new Array<number>(k);
      for (let j = 0; j < k; j++) {
        const list = sorted[j] as Int32Array;
        const vals = sortedValues[j] as Float64Array;
        let i = upperBound(vals, count, pivot[j] as number) - 1; // last position <= pivot, or -1
        let cum = state[j] as number; // weight of positions 0..i
        if (i >= 0 && cum >= lowHalf) {
          while (i > 0) {
            const w = weightOfSlot(list[i] as number);
            if (cum - w < lowHalf) break;
            cum -= w;
            i--;
          }
        } else {
          while (cum < lowHalf && i < count - 1) {
            i++;
            cum += weightOfSlot(list[i] as number);
          }
        }
        const value = vals[i] as number;
        medians[j] =
          cum <= half * (1 + MEDIAN_HALF_TOLERANCE) && i + 1 < count ? (value + (vals[i + 1] as number)) / 2 : value;
        // The new pivot is this value; its C also counts equal values after position i.
        let c = cum;
        for (let q = i + 1; q < count && vals[q] === value; q++) c += weightOfSlot(list[q] as number);
        pivot[j] = value;
        state[j] = c;
      }
      probabilities = renormaliseMedians(fn, medians);
    } else {
      if (isLinear) {
        let sum = 0;
        for (let j = 0; j < k; j++) sum += state[j] as number;
        probabilities = new Array<number>(k);
        for (let j = 0; j < k; j++) probabilities[j] = (state[j] as number) / sum;
      } else {
        const means = new Float64Array(k);
        for (let j = 0; j < k; j++) means[j] = (state[j] as number) / total;
        probabilities = softmaxScaled(means, o.alpha, k);
      }
    }
    out[s] = { time: times[s] as number, probabilities, forecasterCount: count };
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Catalogue
// ---------------------------------------------------------------------------------------

/** One aggregation method offered to users. */
export interface AggregationMethod {
  /** `${method}-${weighting}`, e.g. 'logarithmic-recency'. */
  id: string;
  label: string;
  description: string;
  /** True for skill-weighted methods: add `skillWeights` to `options` before use. */
  needsSkillWeights: boolean;
  /** True for recency-weighted methods: the result depends on forecast times. */
  needsTimes: boolean;
  options: AggregationOptions;
}

const METHOD_TEXT: Record<PoolMethod, { label: string; description: string }> = {
  linear: { label: 'Mean', description: 'weighted mean of the forecasts (linear pool)' },
  median: { label: 'Median', description: 'weighted median of each scenario, renormalised' },
  logarithmic: {
    label: 'Geometric mean',
    description: 'renormalised weighted geometric mean (logarithmic pool; geometric mean of odds for two scenarios)',
  },
  extremised: {
    label: 'Extremised geometric mean',
    description: `geometric mean pushed away from even odds by the power alpha = ${DEFAULT_EXTREMISING_ALPHA}`,
  },
};
const WEIGHTING_TEXT: Record<Weighting, { label: string; description: string }> = {
  uniform: { label: 'equal weights', description: 'every forecaster counts the same' },
  recency: { label: 'recency-weighted', description: 'newer forecasts count more (Metaculus weights)' },
  skill: { label: 'skill-weighted', description: 'forecasters with better past relative Brier scores count more' },
};

/**
 * The catalogue of aggregation methods shown to users: every pool × every weighting, with ids
 * `${method}-${weighting}` ('linear-uniform' … 'extremised-skill'). Skill-weighted entries
 * carry no weights: the caller adds `skillWeights` (from `skillWeightsFromRecords`).
 */
export const AGGREGATION_METHODS: readonly AggregationMethod[] = Object.freeze(
  WEIGHTINGS.flatMap((weighting) =>
    METHODS.map((method) => {
      const m = METHOD_TEXT[method];
      const w = WEIGHTING_TEXT[weighting];
      const options: AggregationOptions =
        method === 'extremised' ? { method, weighting, alpha: DEFAULT_EXTREMISING_ALPHA } : { method, weighting };
      return Object.freeze({
        id: `${method}-${weighting}`,
        label: `${m.label}, ${w.label}`,
        description: `${m.description}; ${w.description}`,
        needsSkillWeights: weighting === 'skill',
        needsTimes: weighting === 'recency',
        options: Object.freeze(options),
      });
    }),
  ),
);

/** The method used when a team has not chosen one. */
export const DEFAULT_AGGREGATION_METHOD_ID = 'logarithmic-recency';

/**
 * Looks up a catalogue entry by id. Complexity O(number of methods).
 * Throws MathInputError for an unknown id.
 */
export function getAggregationMethod(id: string): AggregationMethod {
  const found = AGGREGATION_METHODS.find((m) => m.id === id);
  if (!found) fail('getAggregationMethod', `unknown aggregation method id ${describe(id)}`);
  return found;
}
