/**
 * Domain constants shared by every layer: the database schema (db/schema.ts declares its enum
 * columns from these), the zod schemas in lib/validation and the app. Pure data, no imports.
 */

/** A member's role in the team: a lead manages questions and members, a forecaster forecasts, a viewer reads. */
export const ROLES = ['lead', 'forecaster', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/**
 * The stored status of a question: draft -> open -> closed -> resolved | annulled. (What
 * people see is derived from it and the clock: see lib/question-status.ts.)
 */
export const QUESTION_STATUSES = ['draft', 'open', 'closed', 'resolved', 'annulled'] as const;

/** An indicator event records that the indicator was observed, or that its deadline passed without it. */
export const EVENT_KINDS = ['observed', 'deadline_passed'] as const;
