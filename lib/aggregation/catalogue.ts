/**
 * The catalogue of aggregation methods offered to users: every pool with every weighting.
 * The names people read are the app's (app/_components/method-labels.ts).
 */
import { describe, fail } from '../math-errors';
import { DEFAULT_EXTREMISING_ALPHA, METHODS, WEIGHTINGS, type AggregationOptions } from './options';

/** One aggregation method offered to users. */
export interface AggregationMethod {
  /** `${method}-${weighting}`, e.g. 'logarithmic-recency'. */
  id: string;
  /** True for skill-weighted methods: add `skillWeights` to `options` before use. */
  needsSkillWeights: boolean;
  /** True for recency-weighted methods: the result depends on forecast times. */
  needsTimes: boolean;
  options: AggregationOptions;
}

/**
 * The catalogue of aggregation methods shown to users: every pool × every weighting, with ids
 * `${method}-${weighting}` ('linear-uniform' … 'extremised-skill'). Skill-weighted entries
 * carry no weights: the caller adds `skillWeights` (from `skillWeightsFromRecords`).
 */
export const AGGREGATION_METHODS: readonly AggregationMethod[] = Object.freeze(
  WEIGHTINGS.flatMap((weighting) =>
    METHODS.map((method) => {
      const options: AggregationOptions =
        method === 'extremised' ? { method, weighting, alpha: DEFAULT_EXTREMISING_ALPHA } : { method, weighting };
      return Object.freeze({
        id: `${method}-${weighting}`,
        needsSkillWeights: weighting === 'skill',
        needsTimes: weighting === 'recency',
        options: Object.freeze(options),
      });
    }),
  ),
);

/** The method used when a team has not chosen one. */
export const DEFAULT_AGGREGATION_METHOD_ID = 'logarithmic-recency';

/**
 * Looks up a catalogue entry by id. Complexity O(number of methods).
 * Throws MathInputError for an unknown id.
 *
 * @example getAggregationMethod('logarithmic-recency').options
 * // { method: 'logarithmic', weighting: 'recency' }
 * @example getAggregationMethod('extremised-uniform').options.alpha // 1.5
 */
export function getAggregationMethod(id: string): AggregationMethod {
  const found = AGGREGATION_METHODS.find((m) => m.id === id);
  if (!found) fail('getAggregationMethod', `unknown aggregation method id ${describe(id)}`);
  return found;
}
