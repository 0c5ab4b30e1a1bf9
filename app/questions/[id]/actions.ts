'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { logIndicatorEvent, retractIndicatorEvent } from '@/db/queries/events';
import { reaffirmForecast, saveForecast } from '@/db/queries/forecasts';
import { addIndicator, recordLikelihoods, retireIndicator } from '@/db/queries/indicators';
import { switchToRecommendedMethod } from '@/db/queries/recommendation';
import { annulQuestion, resolveQuestion, setAggregationMethod } from '@/db/queries/resolution';
import { action, flagArg, formString, idArg } from '@/server/action';
import { parseId } from '@/lib/ids';
import type { ActionState } from '@/lib/errors';
import { scenarioValuesFromForm } from '@/lib/validation/forecast';
import { eventInputSchema, retractSchema } from '@/lib/validation/indicator';
import { indicatorInputSchema } from '@/lib/validation/question';
import { annulSchema, methodSchema, resolveSchema } from '@/lib/validation/resolution';

const FORECASTERS = ['lead', 'forecaster'] as const;

/** The forecast form: p_<scenarioId> percentages, a rationale, and for an update the event and l_<scenarioId> likelihoods. */
const forecastForm = z
  .object({
    values: z.instanceof(Map),
    rationale: z.string().trim(),
    eventId: z.string().optional(),
    likelihoods: z.instanceof(Map),
  })
  .transform((f, ctx) => {
    if (!f.eventId) return { values: f.values as Map<number, unknown>, rationale: f.rationale, update: undefined };
    const eventId = parseId(f.eventId);
    if (eventId === null) {
      ctx.addIssue({ code: 'custom', message: 'The indicator event id is not valid.' });
      return z.NEVER;
    }
    return { values: f.values as Map<number, unknown>, rationale: f.rationale, update: { eventId, likelihoods: f.likelihoods as Map<number, unknown> } };
  });

const readForecastForm = (form: FormData) => ({
  values: scenarioValuesFromForm(form, 'p_'),
  rationale: formString(form, 'rationale') ?? '',
  eventId: formString(form, 'eventId') || undefined,
  likelihoods: scenarioValuesFromForm(form, 'l_'),
});

export const submitForecastAction = action(
  { roles: FORECASTERS, what: 'forecast', input: forecastForm, read: readForecastForm, args: [idArg] },
  async (input, { actor, db, args: [questionId] }) => {
    const saved = await saveForecast(db, actor, questionId, input);
    revalidatePath(`/questions/${questionId}`);
    revalidatePath('/questions');
    return { ok: true, message: 'Forecast saved.', data: { forecastId: saved.id } };
  },
);

/** "Still my forecast": records the standing forecast again, as a reaffirmation. */
export const reaffirmForecastAction = action(
  { roles: FORECASTERS, what: 'forecast', args: [idArg] },
  async (_input, { actor, db, args: [questionId] }) => {
    await reaffirmForecast(db, actor, questionId);
    revalidatePath(`/questions/${questionId}`);
    revalidatePath('/questions');
    return { ok: true, message: 'Reaffirmed: your forecast stands as of now.' };
  },
);

/** Submits an update from the update panel, then returns to the question to show feedback. */
export async function submitUpdateAction(questionId: number, prev: ActionState, form: FormData): Promise<ActionState> {
  const state = await submitForecastAction(questionId, prev, form);
  if (!state.ok) return state;
  redirect(`/questions/${parseId(questionId)}?updated=${state.data?.forecastId ?? ''}#feedback`);
}

// ---- indicators and events ----

export const recordLikelihoodsAction = action(
  { roles: FORECASTERS, what: 'record likelihoods', input: z.instanceof(Map), read: (form) => scenarioValuesFromForm(form, 'l_'), args: [idArg, idArg, flagArg] },
  async (values, { actor, db, args: [questionId, indicatorId, teamDefault] }) => {
    await recordLikelihoods(db, actor, indicatorId, values as Map<number, unknown>, { teamDefault });
    revalidatePath(`/questions/${questionId}`);
    return { ok: true, message: teamDefault ? 'Team default likelihoods saved.' : 'Your likelihoods are saved.' };
  },
);

export const logEventAction = action(
  { roles: FORECASTERS, what: 'log indicator events', input: eventInputSchema, args: [idArg] },
  async (input, { actor, db, args: [questionId] }) => {
    await logIndicatorEvent(db, actor, questionId, input);
    revalidatePath(`/questions/${questionId}`);
    revalidatePath('/questions');
    return { ok: true, message: 'Event logged. Forecasters will see it as new evidence.' };
  },
);

export const retractEventAction = action(
  { roles: ['lead'], what: 'retract indicator events', input: retractSchema, args: [idArg, idArg] },
  async (input, { actor, db, args: [questionId, eventId] }) => {
    await retractIndicatorEvent(db, actor, eventId, input.reason);
    revalidatePath(`/questions/${questionId}`);
    return { ok: true, message: 'Event retracted.' };
  },
);

export const retireIndicatorAction = action(
  { roles: ['lead'], what: 'retire indicators', args: [idArg, idArg] },
  async (_input, { actor, db, args: [questionId, indicatorId] }) => {
    await retireIndicator(db, actor, indicatorId);
    revalidatePath(`/questions/${questionId}`);
    return { ok: true, message: 'Indicator retired.' };
  },
);

export const addIndicatorAction = action(
  {
    roles: ['lead'],
    what: 'add indicators',
    input: indicatorInputSchema,
    read: (form) => ({ name: formString(form, 'name'), description: formString(form, 'description'), deadline: formString(form, 'deadline') || undefined }),
    args: [idArg],
  },
  async (input, { actor, db, args: [questionId] }) => {
    await addIndicator(db, actor, questionId, input);
    revalidatePath(`/questions/${questionId}`);
    return { ok: true, message: 'Indicator added.' };
  },
);

// ---- the lead's settlement and settings ----

export const setMethodAction = action(
  { roles: ['lead'], what: 'choose the aggregation method', input: methodSchema, args: [idArg] },
  async (input, { actor, db, args: [questionId] }) => {
    await setAggregationMethod(db, actor, questionId, { methodId: input.methodId, alpha: input.alpha, temperature: input.temperature, priorCount: input.priorCount });
    revalidatePath(`/questions/${questionId}`);
    return { ok: true, message: 'Aggregation method saved.' };
  },
);

/** The review page's one-click switch to the method (and power) the team's record favours. */
export const switchToRecommendedAction = action(
  { roles: ['lead'], what: 'choose the aggregation method', args: [idArg] },
  async (_input, { actor, db, args: [questionId] }) => {
    await switchToRecommendedMethod(db, actor, questionId);
    revalidatePath(`/questions/${questionId}`);
    revalidatePath(`/questions/${questionId}/review`);
    return { ok: true, message: 'Switched: this question now uses the method the team’s record favours.' };
  },
);

export const resolveAction = action(
  { roles: ['lead'], what: 'resolve questions', input: resolveSchema, args: [idArg] },
  async (input, { actor, db, args: [questionId] }) => {
    await resolveQuestion(db, actor, questionId, input);
    revalidatePath(`/questions/${questionId}`);
    revalidatePath('/questions');
    return { ok: true, message: 'Resolved: scores are below.' };
  },
);

export const annulAction = action(
  { roles: ['lead'], what: 'annul questions', input: annulSchema, args: [idArg] },
  async (input, { actor, db, args: [questionId] }) => {
    await annulQuestion(db, actor, questionId, input.reason);
    revalidatePath(`/questions/${questionId}`);
    revalidatePath('/questions');
    return { ok: true, message: 'Annulled.' };
  },
);
