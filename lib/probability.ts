/**
 * Forecast vectors: the input rule, normalising, clamping, and conversions between
 * probability, odds, log-odds and percent.
 *
 * Notation (docs/formulas.md#notation): K scenarios; a forecast is p = (p_1..p_K), every
 * p_k in [0.001, 0.999], summing to 1.
 */
import { checkFinite, checkFiniteArray, describe, fail } from './math-errors';

/** Smallest probability used where logarithms are taken (docs/formulas.md#clamping). */
export const MIN_PROBABILITY = 0.001;
/** Largest probability used where logarithms are taken. */
export const MAX_PROBABILITY = 0.999;
/** Smallest value a person may enter, in percent (docs/formulas.md#the-input-rule). */
export const INPUT_MIN_PERCENT = 0.1;
/** Largest value a person may enter, in percent (docs/formulas.md#the-input-rule). */
export const INPUT_MAX_PERCENT = 99.9;
/**
 * A submitted vector must total 100% within this many percentage points
 * (docs/formulas.md#the-input-rule).
 */
export const TOTAL_TOLERANCE_POINTS = 0.5;
/**
 * Slack added to the ±0.5-point total check so that boundary totals typed by a person
 * (e.g. 49.75 + 49.75 = 99.5) are not refused because of binary floating point.
 */
const FLOAT_SLACK = 1e-9;

/** Formats a number for a person: at most 4 decimals, no trailing zeros. */
function formatNumber(x: number): string {
  return String(Number(x.toFixed(4)));
}

/**
 * The input rule (docs/formulas.md#the-input-rule): exactly k finite values, each within
 * [INPUT_MIN_PERCENT, INPUT_MAX_PERCENT] = [0.1%, 99.9%], totalling 100% within
 * ±TOTAL_TOLERANCE_POINTS = 0.5 points. On success the values are divided by their total so
 * the probabilities sum to 1; the last one is set to 1 minus the others so the sum is 1 to
 * within 1e-12. (After renormalising a value may sit marginally outside [0.001, 0.999], by at
 * most 0.5% of itself; functions that take logarithms clamp.)
 *
 * This checks what a person typed, so it does not throw for bad values: it returns
 * `{ ok: false, message, index }` with a plain-English message that uses the 1-based
 * position ("value 2 is 120%: each value must be between 0.1% and 99.9%") and `index`, the
 * 0-based position of the offending value when there is one. Checks run in this order:
 * count, numbers, range, total.
 *
 * Complexity O(k). Throws MathInputError only when k is not an integer >= 2 (a programming
 * error, not a user error).
 *
 * @example checkPercentVector([60, 30, 10], 3) // { ok: true, probabilities: [0.6, 0.3, 0.1] }
 */
export function checkPercentVector(
  percents: readonly number[],
  k: number,
): { ok: true; probabilities: number[] } | { ok: false; message: string; index?: number } {
  if (!Number.isInteger(k) || k < 2) {
    fail('checkPercentVector', `k must be an integer >= 2, got ${describe(k)}`);
  }
  if (!Array.isArray(percents) || percents.length !== k) {
    const got = Array.isArray(percents) ? percents.length : 0;
    return { ok: false, message: `expected ${k} values, got ${got}` };
  }
  for (let i = 0; i < k; i++) {
    const x = percents[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      return { ok: false, message: `value ${i + 1} is not a number`, index: i };
    }
  }
  for (let i = 0; i < k; i++) {
    const x = percents[i] as number;
    if (x < INPUT_MIN_PERCENT || x > INPUT_MAX_PERCENT) {
      return {
        ok: false,
        message: `value ${i + 1} is ${formatNumber(x)}%: each value must be between ${INPUT_MIN_PERCENT}% and ${INPUT_MAX_PERCENT}%`,
        index: i,
      };
    }
  }
  let total = 0;
  for (const x of percents) total += x;
  if (Math.abs(total - 100) > TOTAL_TOLERANCE_POINTS + FLOAT_SLACK) {
    return {
      ok: false,
      message: `the values total ${formatNumber(total)}%: they must total 100% (± ${TOTAL_TOLERANCE_POINTS} points)`,
    };
  }
  const probabilities = new Array<number>(k);
  let sumOfOthers = 0;
  for (let i = 0; i < k - 1; i++) {
    const p = (percents[i] as number) / total;
    probabilities[i] = p;
    sumOfOthers += p;
  }
  probabilities[k - 1] = 1 - sumOfOthers;
  return { ok: true, probabilities };
}

