import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as aggregation from '@/lib/aggregation';

describe('@/lib/aggregation index', () => {
  it('exports exactly the public API of the former lib/aggregation.ts (values; types are checked by tsc)', () => {
    assert.deepEqual(Object.keys(aggregation).sort(), [
      'AGGREGATION_METHODS',
      'DEFAULT_AGGREGATION_METHOD_ID',
      'DEFAULT_EXTREMISING_ALPHA',
      'DEFAULT_SKILL_PRIOR_COUNT',
      'DEFAULT_SKILL_TEMPERATURE',
      'MEDIAN_HALF_TOLERANCE',
      'aggregate',
      'aggregateSeries',
      'extremisedPool',
      'getAggregationMethod',
      'linearPool',
      'logarithmicPool',
      'medianPool',
      'recencyWeights',
      'skillWeightsFromRecords',
      'weightedMedian',
    ]);
  });
});
