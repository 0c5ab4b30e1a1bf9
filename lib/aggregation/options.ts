/**
 * The options of the aggregation functions: which pool, which weights, and their defaults;
 * `resolveOptions` checks them once per call and fills in the defaults.
 */
import { describe, fail } from '../math-errors';
import { checkAlpha } from './validate';

/** How the standing forecasts are combined. */
export type PoolMethod = 'linear' | 'median' | 'logarithmic' | 'extremised';
/** How the standing forecasts are weighted. */
export type Weighting = 'uniform' | 'recency' | 'skill';

/** One forecaster's forecast (their latest, when passed to `aggregate`). */
export interface StandingForecast {
  forecasterId: string;
  /** Milliseconds since the epoch. */
  time: number;
  probabilities: readonly number[];
}

/**
 * What a standing forecaster absent from the skill-weight map gets: 'error' (the default)
 * throws a MathInputError naming them; 'neutral' gives them NEUTRAL_SKILL_WEIGHT = 1, the
 * weight of a forecaster with no resolved record (docs/formulas.md#skill-weights).
 */
export type MissingSkill = 'error' | 'neutral';

/** Which pool and which weights to use. */
export interface AggregationOptions {
  method: PoolMethod;
  weighting: Weighting;
  /** Extremising power for method 'extremised'; default DEFAULT_EXTREMISING_ALPHA = 1.5; must be >= 1. */
  alpha?: number;
  /** Required when weighting is 'skill': weight per forecaster id (see skillWeightsFromHistories). */
  skillWeights?: ReadonlyMap<string, number>;
  /**
   * A forecaster missing from skillWeights: 'error' (default) or 'neutral' (weight 1). The
   * catalogue's skill entries say 'neutral' (see AGGREGATION_METHODS).
   */
  missingSkill?: MissingSkill;
}

/** One point of an aggregate time series: the aggregate just after a forecast. */
export interface AggregatePoint {
  time: number;
  probabilities: number[];
  /** Forecasters with a standing forecast at this point. */
  forecasterCount: number;
}

/** Default extremising power (Satopaa et al. 2014 estimate values of this order for crowds). */
export const DEFAULT_EXTREMISING_ALPHA = 1.5;

/** Every pool, in catalogue order. */
export const METHODS: readonly PoolMethod[] = ['linear', 'median', 'logarithmic', 'extremised'];
/** Every weighting, in catalogue order. */
export const WEIGHTINGS: readonly Weighting[] = ['uniform', 'recency', 'skill'];

/** Options after `resolveOptions`: alpha filled in (1 unless extremised), skill weights checked to be a Map. */
export interface ResolvedOptions {
  method: PoolMethod;
  weighting: Weighting;
  alpha: number;
  skillWeights: ReadonlyMap<string, number> | undefined;
  missingSkill: MissingSkill;
}

/** Checks options (known method and weighting, alpha >= 1, a skill map when needed); `fn` names the caller. */
export function resolveOptions(fn: string, options: AggregationOptions): ResolvedOptions {
  if (options === null || typeof options !== 'object') fail(fn, 'options are missing');
  const { method, weighting } = options;
  if (!METHODS.includes(method)) fail(fn, `unknown method ${describe(method)}; expected one of ${METHODS.join(', ')}`);
  if (!WEIGHTINGS.includes(weighting)) {
    fail(fn, `unknown weighting ${describe(weighting)}; expected one of ${WEIGHTINGS.join(', ')}`);
  }
  const alpha = options.alpha ?? DEFAULT_EXTREMISING_ALPHA;
  if (method === 'extremised') checkAlpha(fn, alpha);
  const missingSkill = options.missingSkill ?? 'error';
  if (missingSkill !== 'error' && missingSkill !== 'neutral') {
    fail(fn, `unknown missingSkill ${describe(missingSkill)}; expected 'error' or 'neutral'`);
  }
  let skillWeights: ReadonlyMap<string, number> | undefined;
  if (weighting === 'skill') {
    if (!(options.skillWeights instanceof Map)) fail(fn, "weighting 'skill' needs options.skillWeights (a Map)");
    skillWeights = options.skillWeights;
  }
  return { method, weighting, alpha: method === 'extremised' ? alpha : 1, skillWeights, missingSkill };
}
