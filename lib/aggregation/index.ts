/**
 * Aggregation: the team forecast from the forecasts standing at a moment, and its time series.
 *
 * Pools (Genest & Zidek 1986, "Combining probability distributions: a critique and an
 * annotated bibliography", Statistical Science 1(1)):
 * - linear pool (weighted mean),
 * - per-scenario weighted median, renormalised,
 * - logarithmic pool (weighted geometric mean, renormalised; for two scenarios the geometric
 *   mean of odds),
 * - extremised logarithmic pool, the log pool raised to a power alpha >= 1 (Satopaa et al.
 *   2014, "Combining multiple probability predictions using a simple logit model",
 *   International Journal of Forecasting 30(2)).
 * Weights: uniform, recency (the Metaculus community prediction weights) or skill (from past
 * relative Brier scores, shrunk towards equal weight). Formulas and references:
 * docs/formulas.md#aggregation.
 *
 * Files: options.ts (types, defaults, option checks), validate.ts (shared input checks),
 * pools.ts (the pools and their cores), weights.ts (recency and skill weights), aggregate.ts
 * (the team forecast of a standing set), series.ts with series-history.ts, series-median.ts
 * and series-recency.ts (the incremental time series), catalogue.ts (the methods offered to
 * users, and calls by method id), skill.ts (skill weights from resolved histories),
 * recommend.ts (the method the team's record favours). This index re-exports the public API;
 * the rest is internal.
 */
export {
  DEFAULT_EXTREMISING_ALPHA,
  type AggregatePoint,
  type AggregationOptions,
  type MissingSkill,
  type PoolMethod,
  type StandingForecast,
  type Weighting,
} from './options';
export { MEDIAN_HALF_TOLERANCE, extremisedPool, linearPool, logarithmicPool, medianPool, weightedMedian } from './pools';
export {
  DEFAULT_SKILL_PRIOR_COUNT,
  DEFAULT_SKILL_TEMPERATURE,
  NEUTRAL_SKILL_WEIGHT,
  recencyWeights,
  skillWeightsFromRecords,
} from './weights';
export { aggregate } from './aggregate';
export { aggregateSeries } from './series';
export {
  AGGREGATION_METHODS,
  DEFAULT_AGGREGATION_METHOD_ID,
  getAggregationMethod,
  type AggregationMethod,
  type AggregationMethodId,
  type MethodInputs,
} from './catalogue';
export {
  skillRecordsFromHistories,
  skillWeightsFromHistories,
  type ResolvedQuestion,
  type SkillFromHistoriesOptions,
  type SkillRecord,
} from './skill';
export {
  MIN_RECORD_QUESTIONS,
  RECOMMEND_ALPHAS,
  RECOMMEND_SKILL_SETTINGS,
  recommendMethod,
  type CandidateScore,
  type MethodCandidate,
  type MethodRecommendation,
  type RecommendOptions,
  type SkillSetting,
} from './recommend';
