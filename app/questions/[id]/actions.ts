'use server';

import { revalidatePath } from 'next/cache';
import { getDb } from '@/db';
import { saveForecast } from '@/db/queries/forecasts';
import { runAction, formString } from '@/lib/action';
import { AppError, invalid, type ActionState } from '@/lib/errors';
import { getActor } from '@/lib/session';
import { scenarioValuesFromForm } from '@/lib/validation/forecast';

async function actorOrThrow() {
  const actor = await getActor();
  if (!actor) throw new AppError('unauthenticated', 'Your session has ended: sign in again.');
  return actor;
}

export async function submitForecastAction(questionId: number, _prev: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const actor = await actorOrThrow();
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
