import { z } from 'zod';
import { LIMITS, requiredText, textField, utcTimeField } from './common';

export const resolveSchema = z.object({
  scenarioId: z.coerce.number({ error: 'Choose the scenario that happened.' }).int('Choose the scenario that happened.').positive('Choose the scenario that happened.'),
  resolvedAt: utcTimeField('The resolution time'),
  note: textField('The resolution note', LIMITS.note).default(''),
});
export type ResolveInput = z.infer<typeof resolveSchema>;

export const annulSchema = z.object({
  reason: requiredText('A reason for the annulment', LIMITS.reason),
});

export const methodSchema = z.object({
  methodId: z.string({ error: 'Choose an aggregation method.' }).min(1, 'Choose an aggregation method.'),
});
