/**
 * Which signposts discriminated (docs/formulas.md#indicator-discrimination): after
 * resolution, how well each likelihood judgement of an indicator predicted what was observed,
 * given the scenario that happened, against a flat baseline; per indicator and judge, per
 * indicator and per judge.
 */
import { checkFiniteArray, checkOutcome, describe, fail } from './math-errors';
import { MAX_PROBABILITY, MIN_PROBABILITY } from './probability';

/** The judge key of a lead's team default likelihoods. */
export const TEAM_DEFAULT_JUDGE = 'team-default';

/** One likelihood judgement of an indicator on a resolved question. */
export interface LikelihoodJudgement {
  /** The indicator, unique across the questions passed (e.g. its id). */
  indicatorKey: string;
  /** Who judged: a forecaster id, or TEAM_DEFAULT_JUDGE for the lead's team default. */
  judgeKey: string;
  /** P(indicator observed | scenario k) for every scenario k, each in [0, 1]. */
  likelihoods: readonly number[];
  /** Index of the scenario that happened. */
  outcome: number;
  /** True when the indicator was observed, false when its deadline passed without it. */
  observed: boolean;
}

/** Summary of a set of judgement scores (in nats: natural logarithms). */
export interface DiscriminationStats {
  /** Judgements scored. */
  count: number;
  /** Of them, judgements of an indicator that was observed (the rest: deadline passed). */
  observedCount: number;
  /**
   * Mean score ln(e_o / mean_k e_k): above 0 the likelihoods favoured what was seen under the
   * scenario that happened, 0 they could not tell the scenarios apart, below 0 they pointed
   * away from what happened.
   */
  meanScore: number;
  /** Standard error of meanScore, s / sqrt(count); null when count < 2. */
  standardError: number | null;
  /** Judgements scoring above 0 (favoured what happened) and below 0. */
  favouredCount: number;
  disfavouredCount: number;
  /**
   * Mean over the judgements of ln K, the score of likelihoods that rule out every scenario but
   * the one that happened (before clamping): the most a judgement can score.
   */
  meanCeiling: number;
}

/** One row per (indicator, judge). */
export interface DiscriminationRow extends DiscriminationStats {
  indicatorKey: string;
  judgeKey: string;
}

/** What `indicatorDiscrimination` returns; every list in order of first appearance. */
export interface DiscriminationResult {
  /** Per indicator and judge (the team default and each forecaster). */
  rows: DiscriminationRow[];
  /**
   * Per indicator: the team default's judgements apart, and every forecaster's judgements of
   * it together.
   */
  indicators: { indicatorKey: string; teamDefault: DiscriminationStats | null; forecasters: DiscriminationStats | null }[];
  /** Per judge over every indicator they judged: whose likelihoods discriminate. */
  judges: ({ judgeKey: string } & DiscriminationStats)[];
}

const clamp = (x: number) => (x < MIN_PROBABILITY ? MIN_PROBABILITY : x > MAX_PROBABILITY ? MAX_PROBABILITY : x);

/**
 * The score of one judgement (docs/formulas.md#indicator-discrimination): with e_k the
 * probability the judgement gave to what was seen under scenario k (L_k when observed,
 * 1 - L_k when not), clamped to [0.001, 0.999],
 *   score = ln( e_o / ((1/K) sum_k e_k) ),
 * the log Bayes factor of the scenario that happened against a flat mixture of all scenarios
 * (Good 1950's weight of evidence), equal to the log score gain (Good 1952) of the posterior
 * from a flat prior over the flat prior itself: ln(K q_o) with q = posterior(flat, e).
 * Complexity O(K). Throws MathInputError naming `fn` as `indicatorDiscrimination` does.
 *
 * @example judgementScore([0.8, 0.2], 0, true) // ln(0.8 / 0.5) = ln 1.6 ≈ 0.4700
 * @example judgementScore([0.8, 0.2], 0, false) // ln(0.2 / 0.5) = ln 0.4 ≈ -0.9163
 * @example judgementScore([0.4, 0.4, 0.4], 1, true) // 0: flat likelihoods tell nothing
 */
export function judgementScore(likelihoods: readonly number[], outcome: number, observed: boolean, fn = 'judgementScore'): number {
  checkFiniteArray(fn, likelihoods, 'likelihoods', 0, 1);
  if (likelihoods.length < 2) fail(fn, `likelihoods has ${likelihoods.length} value; at least 2 scenarios are needed`);
  checkOutcome(fn, outcome, likelihoods.length);
  if (typeof observed !== 'boolean') fail(fn, `observed is not a boolean (${describe(observed)})`);
  const k = likelihoods.length;
  let sum = 0;
  for (const l of likelihoods) sum += clamp(observed ? l : 1 - l);
  const eo = clamp(observed ? (likelihoods[outcome] as number) : 1 - (likelihoods[outcome] as number));
  return Math.log((eo * k) / sum);
}

