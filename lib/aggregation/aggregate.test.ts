import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { throwsNamed, close, closeVec, sum } from '../test-assert';
import { aggregate } from './aggregate';
import { AGGREGATION_METHODS, getAggregationMethod } from './catalogue';
import type { AggregationOptions, StandingForecast } from './options';
import { extremisedPool } from './pools';
import { optionsArb, vectorArb, vectorsArb, withSkill } from './test-arbitraries';

// ------------------------------------------------------------------ aggregate

describe('aggregate', () => {
  const standing: StandingForecast[] = [
    { forecasterId: 'a', time: 30, probabilities: [0.6, 0.4] },
    { forecasterId: 'b', time: 10, probabilities: [0.2, 0.8] },
    { forecasterId: 'c', time: 20, probabilities: [0.5, 0.5] },
  ];
  it('recency ranks by time', () => {
    // ranks: b=1, c=2, a=3
    // python3 -c "import math; w=[math.exp(math.sqrt(n)-math.sqrt(3)) for n in (3,1,2)]; P=[[.6,.4],[.2,.8],[.5,.5]]; s=sum(w); print(sum(wi*p[0] for wi,p in zip(w,P))/s)"
    close(aggregate(standing, { method: 'linear', weighting: 'recency' })[0] as number, 0.47995306996988285);
  });
  it('uniform and skill weights', () => {
    closeVec(aggregate(standing, { method: 'linear', weighting: 'uniform' }), [1.3 / 3, 1.7 / 3]);
    // skill: a weight 3, b missing (1 with missingSkill 'neutral'), c weight 0 -> (3*0.6 + 0.2)/4 = 0.5
    const skillWeights = new Map([
      ['a', 3],
      ['c', 0],
    ]);
    const missingSkill = 'neutral';
    closeVec(aggregate(standing, { method: 'linear', weighting: 'skill', skillWeights, missingSkill }), [0.5, 0.5]);
    assert.equal(aggregate(standing, { method: 'median', weighting: 'skill', skillWeights, missingSkill })[0], 0.6);
    // by default a forecaster missing from the map is an error that names them
    throwsNamed('aggregate', () => aggregate(standing, { method: 'linear', weighting: 'skill', skillWeights }), /forecaster "b" has no skill weight/);
  });
  it('default alpha is 1.5', () => {
    closeVec(
      aggregate(standing, { method: 'extremised', weighting: 'uniform' }),
      extremisedPool(
        standing.map((s) => s.probabilities),
        1.5,
      ),
    );
  });
  it('guards', () => {
    const opts: AggregationOptions = { method: 'linear', weighting: 'uniform' };
    throwsNamed('aggregate', () => aggregate([], opts), /empty/);
    throwsNamed('aggregate', () => aggregate([standing[0]!, standing[0]!], opts), /appears twice/);
    throwsNamed('aggregate', () => aggregate([{ ...standing[0]!, time: NaN }], opts), /time is not a finite number/);
    throwsNamed(
      'aggregate',
      () => aggregate([standing[0]!, { forecasterId: 'z', time: 1, probabilities: [0.2, 0.3, 0.5] }], opts),
      /different lengths/,
    );
    throwsNamed('aggregate', () => aggregate(standing, { method: 'mode' as never, weighting: 'uniform' }), /unknown method/);
    throwsNamed('aggregate', () => aggregate(standing, { method: 'linear', weighting: 'x' as never }), /unknown weighting/);
    throwsNamed('aggregate', () => aggregate(standing, { method: 'extremised', weighting: 'uniform', alpha: 0.9 }), /alpha/);
    throwsNamed('aggregate', () => aggregate(standing, { method: 'linear', weighting: 'skill' }), /skillWeights/);
    throwsNamed(
      'aggregate',
      () => aggregate(standing, { method: 'linear', weighting: 'skill', skillWeights: new Map([['a', -1]]) }),
      /negative/,
    );
    throwsNamed(
      'aggregate',
      () =>
        aggregate(standing, {
          method: 'linear',
          weighting: 'skill',
          skillWeights: new Map([
            ['a', 0],
            ['b', 0],
            ['c', 0],
          ]),
        }),
      /all zero/,
    );
  });
});

