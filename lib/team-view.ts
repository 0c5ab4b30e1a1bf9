// Small pure helpers behind the team view: the spread of standing forecasts, each user's
// latest forecast, and thinning a long step series for drawing.

export interface Spread {
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
}

/**
 * Quantile with linear interpolation between order statistics (Hyndman & Fan 1996, type 7;
 * docs/formulas.md#spread). `sorted` must be ascending and non-empty.
 * @example quantile([1, 2, 3, 4], 0.5) // 2.5
 */
export function quantile(sorted: readonly number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * Lowest, quartiles and highest of each scenario's probability across vectors of length k.
 * @example spreadOf([[0.2, 0.8], [0.4, 0.6]], 2)[0] // { min: 0.2, q1: 0.25, median: 0.3, q3: 0.35, max: 0.4 }
 */
export function spreadOf(vectors: readonly (readonly number[])[], k: number): Spread[] {
  return Array.from({ length: k }, (_, j) => {
    const xs = vectors.map((v) => v[j]!).sort((a, b) => a - b);
    return { min: xs[0]!, q1: quantile(xs, 0.25), median: quantile(xs, 0.5), q3: quantile(xs, 0.75), max: xs[xs.length - 1]! };
  });
}

/** Each user's latest item, from items ordered newest first. */
export function latestByUser<T extends { userId: number }>(rows: readonly T[]): Map<number, T> {
  const latest = new Map<number, T>();
  for (const f of rows) if (!latest.has(f.userId)) latest.set(f.userId, f);
  return latest;
}

/**
 * At most `maxPoints` points of a step series for drawing: the last point of each equal time
 * bucket, plus the first point. Exact values are kept; only intermediate steps are dropped.
 * @example thinSeries([{ time: 0 }, { time: 1 }, { time: 2 }], 300).length // 3
 */
export function thinSeries<T extends { time: number }>(series: readonly T[], maxPoints = 300): T[] {
  if (series.length <= maxPoints) return [...series];
  const start = series[0]!.time;
  const span = Math.max(1, series[series.length - 1]!.time - start);
  const out: T[] = [series[0]!];
  let bucket = 0;
  for (let i = 1; i < series.length; i++) {
    const b = Math.min(maxPoints - 2, Math.floor(((series[i]!.time - start) / span) * (maxPoints - 1)));
    if (b === bucket && out.length > 1) out[out.length - 1] = series[i]!;
    else out.push(series[i]!);
    bucket = b;
  }
  return out;
}

/**
 * Events a forecaster has not yet responded to: logged after their latest forecast, not
 * retracted, and not the subject of one of their updates. None when they have not forecast.
 * `events` in any order; the result keeps that order.
 * @example pendingEvents([{ id: 7, createdAt: 5, retracted: false }], [{ createdAt: 3, eventId: null }]) // [{ id: 7, ... }]
 */
export function pendingEvents<E extends { id: number; createdAt: number; retracted: boolean }>(
  events: readonly E[],
  mine: readonly { createdAt: number; eventId: number | null }[],
): E[] {
  if (mine.length === 0) return [];
  let latest = -Infinity;
  const answered = new Set<number>();
  for (const f of mine) {
    if (f.createdAt > latest) latest = f.createdAt;
    if (f.eventId !== null) answered.add(f.eventId);
  }
  return events.filter((e) => !e.retracted && e.createdAt > latest && !answered.has(e.id));
}
