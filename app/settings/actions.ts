'use server';

import { revalidatePath } from 'next/cache';
import { getDb } from '@/db';
import { createApiToken, revokeApiToken } from '@/db/queries/tokens';
import { formObject, runAction } from '@/lib/action';
import { tokenNameSchema } from '@/lib/api';
import { parseWith } from '@/lib/validation/common';
import { invalid, type ActionState } from '@/lib/errors';
import { requireActionActor } from '@/lib/session';

export async function createTokenAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const actor = await requireActionActor();
    const { name } = parseWith(tokenNameSchema, formObject(form, ['name']));
    const created = createApiToken(getDb(), actor, name);
    revalidatePath('/settings');
    return {
      ok: true,
      message: 'Token created. Copy it now: it is shown only once.',
      data: { token: created.token, prefix: created.prefix },
    };
  });
}

export async function revokeTokenAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const actor = await requireActionActor();
    const id = Number(form.get('tokenId'));
    if (!Number.isInteger(id) || id <= 0) throw invalid('Unknown token.');
    revokeApiToken(getDb(), actor, id);
    revalidatePath('/settings');
    return { ok: true, message: 'Token revoked.' };
  });
}
