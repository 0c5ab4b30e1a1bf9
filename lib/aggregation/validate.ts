/**
 * Input checks shared by the pools, `aggregate` and `aggregateSeries`; each throws
 * MathInputError naming the public function `fn`.
 */
import { checkFinite, checkLength, describe, fail, probabilityVector } from '../math-errors';

/**
 * Checks a non-empty list of probability vectors of one length K. Returns K and the vectors to
 * use: the same array, or a copy in which vectors off by more than SUM_TOLERANCE are
 * renormalised (docs/formulas.md#tolerance-renormalisation).
 */
export function checkVectors(fn: string, vectors: readonly (readonly number[])[]): { k: number; vectors: readonly (readonly number[])[] } {
  if (!Array.isArray(vectors)) fail(fn, 'vectors is not an array');
  if (vectors.length === 0) fail(fn, 'no forecasts to pool (empty input)');
  const k = (vectors[0] as readonly number[])?.length ?? 0;
  let out: (readonly number[])[] | undefined;
  for (let i = 0; i < vectors.length; i++) {
    const v = probabilityVector(fn, vectors[i] as readonly number[], `vectors[${i}]`);
    checkLength(fn, `vectors[${i}]`, v.length, k);
    if (v !== vectors[i] && out === undefined) out = vectors.slice(0, i);
    if (out !== undefined) out.push(v);
  }
  return { k, vectors: out ?? vectors };
}

/** Requires a finite extremising power alpha >= 1. */
export function checkAlpha(fn: string, alpha: number): void {
  checkFinite(fn, alpha, 'alpha');
  if (alpha < 1) fail(fn, `alpha must be at least 1, got ${alpha}`);
}

/**
 * The skill weight of one forecaster: the map's value (finite, non-negative). A forecaster
 * missing from the map is an error naming them, or weight 1 when `missing` is 'neutral'
 * (docs/formulas.md#skill-weights).
 */
export function skillWeightOf(
  fn: string,
  skillWeights: ReadonlyMap<string, number>,
  id: string,
  missing: 'error' | 'neutral',
): number {
  const w = skillWeights.get(id);
  if (w === undefined) {
    if (missing === 'neutral') return 1;
    fail(
      fn,
      `forecaster "${id}" has no skill weight (the map has ${skillWeights.size} ids); ` +
        "check the ids match, or pass missingSkill: 'neutral' to give forecasters without a record weight 1",
    );
  }
  if (typeof w !== 'number' || !Number.isFinite(w)) fail(fn, `skill weight of "${id}" is not a finite number (${describe(w)})`);
  if (w < 0) fail(fn, `skill weight of "${id}" is negative (${w})`);
  return w;
}
