import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Db, Queryable } from '@/db';
import { forecastProbabilities, forecasts, indicatorEvents, indicators, questions } from '@/db/schema';
import { posterior, posteriorUnobserved } from '@/lib/bayes';
import { conflict, invalid, notFound } from '@/lib/errors';
import { effectiveStatus, whyClosedToInput } from '@/lib/question-status';
import { parseScenarioLikelihoods, parseScenarioPercents } from '@/lib/validation/forecast';
import { LIMITS } from '@/lib/validation/common';
import { assertRole, isLead, type Actor } from './actor';
import { insertJudgement, startingLikelihoods } from './indicators';
import { getQuestionForUser, listScenariosOf } from './questions';

export interface ForecastInput {
  /** Scenario id -> percentage as the user sent it (string or number). */
  values: ReadonlyMap<number, unknown>;
  rationale: string;
  /** Present when the forecast is an update on an indicator event. */
  update?: { eventId: number; likelihoods: ReadonlyMap<number, unknown> };
}

export interface SavedForecast {
  id: number;
  createdAt: number;
  probabilities: number[];
  implied: number[] | null;
  prior: number[] | null;
}

/**
 * Appends a forecast for the actor (a lead or forecaster) on an open question. Validates the
 * vector against the question's scenarios (DESIGN input rule), and for an update the event and
 * likelihoods; stores the forecast and one row per scenario in one transaction, or nothing.
 */
export function saveForecast(db: Db, actor: Actor, questionId: number, input: ForecastInput, now = Date.now()): SavedForecast {
  assertRole(actor, ['lead', 'forecaster'], 'forecast');
  if (input.rationale.length > LIMITS.rationale) {
    throw invalid(`The rationale is longer than ${LIMITS.rationale.toLocaleString('en-US')} characters.`, { rationale: ['Too long.'] });
  }
  return db.transaction((tx) => {
    const q = Number.isInteger(questionId) ? tx.select().from(questions).where(eq(questions.id, questionId)).get() : undefined;
    if (!q || (q.status === 'draft' && !isLead(actor))) throw notFound('That question does not exist.');
    const why = whyClosedToInput(effectiveStatus(q, now), q);
    if (why) throw conflict(why);
    const scen = listScenariosOf(tx, questionId);
    const parsed = parseScenarioPercents(scen, input.values);
    if (!parsed.ok) throw invalid(parsed.message, parsed.field ? { [parsed.field]: [parsed.message] } : undefined);

    let prior: number[] | null = null;
    let likelihoods: number[] | null = null;
    let implied: number[] | null = null;
    let eventId: number | null = null;
    let priorForecastId: number | null = null;
    if (input.update) {
      const ev = tx
        .select({
          id: indicatorEvents.id,
          kind: indicatorEvents.kind,
          retractedAt: indicatorEvents.retractedAt,
          questionId: indicatorEvents.questionId,
          indicatorId: indicatorEvents.indicatorId,
        })
        .from(indicatorEvents)
        .where(eq(indicatorEvents.id, input.update.eventId))
        .get();
      if (!ev || ev.questionId !== questionId) throw notFound('That indicator event does not belong to this question.');
      if (ev.retractedAt !== null) throw conflict('That indicator event was retracted: update on another event.');
      const lk = parseScenarioLikelihoods(scen, input.update.likelihoods);
      if (!lk.ok) throw invalid(lk.message, lk.field ? { [lk.field]: [lk.message] } : undefined);
      const standing = latestForecastOf(tx, actor.id, questionId);
      if (!standing) throw conflict('An update needs a standing forecast as its prior: make a first forecast on this question.');
      prior = scen.map((s) => standing.probabilities.get(s.id) ?? 0);
      likelihoods = lk.probabilities;
      implied = ev.kind === 'observed' ? posterior(prior, likelihoods) : posteriorUnobserved(prior, likelihoods);
      eventId = ev.id;
      priorForecastId = standing.id;
      // The likelihoods used become the forecaster's judgement for the indicator, if new.
      const current = startingLikelihoods(tx, actor, ev.indicatorId);
      const used = lk.probabilities;
      if (current?.source !== 'mine' || current.likelihoods.some((v, k) => Math.abs(v - used[k]!) > 1e-12)) {
        insertJudgement(tx, { indicatorId: ev.indicatorId, userId: actor.id, setBy: actor.id, at: now, scenarioIds: scen.map((s) => s.id), likelihoods: used });
      }
    }

    const row = tx
      .insert(forecasts)
      .values({ questionId, userId: actor.id, createdAt: now, rationale: input.rationale, eventId, priorForecastId })
      .returning({ id: forecasts.id })
      .get();
    tx.insert(forecastProbabilities)
      .values(
        scen.map((s, i) => ({
          forecastId: row.id,
          scenarioId: s.id,
          probability: parsed.probabilities[i]!,
          prior: prior?.[i] ?? null,
          likelihood: likelihoods?.[i] ?? null,
          impliedPosterior: implied?.[i] ?? null,
        })),
      )
      .run();
    return { id: row.id, createdAt: now, probabilities: parsed.probabilities, implied, prior };
  });
}

