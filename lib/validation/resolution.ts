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

export const methodSchema = z.object({
  methodId: z.string({ error: 'Choose an aggregation method.' }).min(1, 'Choose an aggregation method.'),
});
