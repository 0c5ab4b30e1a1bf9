import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as aggregation from '@/lib/aggregation';

describe('@/lib/aggregation index', () => {
  it('exports exactly the public API: that of the former lib/aggregation.ts plus the record functions (values; types are checked by tsc)', () => {
    assert.deepEqual(Object.keys(aggregation).sort(), [
      'AGGREGATION_METHODS',
      'DEFAULT_AGGREGATION_METHOD_ID',
      'DEFAULT_EXTREMISING_ALPHA',
      'DEFAULT_SKILL_PRIOR_COUNT',
      'DEFAULT_SKILL_TEMPERATURE',
      'MEDIAN_HALF_TOLERANCE',
      'MIN_RECORD_QUESTIONS',
      'NEUTRAL_SKILL_WEIGHT',
      'RECOMMEND_ALPHAS',
      'RECOMMEND_SKILL_SETTINGS',
      'aggregate',
      'aggregateSeries',
      'extremisedPool',
      'getAggregationMethod',
      'linearPool',
      'logarithmicPool',
      'medianPool',
      'recencyWeights',
      'recommendMethod',
      'skillRecordsFromHistories',
      'skillWeightsFromHistories',
      'skillWeightsFromRecords',
      'weightedMedian',
    ]);
  });
});
