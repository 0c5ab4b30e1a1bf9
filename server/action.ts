// The one way to declare a server action. A declaration names who may run it, how its form
// is read and checked, and what it does:
//
//   export const publishQuestionAction = action(
//     { roles: ['lead'], args: [idArg] },
//     async (_input, { actor, db, args: [questionId] }) => { ... },
//   );
//
// and the wrapper reads the session, checks the role, parses the bound arguments and the form
// with zod, runs the handler, and maps every refusal to the form state the form shows (the
// form keeps what was typed: app/_components/useServerForm). The data layer checks the
// role and visibility again, next to the data. See docs/architecture.md.
import { unstable_rethrow } from 'next/navigation';
import { z } from 'zod';
import { getDb, type Db } from '@/db';
import { unavailableError } from '@/db/errors';
import { assertRole, TEAM_ROLES, type Actor } from '@/db/queries/access';
import type { Role } from '@/lib/domain';
import { AppError, toActionState, type ActionState } from '@/lib/errors';
import { parseId } from '@/lib/ids';
import { parseWith } from '@/lib/validation/common';
import { currentRequestId } from './current-request';
import { log } from './log';
import { requireActionActor } from './session';

/** The first value of a form field, when it is text. */
export function formString(form: FormData, key: string): string | undefined {
  const v = form.get(key);
  return typeof v === 'string' ? v : undefined;
}

/** The named fields of a form as an object of their first text values. */
export function formObject(form: FormData, keys: readonly string[]): Record<string, string | undefined> {
  return Object.fromEntries(keys.map((k) => [k, formString(form, k)]));
}

/** Every text field of a form (React's own $ACTION fields left out), first value of each. */
export function formFields(form: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of form.entries()) {
    if (typeof v === 'string' && !k.startsWith('$ACTION') && !(k in out)) out[k] = v;
  }
  return out;
}

/**
 * A record id bound to an action with `.bind(null, id)`. Bound arguments come back from the
 * browser, so they are read as strictly as route ids: anything else is "does not exist".
 */
export const idArg = z.unknown().transform((v, ctx) => {
  const id = parseId(v);
  if (id === null) {
    ctx.addIssue({ code: 'custom', message: 'That item does not exist: reload the page and try again.' });
    return z.NEVER;
  }
  return id;
});

/** A true/false bound to an action. */
export const flagArg = z.boolean({ error: 'The form is out of date: reload the page and try again.' });

type Outputs<A extends readonly z.ZodType[]> = { [K in keyof A]: A[K] extends z.ZodType ? z.output<A[K]> : never };
type Inputs<A extends readonly z.ZodType[]> = { [K in keyof A]: A[K] extends z.ZodType ? z.input<A[K]> : never };

export interface ActionSpec<S extends z.ZodType, A extends readonly z.ZodType[]> {
  /** Who may run it (default: every team role); checked before anything is parsed. */
  roles?: readonly Role[];
  /** What it does, for the refusal: "Only team leads can <what>." */
  what?: string;
  /** The form's schema; without one the handler gets undefined. */
  input?: S;
  /** How the form becomes the schema's input (default: its text fields as an object). */
  read?: (form: FormData) => unknown;
  /** Schemas of the arguments bound with .bind(null, ...), in order. */
  args?: A;
}

export interface ActionContext<A> {
  actor: Actor;
  db: Db;
  args: A;
  form: FormData;
}

type Handler<S extends z.ZodType, A extends readonly z.ZodType[], C> = (
  input: z.output<S>,
  ctx: C & { args: Outputs<A>; db: Db; form: FormData },
) => Promise<ActionState | void>;

/** A refusal as the form's state, with the request id; an unexpected error is logged with it. */
async function fail(error: unknown): Promise<ActionState> {
  unstable_rethrow(error); // Next's redirect and notFound signals pass through
  const requestId = await currentRequestId();
  const known = unavailableError(error) ?? error;
  if (known instanceof AppError) return { ...toActionState(known), requestId };
  log().error({ requestId, err: error }, 'unexpected server action error');
  return { ok: false, code: 'internal', message: 'Something went wrong on our side; nothing was saved. Please try again.', requestId };
}

function parseArgs<A extends readonly z.ZodType[]>(spec: { args?: A }, params: unknown[]): Outputs<A> {
  const schemas = spec.args ?? ([] as unknown as A);
  if (params.length !== schemas.length) throw new AppError('invalid', 'The form is out of date: reload the page and try again.');
  return schemas.map((schema, i) => parseWith(schema, params[i])) as unknown as Outputs<A>;
}

function parseInput<S extends z.ZodType>(spec: { input?: S; read?: (form: FormData) => unknown }, form: FormData): z.output<S> {
  if (!spec.input) return undefined as z.output<S>;
  return parseWith(spec.input, (spec.read ?? formFields)(form));
}

/** A server action run by a signed-in team member (see the top of this file). */
export function action<S extends z.ZodType = z.ZodUndefined, const A extends readonly z.ZodType[] = []>(
  spec: ActionSpec<S, A>,
  handler: Handler<S, A, { actor: Actor }>,
): (...params: [...Inputs<A>, ActionState, FormData]) => Promise<ActionState> {
  return async (...params) => {
    try {
      const form = params[params.length - 1] as FormData;
      const actor = await requireActionActor();
      assertRole(actor, spec.roles ?? TEAM_ROLES, spec.what ?? 'do that');
      const args = parseArgs(spec, params.slice(0, -2));
      const input = parseInput(spec, form);
      return (await handler(input, { actor, args, db: await getDb(), form })) ?? { ok: true };
    } catch (error) {
      return fail(error);
    }
  };
}

/** A server action anyone may run, signed in or not (sign-in, the first account, invites). */
export function publicAction<S extends z.ZodType = z.ZodUndefined, const A extends readonly z.ZodType[] = []>(
  spec: Omit<ActionSpec<S, A>, 'roles' | 'what'>,
  handler: Handler<S, A, object>,
): (...params: [...Inputs<A>, ActionState, FormData]) => Promise<ActionState> {
  return async (...params) => {
    try {
      const form = params[params.length - 1] as FormData;
      const args = parseArgs(spec, params.slice(0, -2));
      const input = parseInput(spec, form);
      return (await handler(input, { args, db: await getDb(), form })) ?? { ok: true };
    } catch (error) {
      return fail(error);
    }
  };
}
