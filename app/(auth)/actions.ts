'use server';

import { AuthError, CredentialsSignin } from 'next-auth';
import { redirect } from 'next/navigation';
import { getDb } from '@/db';
import { acceptInvite, createFirstUser } from '@/db/queries/users';
import { runAction, formObject } from '@/lib/action';
import { signIn, signOut } from '@/lib/auth';
import type { ActionState } from '@/lib/errors';
import { describeRetry } from '@/lib/rate-limit';
import { accountSchema, signInSchema } from '@/lib/validation/auth';
import { describeZodError } from '@/lib/validation/common';

/** Only same-site paths may be a post-sign-in destination. */
function safeDestination(from: string | undefined): string {
  return from && from.startsWith('/') && !from.startsWith('//') ? from : '/questions';
}

async function signInWith(email: string, password: string, from?: string): Promise<ActionState> {
  try {
    await signIn('credentials', { email, password, redirectTo: safeDestination(from) });
    return { ok: true };
  } catch (error) {
    if (error instanceof AuthError && error.type === 'CredentialsSignin') {
      const code = (error as CredentialsSignin).code ?? '';
      if (code.startsWith('rate_limited:')) {
        const seconds = Number(code.split(':')[1]) || 60;
        return { ok: false, message: `Too many failed sign-ins. Try again in ${describeRetry(seconds)}.` };
      }
      return { ok: false, message: 'Wrong email or password.' };
    }
    if (error instanceof AuthError) {
      console.error('[auth] sign-in failed', error);
      return { ok: false, message: 'Sign-in is not available right now. Please try again.' };
    }
    throw error; // includes Next's redirect signal on success
  }
}

export async function signInAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const parsed = signInSchema.safeParse(formObject(form, ['email', 'password']));
  if (!parsed.success) return { ok: false, ...describeZodError(parsed.error) };
  return signInWith(parsed.data.email, parsed.data.password, formObject(form, ['from']).from);
}

export async function signUpFirstAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const parsed = accountSchema.safeParse(formObject(form, ['name', 'email', 'password']));
  if (!parsed.success) return { ok: false, ...describeZodError(parsed.error) };
  const result = await runAction(async () => {
    await createFirstUser(getDb(), parsed.data);
  });
  if (!result.ok) return result;
  return signInWith(parsed.data.email, parsed.data.password);
}

export async function acceptInviteAction(token: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  const parsed = accountSchema.safeParse(formObject(form, ['name', 'email', 'password']));
  if (!parsed.success) return { ok: false, ...describeZodError(parsed.error) };
  const result = await runAction(async () => {
    await acceptInvite(getDb(), token, parsed.data);
  });
  if (!result.ok) return result;
  return signInWith(parsed.data.email, parsed.data.password);
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirect: false });
  redirect('/sign-in');
}
