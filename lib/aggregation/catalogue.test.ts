import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { throwsNamed } from '../test-assert';
import { AGGREGATION_METHODS, DEFAULT_AGGREGATION_METHOD_ID, getAggregationMethod } from './catalogue';

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
