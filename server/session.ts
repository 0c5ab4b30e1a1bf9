// The signed-in actor for server components, actions and route handlers.
import { cache } from 'react';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { getDb } from '@/db';
import type { Actor } from '@/db/queries/access';
import { actorFromSession } from '@/db/queries/sessions';
import { AppError } from '@/lib/errors';
import { sessionCookies } from './auth';
import { usesSecureCookies, type SessionClaims } from './session-cookie';

/**
 * This request's session cookie, read once per request and decrypted once per cookie value
 * (server/session-cookie.ts): Auth.js's auth() decrypted it and encrypted a renewed one on every
 * call, a good part of a bare page's time.
 */
const sessionOfRequest = cache(async (): Promise<SessionClaims | null> => {
  const [h, jar] = await Promise.all([headers(), cookies()]);
  return sessionCookies.read(jar.getAll(), usesSecureCookies(h.get('x-forwarded-proto')));
});

/** The id of this request's sign-in session, or null. Cached per request. */
export const currentSessionId = cache(async (): Promise<string | null> => (await sessionOfRequest())?.sid ?? null);

/**
 * The active user behind this request's session, or null: the session must still be open in
 * the database (not signed out, not ended everywhere) and its user active. Cached per request.
 */
export const getActor = cache(async (): Promise<Actor | null> => {
  const session = await sessionOfRequest();
  const id = Number(session?.userId);
  const sid = session?.sid ?? null;
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
