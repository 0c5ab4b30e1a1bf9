/**
 * Skill weights from resolved questions' forecast histories in one call: each forecaster's
 * relative Brier on every resolved question (lib/scoring `relativeBrier`), their mean, and the
 * weights of `skillWeightsFromRecords` (docs/formulas.md#skill-weights-from-histories).
 */
import { checkOutcome, describe, fail } from '../math-errors';
import { relativeBrier, type ForecastStep, type ScoreWindow } from '../scoring';
import type { StandingForecast } from './options';
import { NEUTRAL_SKILL_WEIGHT, skillWeightsFromRecords } from './weights';

/** One resolved question with its whole forecast history: the unit of a team's record. */
export interface ResolvedQuestion {
  /** Unique within a record. */
  id: string;
  /**
   * Questions sharing a group are one unit of the record: they count once in a skill record,
   * are left out together and form one cluster of a standard error (e.g. the horizons of one
   * ForecastBench question). Default: the question's own id.
   */
  group?: string;
  /** Every forecast of every forecaster on the question, oldest first (ties in input order). */
  history: readonly StandingForecast[];
  /** The scoring window [opens at, min(closes at, resolved at)] in ms since the epoch. */
  window: ScoreWindow;
  /** Index of the scenario that happened. */
  outcome: number;
}

/** A forecaster's record: the input of `skillWeightsFromRecords`. */
export interface SkillRecord {
  forecasterId: string;
  /** Mean relative Brier over resolvedCount units (questions, or groups of questions). */
  meanRelativeBrier: number;
  /** Resolved units (questions or groups) on which the forecaster had a standing forecast. */
  resolvedCount: number;
}

/** A record reduced to its units: per group, each forecaster's mean relative Brier on it. */
export interface RecordUnits {
  /** Group key per unit, in first-appearance order. */
  groups: string[];
  /** Per unit: forecaster id -> mean relative Brier over the unit's questions they covered. */
  scores: Map<string, number>[];
  /** Unit index of every question of the record, in record order. */
  unitOf: number[];
}

/** Checks the fields of a resolved question (the histories are checked where they are used). */
export function checkResolvedQuestion(fn: string, q: ResolvedQuestion, i: number, seen: Set<string>): void {
  if (q === null || typeof q !== 'object') fail(fn, `record[${i}] is not an object`);
  if (typeof q.id !== 'string') fail(fn, `record[${i}].id is not a string (${describe(q.id)})`);
  if (seen.has(q.id)) fail(fn, `question "${q.id}" appears twice`);
  seen.add(q.id);
  if (q.group !== undefined && typeof q.group !== 'string') fail(fn, `record[${i}].group is not a string`);
  if (!Array.isArray(q.history)) fail(fn, `history of question "${q.id}" is not an array`);
  const k = q.history[0]?.probabilities?.length;
  if (k !== undefined) checkOutcome(fn, q.outcome, k);
  else if (!Number.isInteger(q.outcome) || q.outcome < 0) fail(fn, `outcome of question "${q.id}" is not a scenario index`);
}

/**
 * Relative Brier of every forecaster on every question, reduced to units (groups). One
 * `relativeBrier` call per question: O(E log E + E F) for E forecasts by F forecasters.
 */
export function recordUnits(fn: string, record: readonly ResolvedQuestion[]): RecordUnits {
  if (!Array.isArray(record)) fail(fn, 'the record of resolved questions is not an array');
  const seen = new Set<string>();
  const groups: string[] = [];
  const groupIndex = new Map<string, number>();
  const sums: Map<string, { s: number; n: number }>[] = [];
  const unitOf: number[] = [];
  record.forEach((q, i) => {
    checkResolvedQuestion(fn, q, i, seen);
    const key = q.group ?? q.id;
    let u = groupIndex.get(key);
    if (u === undefined) {
      u = groups.length;
      groupIndex.set(key, u);
      groups.push(key);
      sums.push(new Map());
    }
    unitOf.push(u);
    const histories = new Map<string, ForecastStep[]>();
    for (const f of q.history) {
      let h = histories.get(f.forecasterId);
      if (!h) histories.set(f.forecasterId, (h = []));
      h.push(f);
    }
    let rel: Map<string, { relativeBrier: number | null }>;
    try {
      rel = relativeBrier(histories, q.window, q.outcome);
    } catch (e) {
      fail(fn, `question "${q.id}": ${(e as Error).message}`);
    }
    const unit = sums[u] as Map<string, { s: number; n: number }>;
    for (const [id, r] of rel) {
      if (r.relativeBrier === null) continue;
      const a = unit.get(id) ?? { s: 0, n: 0 };
      a.s += r.relativeBrier;
      a.n += 1;
      unit.set(id, a);
    }
  });
  const scores = sums.map((unit) => new Map([...unit].map(([id, a]) => [id, a.s / a.n])));
  return { groups, scores, unitOf };
}

/** Each forecaster's mean relative Brier over the units not in `leaveOut`, forecasters in first-seen order. */
export function recordsFromUnits(units: RecordUnits, leaveOut: ReadonlySet<number>): SkillRecord[] {
  const acc = new Map<string, { s: number; n: number }>();
  units.scores.forEach((unit, u) => {
    if (leaveOut.has(u)) return;
    for (const [id, r] of unit) {
      const a = acc.get(id) ?? { s: 0, n: 0 };
      a.s += r;
      a.n += 1;
      acc.set(id, a);
    }
  });
  return [...acc].map(([forecasterId, a]) => ({ forecasterId, meanRelativeBrier: a.s / a.n, resolvedCount: a.n }));
}

