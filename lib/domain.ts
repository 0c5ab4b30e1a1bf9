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

/** What a notification is about (issue 13). */
export const NOTIFICATION_KINDS = ['event', 'stale', 'closing', 'resolved', 'corrected', 'role'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** How a notification leaves the app besides the bell. */
export const DELIVERY_CHANNELS = ['email', 'webhook'] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];

/** pending: to send (again); sent; failed: gave up after the last try; skipped: nobody to send it to. */
export const DELIVERY_STATUSES = ['pending', 'sent', 'failed', 'skipped'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** Each member's email choice: at once, a daily digest (the default), a weekly digest, or none. */
export const EMAIL_CHOICES = ['immediate', 'daily', 'weekly', 'off'] as const;
export type EmailChoice = (typeof EMAIL_CHOICES)[number];
