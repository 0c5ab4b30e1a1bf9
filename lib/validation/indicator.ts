import { z } from 'zod';
import { EVENT_KINDS } from '@/lib/domain';
import { LIMITS, optionalUrlField, requiredText, textField, utcTimeField } from './common';

export const eventInputSchema = z.object({
  indicatorId: z.coerce.number({ error: 'Choose an indicator.' }).int('Choose an indicator.').positive('Choose an indicator.'),
  kind: z.enum(EVENT_KINDS, { error: 'The event kind must be "observed" or "deadline_passed".' }).default('observed'),
  occurredAt: utcTimeField('When it happened'),
  sourceUrl: optionalUrlField('The source link'),
  note: textField('The note', LIMITS.note).default(''),
});
export type EventInput = z.infer<typeof eventInputSchema>;

export const retractSchema = z.object({
  reason: requiredText('A reason for the retraction', LIMITS.reason),
});