/** Options of `skillRecordsFromHistories` and `skillWeightsFromHistories`. */
export interface SkillFromHistoriesOptions {
  /** Question ids to leave out, e.g. the question being aggregated (its whole group is left out). */
  exclude?: string | Iterable<string>;
}

function leaveOutSet(fn: string, record: readonly ResolvedQuestion[], units: RecordUnits, exclude: SkillFromHistoriesOptions['exclude']): Set<number> {
  const out = new Set<number>();
  if (exclude === undefined) return out;
  const ids = typeof exclude === 'string' ? [exclude] : [...exclude];
  for (const id of ids) {
    const i = record.findIndex((q) => q.id === id);
    if (i < 0) fail(fn, `exclude names question "${id}", which is not in the record`);
    out.add(units.unitOf[i] as number);
  }
  return out;
}

/**
 * Each forecaster's skill record from resolved questions: their relative Brier on every
 * question (lib/scoring `relativeBrier`: own Brier minus the median Brier of the forecasters
 * standing, averaged over their covered time), averaged per group, then over groups
 * (docs/formulas.md#skill-weights-from-histories). A forecaster never covered on a question
 * has no score there.
 *
 * Complexity O(sum over questions of E log E + E F). Throws MathInputError naming
 * skillRecordsFromHistories for a record that is not an array, a question id twice, an
 * outcome outside the scenarios, a history `relativeBrier` refuses (out of time order, not
 * probability vectors, vectors of different lengths), a bad window, or an `exclude` id that is
 * not in the record.
 *
 * @example skillRecordsFromHistories([{
 *   id: 'q1', window: { start: 0, end: 100 }, outcome: 0,
 *   history: [
 *     { forecasterId: 'a', time: 0, probabilities: [0.9, 0.1] }, // Brier 0.02
 *     { forecasterId: 'b', time: 0, probabilities: [0.5, 0.5] }, // Brier 0.5
 *   ],
 * }])
 * // [{ forecasterId: 'a', meanRelativeBrier: -0.24, resolvedCount: 1 },
 * //  { forecasterId: 'b', meanRelativeBrier: 0.24, resolvedCount: 1 }]
 */
export function skillRecordsFromHistories(
  record: readonly ResolvedQuestion[],
  options: SkillFromHistoriesOptions = {},
): SkillRecord[] {
  const fn = 'skillRecordsFromHistories';
  const units = recordUnits(fn, record);
  return recordsFromUnits(units, leaveOutSet(fn, record, units, options.exclude));
}

/**
 * Skill weights from resolved questions in one call (docs/formulas.md#skill-weights-from-histories):
 * `skillRecordsFromHistories`, then `skillWeightsFromRecords` with options.priorCount and
 * options.temperature (defaults DEFAULT_SKILL_PRIOR_COUNT and DEFAULT_SKILL_TEMPERATURE,
 * chosen on ForecastBench: docs/formulas.md#tuned-skill-defaults). Every id of
 * options.forecasters that has no record gets the neutral weight NEUTRAL_SKILL_WEIGHT = 1, so
 * the map can be passed to a strict `aggregate(standing, 'logarithmic-skill', { skillWeights })`
 * call for exactly those forecasters; without it, pass missingSkill: 'neutral' instead.
 *
 * Complexity as `skillRecordsFromHistories`. Throws MathInputError (naming
 * skillWeightsFromHistories) as `skillRecordsFromHistories` and `skillWeightsFromRecords` do.
 *
 * @example const weights = skillWeightsFromHistories(resolvedQuestions, {
 *   exclude: 'q7', // the question being aggregated, when it is itself resolved
 *   forecasters: standing.map((s) => s.forecasterId),
 * });
 * aggregate(standing, 'logarithmic-skill', { skillWeights: weights });
 * @example skillWeightsFromHistories([{
 *   id: 'q1', window: { start: 0, end: 100 }, outcome: 0,
 *   history: [
 *     { forecasterId: 'a', time: 0, probabilities: [0.9, 0.1] },
 *     { forecasterId: 'b', time: 0, probabilities: [0.5, 0.5] },
 *   ],
 * }], { priorCount: 1, temperature: 0.1, forecasters: ['a', 'b', 'c'] })
 * // Map { 'a' => exp(0.12 / 0.1) ≈ 3.320, 'b' => exp(-1.2) ≈ 0.3012, 'c' => 1 }
 */
export function skillWeightsFromHistories(
  record: readonly ResolvedQuestion[],
  options: SkillFromHistoriesOptions & { priorCount?: number; temperature?: number; forecasters?: Iterable<string> } = {},
): Map<string, number> {
  const fn = 'skillWeightsFromHistories';
  const units = recordUnits(fn, record);
  const records = recordsFromUnits(units, leaveOutSet(fn, record, units, options.exclude));
  let weights: Map<string, number>;
  try {
    weights = skillWeightsFromRecords(records, { priorCount: options.priorCount, temperature: options.temperature });
  } catch (e) {
    fail(fn, (e as Error).message);
  }
  if (options.forecasters !== undefined) {
    for (const id of options.forecasters) {
      if (typeof id !== 'string') fail(fn, `options.forecasters holds ${describe(id)}, not an id`);
      if (!weights.has(id)) weights.set(id, NEUTRAL_SKILL_WEIGHT);
    }
  }
  return weights;
}
