/**
 * The method the team's record favours (docs/formulas.md#method-recommendation): on the
 * team's resolved questions, leave one question out at a time, choose the aggregation method
 * (and extremising power, and skill setting) with the lowest mean time-averaged Brier on the
 * others, score that choice on the question left out, and compare with the current method.
 */
import { checkFinite, fail } from '../math-errors';
import { AGGREGATION_METHODS, DEFAULT_AGGREGATION_METHOD_ID, getAggregationMethod, type AggregationMethodId } from './catalogue';
import { DEFAULT_EXTREMISING_ALPHA, type AggregatePoint, type PoolMethod, type Weighting } from './options';
import { aggregateSeries } from './series';
import { recordUnits, recordsFromUnits, type RecordUnits, type ResolvedQuestion } from './skill';
import { checkAlpha } from './validate';
import { DEFAULT_SKILL_PRIOR_COUNT, DEFAULT_SKILL_TEMPERATURE, skillWeightsFromRecords } from './weights';

/** Fewer resolved questions (groups) than this: the record is too short to recommend a switch. */
export const MIN_RECORD_QUESTIONS = 10;

/**
 * Two mean Brier scores closer than this are a tie, and the earlier candidate (the current
 * method first) is kept: methods that coincide on a record (e.g. every pool of a single
 * forecaster) differ only by rounding, which must not decide.
 */
const TIE_TOLERANCE = 1e-12;

/** Extremising powers tried for the extremised methods. */
export const RECOMMEND_ALPHAS: readonly number[] = Object.freeze([1, 1.25, 1.5, 2, 2.5, 3]);

/** Shrinkage and temperature of skill weights (see `skillWeightsFromRecords`). */
export interface SkillSetting {
  priorCount: number;
  temperature: number;
}

/**
 * Skill settings tried for the skill methods: the tuned defaults, then twice and half the
 * temperature (docs/formulas.md#tuned-skill-defaults).
 */
export const RECOMMEND_SKILL_SETTINGS: readonly SkillSetting[] = Object.freeze([
  { priorCount: DEFAULT_SKILL_PRIOR_COUNT, temperature: DEFAULT_SKILL_TEMPERATURE },
  { priorCount: DEFAULT_SKILL_PRIOR_COUNT, temperature: 2 * DEFAULT_SKILL_TEMPERATURE },
  { priorCount: DEFAULT_SKILL_PRIOR_COUNT, temperature: DEFAULT_SKILL_TEMPERATURE / 2 },
]);

/** One method as the recommendation compares it: a catalogue id with its parameters. */
export interface MethodCandidate {
  methodId: AggregationMethodId;
  /** Extremising power for the extremised methods, else null. */
  alpha: number | null;
  /** Skill setting for the skill methods, else null. */
  skill: SkillSetting | null;
  /** A unique readable key, e.g. 'extremised-skill alpha=2 priorCount=20 temperature=0.05'. */
  key: string;
}

/** A candidate's score on the whole record, and its paired difference from the current method. */
export interface CandidateScore {
  candidate: MethodCandidate;
  /** Mean over the scored questions of the time-averaged Brier (0-2 scale; lower is better). */
  meanBrier: number;
  /** Mean over questions of (this - current); negative = better than the current method. */
  difference: number;
  /** Standard error of `difference` across questions (clustered by group); null below 2 groups. */
  standardError: number | null;
}

/** What `recommendMethod` returns. */
export interface MethodRecommendation {
  /** True when fewer than options.minQuestions groups were scored: keep the current method. */
  tooShort: boolean;
  /** Resolved questions with a score (a forecast standing in their window). */
  questionCount: number;
  /** Groups among them (each question is its own group unless `group` says otherwise). */
  groupCount: number;
  minQuestions: number;
  /** Ids of resolved questions left out because no forecast stood in their window. */
  unscored: string[];
  /** The current method and its mean time-averaged Brier (null with no scored question). */
  current: { candidate: MethodCandidate; meanBrier: number | null };
  /**
   * The method to show beside the current one: the candidate with the lowest mean over all
   * scored questions; the current method itself when the record is too short.
   */
  recommended: MethodCandidate;
  /** Mean time-averaged Brier of `recommended` over all scored questions (in sample). */
  recommendedMeanBrier: number | null;
  /**
   * Leave one group out: per group, the candidate with the lowest mean on the other groups,
   * scored on the group left out. This estimates how the choice would have done on questions it
   * had not seen. Null with fewer than 2 groups.
   */
  leaveOneOut: {
    /** Mean over questions of the held-out score of the method chosen without them. */
    meanBrier: number;
    /** Mean over questions of (held-out choice - current); negative favours switching. */
    difference: number;
    /** Standard error of `difference` across questions (clustered by group); null below 2 groups. */
    standardError: number | null;
    perQuestion: { id: string; chosen: string; brier: number; currentBrier: number }[];
    /** How often each candidate was chosen, most often first. */
    choices: { key: string; count: number }[];
  } | null;
  /** Every candidate's score on the whole record, in candidate order (current method first). */
  methods: CandidateScore[];
}

