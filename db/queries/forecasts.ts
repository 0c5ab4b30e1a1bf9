import type { Db, Queryable } from '@/db/types';
import { eq } from 'drizzle-orm';
import { forecastProbabilities, forecasts } from '@/db/schema';
import { insertJudgement, latestForecastOf, listScenariosOf, loadJudgements, type ForecastHistoryItem, type StandingForecastRow } from '@/db/internal/rows';
import { posterior, posteriorUnobserved } from '@/lib/bayes';
import { conflict, invalid, notFound } from '@/lib/errors';
import { effectiveStatus, whyClosedToInput } from '@/lib/question-status';
import { parseScenarioLikelihoods, parseScenarioPercents } from '@/lib/validation/forecast';
import { LIMITS } from '@/lib/validation/common';
import { assertRole, loadEventFor, loadQuestionForWrite, rewordNotFound, visibleQuestionId, type Actor, type QuestionRef } from './access';

export type { ForecastHistoryItem };

/**
 * Scenario id -> percentage as the user sent it (string or number), or a function that reads
 * them given the question's scenarios in order (an API vector in scenario order).
 */
export type ScenarioValues = ReadonlyMap<number, unknown> | ((scenarios: readonly { id: number; name: string }[]) => ReadonlyMap<number, unknown>);

export interface ForecastInput {
  values: ScenarioValues;
  rationale: string;
  /** Present when the forecast is an update on an indicator event. */
  update?: { eventId: number; likelihoods: ScenarioValues };
}

const read = (values: ScenarioValues, scenarios: readonly { id: number; name: string }[]) => (typeof values === 'function' ? values(scenarios) : values);

export interface SavedForecast {
  id: number;
  createdAt: number;
  probabilities: number[];
  implied: number[] | null;
  prior: number[] | null;
  /** The question's scenarios in order, which the vectors follow. */
  scenarioIds: number[];
}

/**
 * Appends a forecast for the actor (a lead or forecaster) on an open question. Validates the
 * vector against the question's scenarios (docs/formulas.md#the-input-rule), and for an
 * update the event and likelihoods; stores the forecast and one row per scenario in one
 * transaction, or nothing.
 */