/** The user's standing (latest) forecast on a question, as scenario id -> probability. */
export function latestForecastOf(
  db: Queryable,
  userId: number,
  questionId: number,
): { id: number; createdAt: number; probabilities: Map<number, number> } | null {
  const f = db
    .select({ id: forecasts.id, createdAt: forecasts.createdAt })
    .from(forecasts)
    .where(and(eq(forecasts.userId, userId), eq(forecasts.questionId, questionId)))
    .orderBy(desc(forecasts.createdAt), desc(forecasts.id))
    .limit(1)
    .get();
  if (!f) return null;
  const probs = db.select().from(forecastProbabilities).where(eq(forecastProbabilities.forecastId, f.id)).all();
  return { id: f.id, createdAt: f.createdAt, probabilities: new Map(probs.map((p) => [p.scenarioId, p.probability])) };
}

export interface ForecastHistoryItem {
  id: number;
  userId: number;
  createdAt: number;
  rationale: string;
  event: { id: number; indicatorName: string; kind: 'observed' | 'deadline_passed'; occurredAt: number; retracted: boolean } | null;
  /** Aligned with the question's scenarios (by position). */
  probabilities: number[];
  prior: number[] | null;
  likelihoods: number[] | null;
  implied: number[] | null;
}

/**
 * Forecasts on a question, newest first, aligned to the scenario order. `userIds` limits the
 * rows to some users; callers decide who may see whose forecasts (see canSeeOthers).
 */
export function listForecastRows(db: Queryable, questionId: number, userIds?: readonly number[]): ForecastHistoryItem[] {
  const scen = listScenariosOf(db, questionId);
  const pos = new Map(scen.map((s, i) => [s.id, i]));
  const rows = db
    .select({
      id: forecasts.id,
      userId: forecasts.userId,
      createdAt: forecasts.createdAt,
      rationale: forecasts.rationale,
      eventId: forecasts.eventId,
      indicatorName: indicators.name,
      kind: indicatorEvents.kind,
      occurredAt: indicatorEvents.occurredAt,
      retractedAt: indicatorEvents.retractedAt,
    })
    .from(forecasts)
    .leftJoin(indicatorEvents, eq(indicatorEvents.id, forecasts.eventId))
    .leftJoin(indicators, eq(indicators.id, indicatorEvents.indicatorId))
    .where(userIds ? and(eq(forecasts.questionId, questionId), inArray(forecasts.userId, [...userIds])) : eq(forecasts.questionId, questionId))
    .orderBy(desc(forecasts.createdAt), desc(forecasts.id))
    .all();
  if (rows.length === 0) return [];
  const items = new Map<number, ForecastHistoryItem>();
  for (const r of rows) {
    items.set(r.id, {
      id: r.id,
      userId: r.userId,
      createdAt: r.createdAt,
      rationale: r.rationale,
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
  const probabilityRows = db
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
    .where(userIds ? and(eq(forecasts.questionId, questionId), inArray(forecasts.userId, [...userIds])) : eq(forecasts.questionId, questionId))
    // Arrays, not objects: this is the hot read of a busy question page (16,000 rows for 4,000 forecasts).
    .values();
  for (const [forecastId, scenarioId, probability, prior, likelihood, implied] of probabilityRows) {
    const item = items.get(forecastId);
    const k = pos.get(scenarioId);
    if (!item || k === undefined) continue;
    item.probabilities[k] = probability;
    if (prior !== null) (item.prior ??= new Array<number>(scen.length).fill(0))[k] = prior;
    if (likelihood !== null) (item.likelihoods ??= new Array<number>(scen.length).fill(0))[k] = likelihood;
    if (implied !== null) (item.implied ??= new Array<number>(scen.length).fill(0))[k] = implied;
  }
  return [...items.values()];
}

/** The actor's own forecast history on a question, newest first. */
export function listMyForecasts(db: Db, actor: Actor, questionId: number): ForecastHistoryItem[] {
  const q = getQuestionForUser(db, actor, questionId);
  return listForecastRows(db, q.id, [actor.id]);
}
