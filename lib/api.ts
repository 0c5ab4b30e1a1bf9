// The edge of the JSON API (/api/v1) and the CSV exports: who is calling, how errors look, and
// the request-body schemas. Route handlers stay thin: parse, call db/, shape the answer.
// Authorisation itself happens in the queries, next to the data.
import Papa from 'papaparse';
import { z } from 'zod';
import { getDb } from '@/db';
import type { Actor } from '@/db/queries/actor';
import { actorFromApiToken } from '@/db/queries/tokens';
import { AppError, invalid, notFound, type FieldErrors } from '@/lib/errors';
import { getActor } from '@/lib/session';
import { LIMITS, parseWith, requiredText } from '@/lib/validation/common';
import { rationaleField } from '@/lib/validation/forecast';
import { MAX_SCENARIOS } from '@/lib/validation/question';

// ---- who is calling ---------------------------------------------------------------------

const BEARER = /^Bearer[ ]+(\S+)\s*$/i;

/**
 * The caller: a bearer token first (`Authorization: Bearer sp_...`), else the Auth.js session
 * cookie. null when neither identifies an active user. A request that sends an Authorization
 * header is judged by it alone: a bad token never falls back to the cookie.
 */
export async function apiActor(request: Request): Promise<Actor | null> {
  const header = request.headers.get('authorization');
  if (header !== null) {
    const m = BEARER.exec(header);
    return m ? actorFromApiToken(getDb(), m[1]!) : null;
  }
  return getActor();
}

// ---- errors -----------------------------------------------------------------------------

export interface ApiErrorBody {
  error: { status: number; code: string; message: string; fieldErrors?: FieldErrors };
}

const JSON_HEADERS = { 'cache-control': 'no-store' } as const;

/** A JSON answer that is never cached (it depends on who asks). */
export function json(data: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(data, { status, headers: { ...JSON_HEADERS, ...headers } });
}

/** AppError -> its status and message; anything else -> 500 with a generic message, logged. */
export function jsonError(error: unknown): Response {
  if (error instanceof AppError) {
    const body: ApiErrorBody = { error: { status: error.status, code: error.code, message: error.message } };
    if (error.fieldErrors) body.error.fieldErrors = error.fieldErrors;
    const headers: Record<string, string> = error.status === 401 ? { 'www-authenticate': 'Bearer realm="signpost"' } : {};
    return json(body, error.status, headers);
  }
  console.error('[signpost] unexpected API error', error);
  const body: ApiErrorBody = {
    error: { status: 500, code: 'internal', message: 'Something went wrong on our side; nothing was saved. Please try again.' },
  };
  return json(body, 500);
}

// ---- the wrapper every handler uses -----------------------------------------------------

export interface ApiContext<P> {
  request: Request;
  actor: Actor;
  params: P;
}

type RouteParams = Record<string, string | string[] | undefined>;

/**
 * Wraps a route handler: resolves the caller (401 JSON when there is none), awaits the
 * route params (a Promise in Next 16), and turns whatever the handler throws into a JSON
 * error. The handler returns a Response, or plain data sent as JSON with status 200.
 */
export function withApi<P extends RouteParams = Record<string, never>>(
  handler: (ctx: ApiContext<P>) => unknown,
): (request: Request, context: { params: Promise<P> }) => Promise<Response> {
  return async (request, context) => {
    try {
      const actor = await apiActor(request);
      if (!actor) {
        throw new AppError(
          'unauthenticated',
          request.headers.has('authorization')
            ? 'The API token is not valid: it may have been revoked, or its owner deactivated.'
            : 'Sign in, or send a personal API token as "Authorization: Bearer <token>".',
        );
      }
      const params = (await context.params) ?? ({} as P);
      const result = await handler({ request, actor, params });
      return result instanceof Response ? result : json(result);
    } catch (error) {
      return jsonError(error);
    }
  };
}

