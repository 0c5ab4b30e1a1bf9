/**
 * Bayesian updating on indicator events (docs/formulas.md#bayesian-updating).
 *
 * Prior p (a standing forecast over K scenarios), likelihoods L_k = P(E | scenario k) in
 * [0, 1], not all zero. Posterior p'_k = p_k L_k / sum_j p_j L_j (Bayes' rule; see e.g.
 * Jaynes 2003, "Probability Theory: The Logic of Science", ch. 4). When an indicator's
 * deadline passes unobserved the likelihoods are 1 - L_k. The indicator's diagnosticity is
 * max L / min L (Heuer 1999, "Psychology of Intelligence Analysis", ch. 5 and 8).
 */
import { checkFiniteArray, checkLength, fail, probabilityVector } from './math-errors';
import { clampVector } from './probability';

/**
 * An indicator whose likelihood ratio max L / min L is below this carries too little
 * information to act on: 1.5 means that, observed, it can move the odds between any two
 * scenarios by less than a factor of 1.5 (e.g. 50% to at most 60%).
 */
export const DIAGNOSTICITY_THRESHOLD = 1.5;
/**
 * `coherence` calls a submitted forecast coherent when its reaction is within this distance
 * of 1 (moved between 75% and 125% as far as its own likelihoods imply, in log-odds).
 */
export const COHERENCE_TOLERANCE = 0.25;
/**
 * `coherence` reports 'no-evidence' when the implied posterior differs from the prior by
 * less than this in every scenario (half a percentage point): the likelihoods are too flat
 * for over- or under-reaction to mean anything.
 */
export const NO_EVIDENCE_TOLERANCE = 0.005;

function checkLikelihoods(fn: string, likelihoods: readonly number[], k: number, label = 'likelihoods'): void {
  checkFiniteArray(fn, likelihoods, label, 0, 1);
  checkLength(fn, label, likelihoods.length, k);
}

/** p_k L_k / sum_j p_j L_j with guards; `fn` names the public function for errors. */
function bayes(fn: string, prior: readonly number[], l: readonly number[], what: string): number[] {
  let anyPositive = false;
  for (const x of l) if (x > 0) anyPositive = true;
  if (!anyPositive) fail(fn, `${what} are all zero: the evidence is impossible under every scenario`);
  const joint = prior.map((p, k) => p * (l[k] as number));
  let total = 0;
  for (const x of joint) total += x;
  if (!(total > 0)) {
    fail(fn, `the evidence has probability 0 under the prior (sum_k p_k L_k = 0): every scenario it allows has prior 0`);
  }
  return joint.map((x) => x / total);
}

/**
 * Bayes' rule for an observed indicator: p'_k = p_k L_k / sum_j p_j L_j.
 *
 * Complexity O(K). Throws MathInputError when the prior is not a probability vector (empty,
 * non-finite, outside [0, 1], not summing to 1), the likelihoods have a different length or
 * a value outside [0, 1] or non-finite, the likelihoods are all zero, or sum_j p_j L_j = 0.
 *
 * @example posterior([0.5, 0.5], [0.8, 0.4]) // [2/3, 1/3]
 */
export function posterior(prior: readonly number[], likelihoods: readonly number[]): number[] {
  const p = probabilityVector('posterior', prior, 'prior');
  checkLikelihoods('posterior', likelihoods, p.length);
  return bayes('posterior', p, likelihoods, 'likelihoods');
}

/**
 * Bayes' rule for an indicator whose deadline passed without it being observed: the
 * likelihood of "not observed" is 1 - L_k, so p'_k = p_k (1 - L_k) / sum_j p_j (1 - L_j).
 *
 * Complexity O(K). Throws MathInputError as `posterior` does, and when every L_k is 1 (then
 * "not observed" is impossible).
 *
 * @example posteriorUnobserved([0.5, 0.5], [0.8, 0.4])
 * // [0.25, 0.75]: 'not observed' has likelihoods 0.2 and 0.6
 */
