import { z } from 'zod';
import { ROLES } from '@/lib/domain';
import { invalid } from '@/lib/errors';
import { parseId } from '@/lib/ids';
import { stripInvisible } from '@/lib/text';

export const LIMITS = {
  name: 100,
  email: 254,
  passwordMin: 10,
  passwordMax: 200,
  title: 200,
  background: 10_000,
  criteria: 5_000,
  scenarioName: 120,
  scenarioDescription: 1_000,
  indicatorName: 200,
  indicatorDescription: 2_000,
  rationale: 5_000,
  note: 2_000,
  url: 2_000,
  reason: 1_000,
  tokenName: 80,
} as const;

export const emailField = z
  .string({ error: 'Enter an email address.' })
  .trim()
  .toLowerCase()
  .max(LIMITS.email, `The email address is longer than ${LIMITS.email} characters.`)
  .pipe(z.email({ error: 'Enter a valid email address.' }));

export const roleField = z.enum(ROLES, { error: 'Choose a role: lead, forecaster or viewer.' });

/** Optional free text with a length limit; the message names the field. */
export const textField = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `${label} is longer than ${max.toLocaleString('en-US')} characters.`);

export const requiredText = (label: string, max: number) =>
  textField(label, max).min(1, `${label} is required.`);

/**
 * A name (of a person, scenario, indicator or question): required, trimmed, and stored without
 * invisible formatting characters, so nobody can pass for someone else (lib/text.ts).
 */
export const nameText = (label: string, max: number) =>
  z
    .string({ error: `${label} is required.` })
    .transform((v) => stripInvisible(v).trim())
    .pipe(requiredText(label, max));

/**
 * A UTC time from an <input type="datetime-local"> ("2026-05-01T09:30") or a full ISO string,
 * returned as milliseconds since the epoch. Form times are labelled UTC in the UI.
 */
export const utcTimeField = (label: string) =>
  z
    .string({ error: `${label} is required.` })
    .trim()
    .min(1, `${label} is required.`)
    .transform((value, ctx) => {
      const ms = parseUtc(value);
      if (ms === null) {
        ctx.addIssue({ code: 'custom', message: `${label} is not a valid date and time (years 1970 to 9999, written like 2026-05-01T09:30).` });
        return z.NEVER;
      }
      return ms;
    });

export const optionalUtcTimeField = (label: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value, ctx) => {
      if (!value) return null;
      const ms = parseUtc(value);
      if (ms === null) {
        ctx.addIssue({ code: 'custom', message: `${label} is not a valid date and time (years 1970 to 9999, written like 2026-05-01T09:30).` });
        return z.NEVER;
      }
      return ms;
    });

/** Years a time may fall in: anything else is a typo (0001, 20026) or nonsense, refused. */
export const YEAR_RANGE = { min: 1970, max: 9999 } as const;

export function parseUtc(value: string): number | null {
  const local = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(value);
  let ms: number;
  if (local) {
    const [, y, mo, d, h = '0', mi = '0', s = '0'] = local;
    if (+h > 23 || +mi > 59 || +s > 59) return null;
    // Date.UTC reads years 0-99 as 1900-1999; setUTCFullYear does not.
    const date = new Date(0);
    date.setUTCFullYear(+y!, +mo! - 1, +d!);
    date.setUTCHours(+h, +mi, +s, 0);
    // Reject 2026-02-31 and the like rather than rolling over.
    if (date.getUTCFullYear() !== +y! || date.getUTCDate() !== +d! || date.getUTCMonth() !== +mo! - 1) return null;
    ms = date.getTime();
  } else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    ms = Date.parse(value);
    if (!Number.isFinite(ms)) return null;
  } else {
    return null;
  }
  const year = new Date(ms).getUTCFullYear();
  return year >= YEAR_RANGE.min && year <= YEAR_RANGE.max ? ms : null;
}

/** An http(s) link, or nothing. */
export const optionalUrlField = (label: string) =>
  z
    .string()
    .trim()
    .max(LIMITS.url, `${label} is longer than ${LIMITS.url} characters.`)
    .optional()
    .transform((value, ctx) => {
      if (!value) return null;
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        ctx.addIssue({ code: 'custom', message: `${label} is not a valid link.` });
        return z.NEVER;
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        ctx.addIssue({ code: 'custom', message: `${label} must start with http:// or https://.` });
        return z.NEVER;
      }
      return url.toString();
    });

/** The first message of a zod error, and field errors keyed by path. */
export function describeZodError(error: z.ZodError): { message: string; fieldErrors: Record<string, string[]> } {
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join('.') : '_form';
    (fieldErrors[key] ??= []).push(issue.message);
  }
  return { message: error.issues[0]?.message ?? 'The input is not valid.', fieldErrors };
}

/** Parses with a schema, or throws a typed 400 naming the first problem (with field errors). */
export function parseWith<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const { message, fieldErrors } = describeZodError(parsed.error);
    throw invalid(message, fieldErrors);
  }
  return parsed.data;
}

/** A record id from a form or JSON field, read strictly (lib/ids); `message` names what is unknown. */
export const idField = (message: string) =>
  z.unknown().transform((value, ctx) => {
    const id = parseId(value);
    if (id === null) {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
    return id;
  });
