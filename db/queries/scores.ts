// Scores after resolution: per question, the leaderboard and personal track records.
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Queryable } from '@/db/types';
import { forecasterScores, forecasts, questions } from '@/db/schema';
import { listForecastRows, userNames } from '@/db/internal/rows';
import { keptScoresOf, scoringFrame, skillRecords } from '@/db/internal/scores';
import { getSnapshot } from '@/db/internal/snapshot';
import { calibrationBins, forecastPairs, type CalibrationBin, type ForecastPair } from '@/lib/calibration';
import { conflict } from '@/lib/errors';
import { brier, updateValue } from '@/lib/scoring';
import { TEAM_ROLES, assertRole, type Actor } from './access';
import { listIndicatorEvents } from './events';
import { questionFor, type QuestionDetailRef as QuestionRef } from './questions';

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
  const outcomeIndex = q.scenarios.findIndex((s) => s.id === q.resolvedScenarioId);
  if (q.status !== 'resolved' || q.resolvedAt === null || outcomeIndex < 0) {
    throw conflict(q.status === 'annulled' ? 'This question was annulled: it has no scores.' : 'This question is not resolved yet: scores appear once a lead resolves it.');
  }
  const window = { start: q.opensAt, end: Math.max(q.opensAt + 1, Math.min(q.closesAt, q.resolvedAt)) };
  // One after another: the caller may pass a transaction, which on PostgreSQL runs one query at a time.
  const snapshot = await getSnapshot(db, q.id, q.version);
  const kept = await keptScoresOf(db, q.id);
  const events = await listIndicatorEvents(db, actor, q);
  const names = await userNames(db, kept.map((k) => k.userId));
  const forecasters: ForecasterScore[] = kept.map((k) => ({ ...k, name: names.get(k.userId) ?? '?' }));
  forecasters.sort((a, b) => (a.relativeBrier ?? Infinity) - (b.relativeBrier ?? Infinity) || a.userId - b.userId);
  const methods = (await snapshot.methodScores) ?? [];
  const eventValues = events.map((e) => {
    const updates = snapshot.rows.filter((r) => r.event?.id === e.id && r.prior !== null);
    const value = updates.reduce((sum, r) => sum + updateValue(r.prior!, r.probabilities, outcomeIndex), 0);
    return { eventId: e.id, indicatorName: e.indicatorName, kind: e.kind, retracted: e.retracted !== null, value, updates: updates.length };
  });
  return { outcomeIndex, outcomeName: q.scenarios[outcomeIndex]?.name ?? '?', window, forecasters, methods, events: eventValues };
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
  const names = await userNames(db);
  const records = await skillRecords(db, null);
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

/** A user's resolved forecasts with their kept scores, and calibration over all of them. */
export async function getTrackRecord(db: Queryable, actor: Actor, userId = actor.id): Promise<TrackRecord> {
  assertRole(actor, TEAM_ROLES, 'see track records');
  if (userId !== actor.id) assertRole(actor, ['lead'], "see another member's track record");
  const kept = await db
    .select({ questionId: forecasterScores.questionId, timeAveragedBrier: forecasterScores.timeAveragedBrier, relativeBrier: forecasterScores.relativeBrier, coverage: forecasterScores.coverage })
    .from(forecasterScores)
    .innerJoin(questions, eq(questions.id, forecasterScores.questionId))
    .where(and(eq(forecasterScores.userId, userId), eq(questions.status, 'resolved')))
    .orderBy(asc(forecasterScores.questionId));
  const pairs: ForecastPair[] = [];
  const out: TrackRecord['questions'] = [];
  for (const k of kept) {
    // Only this user's forecasts are read: the question's kept scores need no others.
    const frame = await scoringFrame(db, k.questionId, await listForecastRows(db, k.questionId, [userId]));
    if (!frame) continue;
    const mine = frame.rows.filter((r) => r.createdAt <= frame.window.end);
    for (const f of mine) pairs.push(...forecastPairs(f.probabilities, frame.outcomeIndex));
    out.push({
      id: k.questionId,
      title: frame.title,
      outcomeName: frame.scenarioNames[frame.outcomeIndex] ?? '?',
      timeAveragedBrier: k.timeAveragedBrier,
      relativeBrier: k.relativeBrier,
      coverage: k.coverage,
      forecasts: mine.map((f) => ({ id: f.id, createdAt: f.createdAt, probabilities: f.probabilities, brier: brier(f.probabilities, frame.outcomeIndex), eventName: f.event?.indicatorName ?? null })),
      scenarioNames: frame.scenarioNames,
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
