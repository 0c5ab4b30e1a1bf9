// Forms of the notifications feature (issue 13).
import { z } from 'zod';
import { EMAIL_CHOICES } from '@/lib/domain';
import { idField } from './common';

export const emailChoiceSchema = z.object({
  email: z.enum(EMAIL_CHOICES, { error: 'Choose how you get email: at once, a daily digest, a weekly digest, or off.' }),
});

export const notificationIdSchema = z.object({ notificationId: idField('That notification does not exist.') });

/** The URL is only read here; server/notify/webhook-url.ts checks where it points. */
export const webhookSchema = z.object({
  url: z.string({ error: 'Enter the webhook URL.' }).max(2000, 'That URL is too long (at most 2,000 characters).'),
});
