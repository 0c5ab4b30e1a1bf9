/**
 * The one error type of the forecasting mathematics, and the shared guards that raise it.
 *
 * Every function in lib/probability, lib/aggregation, lib/bayes, lib/scoring and
 * lib/calibration checks its input early and throws `MathInputError` with a message of the
 * form "<function>: <what is wrong>", e.g. "brier: outcome 3 is outside 0..2". Indices in
 * messages are 0-based array positions written as `name[i]`, because these errors are for
 * programmers; plain-English messages for people typing numbers come from
 * `checkPercentVector` and `parseProbabilityText` instead.
 */

/** Thrown for bad input to any maths function. The message starts with the function name. */
export class MathInputError extends Error {
  override readonly name = 'MathInputError';
  /** The name of the function that refused its input, e.g. "brier". */
  readonly functionName: string;

  constructor(functionName: string, problem: string) {
    super(`${functionName}: ${problem}`);
    this.functionName = functionName;
  }
}

/**
 * A probability vector whose sum is within SUM_TOLERANCE of 1 is used exactly as given.
 * Vectors renormalised in floating point sum to 1 within about 1e-15; 1e-6 covers vectors
 * stored with six decimals (as in the ForecastBench CSVs), so every vector accepted before
 * RENORMALISE_TOLERANCE existed gives bit-identical results.
 */
export const SUM_TOLERANCE = 1e-6;

/**
 * How far the sum of a probability vector may stray from 1 before it is refused
 * (docs/formulas.md#tolerance-renormalisation). A vector whose sum s is off by more than
 * SUM_TOLERANCE but at most 1e-3 is divided by s before use: this admits vectors rounded to a
 * few decimals (33.33% three times sums to 0.9999) from imports and the API, while still
 * refusing a vector in percent, one never normalised or one with a value missing.
 */
export const RENORMALISE_TOLERANCE = 1e-3;

/** Throws `MathInputError(fn, problem)`. Complexity O(1). */
export function fail(fn: string, problem: string): never {
  throw new MathInputError(fn, problem);
}

/** Describes a value for an error message: NaN, Infinity, or the number itself. Complexity O(1); never throws. */
export function describe(x: unknown): string {
  if (typeof x !== 'number') return `${typeof x} ${String(x)}`;
  if (Number.isNaN(x)) return 'NaN';
  return String(x);
}

/**
 * Requires a finite number. Throws `MathInputError` naming `fn` and `label` otherwise.
 * Complexity O(1).
 */
export function checkFinite(fn: string, x: number, label: string): void {
  if (typeof x !== 'number' || !Number.isFinite(x)) {
    fail(fn, `${label} is not a finite number (${describe(x)})`);
  }
}

/**
 * Requires a non-empty array of finite numbers, each within [min, max].
 * Complexity O(n).
 */
export function checkFiniteArray(
  fn: string,
  xs: readonly number[],
  label: string,
  min = -Infinity,
  max = Infinity,
): void {
  if (!Array.isArray(xs)) fail(fn, `${label} is not an array`);
  if (xs.length === 0) fail(fn, `${label} is empty`);
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i] as number;
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      fail(fn, `${label}[${i}] is not a finite number (${describe(x)})`);
    }
    if (x < min || x > max) fail(fn, `${label}[${i}] is ${x}, outside ${min}..${max}`);
  }
}

/**
 * Reads a probability vector (docs/formulas.md#probability-vectors and
 * docs/formulas.md#tolerance-renormalisation): at least 2 finite values, each in [0, 1],
 * summing to 1 within RENORMALISE_TOLERANCE. Returns the vector to use: `p` itself when the
 * sum is within SUM_TOLERANCE of 1 (so such input gives bit-identical results), otherwise a
 * new array p_k / sum_j p_j. Complexity O(K). Throws MathInputError naming `fn` and `label`.
 *
 * @example probabilityVector('f', [0.2, 0.8]) // the same array
 * @example probabilityVector('f', [0.3333, 0.3333, 0.3333]) // [1/3, 1/3, 1/3]
 * @example probabilityVector('f', [50, 50]) // throws: values outside 0..1
 */
export function probabilityVector(fn: string, p: readonly number[], label = 'probabilities'): readonly number[] {
  checkFiniteArray(fn, p, label, 0, 1);
  if (p.length < 2) fail(fn, `${label} has ${p.length} value; at least 2 scenarios are needed`);
  let sum = 0;
  for (const x of p) sum += x;
  const off = Math.abs(sum - 1);
  if (off <= SUM_TOLERANCE) return p;
  if (!(off <= RENORMALISE_TOLERANCE)) {
    fail(fn, `${label} sum to ${sum}, not 1 (tolerance ${RENORMALISE_TOLERANCE})`);
  }
  return p.map((x) => x / sum);
}

/** Requires `actual === expected` for two vector lengths. Complexity O(1). */
export function checkLength(fn: string, label: string, actual: number, expected: number): void {
  if (actual !== expected) {
    fail(fn, `${label} has ${actual} values, expected ${expected} (vectors of different lengths)`);
  }
}

/** Requires an integer outcome index in 0..k-1. Complexity O(1). */
export function checkOutcome(fn: string, outcome: number, k: number): void {
  if (!Number.isInteger(outcome) || outcome < 0 || outcome >= k) {
    fail(fn, `outcome ${describe(outcome)} is outside 0..${k - 1}`);
  }
}

/**
 * Requires non-negative finite weights, one per item, with a positive total.
 * Complexity O(n).
 */
export function checkWeights(fn: string, weights: readonly number[], n: number): void {
  if (!Array.isArray(weights)) fail(fn, 'weights is not an array');
  checkLength(fn, 'weights', weights.length, n);
  let total = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i] as number;
    if (typeof w !== 'number' || !Number.isFinite(w)) {
      fail(fn, `weights[${i}] is not a finite number (${describe(w)})`);
    }
    if (w < 0) fail(fn, `weights[${i}] is negative (${w})`);
    total += w;
  }
  if (!(total > 0)) fail(fn, 'weights are all zero');
}
