// Row readers that do NOT check who is asking. They serve the guarded queries in db/queries,
// which decide visibility first (db/queries/access.ts); app/ and server/ may not import this
// folder (scripts/architecture.test.ts enforces it).
import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { Queryable } from '@/db/types';
import {
  forecastProbabilities,
  forecasts,
  indicatorEvents,
  indicators,
  likelihoodJudgements,
  likelihoodValues,
  scenarios,
  users,
} from '@/db/schema';
import type { EventKind } from '@/lib/domain';
import { pendingEvents } from '@/lib/team-view';

export interface ScenarioRow {
  id: number;
  position: number;
  name: string;
  description: string;
}

export interface IndicatorSummary {
  id: number;
  position: number;
  name: string;
  description: string;
  deadline: number | null;
  retiredAt: number | null;
}

/** A question's scenarios in their order; every read that aligns vectors to scenarios uses it. */
export function listScenariosOf(db: Queryable, questionId: number): Promise<ScenarioRow[]> {
  return db
    .select({ id: scenarios.id, position: scenarios.position, name: scenarios.name, description: scenarios.description })
    .from(scenarios)
    .where(eq(scenarios.questionId, questionId))
    .orderBy(asc(scenarios.position));
}

/** A question's indicators in their order, retired ones included. */
export function listIndicatorsOf(db: Queryable, questionId: number): Promise<IndicatorSummary[]> {
  return db
    .select({
      id: indicators.id,
      position: indicators.position,
      name: indicators.name,
      description: indicators.description,
      deadline: indicators.deadline,
      retiredAt: indicators.retiredAt,
    })
    .from(indicators)
    .where(eq(indicators.questionId, questionId))
    .orderBy(asc(indicators.position), asc(indicators.id));
}

/**
 * Display names by id (deactivated members included, for history): of the given ids, or of
 * every member when none are given.
 */
export async function userNames(db: Queryable, ids?: Iterable<number>): Promise<Map<number, string>> {
  const wanted = ids === undefined ? undefined : [...new Set(ids)];
  if (wanted && wanted.length === 0) return new Map();
  const out = new Map<number, string>();
  const chunks = wanted ? Array.from({ length: Math.ceil(wanted.length / 500) }, (_, i) => wanted.slice(i * 500, i * 500 + 500)) : [undefined];
  for (const chunk of chunks) {
    const rows = await db.select({ id: users.id, name: users.name }).from(users).where(chunk ? inArray(users.id, chunk) : undefined);
    for (const u of rows) out.set(u.id, u.name);
  }
  return out;
}

export interface ForecastHistoryItem {
  id: number;
  userId: number;
  createdAt: number;
  rationale: string;
  /** True for a reaffirmation: the standing vector recorded again ("still my forecast"). */
  reaffirmation: boolean;
  event: { id: number; indicatorName: string; kind: EventKind; occurredAt: number; retracted: boolean } | null;
  /** Aligned with the question's scenarios (by position). */
  probabilities: number[];
  prior: number[] | null;
  likelihoods: number[] | null;
  implied: number[] | null;
}

/**
 * Forecasts on a question, newest first, aligned to the scenario order. `userIds` limits the
 * rows to some users. Callers decide who may see whose forecasts (team-view's canSeeTeamView).
 */
