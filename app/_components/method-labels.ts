// The names people see for the aggregation methods (lib/aggregation has only their ids).
import { DEFAULT_AGGREGATION_METHOD_ID, DEFAULT_EXTREMISING_ALPHA } from '@/lib/aggregation';

const POOL: Record<string, { label: string; description: string }> = {
  linear: { label: 'Mean', description: 'weighted mean of the forecasts (linear pool)' },
  median: { label: 'Median', description: 'weighted median of each scenario, renormalised' },
  logarithmic: {
    label: 'Geometric mean',
    description: 'renormalised weighted geometric mean (logarithmic pool; geometric mean of odds for two scenarios)',
  },
  extremised: {
    label: 'Extremised geometric mean',
    description: `geometric mean pushed away from even odds by the power alpha (default ${DEFAULT_EXTREMISING_ALPHA}; set per question)`,
  },
};
const WEIGHTING: Record<string, { label: string; description: string }> = {
  uniform: { label: 'equal weights', description: 'every forecaster counts the same' },
  recency: { label: 'recency-weighted', description: 'newer forecasts count more (Metaculus weights)' },
  skill: { label: 'skill-weighted', description: 'forecasters with better past relative Brier scores count more' },
};

function parts(id: string) {
  const [pool = '', weighting = ''] = id.split('-');
  return { pool: POOL[pool], weighting: WEIGHTING[weighting] };
}

/** "Geometric mean, recency-weighted" for 'logarithmic-recency'; the id itself if unknown. */
export function methodLabel(id: string): string {
  const { pool, weighting } = parts(id);
  return pool && weighting ? `${pool.label}, ${weighting.label}` : id;
}

/** A sentence on what the method does. */
export function methodDescription(id: string): string {
  const { pool, weighting } = parts(id);
  return pool && weighting ? `${pool.description}; ${weighting.description}` : '';
}

export const isDefaultMethod = (id: string) => id === DEFAULT_AGGREGATION_METHOD_ID;

/** A method with its extremising power when it has one: "Extremised geometric mean, equal weights (power 3)". */
export function choiceLabel(id: string, alpha: number | null): string {
  return alpha === null ? methodLabel(id) : `${methodLabel(id)} (power ${alpha})`;
}
