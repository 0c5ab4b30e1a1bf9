// The Signpost schema for PostgreSQL: the same tables, columns, indexes and constraints as
// db/schema/sqlite.ts (db/schema.test.ts checks that they stay equal). Times are bigint
// milliseconds since the Unix epoch, UTC, read as JavaScript numbers; probabilities are
// double precision, like SQLite's REAL.
import {
  bigint,
  boolean,
  doublePrecision,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { DELIVERY_CHANNELS, DELIVERY_STATUSES, EMAIL_CHOICES, EVENT_KINDS, NOTIFICATION_KINDS, QUESTION_STATUSES, ROLES } from '@/lib/domain';
import { DEFAULT_SKILL_PRIOR_COUNT, DEFAULT_SKILL_TEMPERATURE } from '@/lib/aggregation/weights';

const ms = (name: string) => bigint(name, { mode: 'number' });
const id = () => integer('id').primaryKey().generatedByDefaultAsIdentity();

export const users = pgTable('users', {
  id: id(),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  passwordHash: text('password_hash').notNull(),
  role: text('role', { enum: ROLES }).notNull(),
  active: boolean('active').notNull().default(true),
  createdAt: ms('created_at').notNull(),
});

export const invites = pgTable(
  'invites',
  {
    id: id(),
    tokenHash: text('token_hash').notNull().unique(),
    email: text('email'),
    role: text('role', { enum: ROLES }).notNull(),
    createdBy: integer('created_by').notNull().references(() => users.id),
    createdAt: ms('created_at').notNull(),
    expiresAt: ms('expires_at').notNull(),
    usedAt: ms('used_at'),
    usedBy: integer('used_by').references(() => users.id),
    revokedAt: ms('revoked_at'),
  },
  (t) => [index('invites_created_by_idx').on(t.createdBy)],
);

export const questions = pgTable(
  'questions',
  {
    id: id(),
    title: text('title').notNull(),
    background: text('background').notNull().default(''),
    resolutionCriteria: text('resolution_criteria').notNull().default(''),
    opensAt: ms('opens_at').notNull(),
    closesAt: ms('closes_at').notNull(),
    status: text('status', { enum: QUESTION_STATUSES }).notNull().default('draft'),
    illustrative: boolean('illustrative').notNull().default(false),
    staleAfterDays: integer('stale_after_days').notNull().default(14),
    aggregationMethod: text('aggregation_method').notNull().default('logarithmic-recency'),
    // Extremising power of the 'extremised-' methods for this question (1-5; the library's default).
    extremisingAlpha: doublePrecision('extremising_alpha').notNull().default(1.5),
    // Skill weights of the 'skill' methods for this question (lib/aggregation/weights.ts):
    // shrinkage in pseudo-questions (0-1000) and temperature in Brier points (0 < T <= 10);
    // the library's tuned defaults unless a lead chose otherwise (migration 0006).
    skillPriorCount: doublePrecision('skill_prior_count').notNull().default(DEFAULT_SKILL_PRIOR_COUNT),
    skillTemperature: doublePrecision('skill_temperature').notNull().default(DEFAULT_SKILL_TEMPERATURE),
    antiHerding: boolean('anti_herding').notNull().default(true),
    resolvedScenarioId: integer('resolved_scenario_id'),
    resolvedAt: ms('resolved_at'),
    resolutionNote: text('resolution_note'),
    annulReason: text('annul_reason'),
    createdBy: integer('created_by').notNull().references(() => users.id),
    createdAt: ms('created_at').notNull(),
    updatedAt: ms('updated_at').notNull(),
    publishedAt: ms('published_at'),
    version: integer('version').notNull().default(0),
    scoredVersion: integer('scored_version'),
  },
  (t) => [index('questions_status_idx').on(t.status)],
);

export const scenarios = pgTable(
  'scenarios',
  {
    id: id(),
    questionId: integer('question_id')
      .notNull()
      .references(() => questions.id),
    position: integer('position').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
  },
  (t) => [uniqueIndex('scenarios_question_position_idx').on(t.questionId, t.position)],
);

export const indicators = pgTable(
  'indicators',
  {
    id: id(),
    questionId: integer('question_id')
      .notNull()
      .references(() => questions.id),
    position: integer('position').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    deadline: ms('deadline'),
    retiredAt: ms('retired_at'),
    createdAt: ms('created_at').notNull(),
  },
  (t) => [index('indicators_question_idx').on(t.questionId)],
);

export const indicatorEvents = pgTable(
  'indicator_events',
  {
    id: id(),
    questionId: integer('question_id')
      .notNull()
      .references(() => questions.id),
    indicatorId: integer('indicator_id')
      .notNull()
      .references(() => indicators.id),
    kind: text('kind', { enum: EVENT_KINDS }).notNull(),
    occurredAt: ms('occurred_at').notNull(),
    sourceUrl: text('source_url'),
    note: text('note').notNull().default(''),
    loggedBy: integer('logged_by')
      .notNull()
      .references(() => users.id),
    createdAt: ms('created_at').notNull(),
    illustrative: boolean('illustrative').notNull().default(false),
    retractedAt: ms('retracted_at'),
    retractedBy: integer('retracted_by').references(() => users.id),
    retractReason: text('retract_reason'),
  },
  (t) => [index('indicator_events_question_idx').on(t.questionId, t.occurredAt)],
);

export const likelihoodJudgements = pgTable(
  'likelihood_judgements',
  {
    id: id(),
    indicatorId: integer('indicator_id')
      .notNull()
      .references(() => indicators.id),
    userId: integer('user_id').references(() => users.id),
    isTeamDefault: boolean('is_team_default').notNull().default(false),
    setBy: integer('set_by')
      .notNull()
      .references(() => users.id),
    createdAt: ms('created_at').notNull(),
  },
  (t) => [index('likelihood_judgements_indicator_idx').on(t.indicatorId, t.userId)],
);

export const likelihoodValues = pgTable(
  'likelihood_values',
  {
    judgementId: integer('judgement_id')
      .notNull()
      .references(() => likelihoodJudgements.id),
    scenarioId: integer('scenario_id')
      .notNull()
      .references(() => scenarios.id),
    likelihood: doublePrecision('likelihood').notNull(),
  },
  (t) => [primaryKey({ columns: [t.judgementId, t.scenarioId] })],
);

export const forecasts = pgTable(
  'forecasts',
  {
    id: id(),
    questionId: integer('question_id')
      .notNull()
      .references(() => questions.id),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    createdAt: ms('created_at').notNull(),
    rationale: text('rationale').notNull().default(''),
    eventId: integer('event_id').references(() => indicatorEvents.id),
    priorForecastId: integer('prior_forecast_id'),
    // True when the forecaster reaffirmed their standing forecast ("still my forecast"): the
    // same vector recorded again, so it counts for recency, coverage and staleness.
    reaffirmation: boolean('reaffirmation').notNull().default(false),
    illustrative: boolean('illustrative').notNull().default(false),
  },
  (t) => [
    index('forecasts_question_time_idx').on(t.questionId, t.createdAt),
    index('forecasts_user_question_idx').on(t.userId, t.questionId, t.createdAt),
  ],
);

export const forecastProbabilities = pgTable(
  'forecast_probabilities',
  {
    forecastId: integer('forecast_id')
      .notNull()
      .references(() => forecasts.id),
    scenarioId: integer('scenario_id')
      .notNull()
      .references(() => scenarios.id),
    probability: doublePrecision('probability').notNull(),
    prior: doublePrecision('prior'),
    likelihood: doublePrecision('likelihood'),
    impliedPosterior: doublePrecision('implied_posterior'),
  },
  (t) => [primaryKey({ columns: [t.forecastId, t.scenarioId] })],
);

export const auditLog = pgTable(
  'audit_log',
  {
    id: id(),
    actorId: integer('actor_id')
      .notNull()
      .references(() => users.id),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: integer('entity_id'),
    detail: text('detail').notNull().default('{}'),
    createdAt: ms('created_at').notNull(),
  },
  (t) => [index('audit_log_entity_idx').on(t.entityType, t.entityId)],
);

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: id(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    prefix: text('prefix').notNull(),
    createdAt: ms('created_at').notNull(),
    lastUsedAt: ms('last_used_at'),
    revokedAt: ms('revoked_at'),
  },
  (t) => [index('api_tokens_user_idx').on(t.userId)],
);

