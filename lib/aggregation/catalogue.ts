/**
 * The catalogue of aggregation methods offered to users: every pool with every weighting.
 * The names people read are the app's (app/_components/method-labels.ts).
 */
import { describe, fail } from '../math-errors';
import {
  DEFAULT_EXTREMISING_ALPHA,
  METHODS,
  WEIGHTINGS,
  resolveOptions,
  type AggregationOptions,
  type MissingSkill,
  type PoolMethod,
  type ResolvedOptions,
  type Weighting,
} from './options';

/** A catalogue id: `${method}-${weighting}`, e.g. 'logarithmic-recency'. */
export type AggregationMethodId = `${PoolMethod}-${Weighting}`;

/** One aggregation method offered to users. */
export interface AggregationMethod {
  /** `${method}-${weighting}`, e.g. 'logarithmic-recency'. */
  id: AggregationMethodId;
  /** True for skill-weighted methods: pass skill weights (the third argument of `aggregate`). */
  needsSkillWeights: boolean;
  /** True for recency-weighted methods: the result depends on forecast times. */
  needsTimes: boolean;
  options: AggregationOptions;
}

/**
 * The catalogue of aggregation methods shown to users: every pool × every weighting, with ids
 * `${method}-${weighting}` ('linear-uniform' … 'extremised-skill'). Skill-weighted entries
 * carry no weights: pass them by id, `aggregate(standing, 'linear-skill', { skillWeights })`,
 * or add `skillWeights` to a copy of `options`. Their `options` say `missingSkill: 'neutral'`
 * (a forecaster absent from the map gets weight 1) because the app's maps list only forecasters
 * with a resolved record; calling by id is strict unless told otherwise.
 */
export const AGGREGATION_METHODS: readonly AggregationMethod[] = Object.freeze(
  WEIGHTINGS.flatMap((weighting) =>
    METHODS.map((method) => {
      const options: AggregationOptions =
        method === 'extremised' ? { method, weighting, alpha: DEFAULT_EXTREMISING_ALPHA } : { method, weighting };
      if (weighting === 'skill') options.missingSkill = 'neutral';
      return Object.freeze({
        id: `${method}-${weighting}` as AggregationMethodId,
        needsSkillWeights: weighting === 'skill',
        needsTimes: weighting === 'recency',
        options: Object.freeze(options),
      });
    }),
  ),
);

/** The method used when a team has not chosen one. */
export const DEFAULT_AGGREGATION_METHOD_ID: AggregationMethodId = 'logarithmic-recency';

/** Every catalogue id, in catalogue order, for messages. */
const ID_LIST = AGGREGATION_METHODS.map((m) => m.id).join(', ');

function findMethod(fn: string, id: string): AggregationMethod {
  const found = AGGREGATION_METHODS.find((m) => m.id === id);
  if (!found) fail(fn, `unknown aggregation method id ${typeof id === 'string' ? `"${id}"` : describe(id)}; valid ids: ${ID_LIST}`);
  return found;
}

/**
 * Looks up a catalogue entry by id. Complexity O(number of methods).
 * Throws MathInputError for an unknown id; the message lists every valid id.
 *
 * @example getAggregationMethod('logarithmic-recency').options
 * // { method: 'logarithmic', weighting: 'recency' }
 * @example getAggregationMethod('extremised-uniform').options.alpha // 1.5
 */
export function getAggregationMethod(id: string): AggregationMethod {
  return findMethod('getAggregationMethod', id);
}

/**
 * What a call by method id may add: skill weights and their missing rule (used by the skill
 * methods, ignored by the others), another alpha (extremised methods only).
 */
export interface MethodInputs {
  /** Required by the '-skill' methods: weight per forecaster id (see skillWeightsFromHistories). */
  skillWeights?: ReadonlyMap<string, number>;
  /** A forecaster missing from skillWeights: 'error' (default) or 'neutral' (weight 1). */
  missingSkill?: MissingSkill;
  /** Extremising power for the 'extremised-' methods; default DEFAULT_EXTREMISING_ALPHA = 1.5. */
  alpha?: number;
}

/**
 * The options of a call `f(x, how, inputs)` where `how` is an AggregationOptions object or a
 * catalogue id, checked by `resolveOptions`. By id: the catalogue entry's options, with
 * `inputs` added and missingSkill 'error' unless `inputs` says otherwise; a skill method without
 * `inputs.skillWeights` is an error that says how to pass them. `inputs` with an options
 * object is an error (put the fields in the object).
 */
export function resolveCall(fn: string, how: AggregationOptions | string, inputs: MethodInputs | undefined): ResolvedOptions {
  if (typeof how !== 'string') {
    if (inputs !== undefined) fail(fn, 'a third argument is only for a call by method id; put skillWeights in the options object');
    return resolveOptions(fn, how);
  }
  const entry = findMethod(fn, how);
  if (inputs !== undefined && (inputs === null || typeof inputs !== 'object')) fail(fn, 'the third argument must be an object');
  if (inputs?.alpha !== undefined && entry.options.method !== 'extremised') {
    fail(fn, `alpha is only for the extremised methods, not "${how}"`);
  }
  if (entry.needsSkillWeights && inputs?.skillWeights === undefined) {
    fail(
      fn,
      `method "${how}" needs skill weights: pass them as ${fn}(forecasts, '${how}', { skillWeights }) ` +
        '(skillWeightsFromHistories computes them from resolved questions)',
    );
  }
  return resolveOptions(fn, {
    ...entry.options,
    ...(inputs?.alpha !== undefined ? { alpha: inputs.alpha } : {}),
    ...(entry.needsSkillWeights ? { skillWeights: inputs?.skillWeights, missingSkill: inputs?.missingSkill ?? 'error' } : {}),
  });
}
