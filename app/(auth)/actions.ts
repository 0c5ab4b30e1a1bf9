'use server';

import { AuthError, CredentialsSignin } from 'next-auth';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { acceptInvite } from '@/db/queries/invites';
import { endSession } from '@/db/queries/sessions';
import { createFirstUser } from '@/db/queries/users';
import { getDb } from '@/db';
import { currentSessionId, getActor } from '@/server/session';
import { formObject, publicAction } from '@/server/action';
import { signIn, signOut } from '@/server/auth';
import { describeRetry } from '@/server/rate-limit';
import type { ActionState } from '@/lib/errors';
import { safeRedirectPath } from '@/lib/redirect';
import { currentRequestId } from '@/server/current-request';
import { log } from '@/server/log';
import { accountSchema, signInSchema } from '@/lib/validation/auth';

async function signInWith(email: string, password: string, from?: string): Promise<ActionState> {
  try {
    await signIn('credentials', { email, password, redirectTo: safeRedirectPath(from) });
    return { ok: true };
  } catch (error) {
    if (error instanceof AuthError && error.type === 'CredentialsSignin') {
      const code = (error as CredentialsSignin).code ?? '';
      if (code.startsWith('rate_limited:')) {
        const seconds = Number(code.split(':')[1]) || 60;
        return { ok: false, code: 'rate_limited', message: `Too many failed sign-ins. Try again in ${describeRetry(seconds)}.` };
      }
      return { ok: false, code: 'unauthenticated', message: 'Wrong email or password.' };
    }
    if (error instanceof AuthError) {
      const requestId = await currentRequestId();
      log().error({ requestId, err: error }, 'sign-in failed');
      return { ok: false, code: 'unavailable', message: 'Sign-in is not available right now. Please try again.', requestId };
    }
    throw error; // includes Next's redirect signal on success
  }
}

export const signInAction = publicAction({ input: signInSchema, read: (form) => formObject(form, ['email', 'password']) }, async ({ email, password }, { form }) =>
  signInWith(email, password, formObject(form, ['from']).from),
);

export const signUpFirstAction = publicAction(
  { input: accountSchema, read: (form) => formObject(form, ['name', 'email', 'password']) },
  async (input, { db }) => {
    await createFirstUser(db, input);
    return signInWith(input.email, input.password);
  },
);

export const acceptInviteAction = publicAction(
  { input: accountSchema, read: (form) => formObject(form, ['name', 'email', 'password']), args: [z.string().max(200)] },
  async (input, { db, args: [token] }) => {
    await acceptInvite(db, token, input);
    return signInWith(input.email, input.password);
  },
);

/** Signing out ends this session in the database, so a copy of its cookie no longer works. */
export async function signOutAction(): Promise<void> {
  const [actor, sid] = await Promise.all([getActor(), currentSessionId()]);
  if (actor && sid) await endSession(await getDb(), actor, sid);
  await signOut({ redirect: false });
  redirect('/sign-in');
}