/** Options of `recommendMethod`. */
export interface RecommendOptions {
  /** The team's method now (a catalogue id); default DEFAULT_AGGREGATION_METHOD_ID. */
  currentMethodId?: string;
  /**
   * The current method's extremising power when it is an extremised method (a question's
   * stored power); default the catalogue's DEFAULT_EXTREMISING_ALPHA. Ignored otherwise.
   */
  currentAlpha?: number;
  /**
   * The current method's skill setting when it is a skill method (a question's stored
   * setting); default the first of `skillSettings`. Ignored otherwise. A setting outside the
   * grid is scored as the current method but is not chosen as the recommendation unless it is
   * also in `skillSettings`.
   */
  currentSkill?: SkillSetting;
  /** Catalogue ids to choose among; default all twelve. */
  candidates?: readonly string[];
  /** Extremising powers for the extremised methods; default RECOMMEND_ALPHAS. */
  alphas?: readonly number[];
  /** Skill settings for the skill methods; default RECOMMEND_SKILL_SETTINGS. */
  skillSettings?: readonly SkillSetting[];
  /** Groups below which the record is too short; default MIN_RECORD_QUESTIONS = 10. */
  minQuestions?: number;
}

const fmt = (x: number) => String(Number(x.toPrecision(6)));

function candidateOf(methodId: AggregationMethodId, alpha: number | null, skill: SkillSetting | null): MethodCandidate {
  let key: string = methodId;
  if (alpha !== null) key += ` alpha=${fmt(alpha)}`;
  if (skill !== null) key += ` priorCount=${fmt(skill.priorCount)} temperature=${fmt(skill.temperature)}`;
  return { methodId, alpha, skill, key };
}

/**
 * Time-averaged Brier of a series (exactly as `scoreSeries`, docs/formulas.md#method-series-score)
 * for each power of `alphas`: the points raised to alpha and renormalised first (alpha 1: the
 * points as they are). One pass over the series; null when nothing of the window is covered.
 * Raising the log pool e^(s_k) / Z to alpha and renormalising gives e^(alpha s_k) / Z', the
 * extremised pool of the same weights (docs/formulas.md#extremised-logarithmic-pool).
 */
export function seriesBriers(
  points: readonly AggregatePoint[],
  window: { start: number; end: number },
  outcome: number,
  alphas: readonly number[],
): number[] | null {
  const { start, end } = window;
  const na = alphas.length;
  const integrals = new Float64Array(na);
  let covered = 0;
  let logs = new Float64Array(0);
  let powered = new Float64Array(0);
  for (let i = 0; i < points.length; i++) {
    const pt = points[i] as AggregatePoint;
    if (pt.time > end) break;
    const next = points[i + 1];
    const from = Math.max(pt.time, start);
    const to = next === undefined ? end : Math.min(next.time, end);
    if (!(to > from)) continue;
    const dt = to - from;
    covered += dt;
    const p = pt.probabilities;
    const k = p.length;
    if (logs.length !== k) {
      logs = new Float64Array(k);
      powered = new Float64Array(k);
    }
    let logsReady = false;
    for (let a = 0; a < na; a++) {
      const alpha = alphas[a] as number;
      let b = 0;
      if (alpha === 1) {
        for (let j = 0; j < k; j++) {
          const d = (p[j] as number) - (j === outcome ? 1 : 0);
          b += d * d;
        }
      } else {
        if (!logsReady) {
          let max = -Infinity;
          for (let j = 0; j < k; j++) {
            const l = Math.log(p[j] as number);
            logs[j] = l;
            if (l > max) max = l;
          }
          for (let j = 0; j < k; j++) logs[j] = (logs[j] as number) - max;
          logsReady = true;
        }
        let z = 0;
        for (let j = 0; j < k; j++) {
          const e = Math.exp(alpha * (logs[j] as number));
          powered[j] = e;
          z += e;
        }
        for (let j = 0; j < k; j++) {
          const d = (powered[j] as number) / z - (j === outcome ? 1 : 0);
          b += d * d;
        }
      }
      integrals[a] = (integrals[a] as number) + b * dt;
    }
  }
  if (!(covered > 0)) return null;
  return Array.from(integrals, (x) => x / covered);
}