export function posteriorUnobserved(prior: readonly number[], likelihoods: readonly number[]): number[] {
  const p = probabilityVector('posteriorUnobserved', prior, 'prior');
  checkLikelihoods('posteriorUnobserved', likelihoods, p.length);
  return bayes(
    'posteriorUnobserved',
    p,
    likelihoods.map((x) => 1 - x),
    'non-observation likelihoods 1 - L',
  );
}

/**
 * Several indicator events applied in order: p^(e) = posterior of p^(e-1) with the event's
 * likelihoods (or 1 - L when it was not observed). Each event's likelihoods are judged given
 * the earlier events. Computed in log space, ln p'_k = ln p_k + sum_e ln L_ek, normalised once
 * at the end (with the largest term subtracted), so long sequences of small likelihoods do not
 * underflow. With no events the prior is returned (as a copy).
 *
 * Complexity O(E K) for E events. Throws MathInputError when the prior is not a probability
 * vector, an event's likelihoods are of the wrong length, outside [0, 1] or non-finite,
 * `observed` is not a boolean, an event's likelihoods are all zero, or an event has
 * probability 0 given the prior and the earlier events.
 *
 * @example sequentialPosterior([0.5, 0.5], [
 *   { likelihoods: [0.8, 0.4], observed: true },
 *   { likelihoods: [0.5, 0.25], observed: true },
 * ]) // [0.8, 0.2]: odds 1 * 2 * 2 = 4
 */
export function sequentialPosterior(
  prior: readonly number[],
  events: readonly { likelihoods: readonly number[]; observed: boolean }[],
): number[] {
  const fn = 'sequentialPosterior';
  const p0 = probabilityVector(fn, prior, 'prior');
  if (!Array.isArray(events)) fail(fn, 'events is not an array');
  const k = p0.length;
  if (events.length === 0) return [...p0];
  const logs = p0.map((p) => Math.log(p));
  for (let e = 0; e < events.length; e++) {
    const ev = events[e] as { likelihoods: readonly number[]; observed: boolean };
    checkLikelihoods(fn, ev.likelihoods, k, `events[${e}].likelihoods`);
    if (typeof ev.observed !== 'boolean') fail(fn, `events[${e}].observed is not a boolean`);
    const l = ev.observed ? ev.likelihoods : ev.likelihoods.map((x) => 1 - x);
    if (!l.some((x) => x > 0)) {
      fail(fn, `events[${e}]: ${ev.observed ? 'likelihoods' : 'non-observation likelihoods 1 - L'} are all zero`);
    }
    let alive = false;
    for (let j = 0; j < k; j++) {
      const v = (logs[j] as number) + Math.log(l[j] as number);
      logs[j] = v;
      if (v > -Infinity) alive = true;
    }
    if (!alive) fail(fn, `events[${e}] has probability 0 given the prior and the earlier events`);
  }
  let max = -Infinity;
  for (const v of logs) if (v > max) max = v;
  const w = logs.map((v) => Math.exp(v - max));
  let total = 0;
  for (const x of w) total += x;
  return w.map((x) => x / total);
}

/**
 * Diagnosticity of an indicator (Heuer 1999): ratio = max_k L_k / min_k L_k, the largest
 * factor by which observing it can change the odds between two scenarios; logRatio = ln
 * ratio. Both are Infinity when some likelihood is 0 (the indicator rules a scenario out).
 * informative is false when ratio < DIAGNOSTICITY_THRESHOLD (1.5); equal likelihoods give
 * ratio 1: no information.
 *
 * Complexity O(K). Throws MathInputError for fewer than 2 likelihoods, a value outside
 * [0, 1] or non-finite, or likelihoods that are all zero (0/0).
 *
 * @example diagnosticity([0.8, 0.4, 0.2]) // { ratio: 4, logRatio: ln 4 ≈ 1.3863, informative: true }
 * @example diagnosticity([0.5, 0.5]) // { ratio: 1, logRatio: 0, informative: false }
 */
