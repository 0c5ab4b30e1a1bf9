import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { throwsNamed, close, closeVec, sum } from './test-assert';
import fc from 'fast-check';
import {
  AGGREGATION_METHODS,
  DEFAULT_AGGREGATION_METHOD_ID,
  type AggregationOptions,
  type StandingForecast,
  aggregate,
  aggregateSeries,
  extremisedPool,
  getAggregationMethod,
  linearPool,
  logarithmicPool,
  medianPool,
  recencyWeights,
  skillWeightsFromRecords,
  weightedMedian,
} from './aggregation';

// ------------------------------------------------------------------ arbitraries

/** A probability vector of length k; values on a 1/20 grid half of the time, so ties happen. */
const vectorArb = (k: number) =>
  fc
    .oneof(
      fc.array(fc.integer({ min: 1, max: 20 }), { minLength: k, maxLength: k }),
      fc.array(fc.double({ min: 0.01, max: 1, noNaN: true }), { minLength: k, maxLength: k }),
    )
    .map((raw) => {
      const s = sum(raw);
      return raw.map((x) => x / s);
    });

const vectorsArb = fc
  .integer({ min: 2, max: 5 })
  .chain((k) => fc.array(vectorArb(k), { minLength: 1, maxLength: 9 }));

const optionsArb: fc.Arbitrary<AggregationOptions> = fc
  .record({
    entry: fc.constantFrom(...AGGREGATION_METHODS),
    alpha: fc.double({ min: 1, max: 3, noNaN: true }),
  })
  .map(({ entry, alpha }) => ({ ...entry.options, ...(entry.options.method === 'extremised' ? { alpha } : {}) }));

/** A random history: forecasters f0..f(F-1), non-decreasing integer times with ties. */
const historyArb = fc.integer({ min: 2, max: 4 }).chain((k) =>
  fc
    .array(
      fc.record({
        who: fc.integer({ min: 0, max: 5 }),
        gap: fc.constantFrom(0, 0, 1, 5),
        p: vectorArb(k),
      }),
      { minLength: 1, maxLength: 30 },
    )
    .map((rows) => {
      let t = 1_700_000_000_000;
      return rows.map((r) => {
        t += r.gap * 1000;
        return { forecasterId: `f${r.who}`, time: t, probabilities: r.p } satisfies StandingForecast;
      });
    }),
);

const skillMapArb = fc
  .array(fc.double({ min: 0.05, max: 20, noNaN: true }), { minLength: 6, maxLength: 6 })
  .map((ws) => new Map(ws.slice(0, 5).map((w, i) => [`f${i}`, w]))); // f5 missing: weight 1

function withSkill(options: AggregationOptions, skill: ReadonlyMap<string, number>): AggregationOptions {
  return options.weighting === 'skill' ? { ...options, skillWeights: skill } : options;
}

/** Standing set after each step, recomputed naively (each forecaster's latest, in history order). */
function naiveSeries(history: readonly StandingForecast[], options: AggregationOptions) {
  return history.map((_, s) => {
    const latest = new Map<string, number>();
    for (let i = 0; i <= s; i++) latest.set((history[i] as StandingForecast).forecasterId, i);
    const standing = [...latest.values()].sort((a, b) => a - b).map((i) => history[i] as StandingForecast);
    return { probabilities: aggregate(standing, options), forecasterCount: standing.length };
  });
}

// ------------------------------------------------------------------ pools: known values

describe('linearPool', () => {
  it('weighted mean', () => {
    // (0.2+0.6)/2 = 0.4; weights 1,3: (0.2 + 3*0.6)/4 = 0.5
    closeVec(linearPool([[0.2, 0.8], [0.6, 0.4]]), [0.4, 0.6]);
    closeVec(linearPool([[0.2, 0.8], [0.6, 0.4]], [1, 3]), [0.5, 0.5]);
  });
  it('guards', () => {
    throwsNamed('linearPool', () => linearPool([]), /empty/);
    throwsNamed('linearPool', () => linearPool([[0.5, 0.5], [0.2, 0.3, 0.5]]), /different lengths/);
    throwsNamed('linearPool', () => linearPool([[NaN, 0.5]]), /NaN/);
    throwsNamed('linearPool', () => linearPool([[0.5, 0.6]]), /sum to/);
    throwsNamed('linearPool', () => linearPool([[0.5, 0.5]], [-1]), /negative/);
    throwsNamed('linearPool', () => linearPool([[0.5, 0.5]], [0]), /all zero/);
    throwsNamed('linearPool', () => linearPool([[0.5, 0.5]], [1, 2]), /different lengths/);
  });
});

