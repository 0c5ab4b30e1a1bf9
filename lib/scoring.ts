/**
 * Scoring after resolution (docs/formulas.md#scoring): Brier score, log score,
 * time-averaged and relative Brier of step-function forecast histories, value of an update.
 *
 * Scenario indices are 0-based: `outcome` is the index of the scenario that happened.
 */
import { checkFinite, checkLength, checkOutcome, describe, fail, probabilityVector } from './math-errors';
import { MAX_PROBABILITY, MIN_PROBABILITY } from './probability';
import { lowerBound } from './sorted';

/** One forecast in a history: from `time` (ms since epoch) until the next one, it stands. */
export interface ForecastStep {
  time: number;
  probabilities: readonly number[];
}

/** A scoring window [start, end] in ms since the epoch (opens at, min(closes at, resolved at)). */
export interface ScoreWindow {
  start: number;
  end: number;
}

/** The result of a time-averaged score. */
export interface TimeAveragedScore {
  /** Time-averaged Brier over the covered part of the window; null when nothing is covered. */
  score: number | null;
  /** Covered time / window length, 0..1. */
  coverage: number;
  /** Milliseconds of the window in which a forecast stood. */
  coveredTime: number;
}

function brierUnchecked(p: readonly number[], outcome: number): number {
  let s = 0;
  for (let k = 0; k < p.length; k++) {
    const d = (p[k] as number) - (k === outcome ? 1 : 0);
    s += d * d;
  }
  return s;
}

/**
 * Multi-category Brier score (Brier 1950, "Verification of forecasts expressed in terms of
 * probability", Monthly Weather Review 78(1); the form Good Judgment Open uses):
 * B(p, o) = sum_k (p_k - o_k)^2 with o_k = 1 for the outcome and 0 elsewhere; from 0
 * (perfect) to 2 (certain and wrong). For two scenarios it is twice the binary (p - o)^2.
 *
 * Complexity O(K). Throws MathInputError when p is not a probability vector (fewer than 2
 * values, non-finite, outside [0, 1], sum not 1) or outcome is not an integer in 0..K-1.
 *
 * @example brier([0.7, 0.2, 0.1], 0) // 0.09 + 0.04 + 0.01 = 0.14
 */
export function brier(p: readonly number[], outcome: number): number {
  const v = probabilityVector('brier', p);
  checkOutcome('brier', outcome, v.length);
  return brierUnchecked(v, outcome);
}

/**
 * Logarithmic score (Good 1952, "Rational decisions", JRSS B 14(1)): ln p_o, the natural log
 * of the probability given to the outcome, with p_o clamped to [0.001, 0.999] so that a
 * forecast of 0 scores ln 0.001 = -6.91 rather than -Infinity. Higher is better; at most 0.
 *
 * Complexity O(K). Throws MathInputError as `brier` does.
 *
 * @example logScore([0.7, 0.2, 0.1], 0) // ln 0.7 ≈ -0.3567
 * @example logScore([0, 1], 0) // ln 0.001 ≈ -6.9078 (clamped)
 */
export function logScore(p: readonly number[], outcome: number): number {
  const v = probabilityVector('logScore', p);
  checkOutcome('logScore', outcome, v.length);
  return Math.log(Math.min(MAX_PROBABILITY, Math.max(MIN_PROBABILITY, v[outcome] as number)));
}

/**
 * Baseline-normalised log score, as in the Metaculus scoring documentation's baseline score:
 * 100 ln(K p_o) / ln K, with p_o clamped to [0.001, 0.999]. 0 for the uniform forecast 1/K,
 * about 100 for certainty on the outcome, negative when worse than uniform.
 *
 * Complexity O(K). Throws MathInputError as `brier` does.
 *
 * @example normalisedLogScore([0.5, 0.5], 0) // 0: no better than a uniform guess
 * @example normalisedLogScore([0.8, 0.2], 0) // 100 ln 1.6 / ln 2 ≈ 67.81
 */
export function normalisedLogScore(p: readonly number[], outcome: number): number {
  const v = probabilityVector('normalisedLogScore', p);
  checkOutcome('normalisedLogScore', outcome, v.length);
  const k = v.length;
  const po = Math.min(MAX_PROBABILITY, Math.max(MIN_PROBABILITY, v[outcome] as number));
  return (100 * Math.log(k * po)) / Math.log(k);
}