class Acc {
  readonly scores: number[] = [];
  observed = 0;
  ceiling = 0;
  get n(): number {
    return this.scores.length;
  }
  add(score: number, observed: boolean, k: number): void {
    this.scores.push(score);
    if (observed) this.observed++;
    this.ceiling += Math.log(k);
  }
  stats(): DiscriminationStats {
    const n = this.scores.length;
    let sum = 0;
    for (const x of this.scores) sum += x;
    const mean = sum / n;
    let ss = 0;
    for (const x of this.scores) ss += (x - mean) * (x - mean);
    return {
      count: n,
      observedCount: this.observed,
      meanScore: mean,
      standardError: n > 1 ? Math.sqrt(ss / (n - 1) / n) : null,
      favouredCount: this.scores.filter((x) => x > 0).length,
      disfavouredCount: this.scores.filter((x) => x < 0).length,
      meanCeiling: this.ceiling / n,
    };
  }
}

/**
 * Which signposts discriminated (docs/formulas.md#indicator-discrimination): each judgement
 * is scored by `judgementScore` (ln of the likelihood of what was seen under the scenario that
 * happened, over the same judgement's likelihoods averaged over the scenarios; 0 for a
 * judgement that cannot tell the scenarios apart), and the scores are summarised per
 * (indicator, judge), per indicator (team default apart from the forecasters together) and per
 * judge. Scores are in nats; a score s means the judgement would have multiplied the odds of
 * the scenario that happened, against the others taken equally, by about e^s.
 *
 * Pass one judgement per judge and indicator: the likelihoods standing when the indicator was
 * observed or its deadline passed. An indicator never observed whose deadline has not passed
 * has nothing to score; leave it out.
 *
 * Complexity O(J K) for J judgements. Throws MathInputError (naming indicatorDiscrimination)
 * for a key that is not a string, likelihoods that are not finite, outside [0, 1] or fewer
 * than 2, an outcome outside the scenarios, or `observed` not a boolean. An empty list gives
 * empty lists.
 *
 * @example indicatorDiscrimination([
 *   { indicatorKey: 'muscat-suspended', judgeKey: 'team-default', likelihoods: [0.1, 0.6, 0.7, 0.2], outcome: 1, observed: true },
 *   { indicatorKey: 'muscat-suspended', judgeKey: 'u3', likelihoods: [0.5, 0.5, 0.5, 0.5], outcome: 1, observed: true },
 * ]).rows
 * // [{ indicatorKey: 'muscat-suspended', judgeKey: 'team-default', count: 1, observedCount: 1,
 * //    meanScore: ln(0.6 / 0.4) ≈ 0.4055, standardError: null, favouredCount: 1, disfavouredCount: 0, meanCeiling: ln 4 ≈ 1.386 },
 * //  { ..., judgeKey: 'u3', meanScore: 0, favouredCount: 0, ... }]
 */
export function indicatorDiscrimination(judgements: readonly LikelihoodJudgement[]): DiscriminationResult {
  const fn = 'indicatorDiscrimination';
  if (!Array.isArray(judgements)) fail(fn, 'judgements is not an array');
  const rows = new Map<string, { indicatorKey: string; judgeKey: string; acc: Acc }>();
  const indicators = new Map<string, { team: Acc; forecasters: Acc }>();
  const judges = new Map<string, Acc>();
  judgements.forEach((j, i) => {
    if (j === null || typeof j !== 'object') fail(fn, `judgements[${i}] is not an object`);
    if (typeof j.indicatorKey !== 'string') fail(fn, `judgements[${i}].indicatorKey is not a string`);
    if (typeof j.judgeKey !== 'string') fail(fn, `judgements[${i}].judgeKey is not a string`);
    let score: number;
    try {
      score = judgementScore(j.likelihoods, j.outcome, j.observed, fn);
    } catch (e) {
      fail(fn, `judgements[${i}] (indicator "${j.indicatorKey}", judge "${j.judgeKey}"): ${(e as Error).message.replace(/^indicatorDiscrimination: /, '')}`);
    }
    const k = j.likelihoods.length;
    const key = JSON.stringify([j.indicatorKey, j.judgeKey]);
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { indicatorKey: j.indicatorKey, judgeKey: j.judgeKey, acc: new Acc() }));
    row.acc.add(score, j.observed, k);
    let ind = indicators.get(j.indicatorKey);
    if (!ind) indicators.set(j.indicatorKey, (ind = { team: new Acc(), forecasters: new Acc() }));
    (j.judgeKey === TEAM_DEFAULT_JUDGE ? ind.team : ind.forecasters).add(score, j.observed, k);
    let judge = judges.get(j.judgeKey);
    if (!judge) judges.set(j.judgeKey, (judge = new Acc()));
    judge.add(score, j.observed, k);
  });
  return {
    rows: [...rows.values()].map((r) => ({ indicatorKey: r.indicatorKey, judgeKey: r.judgeKey, ...r.acc.stats() })),
    indicators: [...indicators].map(([indicatorKey, a]) => ({
      indicatorKey,
      teamDefault: a.team.n > 0 ? a.team.stats() : null,
      forecasters: a.forecasters.n > 0 ? a.forecasters.stats() : null,
    })),
    judges: [...judges].map(([judgeKey, a]) => ({ judgeKey, ...a.stats() })),
  };
}
