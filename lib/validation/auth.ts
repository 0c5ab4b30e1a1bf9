import { z } from 'zod';
import { LIMITS, emailField, idField, nameText, roleField } from './common';

export const signInSchema = z.object({
  email: emailField,
  password: z.string({ error: 'Enter your password.' }).min(1, 'Enter your password.').max(LIMITS.passwordMax),
});

const passwordField = z
  .string({ error: 'Choose a password.' })
  .min(LIMITS.passwordMin, `The password must be at least ${LIMITS.passwordMin} characters.`)
  .max(LIMITS.passwordMax, `The password must be at most ${LIMITS.passwordMax} characters.`);

export const accountSchema = z.object({
  name: nameText('Name', LIMITS.name),
  email: emailField,
  password: passwordField,
});

export const inviteCreateSchema = z.object({
  role: roleField,
  email: z
    .string()
    .trim()
    .toLowerCase()
    .max(LIMITS.email)
    .optional()
    .transform((v) => v || null)
    .pipe(z.email({ error: 'Enter a valid email address, or leave it empty.' }).nullable()),
  expiresInDays: z.coerce
    .number({ error: 'Expiry must be a number of days.' })
    .int('Expiry must be a whole number of days.')
    .min(1, 'An invite must last at least 1 day.')
    .max(30, 'An invite can last at most 30 days.'),
});

export const roleChangeSchema = z.object({
  userId: idField('Unknown member.'),
  role: roleField,
});

export const memberActiveSchema = z.object({
  userId: idField('Unknown member.'),
  active: z.enum(['true', 'false']).transform((v) => v === 'true'),
});

/** Changing one's own password: the current one, and the new one twice. */
export const passwordChangeSchema = z
  .object({
    current: z.string({ error: 'Enter your current password.' }).min(1, 'Enter your current password.').max(LIMITS.passwordMax),
    next: passwordField,
    confirm: z.string({ error: 'Enter the new password again.' }),
  })
  .refine((v) => v.next === v.confirm, { path: ['confirm'], message: 'The two new passwords differ.' });
