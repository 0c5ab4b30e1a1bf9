import type { Role } from '@/db/schema';
import { AppError, forbidden } from '@/lib/errors';

/** The signed-in user on whose behalf a query runs. Loaded fresh from the database per request. */
export interface Actor {
  id: number;
  name: string;
  email: string;
  role: Role;
}

export function assertRole(actor: Actor | null | undefined, roles: readonly Role[], what: string): asserts actor is Actor {
  if (!actor) throw new AppError('unauthenticated', 'Sign in first.');
  if (!roles.includes(actor.role)) throw forbidden(`Only ${roles.map((r) => (r === 'lead' ? 'team leads' : `${r}s`)).join(' and ')} can ${what}.`);
}

export const isLead = (actor: Actor) => actor.role === 'lead';
