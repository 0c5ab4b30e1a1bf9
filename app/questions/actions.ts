'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { getDb } from '@/db';
import { createQuestion, publishQuestion, updateQuestion } from '@/db/queries/questions';
import { runAction } from '@/lib/action';
import type { ActionState } from '@/lib/errors';
import { requireActionActor } from '@/lib/session';
import { parseWith } from '@/lib/validation/common';
import { questionFormToObject, questionInputSchema } from '@/lib/validation/question';

export async function createQuestionAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  let id = 0;
  const result = await runAction(async () => {
    const actor = await requireActionActor();
    id = createQuestion(getDb(), actor, parseWith(questionInputSchema, questionFormToObject(form)));
  });
  if (!result.ok) return result;
  revalidatePath('/questions');
  redirect(`/questions/${id}`);
}

export async function updateQuestionAction(questionId: number, _prev: ActionState, form: FormData): Promise<ActionState> {
  const result = await runAction(async () => {
    const actor = await requireActionActor();
    updateQuestion(getDb(), actor, questionId, parseWith(questionInputSchema, questionFormToObject(form)));
  });
  if (!result.ok) return result;
  revalidatePath('/questions');
  redirect(`/questions/${questionId}`);
}

export async function publishQuestionAction(questionId: number, _prev: ActionState, _form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const actor = await requireActionActor();
    publishQuestion(getDb(), actor, questionId);
    revalidatePath('/questions');
    revalidatePath(`/questions/${questionId}`);
    return { ok: true, message: 'Published: the team can now forecast.' };
  });
}
