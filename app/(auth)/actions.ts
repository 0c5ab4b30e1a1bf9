'use server';

import { AuthError, CredentialsSignin } from 'next-auth';
import { redirect, unstable_rethrow } from 'next/navigation';
import { z } from 'zod';
import { acceptInvite } from '@/db/queries/invites';
import { endSession } from '@/db/queries/sessions';
import { createFirstUser } from '@/db/queries/users';
import { getDb } from '@/db';
import { currentSessionId, getActor } from '@/server/session';
import { formObject, formString, publicAction } from '@/server/action';
import { OIDC_PROVIDER_ID, SSO_ERROR_CODES, signIn, signOut, ssoLabel } from '@/server/auth';
import { passwordSignInEnabled } from '@/server/env';
import { AppError } from '@/lib/errors';
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
      if (code === 'password_sign_in_off') {
        return { ok: false, code: 'forbidden', message: 'Password sign-in is turned off here: use single sign-on.' };
      }
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

/** Accounts with a password are made only while password sign-in is on. */
function assertPasswordAccounts(): void {
  if (!passwordSignInEnabled()) throw new AppError('forbidden', 'Password sign-in is turned off here: use single sign-on.');
}

export const signUpFirstAction = publicAction(
  { input: accountSchema, read: (form) => formObject(form, ['name', 'email', 'password']) },
  async (input, { db }) => {
    assertPasswordAccounts();
    await createFirstUser(db, input);
    return signInWith(input.email, input.password);
  },
);

export const acceptInviteAction = publicAction(
  { input: accountSchema, read: (form) => formObject(form, ['name', 'email', 'password']), args: [z.string().max(200)] },
  async (input, { db, args: [token] }) => {
    assertPasswordAccounts();
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

/**
 * Starts single sign-on: Auth.js sends the browser to the identity provider (authorization
 * code with PKCE and state), which sends it back to /api/auth/callback/oidc. Afterwards the
 * browser goes to `from` if it is a path on this site (lib/redirect.ts), else the questions.
 */
export async function ssoSignInAction(...params: unknown[]): Promise<void> {
  // A plain form action gets the form last (also when called as a useActionState action).
  const form = params.at(-1);
  const from = form instanceof FormData ? formString(form, 'from') : undefined;
  if (!ssoLabel()) redirect('/sign-in');
  try {
    await signIn(OIDC_PROVIDER_ID, { redirectTo: safeRedirectPath(from) });
  } catch (error) {
    unstable_rethrow(error); // Next's redirect to the provider
    // The provider could not be reached, or its discovery document could not be read.
    log().warn({ message: error instanceof Error ? error.message : String(error) }, 'single sign-on could not start');
    redirect(`/auth-error?error=${SSO_ERROR_CODES.failed}`);
  }
}
