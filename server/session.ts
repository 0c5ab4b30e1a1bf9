// The signed-in actor for server components, actions and route handlers.
import { cache } from 'react';
import { redirect } from 'next/navigation';
import type { Session } from 'next-auth';
import { getDb } from '@/db';
import type { Actor } from '@/db/queries/access';
import { actorFromSession } from '@/db/queries/sessions';
import { AppError } from '@/lib/errors';
import { auth } from './auth';

type SessionWithSid = (Session & { sid?: string | null }) | null;

/**
 * This request's Auth.js session, read once per request: each auth() call decrypts the session
 * cookie and encrypts a renewed one (a key derivation and a cipher each way), which was a good
 * part of a bare page's time when getActor and currentSessionId each called it.
 */
const sessionOfRequest = cache(async (): Promise<SessionWithSid> => (await auth()) as SessionWithSid);

/** The id of this request's sign-in session, or null. Cached per request. */
export const currentSessionId = cache(async (): Promise<string | null> => {
  const session = await sessionOfRequest();
  return typeof session?.sid === 'string' ? session.sid : null;
});

/**
 * The active user behind this request's session, or null: the session must still be open in
 * the database (not signed out, not ended everywhere) and its user active. Cached per request.
 */
export const getActor = cache(async (): Promise<Actor | null> => {
  const session = await sessionOfRequest();
  const id = Number(session?.user?.id);
  const sid = await currentSessionId();
  if (!Number.isInteger(id) || id <= 0 || !sid) return null;
  return actorFromSession(await getDb(), id, sid);
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