/**
 * Value of an update (docs/formulas.md#update-value): B(before, o) - B(after, o). Positive
 * when the update moved the forecast closer to what happened.
 *
 * Complexity O(K). Throws MathInputError as `brier` does for either vector, and when they
 * differ in length.
 *
 * @example updateValue([0.5, 0.5], [0.8, 0.2], 0) // B before 0.5 - B after 0.08 = 0.42
 */
export function updateValue(before: readonly number[], after: readonly number[], outcome: number): number {
  const b = probabilityVector('updateValue', before, 'before');
  const a = probabilityVector('updateValue', after, 'after');
  checkLength('updateValue', 'after', a.length, b.length);
  checkOutcome('updateValue', outcome, b.length);
  return brierUnchecked(b, outcome) - brierUnchecked(a, outcome);
}

function checkWindow(fn: string, window: ScoreWindow): void {
  if (window === null || typeof window !== 'object') fail(fn, 'window is missing');
  checkFinite(fn, window.start, 'window.start');
  checkFinite(fn, window.end, 'window.end');
  if (!(window.end > window.start)) {
    fail(fn, `window must have positive length: end ${window.end} is not after start ${window.start}`);
  }
}

/**
 * Validates a history (time order, vectors, one length K). Returns K (or `expectedK` when the
 * history is empty) and the history to use: the same array, or a copy in which vectors off
 * by more than SUM_TOLERANCE are renormalised (docs/formulas.md#tolerance-renormalisation).
 */
function checkHistory<T extends ForecastStep>(
  fn: string,
  history: readonly T[],
  label: string,
  expectedK: number | undefined,
): { k: number | undefined; history: readonly ForecastStep[] } {
  if (!Array.isArray(history)) fail(fn, `${label} is not an array`);
  let k = expectedK;
  let out: ForecastStep[] | undefined;
  for (let i = 0; i < history.length; i++) {
    const step = history[i] as T;
    checkFinite(fn, step.time, `${label}[${i}].time`);
    if (i > 0 && step.time < (history[i - 1] as T).time) {
      fail(
        fn,
        `${label} is out of time order: ${label}[${i}] at ${step.time} is earlier than ${label}[${i - 1}] at ${(history[i - 1] as T).time}`,
      );
    }
    const v = probabilityVector(fn, step.probabilities, `${label}[${i}].probabilities`);
    if (k === undefined) k = v.length;
    checkLength(fn, `${label}[${i}].probabilities`, v.length, k);
    if (v !== step.probabilities && out === undefined) out = history.slice(0, i);
    if (out !== undefined) out.push(v === step.probabilities ? step : { time: step.time, probabilities: v });
  }
  return { k, history: out ?? history };
}

function checkOutcomeMaybe(fn: string, outcome: number, k: number | undefined): void {
  if (k !== undefined) checkOutcome(fn, outcome, k);
  else if (!Number.isInteger(outcome) || outcome < 0) fail(fn, `outcome ${describe(outcome)} is not a scenario index`);
}

function timeAveragedCore(
  history: readonly ForecastStep[],
  window: ScoreWindow,
  outcome: number,
): TimeAveragedScore {
  const { start, end } = window;
  let covered = 0;
  let integral = 0;
  for (let i = 0; i < history.length; i++) {
    const step = history[i] as ForecastStep;
    if (step.time > end) break;
    const next = history[i + 1];
    const from = Math.max(step.time, start);
    const to = next === undefined ? end : Math.min(next.time, end);
    if (to > from) {
      covered += to - from;
      integral += brierUnchecked(step.probabilities, outcome) * (to - from);
    }
  }
  return { score: covered > 0 ? integral / covered : null, coverage: covered / (end - start), coveredTime: covered };
}