export function diagnosticity(likelihoods: readonly number[]): { ratio: number; logRatio: number; informative: boolean } {
  const fn = 'diagnosticity';
  checkFiniteArray(fn, likelihoods, 'likelihoods', 0, 1);
  if (likelihoods.length < 2) fail(fn, 'needs at least 2 likelihoods, one per scenario');
  let max = -Infinity;
  let min = Infinity;
  for (const x of likelihoods) {
    if (x > max) max = x;
    if (x < min) min = x;
  }
  if (max === 0) fail(fn, 'likelihoods are all zero, so their ratio is 0/0');
  const ratio = min === 0 ? Infinity : max / min;
  const logRatio = min === 0 ? Infinity : Math.log(max) - Math.log(min);
  return { ratio, logRatio, informative: ratio >= DIAGNOSTICITY_THRESHOLD };
}

/**
 * The team's pooled likelihoods: for each scenario the geometric mean across forecasters,
 * L_k = (prod_i L_ik)^(1/n), computed as exp(mean ln L_ik); 0 when any forecaster gives 0
 * (their judgement that the indicator is impossible under that scenario is kept). The
 * geometric mean is the likelihood counterpart of the logarithmic pool (Genest & Zidek 1986):
 * the posterior from pooled likelihoods is the log pool of the individual posteriors when the
 * priors agree.
 *
 * Complexity O(n K). Throws MathInputError for no forecasters, vectors of different lengths,
 * or a value outside [0, 1] or non-finite.
 *
 * @example pooledLikelihoods([[0.9, 0.1], [0.4, 0.4]]) // [0.6, 0.2]: sqrt(0.9 * 0.4), sqrt(0.1 * 0.4)
 */
export function pooledLikelihoods(perForecaster: readonly (readonly number[])[]): number[] {
  const fn = 'pooledLikelihoods';
  if (!Array.isArray(perForecaster) || perForecaster.length === 0) fail(fn, 'no likelihood vectors (empty input)');
  const k = (perForecaster[0] as readonly number[]).length;
  for (let i = 0; i < perForecaster.length; i++) {
    const v = perForecaster[i] as readonly number[];
    checkFiniteArray(fn, v, `perForecaster[${i}]`, 0, 1);
    checkLength(fn, `perForecaster[${i}]`, v.length, k);
  }
  const n = perForecaster.length;
  const out = new Array<number>(k);
  for (let j = 0; j < k; j++) {
    let sum = 0;
    let zero = false;
    for (const v of perForecaster) {
      const x = v[j] as number;
      if (x === 0) {
        zero = true;
        break;
      }
      sum += Math.log(x);
    }
    out[j] = zero ? 0 : Math.exp(sum / n);
  }
  return out;
}

/** The result of `coherence`. */
export interface CoherenceResult {
  /** The posterior the forecaster's own prior and likelihoods imply. */
  implied: number[];
  /** Per scenario: submitted - prior and implied - prior, in probability units. */
  scenarios: { index: number; actualShift: number; impliedShift: number }[];
  /**
   * How far the forecaster moved along the implied direction, in log-odds (centred
   * log-ratio) space: 1 = exactly as far as implied, 0 = not at all, < 0 = the other way.
   * 0 when the verdict is 'no-evidence' (a ratio to a negligible move means nothing).
   */
  reaction: number;
  /** The same projection in probability units: <s - p, q - p> / |q - p|^2 (0 for 'no-evidence'). */
  probabilityReaction: number;
  verdict: 'coherent' | 'under-reaction' | 'over-reaction' | 'opposite' | 'no-evidence';
  /** Total variation distance between submitted and implied: half the sum of |s_k - q_k|. */
  distance: number;
}

/** Centred log-ratio transform (Aitchison 1986): ln x_k - mean_j ln x_j, on a clamped vector. */
function clr(p: readonly number[]): number[] {
  const logs = clampVector(p).map((x) => Math.log(x));
  let mean = 0;
  for (const v of logs) mean += v;
  mean /= logs.length;
  return logs.map((v) => v - mean);
}

function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

