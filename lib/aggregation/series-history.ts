/**
 * A forecast history checked once and copied into typed arrays for the series engine.
 */
import { checkFinite, checkLength, fail, probabilityVector } from '../math-errors';
import type { StandingForecast } from './options';

/** A validated history: forecasters as dense indices, times and probabilities in typed arrays. */
export interface PreparedHistory {
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

/**
 * Validates a history (time order, finite times, probability vectors of one length) and packs
 * it; vectors off by more than SUM_TOLERANCE are renormalised as they are copied
 * (docs/formulas.md#tolerance-renormalisation).
 */
export function prepareHistory(fn: string, history: readonly StandingForecast[]): PreparedHistory {
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
    const v = probabilityVector(fn, h.probabilities, `history[${i}].probabilities`);
    checkLength(fn, `history[${i}].probabilities`, v.length, k);
    let f = index.get(h.forecasterId);
    if (f === undefined) {
      f = ids.length;
      index.set(h.forecasterId, f);
      ids.push(h.forecasterId);
    }
    who[i] = f;
    times[i] = h.time;
    for (let j = 0; j < k; j++) probs[i * k + j] = v[j] as number;
  }
  return { n, k, ids, who, times, probs };
}
