// Scores after resolution: per question, the leaderboard and personal track records.
import { and, eq, inArray } from 'drizzle-orm';
import type { Queryable } from '@/db/types';
import { forecasts, questions } from '@/db/schema';
import { userNames } from '@/db/internal/rows';
import { scoreResolvedQuestion, skillRecords, skillWeightsForTeam } from '@/db/internal/scores';
import { AGGREGATION_METHODS, aggregateSeries } from '@/lib/aggregation';
import { calibrationBins, forecastPairs, type CalibrationBin, type ForecastPair } from '@/lib/calibration';
import { conflict } from '@/lib/errors';
import { brier, logScore, normalisedLogScore, scoreSeries, updateValue } from '@/lib/scoring';
import { TEAM_ROLES, assertRole, type Actor } from './access';
import { listIndicatorEvents } from './events';
import { questionFor, type QuestionDetailRef as QuestionRef } from './questions';
import { optionsFor } from './team-view';

export interface ForecasterScore {
  userId: number;
  name: string;
  timeAveragedBrier: number | null;
  coverage: number;
  relativeBrier: number | null;
  finalBrier: number | null;
  logScore: number | null;
  normalisedLogScore: number | null;
  forecastCount: number;
}

export interface ScoresView {
  outcomeIndex: number;
  outcomeName: string;
  window: { start: number; end: number };
  forecasters: ForecasterScore[];
  methods: { id: string; timeAveragedBrier: number | null; coverage: number }[];
  events: { eventId: number; indicatorName: string; kind: string; retracted: boolean; value: number; updates: number }[];
}

/** Every score of a resolved question. Throws a conflict (409) when it is not resolved. */
export async function getScoresView(db: Queryable, actor: Actor, ref: QuestionRef): Promise<ScoresView> {
  const q = await questionFor(db, actor, ref);
  const scored = await scoreResolvedQuestion(db, q.id);
  if (!scored) throw conflict(q.status === 'annulled' ? 'This question was annulled: it has no scores.' : 'This question is not resolved yet: scores appear once a lead resolves it.');
  const names = await userNames(db);
  const { window, outcomeIndex, histories, relative, rows } = scored;
  const forecasters: ForecasterScore[] = [...histories.entries()].map(([userId, h]) => {
    const inWindow = h.filter((s) => s.time <= window.end);
    const final = inWindow.at(-1)?.probabilities ?? null;
    const r = relative.get(userId);
    return {
      userId,
      name: names.get(userId) ?? '?',
      timeAveragedBrier: r?.timeAveragedBrier ?? null,
      coverage: r?.coverage ?? 0,
      relativeBrier: r?.relativeBrier ?? null,
      finalBrier: final ? brier(final, outcomeIndex) : null,
      logScore: final ? logScore(final, outcomeIndex) : null,
      normalisedLogScore: final ? normalisedLogScore(final, outcomeIndex) : null,
      forecastCount: h.length,
    };
  });
  forecasters.sort((a, b) => (a.relativeBrier ?? Infinity) - (b.relativeBrier ?? Infinity));

  const history = rows
    .filter((r) => r.createdAt <= window.end)
    .map((r) => ({ forecasterId: String(r.userId), time: r.createdAt, probabilities: r.probabilities }));
  let weights: Promise<Map<string, number>> | undefined;
  const skill = () => (weights ??= skillWeightsForTeam(db, q.id));
  const methods = await Promise.all(
    AGGREGATION_METHODS.map(async (m) => {
      if (history.length === 0) return { id: m.id, timeAveragedBrier: null, coverage: 0 };
      const s = scoreSeries(aggregateSeries(history, await optionsFor(m.id, skill)), window, outcomeIndex);
      return { id: m.id, timeAveragedBrier: s.score, coverage: s.coverage };
    }),
  );

  const events = (await listIndicatorEvents(db, actor, q.id)).map((e) => {
    const updates = rows.filter((r) => r.event?.id === e.id && r.prior !== null);
    const value = updates.reduce((sum, r) => sum + updateValue(r.prior!, r.probabilities, outcomeIndex), 0);
    return { eventId: e.id, indicatorName: e.indicatorName, kind: e.kind, retracted: e.retracted !== null, value, updates: updates.length };
  });
  return { outcomeIndex, outcomeName: q.scenarios[outcomeIndex]?.name ?? '?', window, forecasters, methods, events };
}