/**
 * Time-averaged Brier of a forecast history (docs/formulas.md#time-averaged-brier): the
 * standing forecast is a step function of time, each forecast standing from its time until
 * the next. Integrate its Brier score exactly over the window [start, end] wherever a
 * forecast stands, and divide by that covered time:
 *   score = (sum_i B(p_i, o) * |[t_i, t_{i+1}) ∩ [start, end]|) / covered time.
 * A forecast made before `start` stands from `start`; forecasts after `end` are ignored.
 * Time before the first forecast is neither rewarded nor penalised; it shows in
 * coverage = covered time / (end - start) (docs/formulas.md#coverage). score is null when
 * nothing is covered (including an empty history). Forecasts at equal times: the later in
 * the list supersedes at once.
 *
 * Complexity O(n K). Throws MathInputError for a window that is not finite or has end <=
 * start, a history out of time order, a non-finite time, a vector that is not a probability
 * vector or of a different length from the others, or an outcome outside 0..K-1.
 *
 * @example timeAveragedBrier(
 *   [{ time: 0, probabilities: [0.5, 0.5] }, { time: 50, probabilities: [0.9, 0.1] }],
 *   { start: 0, end: 100 },
 *   0,
 * ) // { score: (0.5 * 50 + 0.02 * 50) / 100 = 0.26, coverage: 1, coveredTime: 100 }
 * @example timeAveragedBrier([{ time: 50, probabilities: [0.8, 0.2] }], { start: 0, end: 100 }, 0)
 * // { score: 0.08, coverage: 0.5, coveredTime: 50 }: the first half is not covered
 */
export function timeAveragedBrier(history: readonly ForecastStep[], window: ScoreWindow, outcome: number): TimeAveragedScore {
  const fn = 'timeAveragedBrier';
  checkWindow(fn, window);
  const h = checkHistory(fn, history, 'history', undefined);
  checkOutcomeMaybe(fn, outcome, h.k);
  return timeAveragedCore(h.history, window, outcome);
}

/**
 * Score of an aggregation method's time series (docs/formulas.md#method-series-score: each
 * aggregation method's time series is scored the same way): exactly `timeAveragedBrier` of
 * the series, e.g. the output of `aggregateSeries`, whose points are steps.
 *
 * Complexity O(n K). Throws MathInputError as `timeAveragedBrier` does, naming scoreSeries.
 *
 * @example scoreSeries(
 *   [{ time: 0, probabilities: [0.6, 0.4] }, { time: 75, probabilities: [0.9, 0.1] }],
 *   { start: 0, end: 100 },
 *   0,
 * ) // { score: (0.32 * 75 + 0.02 * 25) / 100 = 0.245, coverage: 1, coveredTime: 100 }
 */
export function scoreSeries(
  series: readonly { time: number; probabilities: readonly number[] }[],
  window: ScoreWindow,
  outcome: number,
): TimeAveragedScore {
  const fn = 'scoreSeries';
  checkWindow(fn, window);
  const h = checkHistory(fn, series, 'series', undefined);
  checkOutcomeMaybe(fn, outcome, h.k);
  return timeAveragedCore(h.history, window, outcome);
}

/** Per-forecaster result of `relativeBrier`. */
export interface RelativeBrierResult {
  /** Time-averaged (own Brier - median Brier of those standing); null when not covered. */
  relativeBrier: number | null;
  /** The forecaster's own time-averaged Brier; null when not covered. */
  timeAveragedBrier: number | null;
  /** Covered time / window length. */
  coverage: number;
}

/**
 * Relative Brier (docs/formulas.md#relative-brier): at each instant t of the window, the
 * forecaster's Brier minus the median Brier of all forecasters standing at t (themselves
 * included; the midpoint of the two middle values for an even count), averaged over the
 * forecaster's covered time:
 *   rel_f = (1 / T_f) * integral over f's covered time of (B_f(t) - median_g B_g(t)) dt.
 * Negative is better. Once a forecaster's first forecast stands they stand until the end, so
 * the integral of the median over their covered time is G(end) - G(entry_f), where
 * G(t) = integral of the median from start to t. One sweep over the change points (every
 * forecast time, clamped to the window) keeps the standing Brier scores in a sorted array
 * (binary search plus a block move to replace one) and accumulates G and each forecaster's
 * own Brier integral. Time-averaging follows `timeAveragedBrier` (before-start forecasts
 * stand from start, after-end ones are ignored).
 *
 * Complexity O(E log E + E F) for E forecasts of F forecasters (the E F term is a memmove of
 * at most F numbers per forecast); memory O(E + F). Forecasters with no covered time get
 * nulls and coverage 0; an empty map gives an empty map. Throws MathInputError as
 * `timeAveragedBrier` does for any history (naming relativeBrier and the forecaster), and
 * when histories have vectors of different lengths.
 *
 * @example relativeBrier(
 *   new Map([
 *     ['a', [{ time: 0, probabilities: [0.9, 0.1] }]], // Brier 0.02
 *     ['b', [{ time: 0, probabilities: [0.5, 0.5] }]], // Brier 0.5
 *   ]),
 *   { start: 0, end: 100 },
 *   0,
 * ) // median 0.26: a => { relativeBrier: -0.24, timeAveragedBrier: 0.02, coverage: 1 },
 *   //              b => { relativeBrier: 0.24, timeAveragedBrier: 0.5, coverage: 1 }
 */
