// Shared set-up for the data-layer tests: a fresh in-memory database with migrations applied.
import { openDatabase, type Db } from './index';
import type { Actor } from './queries/actor';
import { users, type Role } from './schema';

export function freshDb(): Db {
  return openDatabase(':memory:').db;
}

/** Inserts a user directly (no password hashing: these tests do not sign in). */
export function addUser(db: Db, name: string, role: Role): Actor {
  const email = `${name.toLowerCase()}@test.example`;
  const id = db.insert(users).values({ name, email, role, passwordHash: 'x', createdAt: 0 }).returning({ id: users.id }).get().id;
  return { id, name, email, role };
}

export const DAY = 86_400_000;
export const T0 = Date.UTC(2026, 0, 1);

export const questionInput = (over: Partial<Record<string, unknown>> = {}) => ({
  title: 'Test question',
  background: '',
  resolutionCriteria: 'By the test.',
  opensAt: new Date(T0).toISOString(),
  closesAt: new Date(T0 + 100 * DAY).toISOString(),
  staleAfterDays: 14,
  antiHerding: true,
  scenarios: [
    { name: 'A', description: '' },
    { name: 'B', description: '' },
    { name: 'C', description: '' },
  ],
  indicators: [{ name: 'Signal', description: '' }],
  ...over,
});