export interface LeaderboardRow {
  userId: number;
  name: string;
  questions: number;
  meanRelativeBrier: number;
  meanCoverage: number;
}

/** Mean relative Brier across resolved questions, best first, for forecasters with enough questions. */
export async function getLeaderboard(db: Queryable, actor: Actor, minQuestions = 1): Promise<LeaderboardRow[]> {
  assertRole(actor, TEAM_ROLES, 'see the leaderboard');
  const [names, records] = await Promise.all([userNames(db), skillRecords(db, null)]);
  return [...records.entries()]
    .filter(([, r]) => r.n >= minQuestions)
    .map(([userId, r]) => ({ userId, name: names.get(userId) ?? '?', questions: r.n, meanRelativeBrier: r.sum / r.n, meanCoverage: r.coverage / r.n }))
    .sort((a, b) => a.meanRelativeBrier - b.meanRelativeBrier);
}

export interface TrackRecord {
  questions: {
    id: number;
    title: string;
    outcomeName: string;
    timeAveragedBrier: number | null;
    relativeBrier: number | null;
    coverage: number;
    forecasts: { id: number; createdAt: number; probabilities: number[]; brier: number; eventName: string | null }[];
    scenarioNames: string[];
  }[];
  calibration: CalibrationBin[];
  pairCount: number;
}

/** A user's resolved forecasts with their scores, and calibration over all of them. */
export async function getTrackRecord(db: Queryable, actor: Actor, userId = actor.id): Promise<TrackRecord> {
  assertRole(actor, TEAM_ROLES, 'see track records');
  if (userId !== actor.id) assertRole(actor, ['lead'], "see another member's track record");
  const resolvedIds = (
    await db
      .selectDistinct({ id: forecasts.questionId })
      .from(forecasts)
      .innerJoin(questions, eq(questions.id, forecasts.questionId))
      .where(and(eq(forecasts.userId, userId), eq(questions.status, 'resolved')))
  )
    .map((r) => r.id)
    .sort((a, b) => a - b);
  const pairs: ForecastPair[] = [];
  const out: TrackRecord['questions'] = [];
  for (const qid of resolvedIds) {
    const scored = await scoreResolvedQuestion(db, qid);
    if (!scored) continue;
    const mine = scored.rows.filter((r) => r.userId === userId && r.createdAt <= scored.window.end);
    for (const f of mine) pairs.push(...forecastPairs(f.probabilities, scored.outcomeIndex));
    const r = scored.relative.get(userId);
    out.push({
      id: qid,
      title: scored.title,
      outcomeName: scored.scenarioNames[scored.outcomeIndex] ?? '?',
      timeAveragedBrier: r?.timeAveragedBrier ?? null,
      relativeBrier: r?.relativeBrier ?? null,
      coverage: r?.coverage ?? 0,
      forecasts: mine.map((f) => ({ id: f.id, createdAt: f.createdAt, probabilities: f.probabilities, brier: brier(f.probabilities, scored.outcomeIndex), eventName: f.event?.indicatorName ?? null })),
      scenarioNames: scored.scenarioNames,
    });
  }
  return { questions: out, calibration: calibrationBins(pairs, 10), pairCount: pairs.length };
}

/** For the lead's review page: which forecasters have updated on each event. */
export async function respondersTo(db: Queryable, actor: Actor, eventIds: readonly number[]): Promise<Map<number, Set<number>>> {
  assertRole(actor, ['lead'], 'review who has responded to events');
  const out = new Map<number, Set<number>>();
  if (eventIds.length === 0) return out;
  for (const r of await db.select({ userId: forecasts.userId, eventId: forecasts.eventId }).from(forecasts).where(inArray(forecasts.eventId, [...eventIds]))) {
    if (r.eventId === null) continue;
    const set = out.get(r.eventId) ?? new Set<number>();
    set.add(r.userId);
    out.set(r.eventId, set);
  }
  return out;
}