// Sign-in limits shared by every app instance (server/rate-limit.ts, through
// rate-limiter-flexible's Drizzle store, which reads and writes this table itself).
export const rateLimits = pgTable('rate_limits', {
  key: text('key').primaryKey(),
  points: integer('points').notNull(),
  expire: timestamp('expire', { mode: 'date', withTimezone: true }),
});

export const forecasterScores = pgTable(
  'forecaster_scores',
  {
    questionId: integer('question_id')
      .notNull()
      .references(() => questions.id),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    timeAveragedBrier: doublePrecision('time_averaged_brier'),
    coverage: doublePrecision('coverage').notNull(),
    relativeBrier: doublePrecision('relative_brier'),
    finalBrier: doublePrecision('final_brier'),
    logScore: doublePrecision('log_score'),
    normalisedLogScore: doublePrecision('normalised_log_score'),
    forecastCount: integer('forecast_count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.questionId, t.userId] }), index('forecaster_scores_user_idx').on(t.userId)],
);

export const counters = pgTable('counters', {
  name: text('name').primaryKey(),
  value: integer('value').notNull().default(0),
});

export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    createdAt: ms('created_at').notNull(),
    lastSeenAt: ms('last_seen_at').notNull(),
    revokedAt: ms('revoked_at'),
    userAgent: text('user_agent').notNull().default(''),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

// Notifications (issue 13): see db/schema/sqlite.ts.
export const notifications = pgTable(
  'notifications',
  {
    id: id(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    kind: text('kind', { enum: NOTIFICATION_KINDS }).notNull(),
    itemKey: text('item_key').notNull(),
    questionId: integer('question_id').references(() => questions.id),
    eventId: integer('event_id').references(() => indicatorEvents.id),
    text: text('text').notNull(),
    link: text('link').notNull(),
    createdAt: ms('created_at').notNull(),
    readAt: ms('read_at'),
  },
  (t) => [uniqueIndex('notifications_user_item_idx').on(t.userId, t.itemKey), index('notifications_user_read_idx').on(t.userId, t.readAt)],
);

export const deliveries = pgTable(
  'deliveries',
  {
    id: id(),
    channel: text('channel', { enum: DELIVERY_CHANNELS }).notNull(),
    idempotencyKey: text('idempotency_key').notNull().unique(),
    userId: integer('user_id').references(() => users.id),
    address: text('address'),
    notificationId: integer('notification_id').references(() => notifications.id),
    questionId: integer('question_id').references(() => questions.id),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    link: text('link'),
    status: text('status', { enum: DELIVERY_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: ms('next_attempt_at').notNull(),
    lastError: text('last_error'),
    sentAt: ms('sent_at'),
    createdAt: ms('created_at').notNull(),
  },
  (t) => [index('deliveries_status_due_idx').on(t.status, t.nextAttemptAt), index('deliveries_user_idx').on(t.userId)],
);

export const notificationSettings = pgTable('notification_settings', {
  userId: integer('user_id')
    .primaryKey()
    .references(() => users.id),
  email: text('email', { enum: EMAIL_CHOICES }).notNull().default('daily'),
  digestPeriod: ms('digest_period'),
  updatedAt: ms('updated_at').notNull(),
});

export const teamWebhooks = pgTable('team_webhooks', {
  id: integer('id').primaryKey(),
  url: text('url').notNull(),
  setBy: integer('set_by')
    .notNull()
    .references(() => users.id),
  setAt: ms('set_at').notNull(),
});

export const senderLeases = pgTable('sender_leases', {
  name: text('name').primaryKey(),
  holder: text('holder').notNull(),
  expiresAt: ms('expires_at').notNull(),
});