/**
 * Divides each value by the total: q_k = x_k / sum_j x_j.
 * Complexity O(K). Throws MathInputError for an empty vector, a non-finite or negative value,
 * or a zero total.
 *
 * @example normalise([2, 1, 1]) // [0.5, 0.25, 0.25]
 */
export function normalise(p: readonly number[]): number[] {
  checkFiniteArray('normalise', p, 'values', 0);
  let total = 0;
  for (const x of p) total += x;
  if (!(total > 0)) fail('normalise', 'values are all zero');
  return p.map((x) => x / total);
}

/**
 * Clamps one probability to [MIN_PROBABILITY, MAX_PROBABILITY] = [0.001, 0.999], the range
 * in which logarithms of forecasts are taken (docs/formulas.md#clamping).
 * Complexity O(1). Throws MathInputError for a non-finite value or one outside [0, 1].
 *
 * @example clampProbability(0) // 0.001
 * @example clampProbability(0.3) // 0.3
 */
export function clampProbability(x: number): number {
  checkFinite('clampProbability', x, 'probability');
  if (x < 0 || x > 1) fail('clampProbability', `probability ${x} is outside 0..1`);
  return Math.min(MAX_PROBABILITY, Math.max(MIN_PROBABILITY, x));
}

/**
 * Clamps every value to [0.001, 0.999], then renormalises so the vector sums to 1. After
 * renormalising a value can sit marginally outside the bounds (e.g. [0, 0, 1] becomes
 * [0.000999, 0.000999, 0.998]); what matters for logarithms is that every value is positive.
 * Complexity O(K). Throws MathInputError for an empty vector or a value that is not finite or
 * is outside [0, 1].
 *
 * @example clampVector([0, 1]) // [0.001, 0.999]
 * @example clampVector([0, 0.5, 0.5]) // ≈ [0.000999, 0.4995, 0.4995] (clamped, then renormalised)
 */
export function clampVector(p: readonly number[]): number[] {
  checkFiniteArray('clampVector', p, 'probabilities', 0, 1);
  const clamped = p.map((x) => Math.min(MAX_PROBABILITY, Math.max(MIN_PROBABILITY, x)));
  let total = 0;
  for (const x of clamped) total += x;
  return clamped.map((x) => x / total);
}

function checkUnit(fn: string, p: number): void {
  checkFinite(fn, p, 'probability');
  if (p < 0 || p > 1) fail(fn, `probability ${p} is outside 0..1`);
}

/**
 * Odds in favour: p / (1 - p). Returns Infinity for p = 1.
 * Complexity O(1). Throws MathInputError for p not finite or outside [0, 1].
 *
 * @example toOdds(0.75) // 3
 * @example toOdds(1) // Infinity
 */
export function toOdds(p: number): number {
  checkUnit('toOdds', p);
  return p === 1 ? Infinity : p / (1 - p);
}

/**
 * Probability from odds in favour: o / (1 + o); Infinity gives 1.
 * Complexity O(1). Throws MathInputError for NaN or negative odds.
 *
 * @example fromOdds(3) // 0.75
 */
export function fromOdds(odds: number): number {
  if (typeof odds !== 'number' || Number.isNaN(odds)) fail('fromOdds', `odds is not a number (${describe(odds)})`);
  if (odds < 0) fail('fromOdds', `odds ${odds} is negative`);
  return odds === Infinity ? 1 : odds / (1 + odds);
}

/**
 * Log-odds (logit): ln(p / (1 - p)); -Infinity at 0 and Infinity at 1.
 * Complexity O(1). Throws MathInputError for p not finite or outside [0, 1].
 *
 * @example toLogOdds(0.5) // 0
 * @example toLogOdds(0.75) // ln 3 ≈ 1.0986
 */
export function toLogOdds(p: number): number {
  checkUnit('toLogOdds', p);
  return Math.log(p) - Math.log1p(-p);
}