export async function saveForecast(db: Db, actor: Actor, questionId: number, input: ForecastInput, now = Date.now()): Promise<SavedForecast> {
  assertRole(actor, ['lead', 'forecaster'], 'forecast');
  return db.write(async (tx) => {
    // The version goes up with the load: a refusal below rolls it back with everything else.
    const q = await loadQuestionForWrite(tx, actor, questionId);
    if (input.rationale.length > LIMITS.rationale) {
      throw invalid(`The rationale is longer than ${LIMITS.rationale.toLocaleString('en-US')} characters.`, { rationale: ['Too long.'] });
    }
    const why = whyClosedToInput(effectiveStatus(q, now), q);
    if (why) throw conflict(why);
    const scen = await listScenariosOf(tx, questionId);
    const parsed = parseScenarioPercents(scen, read(input.values, scen));
    if (!parsed.ok) throw invalid(parsed.message, parsed.field ? { [parsed.field]: [parsed.message] } : undefined);

    let prior: number[] | null = null;
    let likelihoods: number[] | null = null;
    let implied: number[] | null = null;
    let eventId: number | null = null;
    let priorForecastId: number | null = null;
    if (input.update) {
      const { ev } = await loadEventFor(tx, actor, input.update.eventId).catch(rewordNotFound('That indicator event does not belong to this question.'));
      if (ev.questionId !== questionId) throw notFound('That indicator event does not belong to this question.');
      if (ev.retractedAt !== null) throw conflict('That indicator event was retracted: update on another event.');
      const lk = parseScenarioLikelihoods(scen, read(input.update.likelihoods, scen));
      if (!lk.ok) throw invalid(lk.message, lk.field ? { [lk.field]: [lk.message] } : undefined);
      const standing = await latestForecastOf(tx, actor.id, questionId);
      if (!standing) throw conflict('An update needs a standing forecast as its prior: make a first forecast on this question.');
      prior = scen.map((s) => standing.probabilities.get(s.id) ?? 0);
      likelihoods = lk.probabilities;
      implied = ev.kind === 'observed' ? posterior(prior, likelihoods) : posteriorUnobserved(prior, likelihoods);
      eventId = ev.id;
      priorForecastId = standing.id;
      // The likelihoods used become the forecaster's judgement for the indicator, if new.
      const mine = (await loadJudgements(tx, questionId, ev.indicatorId)).filter((j) => j.userId === actor.id).at(-1);
      const used = lk.probabilities;
      if (!mine || mine.likelihoods.some((v, k) => Math.abs(v - used[k]!) > 1e-12)) {
        await insertJudgement(tx, { indicatorId: ev.indicatorId, userId: actor.id, setBy: actor.id, at: now, scenarioIds: scen.map((s) => s.id), likelihoods: used });
      }
    }

    const [row] = await tx
      .insert(forecasts)
      .values({ questionId, userId: actor.id, createdAt: now, rationale: input.rationale, eventId, priorForecastId })
      .returning({ id: forecasts.id });
    await tx.insert(forecastProbabilities).values(
      scen.map((s, i) => ({
        forecastId: row!.id,
        scenarioId: s.id,
        probability: parsed.probabilities[i]!,
        prior: prior?.[i] ?? null,
        likelihood: likelihoods?.[i] ?? null,
        impliedPosterior: implied?.[i] ?? null,
      })),
    );
    return { id: row!.id, createdAt: now, probabilities: parsed.probabilities, implied, prior, scenarioIds: scen.map((s) => s.id) };
  }, { grouped: true }); // forecasts that arrive together share a commit (db/types.ts)
}

/** The actor's standing forecast on a question they may see, or null. */
export async function getMyStandingForecast(db: Queryable, actor: Actor, ref: QuestionRef): Promise<StandingForecastRow | null> {
  return latestForecastOf(db, actor.id, await visibleQuestionId(db, actor, ref));
}

/**
 * "Still my forecast": records the actor's standing forecast on an open question again, now,
 * as a new forecast flagged as a reaffirmation (same vector, same rationale). It counts for
 * recency, coverage and staleness exactly like a forecast, and bumps the question's version in
 * the same transaction. Same roles and checks as saveForecast; 409 when the question takes no
 * forecasts or the actor has no standing forecast on it.
 */
export async function reaffirmForecast(db: Db, actor: Actor, questionId: number, now = Date.now()): Promise<SavedForecast> {
  assertRole(actor, ['lead', 'forecaster'], 'forecast');
  return db.write(async (tx) => {
    const q = await loadQuestionForWrite(tx, actor, questionId);
    const why = whyClosedToInput(effectiveStatus(q, now), q);
    if (why) throw conflict(why);
    const standing = await latestForecastOf(tx, actor.id, questionId);
    if (!standing) throw conflict('There is no standing forecast to reaffirm: make a first forecast on this question.');
    const [previous] = await tx.select({ rationale: forecasts.rationale }).from(forecasts).where(eq(forecasts.id, standing.id));
    const scen = await listScenariosOf(tx, questionId);
    const probabilities = scen.map((s) => standing.probabilities.get(s.id) ?? 0);
    const [row] = await tx
      .insert(forecasts)
      .values({ questionId, userId: actor.id, createdAt: now, rationale: previous?.rationale ?? '', reaffirmation: true, priorForecastId: standing.id })
      .returning({ id: forecasts.id });
    await tx.insert(forecastProbabilities).values(scen.map((s, i) => ({ forecastId: row!.id, scenarioId: s.id, probability: probabilities[i]! })));
    return { id: row!.id, createdAt: now, probabilities, implied: null, prior: null, scenarioIds: scen.map((s) => s.id) };
  }, { grouped: true });
}
