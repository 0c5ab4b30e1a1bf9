/**
 * Calibration (docs/formulas.md#calibration): every (forecast, scenario) pair is a binary
 * event; bin by probability, count, observed frequency, Wilson interval; and the Murphy
 * decomposition of the Brier score.
 */
import { checkFinite, checkOutcome, describe, fail, probabilityVector } from './math-errors';

/** One binary event: a forecast probability and whether it happened (1) or not (0). */
export interface ForecastPair {
  probability: number;
  outcome: 0 | 1;
}

/** One calibration bin [lower, upper) (the last bin includes 1). */
export interface CalibrationBin {
  lower: number;
  upper: number;
  count: number;
  /** Mean forecast in the bin; null when empty. */
  meanForecast: number | null;
  /** Fraction of the bin's events that happened; null when empty. */
  observedFrequency: number | null;
  /** Wilson 95% interval for the observed frequency; null when empty. */
  wilsonLow: number | null;
  wilsonHigh: number | null;
}

/** The two-sided 95% standard normal quantile, Phi^-1(0.975). */
export const Z_95 = 1.959963984540054;
/** Default number of equal-width probability bins. */
export const DEFAULT_BIN_COUNT = 10;

function checkPairs(fn: string, pairs: readonly ForecastPair[], allowEmpty: boolean): void {
  if (!Array.isArray(pairs)) fail(fn, 'pairs is not an array');
  if (!allowEmpty && pairs.length === 0) fail(fn, 'no pairs (empty input)');
  for (let i = 0; i < pairs.length; i++) {
    const pr = pairs[i] as ForecastPair;
    checkFinite(fn, pr.probability, `pairs[${i}].probability`);
    if (pr.probability < 0 || pr.probability > 1) fail(fn, `pairs[${i}].probability ${pr.probability} is outside 0..1`);
    if (pr.outcome !== 0 && pr.outcome !== 1) fail(fn, `pairs[${i}].outcome is ${describe(pr.outcome)}, not 0 or 1`);
  }
}

function checkBinCount(fn: string, binCount: number): void {
  if (!Number.isInteger(binCount) || binCount < 1) fail(fn, `binCount must be a positive integer, got ${describe(binCount)}`);
}

/** Bin index of p for equal-width bins [i/B, (i+1)/B), the last bin closed at 1. */
function binOf(p: number, binCount: number): number {
  let i = Math.floor(p * binCount);
  // Guard against p * B rounding across a boundary: keep lower = i / B <= p < (i + 1) / B.
  if (i > 0 && p < i / binCount) i--;
  else if (i < binCount - 1 && p >= (i + 1) / binCount) i++;
  return Math.min(Math.max(i, 0), binCount - 1);
}

/**
 * Wilson score interval (Wilson 1927, "Probable inference, the law of succession, and
 * statistical inference", JASA 22(158)) for x successes in n trials:
 *   centre = (phat + z^2 / 2n) / (1 + z^2 / n),
 *   half-width = z / (1 + z^2 / n) * sqrt(phat (1 - phat) / n + z^2 / 4n^2),
 * with phat = x / n and z = Z_95 by default.
 *
 * Complexity O(1). Throws MathInputError when n is not a positive integer, x is not an integer
 * in 0..n, or z is not positive and finite.
 *
 * @example wilsonInterval(8, 10) // ≈ { low: 0.4902, high: 0.9433 }
 * @example wilsonInterval(0, 10) // ≈ { low: 0, high: 0.2775 }
 */