/**
 * Probability from log-odds (the logistic function): 1 / (1 + e^-x), computed so that it
 * neither overflows nor loses precision for large |x|; ±Infinity give 1 and 0.
 * Complexity O(1). Throws MathInputError for NaN.
 *
 * @example fromLogOdds(0) // 0.5
 * @example fromLogOdds(Math.log(3)) // 0.75 (to rounding)
 */
export function fromLogOdds(x: number): number {
  if (typeof x !== 'number' || Number.isNaN(x)) fail('fromLogOdds', `log-odds is not a number (${describe(x)})`);
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/**
 * Percent from probability: 100 p.
 * Complexity O(1). Throws MathInputError for p not finite or outside [0, 1].
 *
 * @example toPercent(0.25) // 25
 */
export function toPercent(p: number): number {
  checkUnit('toPercent', p);
  return p * 100;
}

/**
 * Probability from percent: x / 100.
 * Complexity O(1). Throws MathInputError for x not finite or outside [0, 100].
 *
 * @example fromPercent(25) // 0.25
 */
export function fromPercent(x: number): number {
  checkFinite('fromPercent', x, 'percent');
  if (x < 0 || x > 100) fail('fromPercent', `percent ${x} is outside 0..100`);
  return x / 100;
}

const NUM = String.raw`(\d+(?:\.\d+)?|\.\d+)`;
const PERCENT_RE = new RegExp(`^${NUM}\\s*%$`);
const BARE_RE = new RegExp(`^${NUM}$`);
const ODDS_RE = new RegExp(`^${NUM}\\s*(?::|to)\\s*${NUM}$`);
const RATIO_RE = new RegExp(`^${NUM}\\s*(?:in|/|out of)\\s*${NUM}$`);

/**
 * Reads a probability typed in any of the usual ways and returns it as a number in (0, 1):
 * - "25%" or "25 %": percent, 0.25;
 * - a bare number: a number >= 1 is read as percent ("25" is 0.25, "1" is 0.01), a number
 *   below 1 as a probability ("0.25" is 0.25, ".5" is 0.5);
 * - "3:1" or "3 to 1": odds in favour a:b, a / (a + b) = 0.75;
 * - "1 in 20", "1/20" or "1 out of 20": a / b = 0.05.
 * Spaces around the text and case are ignored. Only plain decimal numbers are accepted (no
 * signs, exponents or thousands separators).
 *
 * Complexity O(length of text). Throws MathInputError when the text matches none of these
 * forms, when a ratio has a zero denominator, or when the result is not strictly between 0
 * and 1 (0% and 100% are certainties, not forecasts).
 *
 * @example parseProbabilityText('25%') // 0.25
 * @example parseProbabilityText('3:1') // 0.75
 * @example parseProbabilityText('1 in 20') // 0.05
 */
export function parseProbabilityText(text: string): number {
  const fn = 'parseProbabilityText';
  if (typeof text !== 'string') fail(fn, `expected text, got ${describe(text)}`);
  const t = text.trim().toLowerCase().replace(/\s+/g, ' ');
  let p: number | undefined;
  let m: RegExpExecArray | null;
  if ((m = PERCENT_RE.exec(t))) {
    p = Number(m[1]) / 100;
  } else if ((m = BARE_RE.exec(t))) {
    const x = Number(m[1]);
    p = x >= 1 ? x / 100 : x;
  } else if ((m = ODDS_RE.exec(t))) {
    const a = Number(m[1]);
    const b = Number(m[2]);
    if (a + b === 0) fail(fn, `"${text}" has odds 0:0`);
    p = a / (a + b);
  } else if ((m = RATIO_RE.exec(t))) {
    const a = Number(m[1]);
    const b = Number(m[2]);
    if (b === 0) fail(fn, `"${text}" divides by zero`);
    p = a / b;
  }
  if (p === undefined) {
    fail(fn, `"${text}" is not a probability; write e.g. 25%, 0.25, 3:1 or 1 in 20`);
  }
  if (!(p > 0 && p < 1)) {
    fail(fn, `"${text}" is ${formatNumber(p * 100)}%: a forecast must be strictly between 0% and 100%`);
  }
  return p;
}