/** A positive integer id from the URL; anything else is the same 404 as an unknown id. */
export function parseId(raw: string | string[] | undefined, what = 'question'): number {
  const s = typeof raw === 'string' ? raw : '';
  const n = /^[1-9]\d{0,14}$/.test(s) ? Number(s) : NaN;
  if (!Number.isSafeInteger(n)) throw notFound(`That ${what} does not exist.`);
  return n;
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
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) throw invalid(`The request body is larger than ${MAX_BODY_BYTES / 1024} KB.`);
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw invalid(`The request body is larger than ${MAX_BODY_BYTES / 1024} KB.`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw invalid('The request body is not valid JSON.');
  }
  return parseWith(schema, raw);
}


// ---- schemas ----------------------------------------------------------------------------

const VECTOR_SHAPE =
  'an array of numbers (percent, in scenario order) or an object mapping each scenario id to a number (percent)';

/** Percentages for every scenario: [50, 30, 20] or { "12": 50, "13": 30, "14": 20 }. */
const percentVector = (label: string) =>
  z.union(
    [
      z.array(z.number()).min(1).max(MAX_SCENARIOS),
      z.record(z.string().regex(/^[1-9]\d{0,14}$/), z.number()),
    ],
    { error: `"${label}" must be ${VECTOR_SHAPE}.` },
  );

/**
 * The body of POST /api/v1/questions/{id}/forecasts. The values are percentages, checked
 * against the question's scenarios by saveForecast (the one validation path for forecasts);
 * this schema only checks the shape. An update on an indicator event sends eventId and
 * likelihoods together.
 */
export const forecastBodySchema = z
  .strictObject(
    {
      probabilities: percentVector('probabilities'),
      rationale: z
        .unknown()
        .optional()
        .refine((v) => v === undefined || typeof v === 'string', '"rationale" must be a string.')
        .pipe(rationaleField),
      eventId: z
        .number({ error: '"eventId" must be a number.' })
        .int('"eventId" must be a whole number.')
        .positive('"eventId" must be positive.')
        .optional(),
      likelihoods: percentVector('likelihoods').optional(),
    },
    { error: (issue) => (issue.code === 'unrecognized_keys' ? `Unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}. Expected probabilities, rationale, eventId, likelihoods.` : 'The body must be a JSON object with "probabilities".') },
  )
  .superRefine((b, ctx) => {
    if (b.eventId !== undefined && b.likelihoods === undefined) {
      ctx.addIssue({ code: 'custom', path: ['likelihoods'], message: 'An update on an indicator event ("eventId") needs "likelihoods" for every scenario.' });
    }
    if (b.likelihoods !== undefined && b.eventId === undefined) {
      ctx.addIssue({ code: 'custom', path: ['eventId'], message: '"likelihoods" belong to an update: send the "eventId" of the indicator event too.' });
    }
  });

/** Turns a percent vector (array in scenario order, or id-keyed object) into scenario id -> value. */
export function vectorToValues(
  vector: number[] | Record<string, number>,
  scenarios: readonly { id: number; name: string }[],
  label: string,
): Map<number, unknown> {
  if (Array.isArray(vector)) {
    if (vector.length !== scenarios.length) {
      throw invalid(
        `"${label}" has ${vector.length} value${vector.length === 1 ? '' : 's'}, but the question has ${scenarios.length} scenarios: ` +
          scenarios.map((s) => `"${s.name}"`).join(', ') + '.',
        { [label]: ['Wrong number of values.'] },
      );
    }
    return new Map(scenarios.map((s, i) => [s.id, vector[i]]));
  }
  return new Map(Object.entries(vector).map(([k, v]) => [Number(k), v]));
}

/** The name of a new API token (settings page). */
export const tokenNameSchema = z.object({
  name: requiredText('The token name', LIMITS.tokenName),
});

// ---- shaping answers --------------------------------------------------------------------

export const iso = (ms: number) => new Date(ms).toISOString();
export const isoOrNull = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : iso(ms));

/**
 * A CSV download. Cells that a spreadsheet would run as a formula (=, +, -, @ first) are
 * prefixed with a quote by papaparse's escapeFormulae, so a rationale cannot run in Excel.
 */
export function csv(filename: string, fields: string[], rows: unknown[][]): Response {
  const text = Papa.unparse({ fields, data: rows }, { escapeFormulae: true, newline: '\r\n' });
  return new Response(text + '\r\n', {
    status: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${filename}"`,
      'cache-control': 'no-store',
    },
  });
}
