// The signed-in actor for server components, actions and route handlers.
import { cache } from 'react';
import { redirect } from 'next/navigation';
import { getDb } from '@/db';
import type { Actor } from '@/db/queries/access';
import { getActiveUserById } from '@/db/queries/users';
import { AppError } from '@/lib/errors';
import { auth } from './auth';

/** The active user behind this request's session, or null. Cached per request. */
export const getActor = cache(async (): Promise<Actor | null> => {
  const session = await auth();
  const id = Number(session?.user?.id);
  if (!Number.isInteger(id) || id <= 0) return null;
  return getActiveUserById(await getDb(), id);
});

/** For pages: the actor, or a redirect to the sign-in page. */
export async function requireActor(): Promise<Actor> {
  const actor = await getActor();
  if (!actor) redirect('/sign-in');
  return actor;
}

/** For server actions: the actor, or a typed "sign in again" error the form shows. */
export async function requireActionActor(): Promise<Actor> {
  const actor = await getActor();
  if (!actor) throw new AppError('unauthenticated', 'Your session has ended: sign in again.');
  return actor;
}
