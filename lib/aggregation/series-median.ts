/**
 * The median pool's series with fixed per-forecaster weights (uniform or skill): per
 * scenario, Fenwick trees (Fenwick 1994, "A new data structure for cumulative frequency
 * tables", Software: Practice and Experience 24(3)) of weight and of count over the sorted
 * distinct values, so each point's weighted median is a tree descent
 * (docs/formulas.md#aggregate-series).
 */
import { fail } from '../math-errors';
import * as sortedSearch from '../sorted';
import type { AggregatePoint } from './options';
import * as pools from './pools';
import type { PreparedHistory } from './series-history';

// Hot-loop helpers bound once at load: where this file is compiled to CommonJS (tsx for the
// tests and benchmarks, the Next dev server), every use of an imported name reads a getter on
// the other module's exports object, and these run for every forecast and scenario (bound
// here they save 5 to 15% of the series time, measured with npm run bench:math).
const { MEDIAN_HALF_TOLERANCE, renormalise, renormaliseMedians } = pools;
const { lowerBound } = sortedSearch;

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

/**
 * The linear pool of the standing forecasts, for a point where every median is 0
 * (docs/formulas.md#median-fallback); O(F K), and such points are rare.
 */
function linearFallback(
  h: PreparedHistory,
  standing: readonly number[],
  curRow: Int32Array,
  weightOf: Float64Array | undefined,
): number[] {
  const { k, probs } = h;
  const acc = new Array<number>(k).fill(0);
  let total = 0;
  for (const g of standing) {
    const w = weightOf ? (weightOf[g] as number) : 1;
    if (w === 0) continue;
    const row = (curRow[g] as number) * k;
    for (let j = 0; j < k; j++) acc[j] = (acc[j] as number) + w * (probs[row + j] as number);
    total += w;
  }
  return renormalise(acc.map((x) => x / total));
}

/** Median pool with fixed per-forecaster weights: Fenwick trees over sorted distinct values. */
export function seriesMedianTree(fn: string, h: PreparedHistory, weightOf: Float64Array | undefined): AggregatePoint[] {
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
      valueIndex[s * k + j] = lowerBound(distinct, m, x) + 1; // x is one of the distinct values
    }
  }
  const weighted = weightOf !== undefined;
  const counts: Float64Array[] = sizes.map((m) => new Float64Array(m + 1));
  // With uniform weights the weight tree is the count tree (exact integers).
  let weightTrees: Float64Array[] = weighted ? sizes.map((m) => new Float64Array(m + 1)) : counts;
  const curIndex = new Int32Array(f * k); // value index of each forecaster's standing forecast
  const curRow = new Int32Array(f); // history index of each forecaster's standing forecast
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
    curRow[g] = s;
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
    const probabilities = renormaliseMedians(medians) ?? linearFallback(h, standing, curRow, weightOf);
    out[s] = { time: times[s] as number, probabilities, forecasterCount: standing.length };
  }
  return out;
}