export function relativeBrier(
  histories: ReadonlyMap<string, readonly ForecastStep[]>,
  window: ScoreWindow,
  outcome: number,
): Map<string, RelativeBrierResult> {
  const fn = 'relativeBrier';
  checkWindow(fn, window);
  if (!(histories instanceof Map)) fail(fn, 'histories is not a Map');
  const ids = [...histories.keys()];
  const checked: (readonly ForecastStep[])[] = [];
  let k: number | undefined;
  let total = 0;
  for (const id of ids) {
    const h = checkHistory(fn, histories.get(id) as readonly ForecastStep[], `history of "${id}"`, k);
    k = h.k;
    checked.push(h.history);
    total += h.history.length;
  }
  checkOutcomeMaybe(fn, outcome, k);
  const { start, end } = window;

  // Events: (time clamped to start, forecaster, Brier), in time order; equal times keep
  // input order, so a forecaster's own steps stay in order.
  const evTime = new Float64Array(total);
  const evWho = new Int32Array(total);
  const evBrier = new Float64Array(total);
  let e = 0;
  ids.forEach((_, f) => {
    for (const step of checked[f] as readonly ForecastStep[]) {
      if (step.time > end) break;
      evTime[e] = Math.max(step.time, start);
      evWho[e] = f;
      evBrier[e] = brierUnchecked(step.probabilities, outcome);
      e++;
    }
  });
  const order = Array.from({ length: e }, (_, i) => i);
  order.sort((a, b) => (evTime[a] as number) - (evTime[b] as number) || a - b);

  const nf = ids.length;
  const current = new Float64Array(nf).fill(NaN);
  const lastChange = new Float64Array(nf);
  const ownIntegral = new Float64Array(nf);
  const entryTime = new Float64Array(nf).fill(NaN);
  const entryG = new Float64Array(nf);
  const sorted = new Float64Array(nf);
  let count = 0;
  let g = 0; // integral of the median Brier from start to `now`
  let now = start;

  const median = (): number => {
    const mid = count >> 1;
    return count % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  };
  const advance = (t: number): void => {
    if (t > now) {
      if (count > 0) g += median() * (t - now);
      now = t;
    }
  };

  for (const i of order) {
    const t = evTime[i] as number;
    const f = evWho[i] as number;
    const b = evBrier[i] as number;
    advance(t);
    const old = current[f] as number;
    if (Number.isNaN(old)) {
      entryTime[f] = t;
      entryG[f] = g;
    } else {
      ownIntegral[f] = (ownIntegral[f] as number) + old * (t - (lastChange[f] as number));
      const at = lowerBound(sorted, count, old);
      sorted.copyWithin(at, at + 1, count);
      count--;
    }
    const at = lowerBound(sorted, count, b);
    sorted.copyWithin(at + 1, at, count);
    sorted[at] = b;
    count++;
    current[f] = b;
    lastChange[f] = t;
  }
  advance(end);

  const out = new Map<string, RelativeBrierResult>();
  const length = end - start;
  ids.forEach((id, f) => {
    const entry = entryTime[f] as number;
    const covered = Number.isNaN(entry) ? 0 : end - entry;
    if (!(covered > 0)) {
      out.set(id, { relativeBrier: null, timeAveragedBrier: null, coverage: 0 });
      return;
    }
    const own = (ownIntegral[f] as number) + (current[f] as number) * (end - (lastChange[f] as number));
    const medianIntegral = g - (entryG[f] as number);
    out.set(id, {
      relativeBrier: (own - medianIntegral) / covered,
      timeAveragedBrier: own / covered,
      coverage: covered / length,
    });
  });
  return out;
}