describe('weightedMedian and medianPool', () => {
  it('textbook median with equal weights', () => {
    assert.equal(weightedMedian([3, 1, 2]), 2);
    assert.equal(weightedMedian([4, 1, 2, 3]), 2.5);
    // weights 1,1,3 over 0.1,0.5,0.9: cumulative 1,2,5 first reaches 2.5 at 0.9
    assert.equal(weightedMedian([0.1, 0.5, 0.9], [1, 1, 3]), 0.9);
    // weights 1,1,2: cumulative 1,2 = half of 4 exactly -> midpoint of 0.5 and 0.9
    close(weightedMedian([0.1, 0.5, 0.9], [1, 1, 2]), 0.7);
    // zero weights are ignored
    assert.equal(weightedMedian([0.1, 0.5, 0.9], [0, 1, 0]), 0.5);
  });
  it('per-scenario median, renormalised', () => {
    // medians 0.2, 0.3, 0.3 (sum 0.8) -> 0.25, 0.375, 0.375
    closeVec(medianPool([[0.5, 0.3, 0.2], [0.2, 0.5, 0.3], [0.1, 0.1, 0.8]]), [0.25, 0.375, 0.375]);
    // even count: median of p_0 = (0.4 + 0.7) / 2 = 0.55
    closeVec(medianPool([[0.9, 0.1], [0.7, 0.3], [0.4, 0.6], [0.2, 0.8]]), [0.55, 0.45]);
  });
  it('guards', () => {
    throwsNamed('weightedMedian', () => weightedMedian([]), /empty/);
    throwsNamed('weightedMedian', () => weightedMedian([1, NaN]), /NaN/);
    throwsNamed('weightedMedian', () => weightedMedian([1, 2], [1, -1]), /negative/);
    throwsNamed('medianPool', () => medianPool([]), /empty/);
    throwsNamed('medianPool', () => medianPool([[1, 0, 0], [0, 1, 0], [0, 0, 1]]), /all zero/);
    throwsNamed('medianPool', () => medianPool([[0.5, 0.5]], [NaN]), /NaN/);
  });
});

describe('logarithmicPool and extremisedPool', () => {
  it('geometric mean, renormalised (= geometric mean of odds for two scenarios)', () => {
    // python3 -c "import math; a=math.sqrt(.2*.6); b=math.sqrt(.8*.4); print(a/(a+b))" -> 0.3797958971132712
    // odds: sqrt(0.25 * 1.5) = 0.61237; 0.61237 / 1.61237 = 0.37980
    closeVec(logarithmicPool([[0.2, 0.8], [0.6, 0.4]]), [0.3797958971132712, 0.6202041028867288]);
    // python3 -c "import math; v=[[.5,.3,.2],[.2,.5,.3],[.1,.1,.8]]; w=[1,2,3]; g=[math.exp(sum(wi*math.log(x[k]) for wi,x in zip(w,v))/sum(w)) for k in range(3)]; print([x/sum(g) for x in g])"
    closeVec(
      logarithmicPool([[0.5, 0.3, 0.2], [0.2, 0.5, 0.3], [0.1, 0.1, 0.8]], [1, 2, 3]),
      [0.19897984316147108, 0.2480167214132463, 0.5530034354252826],
    );
  });
  it('clamps zeros to 0.001 before taking logs', () => {
    // python3 -c "import math; a=math.sqrt(.001*.5); b=math.sqrt(.999*.5); print(a/(a+b))" -> 0.030668297854266748
    close((logarithmicPool([[0, 1], [0.5, 0.5]])[0] as number), 0.030668297854266748);
  });
  it('extremises', () => {
    // alpha 2: 0.12 / (0.12 + 0.32); python3 -c "print(.12/(.12+.32))" -> 0.2727272727272727
    close(extremisedPool([[0.2, 0.8], [0.6, 0.4]], 2)[0] as number, 0.2727272727272727);
    // python3 -c "import math; v=[[.5,.3,.2],[.2,.5,.3],[.1,.1,.8]]; g=[math.exp(1.5*sum(math.log(x[k]) for x in v)/3) for k in range(3)]; print([x/sum(g) for x in g])"
    closeVec(
      extremisedPool([[0.5, 0.3, 0.2], [0.2, 0.5, 0.3], [0.1, 0.1, 0.8]], 1.5),
      [0.22646798864339351, 0.2773655076253649, 0.4961665037312416],
    );
    closeVec(extremisedPool([[0.2, 0.8], [0.6, 0.4]], 1), logarithmicPool([[0.2, 0.8], [0.6, 0.4]]));
  });
  it('guards', () => {
    throwsNamed('logarithmicPool', () => logarithmicPool([]), /empty/);
    throwsNamed('logarithmicPool', () => logarithmicPool([[0.5, 0.5], [1]]), /at least 2|different lengths/);
    throwsNamed('extremisedPool', () => extremisedPool([[0.5, 0.5]], 0.5), /alpha must be at least 1/);
    throwsNamed('extremisedPool', () => extremisedPool([[0.5, 0.5]], NaN), /alpha/);
    throwsNamed('extremisedPool', () => extremisedPool([[0.5, 0.5]], 2, [-2]), /negative/);
  });
});