/**
 * Coherence of a submitted forecast s with the posterior q = posterior(p, L) that the
 * forecaster's own prior p and likelihoods L imply (docs/formulas.md#coherence-feedback).
 *
 * Bayes' rule is additive in log-ratio space: clr(q) = clr(p) + clr(L), where clr is the
 * centred log-ratio (Aitchison 1986, "The Statistical Analysis of Compositional Data"; for two
 * scenarios clr differences are half log-odds differences). So the reaction is the projection
 * of the actual move onto the implied move in that space:
 *   reaction = <clr(s) - clr(p), clr(q) - clr(p)> / |clr(q) - clr(p)|^2,
 * with every vector clamped to [0.001, 0.999] first so zeros stay finite. For two scenarios
 * it is (change in log-odds actually made) / (change in log-odds implied). Verdict:
 * - 'no-evidence' when |q_k - p_k| < NO_EVIDENCE_TOLERANCE (0.005) for every k (then
 *   reaction and probabilityReaction are reported as 0);
 * - otherwise 'opposite' when reaction < 0, 'coherent' when |reaction - 1| <=
 *   COHERENCE_TOLERANCE (0.25), 'under-reaction' below that band and 'over-reaction' above.
 * distance = total variation (1/2) sum_k |s_k - q_k|, in probability units (0..1), which also
 * catches moves orthogonal to the evidence. `probabilityReaction` is the same projection with
 * plain probability differences.
 *
 * Complexity O(K). Throws MathInputError when prior or submitted is not a probability vector,
 * the vectors differ in length, or the likelihoods are invalid as for `posterior`.
 *
 * @example coherence([0.5, 0.5], [0.8, 0.4], [0.6, 0.4]).verdict
 * // 'under-reaction': implied [2/3, 1/3]; reaction = ln 1.5 / ln 2 ≈ 0.585
 * @example coherence([0.5, 0.5], [0.8, 0.4], [2 / 3, 1 / 3]).verdict
 * // 'coherent' (reaction 1, distance 0)
 */
export function coherence(
  prior: readonly number[],
  likelihoods: readonly number[],
  submitted: readonly number[],
): CoherenceResult {
  const fn = 'coherence';
  prior = probabilityVector(fn, prior, 'prior');
  checkLikelihoods(fn, likelihoods, prior.length);
  submitted = probabilityVector(fn, submitted, 'submitted');
  checkLength(fn, 'submitted', submitted.length, prior.length);
  const implied = bayes(fn, prior, likelihoods, 'likelihoods');
  const actualShift = submitted.map((s, k) => s - (prior[k] as number));
  const impliedShift = implied.map((q, k) => q - (prior[k] as number));
  const scenarios = prior.map((_, k) => ({
    index: k,
    actualShift: actualShift[k] as number,
    impliedShift: impliedShift[k] as number,
  }));
  let distance = 0;
  for (let k = 0; k < prior.length; k++) distance += Math.abs((submitted[k] as number) - (implied[k] as number));
  distance /= 2;

  const clrPrior = clr(prior);
  const a = clr(submitted).map((x, k) => x - (clrPrior[k] as number));
  const b = clr(implied).map((x, k) => x - (clrPrior[k] as number));
  const noEvidence = impliedShift.every((x) => Math.abs(x) < NO_EVIDENCE_TOLERANCE);
  const bb = dot(b, b);
  const ii = dot(impliedShift, impliedShift);
  const reaction = noEvidence || !(bb > 0) ? 0 : dot(a, b) / bb;
  const probabilityReaction = noEvidence || !(ii > 0) ? 0 : dot(actualShift, impliedShift) / ii;

  let verdict: CoherenceResult['verdict'];
  if (noEvidence) verdict = 'no-evidence';
  else if (reaction < 0) verdict = 'opposite';
  else if (Math.abs(reaction - 1) <= COHERENCE_TOLERANCE) verdict = 'coherent';
  else verdict = reaction < 1 ? 'under-reaction' : 'over-reaction';
  return { implied, scenarios, reaction, probabilityReaction, verdict, distance };
}
