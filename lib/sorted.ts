/**
 * Binary search on an ascending run of numbers (docs/formulas.md#binary-search), shared by
 * the aggregation series engines and the scoring sweep. Works on plain arrays and on typed
 * arrays alike (no copy, no boxing), so the hot loops keep their Int32Array and Float64Array
 * storage.
 *
 * Both functions look only at sorted[0..length), which lets callers keep a typed array larger
 * than its live part. Preconditions, not checked because these run inside O(N log N) loops:
 * `length` is an integer in 0..sorted.length, sorted[0..length) is ascending and holds no
 * NaN, and x is not NaN. Complexity O(log length); no allocation.
 */

/**
 * Lower bound: the first index i in [0, length) with sorted[i] >= x, or `length` when every
 * value is below x. For a value present in the run it is the index of its first copy; it is
 * also where x would be inserted before any equal values.
 *
 * @example lowerBound([1, 2, 2, 3], 4, 2) // 1
 * @example lowerBound(Float64Array.of(0.1, 0.5, 0.9), 3, 1) // 3
 */
export function lowerBound(sorted: ArrayLike<number>, length: number, x: number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Upper bound: the first index i in [0, length) with sorted[i] > x, or `length` when no
 * value exceeds x. upperBound - lowerBound is the number of copies of x; upperBound - 1 is
 * the last position whose value is <= x (-1 when none); it is where x would be inserted after
 * any equal values.
 *
 * @example upperBound([1, 2, 2, 3], 4, 2) // 3
 * @example upperBound(Int32Array.of(4, 7, 9, 0), 3, 0) // 0 (only the first 3 entries are read)
 */
export function upperBound(sorted: ArrayLike<number>, length: number, x: number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
