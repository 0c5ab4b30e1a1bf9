import { z } from 'zod';
import {
  LIMITS,
  nameText,
  optionalUtcTimeField,
  requiredText,
  textField,
  utcTimeField,
} from './common';

export const MIN_SCENARIOS = 2;
export const MAX_SCENARIOS = 12;
export const MAX_INDICATORS = 30;

const optionalId = z
  .union([z.string(), z.number()])
  .optional()
  .transform((v, ctx) => {
    if (v === undefined || v === '') return null;
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0) {
      ctx.addIssue({ code: 'custom', message: 'An item id is not valid.' });
      return z.NEVER;
    }
    return n;
  });

export const scenarioInputSchema = z.object({
  id: optionalId,
  name: nameText('Every scenario name', LIMITS.scenarioName),
  description: textField('A scenario description', LIMITS.scenarioDescription).default(''),
});

export const indicatorInputSchema = z.object({
  id: optionalId,
  name: nameText('Every indicator name', LIMITS.indicatorName),
  description: textField('An indicator description', LIMITS.indicatorDescription).default(''),
  deadline: optionalUtcTimeField('An indicator deadline'),
});

export const questionInputSchema = z
  .object({
    title: nameText('Title', LIMITS.title),
    background: textField('Background', LIMITS.background).default(''),
    resolutionCriteria: requiredText('Resolution criteria', LIMITS.criteria),
    opensAt: utcTimeField('Opening time'),
    closesAt: utcTimeField('Closing time'),
    staleAfterDays: z.coerce
      .number({ error: 'Stale after must be a number of days.' })
      .int('Stale after must be a whole number of days.')
      .min(1, 'Stale after must be at least 1 day.')
      .max(365, 'Stale after can be at most 365 days.')
      .default(14),
    antiHerding: z.boolean().default(true),
    scenarios: z
      .array(scenarioInputSchema)
      .min(MIN_SCENARIOS, `A question needs at least ${MIN_SCENARIOS} scenarios.`)
      .max(MAX_SCENARIOS, `A question can have at most ${MAX_SCENARIOS} scenarios.`),
    indicators: z
      .array(indicatorInputSchema)
      .max(MAX_INDICATORS, `A question can have at most ${MAX_INDICATORS} indicators.`),
  })
  .superRefine((q, ctx) => {
    if (q.closesAt <= q.opensAt) {
      ctx.addIssue({ code: 'custom', path: ['closesAt'], message: 'The closing time must be after the opening time.' });
    }
    const seen = new Set<string>();
    for (const s of q.scenarios) {
      const key = s.name.toLowerCase();
      if (seen.has(key)) {
        ctx.addIssue({ code: 'custom', path: ['scenarios'], message: `Two scenarios are both named "${s.name}".` });
      }
      seen.add(key);
    }
  });

export type QuestionInput = z.infer<typeof questionInputSchema>;

/** Collects the repeated scenario and indicator fields of the question form. */
export function questionFormToObject(form: FormData): Record<string, unknown> {
  const all = (key: string) => form.getAll(key).map((v) => (typeof v === 'string' ? v : ''));
  const scenarioNames = all('scenarioName');
  const scenarioIds = all('scenarioId');
  const scenarioDescriptions = all('scenarioDescription');
  const indicatorNames = all('indicatorName');
  const indicatorIds = all('indicatorId');
  const indicatorDescriptions = all('indicatorDescription');
  const indicatorDeadlines = all('indicatorDeadline');
  const str = (key: string) => {
    const v = form.get(key);
    return typeof v === 'string' ? v : undefined;
  };
  return {
    title: str('title'),
    background: str('background'),
    resolutionCriteria: str('resolutionCriteria'),
    opensAt: str('opensAt'),
    closesAt: str('closesAt'),
    staleAfterDays: str('staleAfterDays') || undefined,
    antiHerding: form.get('antiHerding') === 'on' || form.get('antiHerding') === 'true',
    scenarios: scenarioNames
      .map((name, i) => ({ id: scenarioIds[i], name, description: scenarioDescriptions[i] ?? '' }))
      // A blank trailing row is the form's spare, not a scenario.
      .filter((s) => s.name.trim() !== '' || (s.description ?? '').trim() !== '' || s.id),
    indicators: indicatorNames
      .map((name, i) => ({
        id: indicatorIds[i],
        name,
        description: indicatorDescriptions[i] ?? '',
        deadline: indicatorDeadlines[i] || undefined,
      }))
      .filter((s) => s.name.trim() !== '' || (s.description ?? '').trim() !== '' || s.id),
  };
}