// ------------------------------------------------------------------ weights

describe('recencyWeights', () => {
  it('Metaculus weights exp(sqrt(n) - sqrt(N)), oldest first', () => {
    // python3 -c "import math; print([math.exp(math.sqrt(i+1)-2) for i in range(4)])"
    closeVec(recencyWeights(4), [0.36787944117144233, 0.556667905035692, 0.7649466451949237, 1.0]);
    assert.deepEqual(recencyWeights(1), [1]);
    assert.deepEqual(recencyWeights(2), [1, 1]);
  });
  it('guards', () => {
    throwsNamed('recencyWeights', () => recencyWeights(0), /positive integer/);
    throwsNamed('recencyWeights', () => recencyWeights(2.5), /positive integer/);
  });
});

describe('skillWeightsFromRecords', () => {
  it('w = exp(-(r n / (n + c)) / T)', () => {
    const w = skillWeightsFromRecords([
      { forecasterId: 'a', meanRelativeBrier: -0.1, resolvedCount: 5 },
      { forecasterId: 'b', meanRelativeBrier: 0.2, resolvedCount: 15 },
      { forecasterId: 'c', meanRelativeBrier: -0.5, resolvedCount: 0 },
    ]);
    // python3 -c "import math; print(math.exp(0.05/0.1), math.exp(-0.15/0.1))" -> 1.6487212707001282 0.22313016014842987
    close(w.get('a') as number, 1.6487212707001282);
    close(w.get('b') as number, 0.22313016014842987);
    assert.equal(w.get('c'), 1);
    assert.equal(skillWeightsFromRecords([]).size, 0);
  });
  it('property: few resolved questions give weight near 1; better scores give more weight', () => {
    fc.assert(
      fc.property(fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true }), (r1, r2) => {
        const w = skillWeightsFromRecords(
          [
            { forecasterId: 'one', meanRelativeBrier: r1, resolvedCount: 1 },
            { forecasterId: 'x', meanRelativeBrier: r1, resolvedCount: 40 },
            { forecasterId: 'y', meanRelativeBrier: r2, resolvedCount: 40 },
          ],
          { priorCount: 1000, temperature: 1 },
        );
        // one question, 1000 pseudo-questions: |shrunk| <= 1/1001
        assert.ok(Math.abs((w.get('one') as number) - 1) < 0.0011);
        if (r1 < r2 - 1e-9) assert.ok((w.get('x') as number) > (w.get('y') as number));
      }),
    );
  });
  it('guards', () => {
    const rec = (r: number, n: number, id = 'a') => ({ forecasterId: id, meanRelativeBrier: r, resolvedCount: n });
    throwsNamed('skillWeightsFromRecords', () => skillWeightsFromRecords([rec(0, 1), rec(0, 1)]), /appears twice/);
    throwsNamed('skillWeightsFromRecords', () => skillWeightsFromRecords([rec(NaN, 1)]), /NaN/);
    throwsNamed('skillWeightsFromRecords', () => skillWeightsFromRecords([rec(3, 1)]), /outside -2..2/);
    throwsNamed('skillWeightsFromRecords', () => skillWeightsFromRecords([rec(0, -1)]), /non-negative integer/);
    throwsNamed('skillWeightsFromRecords', () => skillWeightsFromRecords([rec(0, 1)], { temperature: 0 }), /positive/);
    throwsNamed('skillWeightsFromRecords', () => skillWeightsFromRecords([rec(0, 1)], { priorCount: -1 }), /negative/);
  });
});

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
    // skill: a weight 3, b missing (1), c weight 0 -> (3*0.6 + 0.2)/4 = 0.5
    const skillWeights = new Map([
      ['a', 3],
      ['c', 0],
    ]);
    closeVec(aggregate(standing, { method: 'linear', weighting: 'skill', skillWeights }), [0.5, 0.5]);
    assert.equal(aggregate(standing, { method: 'median', weighting: 'skill', skillWeights })[0], 0.6);
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

describe('AGGREGATION_METHODS', () => {
  it('covers every pool with uniform, recency and skill weights, with unique ids', () => {
    const ids = AGGREGATION_METHODS.map((m) => m.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const method of ['linear', 'median', 'logarithmic', 'extremised']) {
      for (const weighting of ['uniform', 'recency', 'skill']) {
        const m = getAggregationMethod(`${method}-${weighting}`);
        assert.equal(m.options.method, method);
        assert.equal(m.options.weighting, weighting);
        assert.equal(m.needsSkillWeights, weighting === 'skill');
      }
    }
    assert.equal(getAggregationMethod('extremised-uniform').options.alpha, 1.5);
    assert.equal(DEFAULT_AGGREGATION_METHOD_ID, 'logarithmic-recency');
    assert.ok(ids.includes(DEFAULT_AGGREGATION_METHOD_ID));
    throwsNamed('getAggregationMethod', () => getAggregationMethod('nope'), /unknown/);
  });
});
