'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { createQuestion, publishQuestion, updateQuestion } from '@/db/queries/questions';
import { action, idArg } from '@/server/action';
import { questionFormToObject, questionInputSchema } from '@/lib/validation/question';

export const createQuestionAction = action(
  { roles: ['lead'], what: 'create questions', input: questionInputSchema, read: questionFormToObject },
  async (input, { actor, db }) => {
    const id = await createQuestion(db, actor, input);
    revalidatePath('/questions');
    redirect(`/questions/${id}`);
  },
);

export const updateQuestionAction = action(
  { roles: ['lead'], what: 'edit questions', input: questionInputSchema, read: questionFormToObject, args: [idArg] },
  async (input, { actor, db, args: [questionId] }) => {
    await updateQuestion(db, actor, questionId, input);
    revalidatePath('/questions');
    redirect(`/questions/${questionId}`);
  },
);

export const publishQuestionAction = action({ roles: ['lead'], what: 'publish questions', args: [idArg] }, async (_input, { actor, db, args: [questionId] }) => {
  await publishQuestion(db, actor, questionId);
  revalidatePath('/questions');
  revalidatePath(`/questions/${questionId}`);
  return { ok: true, message: 'Published: the team can now forecast.' };
});
