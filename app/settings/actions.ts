'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { redirect } from 'next/navigation';
import { changePassword, endAllMySessions } from '@/db/queries/sessions';
import { createApiToken, revokeApiToken } from '@/db/queries/tokens';
import { passwordChangeSchema } from '@/lib/validation/auth';
import { signOut } from '@/server/auth';
import { currentSessionId } from '@/server/session';
import { action } from '@/server/action';
import { tokenNameSchema } from '@/lib/validation/api';
import { idField } from '@/lib/validation/common';
import { emailChoiceSchema } from '@/lib/validation/notify';
import { setMyEmailChoice } from '@/db/queries/notify';

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

/** Changes the password and ends every other session of this account. */
export const changePasswordAction = action({ input: passwordChangeSchema }, async ({ current, next }, { actor, db }) => {
  await changePassword(db, actor, { current, next }, await currentSessionId());
  revalidatePath('/settings');
  return { ok: true, message: 'Password changed. Every other session of your account has been signed out.' };
});

/** Ends every session of this account, this one included, then goes to the sign-in page. */
export const signOutEverywhereAction = action({}, async (_input, { actor, db }) => {
  await endAllMySessions(db, actor);
  await signOut({ redirect: false });
  redirect('/sign-in');
});

/** How the member gets notifications by email (issue 13). */
export const setEmailChoiceAction = action({ input: emailChoiceSchema }, async ({ email }, { actor, db }) => {
  await setMyEmailChoice(db, actor, email);
  revalidatePath('/settings');
  return { ok: true, message: email === 'off' ? 'Email turned off. The bell still shows your notifications.' : 'Email choice saved.' };
});
