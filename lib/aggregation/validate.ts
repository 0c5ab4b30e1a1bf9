/**
 * Input checks shared by the pools, `aggregate` and `aggregateSeries`; each throws
 * MathInputError naming the public function `fn`.
 */
import { checkFinite, checkLength, checkProbabilityVector, describe, fail } from '../math-errors';

/** Checks a non-empty list of probability vectors of one length; returns that length K. */
export function checkVectors(fn: string, vectors: readonly (readonly number[])[]): number {
  if (!Array.isArray(vectors)) fail(fn, 'vectors is not an array');
  if (vectors.length === 0) fail(fn, 'no forecasts to pool (empty input)');
  const k = (vectors[0] as readonly number[])?.length ?? 0;
  for (let i = 0; i < vectors.length; i++) {
    const v = vectors[i] as readonly number[];
    checkProbabilityVector(fn, v, `vectors[${i}]`);
    checkLength(fn, `vectors[${i}]`, v.length, k);
  }
  return k;
}

/** Requires a finite extremising power alpha >= 1. */
export function checkAlpha(fn: string, alpha: number): void {
  checkFinite(fn, alpha, 'alpha');
  if (alpha < 1) fail(fn, `alpha must be at least 1, got ${alpha}`);
}

/** The skill weight of one forecaster: the map's value, or 1 when missing; finite and non-negative. */
export function skillWeightOf(fn: string, skillWeights: ReadonlyMap<string, number>, id: string): number {
  const w = skillWeights.get(id) ?? 1;
  if (typeof w !== 'number' || !Number.isFinite(w)) fail(fn, `skill weight of "${id}" is not a finite number (${describe(w)})`);
  if (w < 0) fail(fn, `skill weight of "${id}" is negative (${w})`);
  return w;
}