export async function listForecastRows(db: Queryable, questionId: number, userIds?: readonly number[]): Promise<ForecastHistoryItem[]> {
  const scen = await listScenariosOf(db, questionId);
  const pos = new Map(scen.map((s, i) => [s.id, i]));
  const which = userIds ? and(eq(forecasts.questionId, questionId), inArray(forecasts.userId, [...userIds])) : eq(forecasts.questionId, questionId);
  const rows = await db
    .select({
      id: forecasts.id,
      userId: forecasts.userId,
      createdAt: forecasts.createdAt,
      rationale: forecasts.rationale,
      reaffirmation: forecasts.reaffirmation,
      eventId: forecasts.eventId,
      indicatorName: indicators.name,
      kind: indicatorEvents.kind,
      occurredAt: indicatorEvents.occurredAt,
      retractedAt: indicatorEvents.retractedAt,
    })
    .from(forecasts)
    .leftJoin(indicatorEvents, eq(indicatorEvents.id, forecasts.eventId))
    .leftJoin(indicators, eq(indicators.id, indicatorEvents.indicatorId))
    .where(which)
    .orderBy(desc(forecasts.createdAt), desc(forecasts.id));
  if (rows.length === 0) return [];
  const items = new Map<number, ForecastHistoryItem>();
  for (const r of rows) {
    items.set(r.id, {
      id: r.id,
      userId: r.userId,
      createdAt: r.createdAt,
      rationale: r.rationale,
      reaffirmation: r.reaffirmation,
      event:
        r.eventId !== null && r.kind !== null
          ? { id: r.eventId, indicatorName: r.indicatorName ?? '', kind: r.kind, occurredAt: r.occurredAt ?? 0, retracted: r.retractedAt !== null }
          : null,
      probabilities: new Array<number>(scen.length).fill(0),
      prior: null,
      likelihoods: null,
      implied: null,
    });
  }
  // One query for every probability row of the question (an index on forecasts covers it).
  const probabilityRows = await db
    .select({
      forecastId: forecastProbabilities.forecastId,
      scenarioId: forecastProbabilities.scenarioId,
      probability: forecastProbabilities.probability,
      prior: forecastProbabilities.prior,
      likelihood: forecastProbabilities.likelihood,
      impliedPosterior: forecastProbabilities.impliedPosterior,
    })
    .from(forecastProbabilities)
    .innerJoin(forecasts, eq(forecasts.id, forecastProbabilities.forecastId))
    .where(which);
  for (const p of probabilityRows) {
    const item = items.get(p.forecastId);
    const k = pos.get(p.scenarioId);
    if (!item || k === undefined) continue;
    item.probabilities[k] = p.probability;
    if (p.prior !== null) (item.prior ??= new Array<number>(scen.length).fill(0))[k] = p.prior;
    if (p.likelihood !== null) (item.likelihoods ??= new Array<number>(scen.length).fill(0))[k] = p.likelihood;
    if (p.impliedPosterior !== null) (item.implied ??= new Array<number>(scen.length).fill(0))[k] = p.impliedPosterior;
  }
  return [...items.values()];
}

export interface StandingForecastRow {
  id: number;
  createdAt: number;
  /** Scenario id -> probability. */
  probabilities: Map<number, number>;
}

/** The user's standing (latest) forecast on a question. */
export async function latestForecastOf(db: Queryable, userId: number, questionId: number): Promise<StandingForecastRow | null> {
  const [f] = await db
    .select({ id: forecasts.id, createdAt: forecasts.createdAt })
    .from(forecasts)
    .where(and(eq(forecasts.userId, userId), eq(forecasts.questionId, questionId)))
    .orderBy(desc(forecasts.createdAt), desc(forecasts.id))
    .limit(1);
  if (!f) return null;
  const probs = await db.select().from(forecastProbabilities).where(eq(forecastProbabilities.forecastId, f.id));
  return { id: f.id, createdAt: f.createdAt, probabilities: new Map(probs.map((p) => [p.scenarioId, p.probability])) };
}

/** True once the user has forecast on the question. */
export async function hasForecast(db: Queryable, userId: number, questionId: number): Promise<boolean> {
  const [f] = await db
    .select({ id: forecasts.id })
    .from(forecasts)
    .where(and(eq(forecasts.questionId, questionId), eq(forecasts.userId, userId)))
    .limit(1);
  return f !== undefined;
}

export interface PendingEvent {
  id: number;
  indicatorName: string;
  createdAt: number;
}

/**
 * Events the user has not yet responded to, per question: logged after their latest forecast,
 * not retracted, and not the subject of one of their updates. None where they have not forecast.
 */