/** Mean of the paired differences and their standard error clustered by unit (null below 2 units). */
export function pairedDifference(diffs: readonly number[], unitOf: readonly number[]): { mean: number; standardError: number | null } {
  const n = diffs.length;
  let mean = 0;
  for (const d of diffs) mean += d;
  mean /= n;
  const clusters = new Map<number, number>();
  diffs.forEach((d, i) => clusters.set(unitOf[i] as number, (clusters.get(unitOf[i] as number) ?? 0) + d - mean));
  const g = clusters.size;
  if (g < 2) return { mean, standardError: null };
  let v = 0;
  for (const c of clusters.values()) v += c * c;
  return { mean, standardError: (Math.sqrt(v) / n) * Math.sqrt(g / (g - 1)) };
}

/**
 * The method the team's record favours (docs/formulas.md#method-recommendation).
 *
 * `record` is the team's resolved questions, each with its whole forecast history (every
 * forecaster, oldest first), scoring window and outcome. Candidates are the catalogue methods
 * (options.candidates, default all twelve); an extremised method is tried with every power of
 * options.alphas and a skill method with every setting of options.skillSettings. For each
 * question and candidate the aggregate series is computed once (`aggregateSeries`; the
 * extremised powers reuse the log pool's series) and scored by its time-averaged Brier over
 * the question's window (as `scoreSeries`). Skill weights for a question come from the
 * forecasters' relative Brier on every OTHER group of the record (`skillWeightsFromHistories`
 * with that group left out); a forecaster with no record there gets the neutral weight 1.
 *
 * - recommended: the candidate with the lowest mean over all scored questions (means within
 *   1e-12 tie, and the earlier candidate wins: the current method first), or the current
 *   method when tooShort;
 * - leaveOneOut: per group, the candidate with the lowest mean over the other groups, scored
 *   on the group left out; its mean, and the paired difference from the current method per
 *   question with its standard error clustered by group;
 * - methods: every candidate's mean and paired difference from the current method;
 * - tooShort: fewer than options.minQuestions (10) groups scored. It never switches by itself.
 *
 * Questions with no forecast standing in their window have no score and are listed in
 * `unscored`. The selection score of a question uses skill weights that may include the
 * question left out (one level of nesting, not two; docs/formulas.md#method-recommendation).
 *
 * Complexity: one series per question and (pool, weighting, skill setting): with the defaults
 * 3 pools x (2 + 3 settings) = 15 series per question, each O(N K) to O(N F K) for N forecasts
 * by F forecasters; the relative Brier once per question; the selection O(C G) for C
 * candidates and G groups. Measured: 50 questions x 4,000 forecasts by 25 forecasters over 4
 * scenarios in about 4.3 s of CPU, 3 s with one skill setting
 * (docs/formulas.md#method-recommendation): cache the result.
 * Throws MathInputError for an unknown method id (the message lists the valid ones), an
 * alpha below 1, a skill setting (of the grid or options.currentSkill) refused by
 * `skillWeightsFromRecords`, a question id twice, or
 * a history, window or outcome that `aggregateSeries` or `relativeBrier` refuses (naming the
 * question).
 *
 * @example const r = recommendMethod(resolvedQuestions, { currentMethodId: 'logarithmic-recency' });
 * if (r.tooShort) show('The record is too short to compare methods; keeping', r.current.candidate.methodId);
 * else show(r.recommended.key, r.leaveOneOut?.meanBrier, 'against', r.current.meanBrier,
 *   'difference', r.leaveOneOut?.difference, '±', r.leaveOneOut?.standardError, 'on', r.questionCount, 'questions');
 * @example recommendMethod(resolvedQuestions, {
 *   currentMethodId: 'extremised-skill', currentAlpha: 2, currentSkill: { priorCount: 20, temperature: 0.1 },
 * }).current.candidate.key // 'extremised-skill alpha=2 priorCount=20 temperature=0.1'
 */
