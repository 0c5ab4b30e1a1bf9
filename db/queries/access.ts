// Who may see and do what, written once, next to the data. Every query that acts for a user
// starts here: assertRole for what their role allows, and loadQuestionFor (or the indicator
// and event loaders built on it) for which questions they may see. See docs/architecture.md.
import { eq, sql } from 'drizzle-orm';
import type { Queryable } from '@/db/types';
import { forUpdate } from '@/db/lock';
import { indicatorEvents, indicators, questions } from '@/db/schema';
import type { Actor, Role } from '@/lib/domain';
import { AppError, forbidden, notFound } from '@/lib/errors';
import { isId } from '@/lib/ids';

export type { Actor } from '@/lib/domain';

export const TEAM_ROLES: readonly Role[] = ['lead', 'forecaster', 'viewer'];

export function assertRole(actor: Actor | null | undefined, roles: readonly Role[], what: string): asserts actor is Actor {
  if (!actor) throw new AppError('unauthenticated', 'Sign in first.');
  if (!roles.includes(actor.role)) throw forbidden(`Only ${roles.map((r) => (r === 'lead' ? 'team leads' : `${r}s`)).join(' and ')} can ${what}.`);
}

export const isLead = (actor: Actor) => actor.role === 'lead';

export type QuestionRow = typeof questions.$inferSelect;

/** The visibility rule: every member sees published questions; drafts only leads. */
export const maySee = (actor: Actor, q: { status: string }) => q.status !== 'draft' || isLead(actor);

/**
 * The question row if the actor may see it, else the same 404 as for a question that does
 * not exist (so a draft's existence does not leak). `lock` holds the row for the rest of the
 * write transaction on PostgreSQL, so decisions on its status are not raced.
 */
export async function loadQuestionFor(db: Queryable, actor: Actor, questionId: number, options: { lock?: boolean } = {}): Promise<QuestionRow> {
  assertRole(actor, TEAM_ROLES, 'read questions');
  if (!isId(questionId)) throw notFound('That question does not exist.');
  const query = db.select().from(questions).where(eq(questions.id, questionId));
  const [q] = await (options.lock ? forUpdate(query) : query);
  if (!q || !maySee(actor, q)) throw notFound('That question does not exist.');
  return q;
}

/**
 * In a write transaction that will change what the question shows: adds one to its version
 * (db/internal/snapshot.ts) and returns its row, if the actor may see it — one statement where
 * a load and a later bump took two, on the writer every write waits for. The row stays locked
 * until the transaction ends, and whatever the caller throws afterwards (a refusal, a bad
 * vector) rolls the bump back with the rest.
 */
export async function loadQuestionForWrite(tx: Queryable, actor: Actor, questionId: number): Promise<QuestionRow> {
  assertRole(actor, TEAM_ROLES, 'read questions');
  if (!isId(questionId)) throw notFound('That question does not exist.');
  const [q] = await tx
    .update(questions)
    .set({ version: sql`${questions.version} + 1` })
    .where(eq(questions.id, questionId))
    .returning();
  if (!q || !maySee(actor, q)) throw notFound('That question does not exist.');
  return q;
}

// Questions already loaded for an actor in this request, so one page render can pass the
// loaded question on instead of loading it again. Only objects this module handed out count.
const granted = new WeakMap<object, Actor>();

/** Marks `value`, built from a row loadQuestionFor returned for `actor`, as visible to them. */
export function grant<T extends object>(actor: Actor, value: T): T {
  granted.set(value, actor);
  return value;
}

/** True when `value` was granted to this actor by a loader here. */
export const isGranted = (actor: Actor, value: unknown): boolean =>
  typeof value === 'object' && value !== null && granted.get(value) === actor;

/** A question id, or a question object a loader here granted to this actor. */
export type QuestionRef = number | { readonly id: number };

/** The id of a question the actor may see; a question already granted to them is not loaded again. */
export async function visibleQuestionId(db: Queryable, actor: Actor, ref: QuestionRef): Promise<number> {
  if (typeof ref === 'object' && isGranted(actor, ref)) return ref.id;
  return (await loadQuestionFor(db, actor, typeof ref === 'object' ? ref.id : ref)).id;
}

export type IndicatorRow = typeof indicators.$inferSelect;

/** An indicator and its question, if the actor may see the question. */
export async function loadIndicatorFor(
  db: Queryable,
  actor: Actor,
  indicatorId: number,
  options: { lock?: boolean } = {},
): Promise<{ ind: IndicatorRow; q: QuestionRow }> {
  assertRole(actor, TEAM_ROLES, 'read questions');
  const [ind] = isId(indicatorId) ? await db.select().from(indicators).where(eq(indicators.id, indicatorId)) : [];
  if (!ind) throw notFound('That indicator does not exist.');
  const q = await loadQuestionFor(db, actor, ind.questionId, options).catch(rewordNotFound('That indicator does not exist.'));
  return { ind, q };
}

/** For .catch: a 404 becomes a 404 with `message`; any other error passes through. */
export const rewordNotFound = (message: string) => (error: unknown): never => {
  throw error instanceof AppError && error.code === 'not_found' ? notFound(message) : error;
};

export type EventRow = typeof indicatorEvents.$inferSelect;

/** An indicator event and its question, if the actor may see the question. */
export async function loadEventFor(
  db: Queryable,
  actor: Actor,
  eventId: number,
  options: { lock?: boolean } = {},
): Promise<{ ev: EventRow; q: QuestionRow }> {
  assertRole(actor, TEAM_ROLES, 'read questions');
  const query = db.select().from(indicatorEvents).where(eq(indicatorEvents.id, eventId));
  const [ev] = isId(eventId) ? await (options.lock ? forUpdate(query) : query) : [];
  if (!ev) throw notFound('That event does not exist.');
  const q = await loadQuestionFor(db, actor, ev.questionId, options).catch(rewordNotFound('That event does not exist.'));
  return { ev, q };
}
