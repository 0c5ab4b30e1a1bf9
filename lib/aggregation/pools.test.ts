import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { throwsNamed, close, closeVec } from '../test-assert';
import { extremisedPool, linearPool, logarithmicPool, medianPool, weightedMedian } from './pools';

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
  it('falls back to the linear pool when every median is 0 (docs/formulas.md#median-fallback)', () => {
    // each forecaster certain of a different scenario: medians 0, 0, 0 -> the mean, 1/3 each
    closeVec(medianPool([[1, 0, 0], [0, 1, 0], [0, 0, 1]]), [1 / 3, 1 / 3, 1 / 3]);
    // weights 1, 1.5, 1: medians still 0 (no scenario has half the weight 3.5 above 0)
    // -> the weighted mean [1, 1.5, 1] / 3.5
    closeVec(medianPool([[1, 0, 0], [0, 1, 0], [0, 0, 1]], [1, 1.5, 1]), [1 / 3.5, 1.5 / 3.5, 1 / 3.5]);
    // four forecasters, two scenarios each, medians 0 everywhere: (0.5+0.5)/4, (0.5+0.5)/4, ...
    closeVec(
      medianPool([[0.5, 0.5, 0, 0], [0, 0, 0.5, 0.5], [0.5, 0, 0.5, 0], [0, 0.5, 0, 0.5]]),
      [0.25, 0.25, 0.25, 0.25],
    );
    // a median just above 0 is renormalised as usual, not replaced
    closeVec(medianPool([[1, 0, 0], [0, 1, 0], [0, 0.001, 0.999]]), [0, 1, 0]);
  });
  it('guards', () => {
    throwsNamed('weightedMedian', () => weightedMedian([]), /empty/);
    throwsNamed('weightedMedian', () => weightedMedian([1, NaN]), /NaN/);
    throwsNamed('weightedMedian', () => weightedMedian([1, 2], [1, -1]), /negative/);
    throwsNamed('medianPool', () => medianPool([]), /empty/);
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
