// The names people see for the aggregation methods (lib/aggregation has only their ids).
import { DEFAULT_AGGREGATION_METHOD_ID, DEFAULT_EXTREMISING_ALPHA, DEFAULT_SKILL_PRIOR_COUNT } from '@/lib/aggregation';

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

/**
 * A method with its extremising power and skill setting when it has them: "Extremised
 * geometric mean, equal weights (power 3)", "Extremised geometric mean, skill-weighted (power
 * 2, temperature 0.1)"; the prior count is named only when it is not the default 20.
 */
export function choiceLabel(id: string, alpha: number | null, skill: { priorCount: number; temperature: number } | null = null): string {
  const parts: string[] = [];
  if (alpha !== null) parts.push(`power ${alpha}`);
  if (skill !== null) {
    parts.push(`temperature ${skill.temperature}`);
    if (skill.priorCount !== DEFAULT_SKILL_PRIOR_COUNT) parts.push(`prior count ${skill.priorCount}`);
  }
  return parts.length === 0 ? methodLabel(id) : `${methodLabel(id)} (${parts.join(', ')})`;
}
