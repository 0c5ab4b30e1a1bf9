'use server';

import { revalidatePath } from 'next/cache';
import { getDb } from '@/db';
import { saveForecast } from '@/db/queries/forecasts';
import { redirect } from 'next/navigation';
import { addIndicator, logIndicatorEvent, recordLikelihoods, retireIndicator, retractIndicatorEvent } from '@/db/queries/indicators';
import { runAction, formObject, formString } from '@/lib/action';
import { parseWith } from '@/lib/validation/common';
import { eventInputSchema, retractSchema } from '@/lib/validation/indicator';
import { indicatorInputSchema } from '@/lib/validation/question';
import { annulSchema, methodSchema, resolveSchema } from '@/lib/validation/resolution';
import { annulQuestion, resolveQuestion, setAggregationMethod } from '@/db/queries/resolution';
import { invalid, type ActionState } from '@/lib/errors';
import { requireActionActor } from '@/lib/session';
import { scenarioValuesFromForm } from '@/lib/validation/forecast';

export async function submitForecastAction(questionId: number, _prev: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const actor = await requireActionActor();
    const rationale = (formString(form, 'rationale') ?? '').trim();
    const eventIdRaw = formString(form, 'eventId');
    let update: { eventId: number; likelihoods: Map<number, unknown> } | undefined;
    if (eventIdRaw) {
      const eventId = Number(eventIdRaw);
      if (!Number.isInteger(eventId) || eventId <= 0) throw invalid('The indicator event id is not valid.');
      update = { eventId, likelihoods: scenarioValuesFromForm(form, 'l_') };
    }
    const saved = saveForecast(getDb(), actor, questionId, {
      values: scenarioValuesFromForm(form, 'p_'),
      rationale,
      update,
    });
    revalidatePath(`/questions/${questionId}`);
    revalidatePath('/questions');
    return { ok: true, message: 'Forecast saved.', data: { forecastId: saved.id } };
  });
}

// ---- indicators and events (issue: every update tied to the evidence that prompted it) ----

export async function recordLikelihoodsAction(
  questionId: number,
  indicatorId: number,
  teamDefault: boolean,
  _prev: ActionState,
  form: FormData,
): Promise<ActionState> {
  return runAction(async () => {
    const actor = await requireActionActor();
    recordLikelihoods(getDb(), actor, indicatorId, scenarioValuesFromForm(form, 'l_'), { teamDefault });
    revalidatePath(`/questions/${questionId}`);
    return { ok: true, message: teamDefault ? 'Team default likelihoods saved.' : 'Your likelihoods are saved.' };
  });
}

export async function logEventAction(questionId: number, _prev: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const actor = await requireActionActor();
    const input = parseWith(eventInputSchema, formObject(form, ['indicatorId', 'kind', 'occurredAt', 'sourceUrl', 'note']));
    logIndicatorEvent(getDb(), actor, questionId, input);
    revalidatePath(`/questions/${questionId}`);
    revalidatePath('/questions');
    return { ok: true, message: 'Event logged. Forecasters will see it as new evidence.' };
  });
}

export async function retractEventAction(questionId: number, eventId: number, _prev: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const actor = await requireActionActor();
    const input = parseWith(retractSchema, formObject(form, ['reason']));
    retractIndicatorEvent(getDb(), actor, eventId, input.reason);
    revalidatePath(`/questions/${questionId}`);
    return { ok: true, message: 'Event retracted.' };
  });
}

export async function retireIndicatorAction(questionId: number, indicatorId: number, _prev: ActionState, _form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const actor = await requireActionActor();
    retireIndicator(getDb(), actor, indicatorId);
    revalidatePath(`/questions/${questionId}`);
    return { ok: true, message: 'Indicator retired.' };
  });
}

export async function addIndicatorAction(questionId: number, _prev: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const actor = await requireActionActor();
    const input = parseWith(indicatorInputSchema, {
      name: formString(form, 'name'),
      description: formString(form, 'description'),
      deadline: formString(form, 'deadline') || undefined,
    });
    addIndicator(getDb(), actor, questionId, input);
    revalidatePath(`/questions/${questionId}`);
    return { ok: true, message: 'Indicator added.' };
  });
}

/** Submits an update from the update panel, then returns to the question to show feedback. */
export async function submitUpdateAction(questionId: number, prev: ActionState, form: FormData): Promise<ActionState> {
  const state = await submitForecastAction(questionId, prev, form);
  if (!state.ok) return state;
  redirect(`/questions/${questionId}?updated=${state.data?.forecastId ?? ''}#feedback`);
}

// ---- the lead's settlement and settings ----

export async function setMethodAction(questionId: number, _prev: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const actor = await requireActionActor();
    const input = parseWith(methodSchema, formObject(form, ['methodId']));
    setAggregationMethod(getDb(), actor, questionId, input.methodId);
    revalidatePath(`/questions/${questionId}`);
    return { ok: true, message: 'Aggregation method saved.' };
  });
}

export async function resolveAction(questionId: number, _prev: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const actor = await requireActionActor();
    const input = parseWith(resolveSchema, formObject(form, ['scenarioId', 'resolvedAt', 'note']));
    resolveQuestion(getDb(), actor, questionId, input);
    revalidatePath(`/questions/${questionId}`);
    revalidatePath('/questions');
    return { ok: true, message: 'Resolved: scores are below.' };
  });
}

export async function annulAction(questionId: number, _prev: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const actor = await requireActionActor();
    const input = parseWith(annulSchema, formObject(form, ['reason']));
    annulQuestion(getDb(), actor, questionId, input.reason);
    revalidatePath(`/questions/${questionId}`);
    revalidatePath('/questions');
    return { ok: true, message: 'Annulled.' };
  });
}
