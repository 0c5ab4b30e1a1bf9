/**
 * The series of any pool with recency weights: the standing forecasts kept in time order,
 * running sums corrected for rank shifts, and for the median a value-sorted list per scenario
 * (docs/formulas.md#aggregate-series).
 */
import * as sortedSearch from '../sorted';
import type { AggregatePoint, ResolvedOptions } from './options';
import * as pools from './pools';
import type { PreparedHistory } from './series-history';

// Hot-loop helpers bound once at load: where this file is compiled to CommonJS (tsx for the
// tests and benchmarks, the Next dev server), every use of an imported name reads a getter on
// the other module's exports object, and these run for every forecast and scenario (bound
// here they save 5 to 15% of the series time, measured with npm run bench:math).
const { clampLog, MEDIAN_HALF_TOLERANCE, renormalise, renormaliseMedians, softmaxScaled } = pools;
const { lowerBound, upperBound } = sortedSearch;

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

/** sum_r w_r col_r / sum_r w_r per scenario over the first `count` ranks, renormalised: the linear pool. */
function linearOf(cols: readonly Float64Array[], w: Float64Array, count: number): number[] {
  let total = 0;
  for (let r = 0; r < count; r++) total += w[r] as number;
  return renormalise(cols.map((col) => dotRange(w, col, 0, count) / total));
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
export function seriesRecency(h: PreparedHistory, o: ResolvedOptions): AggregatePoint[] {
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
      const p = lowerBound(slots, count, old);
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
      // Every median 0: the linear pool of the standing forecasts (docs/formulas.md#median-fallback).
      probabilities = renormaliseMedians(medians) ?? linearOf(cols, count <= 2 ? ones : table, count);
    } else {
      if (isLinear) {
        // Rank-shift corrections can leave -1e-17 where the exact sum is 0: clamp at 0.
        let sum = 0;
        for (let j = 0; j < k; j++) sum += Math.max(0, state[j] as number);
        probabilities = new Array<number>(k);
        for (let j = 0; j < k; j++) probabilities[j] = Math.max(0, state[j] as number) / sum;
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