export function wilsonInterval(successes: number, n: number, z: number = Z_95): { low: number; high: number } {
  const fn = 'wilsonInterval';
  if (!Number.isInteger(n) || n < 1) fail(fn, `n must be a positive integer, got ${describe(n)}`);
  if (!Number.isInteger(successes) || successes < 0 || successes > n) {
    fail(fn, `successes must be an integer in 0..${n}, got ${describe(successes)}`);
  }
  checkFinite(fn, z, 'z');
  if (z <= 0) fail(fn, `z must be positive, got ${z}`);
  const phat = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (phat + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((phat * (1 - phat)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * Calibration table: binCount equal-width bins [i/B, (i+1)/B) over [0, 1] (the last includes
 * 1). For each bin: the number of pairs, their mean forecast, the observed frequency (events
 * that happened / count) and its Wilson 95% interval (`wilsonInterval`, z = 1.959963984540054).
 * Empty bins have count 0 and nulls. An empty list of pairs is allowed (a chart with no data)
 * and gives every bin empty.
 *
 * Complexity O(n + B). Throws MathInputError for a probability that is not finite or outside
 * [0, 1], an outcome other than 0 or 1, or binCount not a positive integer.
 *
 * @example calibrationBins(
 *   [
 *     { probability: 0.1, outcome: 0 },
 *     { probability: 0.7, outcome: 1 },
 *     { probability: 0.75, outcome: 0 },
 *   ],
 *   2,
 * )
 * // [{ lower: 0, upper: 0.5, count: 1, meanForecast: 0.1, observedFrequency: 0,
 * //    wilsonLow: 0, wilsonHigh: ≈ 0.7935 },
 * //  { lower: 0.5, upper: 1, count: 2, meanForecast: 0.725, observedFrequency: 0.5,
 * //    wilsonLow: ≈ 0.0945, wilsonHigh: ≈ 0.9055 }]
 */
export function calibrationBins(pairs: readonly ForecastPair[], binCount: number = DEFAULT_BIN_COUNT): CalibrationBin[] {
  const fn = 'calibrationBins';
  checkBinCount(fn, binCount);
  checkPairs(fn, pairs, true);
  const counts = new Array<number>(binCount).fill(0);
  const hits = new Array<number>(binCount).fill(0);
  const sums = new Array<number>(binCount).fill(0);
  for (const pr of pairs) {
    const b = binOf(pr.probability, binCount);
    counts[b] = (counts[b] as number) + 1;
    hits[b] = (hits[b] as number) + pr.outcome;
    sums[b] = (sums[b] as number) + pr.probability;
  }
  return counts.map((n, i) => {
    const lower = i / binCount;
    const upper = (i + 1) / binCount;
    if (n === 0) {
      return { lower, upper, count: 0, meanForecast: null, observedFrequency: null, wilsonLow: null, wilsonHigh: null };
    }
    const x = hits[i] as number;
    const w = wilsonInterval(x, n);
    return {
      lower,
      upper,
      count: n,
      meanForecast: (sums[i] as number) / n,
      observedFrequency: x / n,
      wilsonLow: w.low,
      wilsonHigh: w.high,
    };
  });
}

/**
 * Turns one K-scenario forecast and its outcome into K binary pairs
 * (docs/formulas.md#forecast-pairs: every (forecast, scenario) pair is a binary event):
 * (p_k, 1 if k is the outcome else 0).
 *
 * Complexity O(K). Throws MathInputError when p is not a probability vector or outcome is
 * not an integer in 0..K-1.
 *
 * @example forecastPairs([0.7, 0.2, 0.1], 0)
 * // [{ probability: 0.7, outcome: 1 }, { probability: 0.2, outcome: 0 },
 * //  { probability: 0.1, outcome: 0 }]
 */
export function forecastPairs(p: readonly number[], outcome: number): ForecastPair[] {
  const v = probabilityVector('forecastPairs', p);
  checkOutcome('forecastPairs', outcome, v.length);
  return v.map((probability, k) => ({ probability, outcome: k === outcome ? 1 : 0 }));
}

/** The Murphy decomposition of the binary Brier score. */
export interface MurphyDecomposition {
  /** (1/N) sum_b n_b (fbar_b - obar_b)^2: miscalibration, lower is better. */
  reliability: number;
  /** (1/N) sum_b n_b (obar_b - obar)^2: how far bins separate from the base rate, higher is better. */
  resolution: number;
  /** obar (1 - obar): the Brier score of always forecasting the base rate. */
  uncertainty: number;
  /** (1/N) sum_i (f_i - o_i)^2, computed directly. */
  brier: number;
  /**
   * brier - (reliability - resolution + uncertainty): the within-bin terms of Stephenson et
   * al. 2008; 0 when every forecast in a bin has the same value.
   */
  residual: number;
}

/**
 * Murphy decomposition (Murphy 1973, "A new vector partition of the probability score",
 * Journal of Applied Meteorology 12(4)) of the binary, per-pair Brier score
 * BS = (1/N) sum_i (f_i - o_i)^2 (note: per pair, so for K-scenario forecasts split by
 * `forecastPairs` it is the multi-category Brier divided by K):
 *   BS ≈ REL - RES + UNC,
 * with bins as in `calibrationBins`, n_b pairs in bin b, fbar_b their mean forecast, obar_b
 * their observed frequency and obar the overall frequency. With binning the identity holds
 * exactly only when all forecasts in each bin are equal (e.g. forecasts on a 10% grid with 10
 * bins); otherwise it is off by within-bin variance and covariance terms (Stephenson, Coelho,
 * Doblas-Reyes & Balmaseda 2008, "Two extra components in the Brier score decomposition",
 * Weather and Forecasting 23(4)), reported as `residual`.
 *
 * Complexity O(N + B). Throws MathInputError for no pairs, a probability that is not finite or
 * outside [0, 1], an outcome other than 0 or 1, or binCount not a positive integer.
 *
 * @example murphyDecomposition([
 *   { probability: 0.2, outcome: 0 },
 *   { probability: 0.2, outcome: 1 },
 *   { probability: 0.8, outcome: 1 },
 *   { probability: 0.8, outcome: 1 },
 * ]) // ≈ { reliability: 0.065, resolution: 0.0625, uncertainty: 0.1875, brier: 0.19, residual: 0 }
 */
export function murphyDecomposition(pairs: readonly ForecastPair[], binCount: number = DEFAULT_BIN_COUNT): MurphyDecomposition {
  const fn = 'murphyDecomposition';
  checkBinCount(fn, binCount);
  checkPairs(fn, pairs, false);
  const n = pairs.length;
  const counts = new Array<number>(binCount).fill(0);
  const hits = new Array<number>(binCount).fill(0);
  const sums = new Array<number>(binCount).fill(0);
  let totalHits = 0;
  let bs = 0;
  for (const pr of pairs) {
    const b = binOf(pr.probability, binCount);
    counts[b] = (counts[b] as number) + 1;
    hits[b] = (hits[b] as number) + pr.outcome;
    sums[b] = (sums[b] as number) + pr.probability;
    totalHits += pr.outcome;
    const d = pr.probability - pr.outcome;
    bs += d * d;
  }
  bs /= n;
  const base = totalHits / n;
  let reliability = 0;
  let resolution = 0;
  for (let b = 0; b < binCount; b++) {
    const nb = counts[b] as number;
    if (nb === 0) continue;
    const fbar = (sums[b] as number) / nb;
    const obar = (hits[b] as number) / nb;
    reliability += nb * (fbar - obar) ** 2;
    resolution += nb * (obar - base) ** 2;
  }
  reliability /= n;
  resolution /= n;
  const uncertainty = base * (1 - base);
  return {
    reliability,
    resolution,
    uncertainty,
    brier: bs,
    residual: bs - (reliability - resolution + uncertainty),
  };
}
