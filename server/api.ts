// The edge of the JSON API (/api/v1) and the CSV exports: who is calling, how errors look,
// reading bodies and ids. Route handlers stay thin: parse, call db/, shape the answer.
// Authorisation itself happens in the queries, next to the data.
import type { z } from 'zod';
import { getDb, type Db } from '@/db';
import { RETRY_AFTER_SECONDS, unavailableError } from '@/db/errors';
import type { Actor } from '@/db/queries/access';
import { actorFromApiToken } from '@/db/queries/tokens';
import { AppError, invalid, notFound, type FieldErrors } from '@/lib/errors';
import { parseId } from '@/lib/ids';
import { parseWith } from '@/lib/validation/common';
import { log } from './log';
import { REQUEST_ID_HEADER } from './request-id';
import { getActor } from './session';

// ---- who is calling ---------------------------------------------------------------------

const BEARER = /^Bearer[ ]+(\S+)\s*$/i;

/**
 * The caller: a bearer token first (`Authorization: Bearer sp_...`), else the Auth.js session
 * cookie. null when neither identifies an active user. A request that sends an Authorization
 * header is judged by it alone: a bad token never falls back to the cookie.
 */
export async function apiActor(db: Db, request: Request): Promise<Actor | null> {
  const header = request.headers.get('authorization');
  if (header !== null) {
    const m = BEARER.exec(header);
    return m ? actorFromApiToken(db, m[1]!) : null;
  }
  return getActor();
}

// ---- errors -----------------------------------------------------------------------------

export interface ApiErrorBody {
  error: { status: number; code: string; message: string; fieldErrors?: FieldErrors };
  /** The request's id, as in the X-Request-Id header and the server's log. */
  requestId: string | null;
}

/** The id the server gave this request (server/request-log.ts). */
export function requestIdOf(request: Request): string | null {
  return request.headers.get(REQUEST_ID_HEADER);
}

const JSON_HEADERS = { 'cache-control': 'no-store' } as const;

/** A JSON answer that is never cached (it depends on who asks). */
export function json(data: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(data, { status, headers: { ...JSON_HEADERS, ...headers } });
}

/**
 * AppError -> its status and message; anything else -> 500 with a generic message, logged with
 * the request id. Every error body carries the request id, so a report can be found in the log.
 */
export function jsonError(error: unknown, requestId: string | null): Response {
  const known = error instanceof AppError ? error : unavailableError(error);
  if (known) {
    const body: ApiErrorBody = { error: { status: known.status, code: known.code, message: known.message }, requestId };
    if (known.fieldErrors) body.error.fieldErrors = known.fieldErrors;
    const headers: Record<string, string> =
      known.status === 401 ? { 'www-authenticate': 'Bearer realm="signpost"' } : known.status === 503 ? { 'retry-after': String(RETRY_AFTER_SECONDS) } : {};
    return json(body, known.status, headers);
  }
  log().error({ requestId, err: error }, 'unexpected API error');
  const body: ApiErrorBody = {
    error: { status: 500, code: 'internal', message: 'Something went wrong on our side; nothing was saved. Please try again.' },
    requestId,
  };
  return json(body, 500);
}

// ---- the wrapper every handler uses -----------------------------------------------------

export interface ApiContext<P> {
  request: Request;
  actor: Actor;
  params: P;
  db: Db;
}

type RouteParams = Record<string, string | string[] | undefined>;

/**
 * Wraps a route handler: opens the database, resolves the caller (401 JSON when there is
 * none), awaits the route params (a Promise in Next 16), and turns whatever the handler throws
 * into a JSON error. The handler returns a Response, or plain data sent as JSON with status 200.
 */
export function withApi<P extends RouteParams = Record<string, never>>(
  handler: (ctx: ApiContext<P>) => unknown,
): (request: Request, context: { params: Promise<P> }) => Promise<Response> {
  return async (request, context) => {
    try {
      const db = await getDb();
      const actor = await apiActor(db, request);
      if (!actor) {
        throw new AppError(
          'unauthenticated',
          request.headers.has('authorization')
            ? 'The API token is not valid: it may have been revoked, or its owner deactivated.'
            : 'Sign in, or send a personal API token as "Authorization: Bearer <token>".',
        );
      }
      const params = (await context.params) ?? ({} as P);
      const result = await handler({ request, actor, params, db });
      return result instanceof Response ? result : json(result);
    } catch (error) {
      return jsonError(error, requestIdOf(request));
    }
  };
}

/** A positive integer id from the URL; anything else is the same 404 as an unknown id. */
export function routeId(raw: string | string[] | undefined, what = 'question'): number {
  const id = parseId(raw);
  if (id === null) throw notFound(`That ${what} does not exist.`);
  return id;
}

/** Generous for a forecast with a long rationale; stops a client from streaming megabytes. */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * Reads a JSON body and validates it with `schema`. Requires Content-Type application/json:
 * with a cookie session that also keeps cross-site HTML forms (which cannot send that type
 * without a CORS preflight) from posting on a user's behalf.
 */
export async function readJsonBody<S extends z.ZodType>(request: Request, schema: S): Promise<z.output<S>> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(type)) {
    throw invalid('Send the body as JSON, with the header "Content-Type: application/json".');
  }
  const declared = Number(request.headers.get('content-length'));
  const tooLarge = () => new AppError('too_large', `The request body is larger than ${MAX_BODY_BYTES / 1024} KB.`);
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) throw tooLarge();
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw tooLarge();
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw invalid('The request body is not valid JSON.');
  }
  return parseWith(schema, raw);
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/**
 * JSON 405 answers for the methods a route does not take, to spread into its exports:
 * `export const { PUT, PATCH, DELETE } = otherMethods(['GET', 'POST'])`.
 */
export function otherMethods(allowed: readonly (typeof METHODS)[number][]) {
  const handler = async (request: Request) =>
    json(
      { error: { status: 405, code: 'method_not_allowed', message: `This endpoint takes ${allowed.join(' and ')} only.` }, requestId: requestIdOf(request) },
      405,
      { allow: allowed.join(', ') },
    );
  return Object.fromEntries(METHODS.filter((m) => !allowed.includes(m)).map((m) => [m, handler])) as Record<(typeof METHODS)[number], (request: Request) => Promise<Response>>;
}
