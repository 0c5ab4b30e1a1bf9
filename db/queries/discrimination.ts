// Which signposts discriminated (docs/formulas.md#indicator-discrimination), across the team's
// resolved questions: for the team default and per forecaster. Leads see everyone's numbers;
// each member sees their own and the team default's, never another person's.
import type { Queryable } from '@/db/types';
import { loadResolvedJudgements, teamJudgements, type ResolvedJudgement, type TeamJudgements } from '@/db/internal/discrimination';
import { userNames } from '@/db/internal/rows';
import { TEAM_DEFAULT_JUDGE, indicatorDiscrimination, type DiscriminationStats } from '@/lib/discrimination';
import { assertRole, isLead, TEAM_ROLES, type Actor } from './access';
import { conflict } from '@/lib/errors';
import { questionFor, type QuestionDetailRef } from './questions';

export type { DiscriminationStats };

export interface IndicatorDiscriminationView {
  indicatorId: number;
  name: string;
  questionId: number;
  questionTitle: string;
  /** The lead's team default likelihoods, scored; null when none was set in time. */
  teamDefault: DiscriminationStats | null;
  /** Every forecaster's judgements together (leads only; null otherwise or when none). */
  forecasters: DiscriminationStats | null;
  /** Per forecaster: everyone for a lead, only the actor otherwise. */
  byForecaster: { userId: number; name: string; stats: DiscriminationStats }[];
}

export interface DiscriminationView {
  indicators: IndicatorDiscriminationView[];
  /** Per judge over every indicator: the team default first, then forecasters (only the actor unless a lead). */
  judges: { userId: number | null; name: string; stats: DiscriminationStats }[];
  /** Resolved questions with at least one scored indicator. */
  questionCount: number;
}

async function viewOf(db: Queryable, actor: Actor, data: TeamJudgements): Promise<DiscriminationView> {
  const lead = isLead(actor);
  const mayShow = (j: ResolvedJudgement) => lead || j.userId === null || j.userId === actor.id;
  const shown = data.judgements.filter(mayShow);
  const result = indicatorDiscrimination(shown);
  const names = await userNames(db, shown.flatMap((j) => (j.userId === null ? [] : [j.userId])));
  const nameOf = (judgeKey: string) => (judgeKey === TEAM_DEFAULT_JUDGE ? 'Team default' : names.get(Number(judgeKey)) ?? '?');
  const indicators: IndicatorDiscriminationView[] = result.indicators.map((ind) => {
    const info = data.indicators.get(Number(ind.indicatorKey))!;
    return {
      indicatorId: info.id,
      name: info.name,
      questionId: info.questionId,
      questionTitle: info.questionTitle,
      teamDefault: ind.teamDefault,
      forecasters: lead ? ind.forecasters : null,
      byForecaster: result.rows
        .filter((r) => r.indicatorKey === ind.indicatorKey && r.judgeKey !== TEAM_DEFAULT_JUDGE)
        .map(({ indicatorKey: _i, judgeKey, ...stats }) => ({ userId: Number(judgeKey), name: nameOf(judgeKey), stats })),
    };
  });
  const judges = result.judges
    .map(({ judgeKey, ...stats }) => ({ userId: judgeKey === TEAM_DEFAULT_JUDGE ? null : Number(judgeKey), name: nameOf(judgeKey), stats }))
    .sort((a, b) => (a.userId === null ? -1 : b.userId === null ? 1 : a.name.localeCompare(b.name)));
  return { indicators, judges, questionCount: new Set(shown.map((j) => j.questionId)).size };
}

/** Every indicator of the team's resolved questions, with every forecaster's numbers (leads only). */
export async function getTeamDiscrimination(db: Queryable, actor: Actor): Promise<DiscriminationView> {
  assertRole(actor, ['lead'], "see every forecaster's signpost scores");
  return viewOf(db, actor, await teamJudgements(db));
}

/** The indicators the actor judged on resolved questions: their own numbers and the team default's. */
export async function getMyDiscrimination(db: Queryable, actor: Actor): Promise<DiscriminationView> {
  assertRole(actor, TEAM_ROLES, 'see a track record');
  const data = await teamJudgements(db);
  const judged = new Set(data.judgements.filter((j) => j.userId === actor.id).map((j) => j.indicatorId));
  // Only the indicators they judged; the lead's own view here is theirs too.
  const own = { ...data, judgements: data.judgements.filter((j) => judged.has(j.indicatorId) && (j.userId === null || j.userId === actor.id)) };
  return viewOf(db, { ...actor, role: actor.role === 'lead' ? 'forecaster' : actor.role }, own);
}

/**
 * One resolved question's indicators (the scores CSV): the team default and every forecaster
 * for a lead, the team default and the actor's own for anyone else. 409 until it is resolved,
 * 404 when the actor may not see it (as its scores).
 */
export async function getQuestionDiscrimination(db: Queryable, actor: Actor, ref: QuestionDetailRef): Promise<DiscriminationView> {
  const q = await questionFor(db, actor, ref);
  if (q.status !== 'resolved') throw conflict('This question is not resolved yet: its signposts are scored once a lead resolves it.');
  return viewOf(db, actor, await loadResolvedJudgements(db, q.id));
}

