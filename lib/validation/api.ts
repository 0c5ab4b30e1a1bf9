// The request bodies of the JSON API (/api/v1) and the API-token form: shapes only; the
// values are checked against the question by the data layer (the one validation path).
import { z } from 'zod';
import { invalid } from '@/lib/errors';
import { LIMITS, nameText } from './common';
import { rationaleField } from './forecast';
import { MAX_SCENARIOS } from './question';

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

/**
 * The body of POST /api/v1/questions/{id}/reaffirm: an empty JSON object `{}` (the standing
 * forecast is recorded again as it is). JSON is required, as for every write of the API, so a
 * cross-site HTML form cannot post it with a member's cookie.
 */
export const reaffirmBodySchema = z.strictObject(
  {},
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `Unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}. A reaffirmation takes no fields: send {}.`
        : 'The body must be the empty JSON object {}.',
  },
);

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
  name: nameText('The token name', LIMITS.tokenName),
});