describe('aggregate by method id', () => {
  const standing: StandingForecast[] = [
    { forecasterId: 'a', time: 1, probabilities: [0.6, 0.4] },
    { forecasterId: 'b', time: 2, probabilities: [0.2, 0.8] },
  ];
  it('equals the catalogue options, for every method', () => {
    const skillWeights = new Map([
      ['a', 3],
      ['b', 1],
    ]);
    for (const m of AGGREGATION_METHODS) {
      const byId = aggregate(standing, m.id, m.needsSkillWeights ? { skillWeights } : undefined);
      const byOptions = aggregate(standing, m.needsSkillWeights ? { ...m.options, skillWeights } : m.options);
      assert.deepEqual(byId, byOptions, m.id);
    }
    closeVec(aggregate(standing, 'linear-uniform'), [0.4, 0.6]);
    closeVec(aggregate(standing, 'linear-skill', { skillWeights }), [0.5, 0.5]);
    closeVec(aggregate(standing, 'extremised-uniform', { alpha: 2 }), extremisedPool([[0.6, 0.4], [0.2, 0.8]], 2));
  });
  it('unknown id lists every valid id; skill methods need weights; a missing forecaster is named', () => {
    throwsNamed('aggregate', () => aggregate(standing, 'mean'), /unknown aggregation method id "mean"; valid ids: linear-uniform, median-uniform, .*extremised-skill$/);
    throwsNamed('aggregate', () => aggregate(standing, 'median-skill'), /needs skill weights: pass them as aggregate\(forecasts, 'median-skill', \{ skillWeights \}\)/);
    throwsNamed('aggregate', () => aggregate(standing, 'linear-skill', { skillWeights: new Map([['F0', 1]]) }), /forecaster "a" has no skill weight/);
    closeVec(aggregate(standing, 'linear-skill', { skillWeights: new Map([['a', 3]]), missingSkill: 'neutral' }), [0.5, 0.5]);
    throwsNamed('aggregate', () => aggregate(standing, 'linear-uniform', { alpha: 2 }), /alpha is only for the extremised methods/);
    const untyped = aggregate as (...args: unknown[]) => number[];
    throwsNamed('aggregate', () => untyped(standing, { method: 'linear', weighting: 'uniform' }, {}), /only for a call by method id/);
    throwsNamed('aggregate', () => aggregate(standing, 'linear-skill', { skillWeights: new Map([['a', 1], ['b', 1]]), missingSkill: 'zero' as never }), /missingSkill/);
    throwsNamed('getAggregationMethod', () => getAggregationMethod('nope'), /valid ids: linear-uniform/);
  });
});

describe('aggregate properties (fast-check, every method)', () => {
  const skill = new Map(Array.from({ length: 9 }, (_, i) => [`f${i}`, 0.5 + i] as [string, number]));
  const asStanding = (vectors: number[][]) =>
    vectors.map((p, i) => ({ forecasterId: `f${i}`, time: 1000 + 7 * i, probabilities: p }));

  it('lies on the simplex', () => {
    fc.assert(
      fc.property(vectorsArb, optionsArb, (vectors, options) => {
        const a = aggregate(asStanding(vectors), withSkill(options, skill));
        assert.equal(a.length, (vectors[0] as number[]).length);
        for (const x of a) assert.ok(x >= 0 && x <= 1);
        close(sum(a), 1, 1e-12);
      }),
    );
  });
  it('is unchanged by reordering forecasters', () => {
    fc.assert(
      fc.property(
        vectorsArb.chain((v) => fc.tuple(fc.constant(v), fc.shuffledSubarray(v.map((_, i) => i), { minLength: v.length }))),
        optionsArb,
        ([vectors, perm], options) => {
          const standing = asStanding(vectors);
          const shuffled = perm.map((i) => standing[i] as StandingForecast);
          const o = withSkill(options, skill);
          closeVec(aggregate(shuffled, o), aggregate(standing, o), 1e-12);
        },
      ),
    );
  });
  it('equals the common forecast when all agree (extremised: the common forecast to the power alpha)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 5 }).chain((k) => vectorArb(k)),
        fc.integer({ min: 1, max: 8 }),
        optionsArb,
        (p, n, options) => {
          const clamped = p.map((x) => Math.min(0.999, Math.max(0.001, x)));
          const a = aggregate(asStanding(Array.from({ length: n }, () => p)), withSkill(options, skill));
          if (options.method === 'extremised') {
            const powered = clamped.map((x) => x ** (options.alpha as number));
            closeVec(a, powered.map((x) => x / sum(powered)), 1e-12);
          } else if (options.method === 'logarithmic') {
            closeVec(a, clamped.map((x) => x / sum(clamped)), 1e-12);
          } else {
            closeVec(a, p, 1e-12);
          }
        },
      ),
    );
  });
});
