/**
 * Weights for the pools: recency (the Metaculus community prediction) and skill (from past
 * relative Brier scores, shrunk towards equal weight). Formulas: docs/formulas.md#recency-weights
 * and docs/formulas.md#skill-weights.
 */
import { checkFinite, describe, fail } from '../math-errors';

/**
 * Default number of pseudo-questions (at relative Brier 0) that shrink a skill record towards
 * equal weight. Tuned with DEFAULT_SKILL_TEMPERATURE by leave-one-question-out on ForecastBench
 * (docs/formulas.md#tuned-skill-defaults; npm run bench:accuracy prints the figures).
 */
export const DEFAULT_SKILL_PRIOR_COUNT = 20;
/**
 * Default temperature of skill weights, in Brier points (0-2 scale): a forecaster whose
 * shrunk relative Brier is 0.05 better than the median gets e times the weight of an average
 * one. Tuned with DEFAULT_SKILL_PRIOR_COUNT (docs/formulas.md#tuned-skill-defaults).
 */
export const DEFAULT_SKILL_TEMPERATURE = 0.05;

/**
 * The weight of a forecaster with no resolved record: what `skillWeightsFromRecords` gives a
 * record of 0 questions, and what missingSkill: 'neutral' gives a forecaster absent from a
 * skill map.
 */
export const NEUTRAL_SKILL_WEIGHT = 1;

/**
 * Recency weights of the Metaculus community prediction (Metaculus FAQ / scoring
 * documentation, "community prediction"): rank the n standing forecasts by time, oldest
 * first; the forecast of rank m = 1..n gets w_m = exp(sqrt(m) - sqrt(n)), so the newest has
 * weight 1. With n <= 2 every weight is 1 (no weighting). Index 0 of the result is the oldest.
 *
 * Complexity O(n). Throws MathInputError when n is not a positive integer.
 *
 * @example recencyWeights(4) // ≈ [0.3679, 0.5567, 0.7649, 1]: exp(sqrt(n) - 2), oldest first
 * @example recencyWeights(2) // [1, 1]
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
 *   shrunk s = r * n / (n + c)   (c = priorCount, default 20: c pseudo-questions at r = 0)
 *   weight w = exp(-s / T)       (T = temperature in Brier points, default 0.05)
 * (defaults tuned on ForecastBench: docs/formulas.md#tuned-skill-defaults). A forecaster with
 * no or few resolved questions has s near 0 and so weight near NEUTRAL_SKILL_WEIGHT = 1. Weights are relative: pools divide by their
 * total. This is an exponentially weighted (softmax) scheme on a shrunk skill estimate, in
 * the spirit of performance weighting in Budescu & Chen 2015 ("Identifying expertise to
 * extract the wisdom of crowds", Management Science 61(2)).
 *
 * Complexity O(n). Throws MathInputError for a duplicate forecaster id, a non-finite mean
 * relative Brier or one outside [-2, 2], a resolved count that is not a non-negative integer,
 * a negative or non-finite priorCount, or a temperature that is not positive and finite.
 * An empty list gives an empty map.
 *
 * @example skillWeightsFromRecords([
 *   { forecasterId: 'a', meanRelativeBrier: -0.1, resolvedCount: 5 },
 *   { forecasterId: 'b', meanRelativeBrier: 0.2, resolvedCount: 15 },
 * ]) // Map { 'a' => exp((0.1 * 5 / 25) / 0.05) ≈ 1.4918, 'b' => exp(-(0.2 * 15 / 35) / 0.05) ≈ 0.1801 }
 * @example skillWeightsFromRecords(records, { priorCount: 5, temperature: 0.1 })
 * // the former defaults: 'a' => exp(0.05 / 0.1) ≈ 1.6487, 'b' => exp(-0.15 / 0.1) ≈ 0.2231
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

