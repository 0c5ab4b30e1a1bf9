import { z } from 'zod';
import { LIMITS, requiredText, textField, utcTimeField } from './common';

export const resolveSchema = z.object({
  scenarioId: z.coerce.number({ error: 'Choose the scenario that happened.' }).int('Choose the scenario that happened.').positive('Choose the scenario that happened.'),
  resolvedAt: utcTimeField('The resolution time'),
  note: textField('The resolution note', LIMITS.note).default(''),
});
export type ResolveInput = z.infer<typeof resolveSchema>;

/**
 * The JSON body of POST /api/v1/questions/{id}/resolution: the same fields, strictly typed (a
 * scenario id is a JSON number, not "12", [12] or true) and no unknown fields.
 */
export const resolveApiSchema = z.strictObject(
  {
    scenarioId: z
      .number({ error: '"scenarioId" must be a number: the id of the scenario that happened.' })
      .int('"scenarioId" must be a whole number.')
      .positive('"scenarioId" must be positive.'),
    resolvedAt: z.string({ error: '"resolvedAt" must be a date and time as text, e.g. "2026-12-31T23:00:00Z".' }).pipe(utcTimeField('"resolvedAt"')),
    note: z.string({ error: '"note" must be text.' }).pipe(textField('"note"', LIMITS.note)).default(''),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `Unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}. Expected scenarioId, resolvedAt, note.`
        : 'The body must be a JSON object with "scenarioId" and "resolvedAt".',
  },
);

export const annulSchema = z.object({
  reason: requiredText('A reason for the annulment', LIMITS.reason),
});

/** The extremising power a lead may set for a question's extremised methods. */
export const EXTREMISING_ALPHA_RANGE = { min: 1, max: 5 } as const;

/** A plain decimal from a form field (blank: unchanged), accepted by `ok`, else `message`. */
const decimalField = (ok: (n: number) => boolean, message: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return undefined;
      const n = Number(v);
      if (!/^\d+(\.\d+)?$/.test(v) || !ok(n)) {
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      }
      return n;
    });

/** An extremising power: a number from 1 to 5 (blank: unchanged). */
export const alphaField = decimalField(
  (n) => n >= EXTREMISING_ALPHA_RANGE.min && n <= EXTREMISING_ALPHA_RANGE.max,
  `The extremising power must be a number from ${EXTREMISING_ALPHA_RANGE.min} to ${EXTREMISING_ALPHA_RANGE.max}, e.g. 1.5.`,
);

/**
 * The skill setting a lead may set for a question's skill methods (lib/aggregation/weights.ts):
 * the temperature in Brier points, above 0 and at most 10, and the prior count (shrinkage, in
 * pseudo-questions) from 0 to 1000.
 */
export const SKILL_TEMPERATURE_RANGE = { above: 0, max: 10 } as const;
export const SKILL_PRIOR_COUNT_RANGE = { min: 0, max: 1000 } as const;
export const SKILL_TEMPERATURE_MESSAGE = `The skill temperature must be a number above ${SKILL_TEMPERATURE_RANGE.above} and at most ${SKILL_TEMPERATURE_RANGE.max}, e.g. 0.05.`;
export const SKILL_PRIOR_COUNT_MESSAGE = `The skill prior count must be a number from ${SKILL_PRIOR_COUNT_RANGE.min} to ${SKILL_PRIOR_COUNT_RANGE.max}, e.g. 20.`;

/** True when `t` is a temperature a lead may set. */
export const isSkillTemperature = (t: number) => Number.isFinite(t) && t > SKILL_TEMPERATURE_RANGE.above && t <= SKILL_TEMPERATURE_RANGE.max;
/** True when `c` is a prior count a lead may set. */
export const isSkillPriorCount = (c: number) => Number.isFinite(c) && c >= SKILL_PRIOR_COUNT_RANGE.min && c <= SKILL_PRIOR_COUNT_RANGE.max;

/** A skill temperature: a number above 0 and at most 10 (blank: unchanged). */
export const temperatureField = decimalField(isSkillTemperature, SKILL_TEMPERATURE_MESSAGE);
/** A skill prior count: a number from 0 to 1000 (blank: unchanged). */
export const priorCountField = decimalField(isSkillPriorCount, SKILL_PRIOR_COUNT_MESSAGE);

export const methodSchema = z.object({
  methodId: z.string({ error: 'Choose an aggregation method.' }).min(1, 'Choose an aggregation method.'),
  alpha: alphaField,
  temperature: temperatureField,
  priorCount: priorCountField,
});
