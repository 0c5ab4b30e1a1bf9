import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { throwsNamed, closeVec, sum } from '../test-assert';
import { aggregate } from './aggregate';
import { AGGREGATION_METHODS } from './catalogue';
import type { AggregationOptions, StandingForecast } from './options';
import { aggregateSeries } from './series';
import { historyArb, optionsArb, skillMapArb, withSkill } from './test-arbitraries';

/** Standing set after each step, recomputed naively (each forecaster's latest, in history order). */
function naiveSeries(history: readonly StandingForecast[], options: AggregationOptions) {
  return history.map((_, s) => {
    const latest = new Map<string, number>();
    for (let i = 0; i <= s; i++) latest.set((history[i] as StandingForecast).forecasterId, i);
    const standing = [...latest.values()].sort((a, b) => a - b).map((i) => history[i] as StandingForecast);
    return { probabilities: aggregate(standing, options), forecasterCount: standing.length };
  });
}

// ------------------------------------------------------------------ aggregateSeries

describe('aggregateSeries', () => {
  it('known values: a superseding forecast replaces the old one', () => {
    const history: StandingForecast[] = [
      { forecasterId: 'a', time: 1, probabilities: [0.6, 0.4] },
      { forecasterId: 'b', time: 2, probabilities: [0.2, 0.8] },
      { forecasterId: 'a', time: 3, probabilities: [0.4, 0.6] },
    ];
    const s = aggregateSeries(history, { method: 'linear', weighting: 'uniform' });
    assert.deepEqual(
      s.map((x) => x.forecasterCount),
      [1, 2, 2],
    );
    closeVec(s[0]!.probabilities, [0.6, 0.4]);
    closeVec(s[1]!.probabilities, [0.4, 0.6]);
    closeVec(s[2]!.probabilities, [0.3, 0.7]);
    assert.deepEqual(
      s.map((x) => x.time),
      [1, 2, 3],
    );
    assert.deepEqual(aggregateSeries([], { method: 'median', weighting: 'recency' }), []);
  });

  it('property (key test of the incremental algorithm): every point equals a naive recomputation, for every method', () => {
    fc.assert(
      fc.property(historyArb, optionsArb, skillMapArb, (history, options, skill) => {
        const o = withSkill(options, skill);
        const fast = aggregateSeries(history, o);
        const slow = naiveSeries(history, o);
        assert.equal(fast.length, history.length);
        fast.forEach((point, s) => {
          assert.equal(point.time, (history[s] as StandingForecast).time);
          assert.equal(point.forecasterCount, slow[s]!.forecasterCount);
          closeVec(point.probabilities, slow[s]!.probabilities, 1e-9);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('long histories (past the periodic re-summing) still match the naive recomputation', () => {
    // 6 forecasters, 5,000 forecasts: passes the 256-step re-summing and the 4,096-step tree
    // rebuild; then 150 forecasters, 1,500 forecasts: long recency rank shifts and re-summing.
    let seed = 12345;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const history: StandingForecast[] = [];
    for (let i = 0; i < 5000; i++) {
      const raw = [1 + Math.floor(rand() * 20), 1 + Math.floor(rand() * 20), rand() + 0.01];
      const s = sum(raw);
      history.push({ forecasterId: `f${Math.floor(rand() * 6)}`, time: i * 60_000, probabilities: raw.map((x) => x / s) });
    }
    const skill = new Map([
      ['f0', 1e4],
      ['f1', 0.3],
      ['f2', 7],
      ['f3', 1e-3],
      ['f4', 2],
    ]);
    for (const entry of AGGREGATION_METHODS) {
      const o = withSkill(entry.options, skill);
      const fast = aggregateSeries(history, o);
      const slow = naiveSeries(history, o);
      for (let s = 0; s < history.length; s += 7) closeVec(fast[s]!.probabilities, slow[s]!.probabilities, 1e-9);
      closeVec(fast[4999]!.probabilities, slow[4999]!.probabilities, 1e-9);
    }
    const crowd: StandingForecast[] = [];
    for (let i = 0; i < 1500; i++) {
      const raw = [1 + Math.floor(rand() * 20), rand() + 0.01, rand() + 0.01, 1 + Math.floor(rand() * 5)];
      const s = sum(raw);
      const who = i < 150 ? i : Math.floor(rand() * 150);
      crowd.push({ forecasterId: `f${who}`, time: Math.floor(i / 3) * 1000, probabilities: raw.map((x) => x / s) });
    }
    for (const entry of AGGREGATION_METHODS) {
      const o = withSkill(entry.options, skill);
      const fast = aggregateSeries(crowd, o);
      const slow = naiveSeries(crowd, o);
      for (let s = 0; s < crowd.length; s++) closeVec(fast[s]!.probabilities, slow[s]!.probabilities, 1e-9);
    }
  });

  it('guards', () => {
    const opts: AggregationOptions = { method: 'linear', weighting: 'uniform' };
    const a = { forecasterId: 'a', time: 5, probabilities: [0.5, 0.5] };
    throwsNamed('aggregateSeries', () => aggregateSeries([a, { ...a, time: 4 }], opts), /out of time order/);
    throwsNamed('aggregateSeries', () => aggregateSeries([a, { ...a, probabilities: [0.2, 0.2, 0.6] }], opts), /different lengths/);
    throwsNamed('aggregateSeries', () => aggregateSeries([{ ...a, time: NaN }], opts), /NaN/);
    throwsNamed('aggregateSeries', () => aggregateSeries([{ ...a, probabilities: [0.5, NaN] }], opts), /NaN/);
    throwsNamed('aggregateSeries', () => aggregateSeries([a], { method: 'extremised', weighting: 'recency', alpha: 0 }), /alpha/);
    throwsNamed('aggregateSeries', () => aggregateSeries([a], { method: 'median', weighting: 'skill' }), /skillWeights/);
    throwsNamed('aggregateSeries', () => aggregateSeries([a], 'median'), /unknown aggregation method id "median"; valid ids: linear-uniform/);
    throwsNamed('aggregateSeries', () => aggregateSeries([a], 'median-skill'), /needs skill weights/);
    throwsNamed('aggregateSeries', () => aggregateSeries([a], 'median-skill', { skillWeights: new Map([['A', 1]]) }), /forecaster "a" has no skill weight/);
    throwsNamed(
      'aggregateSeries',
      () => aggregateSeries([a], { method: 'median', weighting: 'skill', skillWeights: new Map([['a', 0]]) }),
      /all zero/,
    );
    throwsNamed(
      'aggregateSeries',
      () => aggregateSeries([a], { method: 'linear', weighting: 'skill', skillWeights: new Map([['a', -3]]) }),
      /negative/,
    );
  });
});