export async function pendingEventsFor(db: Queryable, userId: number, questionIds: readonly number[]): Promise<Map<number, PendingEvent[]>> {
  const out = new Map<number, PendingEvent[]>();
  if (questionIds.length === 0) return out;
  const mine = await db
    .select({ questionId: forecasts.questionId, createdAt: forecasts.createdAt, eventId: forecasts.eventId })
    .from(forecasts)
    .where(and(eq(forecasts.userId, userId), inArray(forecasts.questionId, [...questionIds])));
  const events = await db
    .select({ id: indicatorEvents.id, questionId: indicatorEvents.questionId, createdAt: indicatorEvents.createdAt, indicatorName: indicators.name })
    .from(indicatorEvents)
    .innerJoin(indicators, eq(indicators.id, indicatorEvents.indicatorId))
    .where(and(inArray(indicatorEvents.questionId, [...questionIds]), isNull(indicatorEvents.retractedAt)))
    .orderBy(asc(indicatorEvents.createdAt), asc(indicatorEvents.id));
  for (const qid of questionIds) {
    const pending = pendingEvents(
      events.filter((e) => e.questionId === qid).map((e) => ({ ...e, retracted: false })),
      mine.filter((f) => f.questionId === qid),
    );
    if (pending.length) out.set(qid, pending.map((e) => ({ id: e.id, indicatorName: e.indicatorName, createdAt: e.createdAt })));
  }
  return out;
}

export interface Judgement {
  id: number;
  indicatorId: number;
  userId: number | null;
  createdAt: number;
  likelihoods: number[];
}

/** Every likelihood judgement on a question's indicators, oldest first, aligned to scenario order. */
export async function loadJudgements(
  db: Queryable,
  questionId: number,
  indicatorId?: number,
  scenarios?: readonly { id: number }[],
): Promise<Judgement[]> {
  const scen = scenarios ?? (await listScenariosOf(db, questionId));
  const pos = new Map(scen.map((s, i) => [s.id, i]));
  const rows = await db
    .select({
      id: likelihoodJudgements.id,
      indicatorId: likelihoodJudgements.indicatorId,
      userId: likelihoodJudgements.userId,
      createdAt: likelihoodJudgements.createdAt,
    })
    .from(likelihoodJudgements)
    .innerJoin(indicators, eq(indicators.id, likelihoodJudgements.indicatorId))
    .where(indicatorId === undefined ? eq(indicators.questionId, questionId) : and(eq(indicators.questionId, questionId), eq(indicators.id, indicatorId)))
    .orderBy(asc(likelihoodJudgements.createdAt), asc(likelihoodJudgements.id));
  if (rows.length === 0) return [];
  const byId = new Map<number, Judgement>(rows.map((r) => [r.id, { ...r, likelihoods: new Array<number>(scen.length).fill(0) }]));
  const ids = rows.map((r) => r.id);
  for (let i = 0; i < ids.length; i += 500) {
    for (const v of await db.select().from(likelihoodValues).where(inArray(likelihoodValues.judgementId, ids.slice(i, i + 500)))) {
      const k = pos.get(v.scenarioId);
      if (k !== undefined) byId.get(v.judgementId)!.likelihoods[k] = v.likelihood;
    }
  }
  return [...byId.values()];
}

/** Appends one likelihood judgement (a user's, or the team default when userId is null). */
export async function insertJudgement(
  tx: Queryable,
  j: { indicatorId: number; userId: number | null; setBy: number; at: number; scenarioIds: number[]; likelihoods: number[] },
): Promise<void> {
  const [row] = await tx
    .insert(likelihoodJudgements)
    .values({ indicatorId: j.indicatorId, userId: j.userId, isTeamDefault: j.userId === null, setBy: j.setBy, createdAt: j.at })
    .returning({ id: likelihoodJudgements.id });
  await tx.insert(likelihoodValues).values(j.scenarioIds.map((scenarioId, k) => ({ judgementId: row!.id, scenarioId, likelihood: j.likelihoods[k]! })));
}
