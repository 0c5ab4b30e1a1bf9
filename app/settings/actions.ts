'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { createApiToken, revokeApiToken } from '@/db/queries/tokens';
import { action } from '@/server/action';
import { tokenNameSchema } from '@/lib/validation/api';
import { idField } from '@/lib/validation/common';

export const createTokenAction = action({ input: tokenNameSchema }, async ({ name }, { actor, db }) => {
  const created = await createApiToken(db, actor, name);
  revalidatePath('/settings');
  return { ok: true, message: 'Token created. Copy it now: it is shown only once.', data: { token: created.token, prefix: created.prefix } };
});

export const revokeTokenAction = action({ input: z.object({ tokenId: idField('Unknown token.') }) }, async ({ tokenId }, { actor, db }) => {
  await revokeApiToken(db, actor, tokenId);
  revalidatePath('/settings');
  return { ok: true, message: 'Token revoked.' };
});
