// Domain constants shared by the schema, validation and the app (see docs/domain.md).

/** Team roles: a lead manages questions and the team, a forecaster forecasts, a viewer reads. */
export const ROLES = ['lead', 'forecaster', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** Stored question statuses; 'closed' is also derived from the closing time (lib/question-status). */
export const QUESTION_STATUSES = ['draft', 'open', 'closed', 'resolved', 'annulled'] as const;
export type StoredQuestionStatus = (typeof QUESTION_STATUSES)[number];

/** An indicator event records an observation, or that the indicator's deadline passed without one. */
export const EVENT_KINDS = ['observed', 'deadline_passed'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** The signed-in user on whose behalf a query runs; loaded fresh from the database per request. */
export interface Actor {
  id: number;
  name: string;
  email: string;
  role: Role;
}
