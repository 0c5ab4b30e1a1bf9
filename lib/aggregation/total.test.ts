// Every pool is total on probability vectors (docs/formulas.md#median-fallback): no method of
// the catalogue throws on exact 0 and 1, subnormal values, near-certainty or vectors off by
// up to 1e-3, through `aggregate` and `aggregateSeries`; results are finite and on the simplex,
// and the series equals a naive per-point recomputation on these inputs too.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { close, closeVec, sum } from '../test-assert';
import { aggregate } from './aggregate';
import { AGGREGATION_METHODS } from './catalogue';
import type { AggregationOptions, StandingForecast } from './options';
import { aggregateSeries } from './series';
import { extremeHistoryArb, extremeVectorsArb, optionsArb, wideSkillMapArb, withSkill } from './test-arbitraries';

function assertOnSimplex(a: readonly number[], k: number): void {
  assert.equal(a.length, k);
  for (const x of a) assert.ok(Number.isFinite(x) && x >= 0 && x <= 1, `value ${x} is not a probability`);
  close(sum(a), 1, 1e-12);
}

/** Standing set after each step, recomputed naively (each forecaster's latest, in history order). */
function naiveSeries(history: readonly StandingForecast[], options: AggregationOptions) {
  return history.map((_, s) => {
    const latest = new Map<string, number>();
    for (let i = 0; i <= s; i++) latest.set((history[i] as StandingForecast).forecasterId, i);
    const standing = [...latest.values()].sort((a, b) => a - b).map((i) => history[i] as StandingForecast);
    return aggregate(standing, options);
  });
}

const asStanding = (vectors: number[][]) =>
  vectors.map((p, i) => ({ forecasterId: `f${i}`, time: 1000 + 7 * (i % 3), probabilities: p }));

describe('every method is total on extreme and degenerate vectors', () => {
  it('aggregate: finite, on the simplex, never throws (fast-check, all 12 methods)', () => {
    fc.assert(
      fc.property(extremeVectorsArb, optionsArb, wideSkillMapArb, (vectors, options, skill) => {
        const a = aggregate(asStanding(vectors), withSkill(options, skill));
        assertOnSimplex(a, (vectors[0] as number[]).length);
      }),
      { numRuns: 2000 },
    );
  });

  it('aggregateSeries: every point finite, on the simplex, and equal to a naive recomputation', () => {
    fc.assert(
      fc.property(extremeHistoryArb, optionsArb, wideSkillMapArb, (history, options, skill) => {
        const o = withSkill(options, skill);
        const fast = aggregateSeries(history, o);
        const slow = naiveSeries(history, o);
        assert.equal(fast.length, history.length);
        const k = (history[0] as StandingForecast).probabilities.length;
        fast.forEach((point, s) => {
          assertOnSimplex(point.probabilities, k);
          closeVec(point.probabilities, slow[s] as number[], 1e-9);
        });
      }),
      { numRuns: 500 },
    );
  });

  it('the issue example: three forecasters each certain of a different scenario, every method, by id', () => {
    const history: StandingForecast[] = [
      { forecasterId: 'a', time: 1, probabilities: [1, 0, 0] },
      { forecasterId: 'b', time: 2, probabilities: [0, 1, 0] },
      { forecasterId: 'c', time: 3, probabilities: [0, 0, 1] },
      { forecasterId: 'a', time: 4, probabilities: [0.2, 0.8, 0] },
    ];
    const skillWeights = new Map([
      ['a', 1],
      ['b', 1],
      ['c', 1],
    ]);
    for (const m of AGGREGATION_METHODS) {
      const series = aggregateSeries(history, m.id, { skillWeights });
      assert.equal(series.length, 4, m.id);
      for (const p of series) assertOnSimplex(p.probabilities, 3);
      const a = aggregate(history.slice(1), m.id, { skillWeights });
      assertOnSimplex(a, 3);
      closeVec(a, series[3]!.probabilities, 1e-9);
    }
    // At the third point every scenario's median is 0: the median pools give the linear pool.
    closeVec(aggregateSeries(history, 'median-uniform')[2]!.probabilities, [1 / 3, 1 / 3, 1 / 3]);
    closeVec(aggregateSeries(history, 'median-recency')[2]!.probabilities, aggregateSeries(history, 'linear-recency')[2]!.probabilities);
    // The log pools clamp: by symmetry 1/3 each, and certainty on one scenario is capped.
    closeVec(aggregateSeries(history, 'logarithmic-uniform')[2]!.probabilities, [1 / 3, 1 / 3, 1 / 3]);
    // python3 -c "print(.999/(.999+2*.001))" -> 0.9980019980019981
    close(aggregate(history.slice(0, 1), 'logarithmic-uniform')[0] as number, 0.9980019980019981);
  });

  it('a vector within 1e-3 of summing to 1 gives the result of its renormalised copy; exact vectors are untouched', () => {
    fc.assert(
      fc.property(extremeVectorsArb, optionsArb, fc.double({ min: -9e-4, max: 9e-4, noNaN: true }), (vectors, options, d) => {
        const skill = new Map(vectors.map((_, i) => [`f${i}`, 1 + i]));
        const o = withSkill(options, skill);
        const scaled = vectors.map((v) => v.map((x) => x * (1 + d)));
        if (scaled.some((v) => v.some((x) => x > 1) || Math.abs(sum(v) - 1) > 1e-3)) return;
        const renormalised = scaled.map((v) => {
          const s = sum(v);
          return Math.abs(s - 1) <= 1e-6 ? v : v.map((x) => x / s);
        });
        assert.deepEqual(aggregate(asStanding(scaled), o), aggregate(asStanding(renormalised), o));
      }),
      { numRuns: 500 },
    );
  });
});
