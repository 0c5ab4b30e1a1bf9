// The method this team's record favours, for a team lead (docs/formulas.md#method-recommendation):
// shown on the question's review page beside the question's current method, with a one-click
// switch that never happens by itself.
import type { Db, Queryable } from '@/db/types';
import { recommendationFor } from '@/db/internal/record';
import type { MethodCandidate } from '@/lib/aggregation';
import { conflict } from '@/lib/errors';
import { assertRole, loadQuestionFor, type Actor } from './access';
import { questionFor, type QuestionDetailRef } from './questions';
import { setAggregationMethod } from './resolution';

export interface MethodChoice {
  methodId: string;
  /** The extremising power for an extremised method, else null. */
  alpha: number | null;
  /** The skill setting for a skill method, else null. */
  skill: { priorCount: number; temperature: number } | null;
}

export interface MethodRecommendationView {
  /** Fewer than `minQuestions` scored resolved questions: the current method is kept. */
  tooShort: boolean;
  /** Resolved questions with a score (a forecast standing in their window). */
  questionCount: number;
  minQuestions: number;
  current: MethodChoice & { meanBrier: number | null };
  /** The method with the lowest mean time-averaged Brier on the record (the current one when too short). */
  recommended: MethodChoice & {
    meanBrier: number | null;
    /** Mean over questions of (recommended - current); negative favours switching. */
    difference: number | null;
    standardError: number | null;
  };
  /** True when the recommendation is what the question already uses. */
  isCurrent: boolean;
  /** The leave-one-question-out estimate: each question scored by the method chosen without it. */
  leaveOneOut: { meanBrier: number; difference: number; standardError: number | null } | null;
  /** Milliseconds the computation took (it is cached per resolved-set version), and of them reading the record. */
  computeMs: number;
  readMs: number;
}

const sameSkill = (a: MethodChoice['skill'], b: MethodChoice['skill']) =>
  a === null || b === null ? a === b : a.priorCount === b.priorCount && a.temperature === b.temperature;
const sameChoice = (a: MethodChoice, b: MethodChoice) => a.methodId === b.methodId && (a.alpha ?? 0) === (b.alpha ?? 0) && sameSkill(a.skill, b.skill);
const choiceOf = (c: MethodCandidate): MethodChoice => ({
  methodId: c.methodId,
  alpha: c.alpha,
  skill: c.skill ? { priorCount: c.skill.priorCount, temperature: c.skill.temperature } : null,
});

async function compute(
  db: Queryable,
  q: { aggregationMethod: string; extremisingAlpha: number; skillSettings: { priorCount: number; temperature: number } },
): Promise<MethodRecommendationView> {
  const { recommendation: r, computeMs, readMs } = await recommendationFor(db, q.aggregationMethod, q.extremisingAlpha, q.skillSettings);
  const current = choiceOf(r.current.candidate);
  const recommended = choiceOf(r.recommended);
  const score = r.methods.find((m) => m.candidate.key === r.recommended.key);
  return {
    tooShort: r.tooShort,
    questionCount: r.questionCount,
    minQuestions: r.minQuestions,
    current: { ...current, meanBrier: r.current.meanBrier },
    recommended: {
      ...recommended,
      meanBrier: r.recommendedMeanBrier,
      difference: score?.difference ?? null,
      standardError: score?.standardError ?? null,
    },
    isCurrent: sameChoice(current, recommended),
    leaveOneOut: r.leaveOneOut ? { meanBrier: r.leaveOneOut.meanBrier, difference: r.leaveOneOut.difference, standardError: r.leaveOneOut.standardError } : null,
    computeMs,
    readMs,
  };
}

/** The recommendation for a question's method from the team's resolved questions (leads only). */
export async function getMethodRecommendation(db: Queryable, actor: Actor, ref: QuestionDetailRef): Promise<MethodRecommendationView> {
  assertRole(actor, ['lead'], "see the method the team's record favours");
  const q = await questionFor(db, actor, ref);
  return compute(db, q);
}

/**
 * Switches the question to the method (with its power and skill setting) the team's record
 * favours, as a lead's explicit choice, through setAggregationMethod: validated, audited, and
 * it bumps the question's version. 409 when the record is too short or the question already
 * uses it.
 */
export async function switchToRecommendedMethod(db: Db, actor: Actor, questionId: number, now = Date.now()): Promise<MethodChoice> {
  assertRole(actor, ['lead'], 'choose the aggregation method');
  const q = await loadQuestionFor(db, actor, questionId);
  const view = await compute(db, { ...q, skillSettings: { priorCount: q.skillPriorCount, temperature: q.skillTemperature } });
  if (view.tooShort) {
    throw conflict(`The team's record is too short to recommend a method (${view.questionCount} of the ${view.minQuestions} resolved questions needed): the current method stays.`);
  }
  if (view.isCurrent) throw conflict('This question already uses the method the team’s record favours.');
  const { methodId, alpha, skill } = view.recommended;
  await setAggregationMethod(
    db,
    actor,
    questionId,
    { methodId, ...(alpha !== null ? { alpha } : {}), ...(skill !== null ? { priorCount: skill.priorCount, temperature: skill.temperature } : {}), via: 'recommendation' },
    now,
  );
  return { methodId, alpha, skill };
}