export function recommendMethod(record: readonly ResolvedQuestion[], options: RecommendOptions = {}): MethodRecommendation {
  const fn = 'recommendMethod';
  const currentId = (options.currentMethodId ?? DEFAULT_AGGREGATION_METHOD_ID) as string;
  const findId = (id: string) => {
    try {
      return getAggregationMethod(id);
    } catch (e) {
      fail(fn, (e as Error).message.replace(/^getAggregationMethod: /, ''));
    }
  };
  const current = findId(currentId);
  const candidateIds = options.candidates ?? AGGREGATION_METHODS.map((m) => m.id);
  if (!Array.isArray(candidateIds) || candidateIds.length === 0) fail(fn, 'options.candidates is empty');
  const alphas = options.alphas ?? RECOMMEND_ALPHAS;
  if (!Array.isArray(alphas) || alphas.length === 0) fail(fn, 'options.alphas is empty');
  for (const a of alphas) checkAlpha(fn, a);
  const settings = options.skillSettings ?? RECOMMEND_SKILL_SETTINGS;
  if (!Array.isArray(settings) || settings.length === 0) fail(fn, 'options.skillSettings is empty');
  for (const s of settings) {
    try {
      skillWeightsFromRecords([], s);
    } catch (e) {
      fail(fn, `skill setting ${JSON.stringify(s)}: ${(e as Error).message}`);
    }
  }
  if (options.currentAlpha !== undefined) checkAlpha(fn, options.currentAlpha);
  const currentSkill = options.currentSkill;
  if (currentSkill !== undefined) {
    if (currentSkill === null || typeof currentSkill !== 'object') fail(fn, 'options.currentSkill must be { priorCount, temperature }');
    try {
      skillWeightsFromRecords([], currentSkill);
    } catch (e) {
      fail(fn, `options.currentSkill ${JSON.stringify(currentSkill)}: ${(e as Error).message}`);
    }
  }
  const minQuestions = options.minQuestions ?? MIN_RECORD_QUESTIONS;
  checkFinite(fn, minQuestions, 'minQuestions');

  // Candidates: the current method first (its power and skill setting, by default the
  // catalogue's power and the first skill setting), then the rest.
  const currentCandidate = candidateOf(
    current.id,
    current.options.method === 'extremised' ? (options.currentAlpha ?? current.options.alpha ?? DEFAULT_EXTREMISING_ALPHA) : null,
    current.needsSkillWeights ? { priorCount: (currentSkill ?? settings[0])!.priorCount, temperature: (currentSkill ?? settings[0])!.temperature } : null,
  );
  const candidates: MethodCandidate[] = [currentCandidate];
  const keys = new Set([currentCandidate.key]);
  let currentSelectable = false;
  for (const id of candidateIds) {
    const m = findId(id);
    const as = m.options.method === 'extremised' ? alphas : [null];
    const ss = m.needsSkillWeights ? settings : [null];
    for (const a of as) {
      for (const s of ss) {
        const c = candidateOf(m.id, a, s);
        if (c.key === currentCandidate.key) currentSelectable = true;
        if (keys.has(c.key)) continue;
        keys.add(c.key);
        candidates.push(c);
      }
    }
  }
  const selectable = candidates.map((_, i) => i > 0 || currentSelectable);

  // Candidates grouped by the series they are scored on; an extremised method shares the log
  // pool's series of the same weighting and skill setting.
  const bySeries = new Map<string, number[]>();
  candidates.forEach((c, i) => {
    const o = getAggregationMethod(c.methodId).options;
    const pool = o.method === 'extremised' ? 'logarithmic' : o.method;
    const key = `${pool}|${o.weighting}|${c.skill ? `${c.skill.priorCount}|${c.skill.temperature}` : ''}`;
    const g = bySeries.get(key);
    if (g) g.push(i);
    else bySeries.set(key, [i]);
  });

  // Units (groups) and every forecaster's relative Brier per unit, once.
  const units: RecordUnits = recordUnits(fn, record);

  // Scores: per question, per candidate. One series per (pool, weighting, setting).
  const scores: number[][] = [];
  const scoredIds: string[] = [];
  const scoredUnit: number[] = [];
  const unscored: string[] = [];
  record.forEach((q, qi) => {
    const u = units.unitOf[qi] as number;
    let recordsHere: ReturnType<typeof recordsFromUnits> | undefined;
    // Each series is computed once, scored for its candidates and dropped (keeping 15 series
    // of 4,000 points alive at once doubled the time spent collecting garbage).
    const seriesOf = (method: PoolMethod, weighting: Weighting, skill: SkillSetting | null): AggregatePoint[] => {
      try {
        if (weighting === 'skill') {
          recordsHere ??= recordsFromUnits(units, new Set([u]));
          const skillWeights = skillWeightsFromRecords(recordsHere, skill as SkillSetting);
          return aggregateSeries(q.history, { method, weighting, skillWeights, missingSkill: 'neutral' });
        }
        return aggregateSeries(q.history, { method, weighting });
      } catch (e) {
        fail(fn, `question "${q.id}": ${(e as Error).message}`);
      }
    };
    // Candidates by the series they score: (pool, weighting, skill setting) -> alphas.
    const row = new Array<number>(candidates.length);
    for (const [, group] of bySeries) {
      const first = candidates[group[0] as number] as MethodCandidate;
      const o = getAggregationMethod(first.methodId).options;
      const pool = o.method === 'extremised' ? 'logarithmic' : o.method;
      const b = seriesBriers(
        seriesOf(pool, o.weighting, first.skill),
        q.window,
        q.outcome,
        group.map((c) => (candidates[c] as MethodCandidate).alpha ?? 1),
      );
      if (b === null) {
        unscored.push(q.id);
        return;
      }
      group.forEach((c, i) => (row[c] = b[i] as number));
    }
    scores.push(row);
    scoredIds.push(q.id);
    scoredUnit.push(u);
  });

  const n = scores.length;
  const groupCount = new Set(scoredUnit).size;
  const tooShort = groupCount < minQuestions;
  const nc = candidates.length;
  const totals = new Float64Array(nc);
  for (const row of scores) for (let c = 0; c < nc; c++) totals[c] = (totals[c] as number) + (row[c] as number);

  const methods: CandidateScore[] =
    n === 0
      ? []
      : candidates.map((candidate, c) => {
          const d = pairedDifference(
            scores.map((row) => (row[c] as number) - (row[0] as number)),
            scoredUnit,
          );
          return { candidate, meanBrier: (totals[c] as number) / n, difference: d.mean, standardError: d.standardError };
        });

  let best = -1;
  for (let c = 0; c < nc; c++) {
    if (selectable[c] && (best < 0 || (totals[c] as number) / n < (totals[best] as number) / n - TIE_TOLERANCE)) best = c;
  }

  let leaveOneOut: MethodRecommendation['leaveOneOut'] = null;
  if (groupCount >= 2) {
    const unitTotals = new Map<number, { s: Float64Array; n: number }>();
    scores.forEach((row, i) => {
      const u = scoredUnit[i] as number;
      let t = unitTotals.get(u);
      if (!t) unitTotals.set(u, (t = { s: new Float64Array(nc), n: 0 }));
      for (let c = 0; c < nc; c++) t.s[c] = (t.s[c] as number) + (row[c] as number);
      t.n++;
    });
    const choiceOf = new Map<number, number>();
    for (const [u, t] of unitTotals) {
      let pick = -1;
      let pickMean = Infinity;
      for (let c = 0; c < nc; c++) {
        if (!selectable[c]) continue;
        const m = ((totals[c] as number) - (t.s[c] as number)) / (n - t.n);
        if (pick < 0 || m < pickMean - TIE_TOLERANCE) {
          pick = c;
          pickMean = m;
        }
      }
      choiceOf.set(u, pick);
    }
    const perQuestion = scores.map((row, i) => {
      const c = choiceOf.get(scoredUnit[i] as number) as number;
      return { id: scoredIds[i] as string, chosen: (candidates[c] as MethodCandidate).key, brier: row[c] as number, currentBrier: row[0] as number };
    });
    const d = pairedDifference(
      perQuestion.map((p) => p.brier - p.currentBrier),
      scoredUnit,
    );
    const counts = new Map<string, number>();
    for (const c of choiceOf.values()) {
      const key = (candidates[c] as MethodCandidate).key;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    leaveOneOut = {
      meanBrier: perQuestion.reduce((s, p) => s + p.brier, 0) / n,
      difference: d.mean,
      standardError: d.standardError,
      perQuestion,
      choices: [...counts].map(([key, count]) => ({ key, count })).sort((a, b) => b.count - a.count),
    };
  }

  const recommended = tooShort || best < 0 ? currentCandidate : (candidates[best] as MethodCandidate);
  const recommendedIndex = candidates.indexOf(recommended);
  return {
    tooShort,
    questionCount: n,
    groupCount,
    minQuestions,
    unscored,
    current: { candidate: currentCandidate, meanBrier: n > 0 ? (totals[0] as number) / n : null },
    recommended,
    recommendedMeanBrier: n > 0 ? (totals[recommendedIndex] as number) / n : null,
    leaveOneOut,
    methods,
  };
}
