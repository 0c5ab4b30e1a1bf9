// The Signpost schema for SQLite. All times are integers: milliseconds since the Unix epoch,
// UTC. Forecast history is append-only: no query in db/ updates or deletes a forecast row.
// db/schema/pg.ts declares the same tables for PostgreSQL; db/schema.test.ts keeps them equal.
import {
  sqliteTable,
  integer,
  text,
  real,
  index,
  uniqueIndex,
  primaryKey,
} from 'drizzle-orm/sqlite-core';
import { DELIVERY_CHANNELS, DELIVERY_STATUSES, EMAIL_CHOICES, EVENT_KINDS, NOTIFICATION_KINDS, QUESTION_STATUSES, ROLES } from '@/lib/domain';
import { DEFAULT_SKILL_PRIOR_COUNT, DEFAULT_SKILL_TEMPERATURE } from '@/lib/aggregation/weights';

export const users = sqliteTable('users', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  passwordHash: text('password_hash').notNull(),
  role: text('role', { enum: ROLES }).notNull(),
  active: integer('active', { mode: 'boolean' }).notNull().default(true),
  createdAt: integer('created_at').notNull(),
});

export const invites = sqliteTable(
  'invites',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    // Only the SHA-256 of the token is kept: the link is shown once, to the lead who made it.
    tokenHash: text('token_hash').notNull().unique(),
    email: text('email'),
    role: text('role', { enum: ROLES }).notNull(),
    createdBy: integer('created_by').notNull().references(() => users.id),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    usedAt: integer('used_at'),
    usedBy: integer('used_by').references(() => users.id),
    revokedAt: integer('revoked_at'),
  },
  (t) => [index('invites_created_by_idx').on(t.createdBy)],
);

export const questions = sqliteTable(
  'questions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    title: text('title').notNull(),
    background: text('background').notNull().default(''),
    resolutionCriteria: text('resolution_criteria').notNull().default(''),
    opensAt: integer('opens_at').notNull(),
    closesAt: integer('closes_at').notNull(),
    // draft -> open; 'closed' is derived from closes_at, stored only when a lead closes early.
    status: text('status', { enum: QUESTION_STATUSES }).notNull().default('draft'),
    illustrative: integer('illustrative', { mode: 'boolean' }).notNull().default(false),
    staleAfterDays: integer('stale_after_days').notNull().default(14),
    aggregationMethod: text('aggregation_method').notNull().default('logarithmic-recency'),
    // Extremising power of the 'extremised-' methods for this question (1-5; the library's default).
    extremisingAlpha: real('extremising_alpha').notNull().default(1.5),
    // Skill weights of the 'skill' methods for this question (lib/aggregation/weights.ts):
    // shrinkage in pseudo-questions (0-1000) and temperature in Brier points (0 < T <= 10);
    // the library's tuned defaults unless a lead chose otherwise (migration 0006).
    skillPriorCount: real('skill_prior_count').notNull().default(DEFAULT_SKILL_PRIOR_COUNT),
    skillTemperature: real('skill_temperature').notNull().default(DEFAULT_SKILL_TEMPERATURE),
    antiHerding: integer('anti_herding', { mode: 'boolean' }).notNull().default(true),
    resolvedScenarioId: integer('resolved_scenario_id'),
    resolvedAt: integer('resolved_at'),
    resolutionNote: text('resolution_note'),
    annulReason: text('annul_reason'),
    createdBy: integer('created_by').notNull().references(() => users.id),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    publishedAt: integer('published_at'),
    // Bumped in the same transaction as every write that changes what the question shows
    // (forecasts, events, likelihoods, edits, method, resolution): a cached view is valid
    // while its version matches, on every app instance (db/queries/snapshot.ts).
    version: integer('version').notNull().default(0),
    // The version at which the kept scores (forecaster_scores) were computed; null: none.
    scoredVersion: integer('scored_version'),
  },
  (t) => [index('questions_status_idx').on(t.status)],
);

export const scenarios = sqliteTable(
  'scenarios',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    questionId: integer('question_id')
      .notNull()
      .references(() => questions.id),
    position: integer('position').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
  },
  (t) => [uniqueIndex('scenarios_question_position_idx').on(t.questionId, t.position)],
);

export const indicators = sqliteTable(
  'indicators',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    questionId: integer('question_id')
      .notNull()
      .references(() => questions.id),
    position: integer('position').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    deadline: integer('deadline'),
    retiredAt: integer('retired_at'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('indicators_question_idx').on(t.questionId)],
);

export const indicatorEvents = sqliteTable(
  'indicator_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    questionId: integer('question_id')
      .notNull()
      .references(() => questions.id),
    indicatorId: integer('indicator_id')
      .notNull()
      .references(() => indicators.id),
    kind: text('kind', { enum: EVENT_KINDS }).notNull(),
    occurredAt: integer('occurred_at').notNull(),
    sourceUrl: text('source_url'),
    note: text('note').notNull().default(''),
    loggedBy: integer('logged_by')
      .notNull()
      .references(() => users.id),
    createdAt: integer('created_at').notNull(),
    illustrative: integer('illustrative', { mode: 'boolean' }).notNull().default(false),
    retractedAt: integer('retracted_at'),
    retractedBy: integer('retracted_by').references(() => users.id),
    retractReason: text('retract_reason'),
  },
  (t) => [index('indicator_events_question_idx').on(t.questionId, t.occurredAt)],
);

// A likelihood judgement: P(indicator observed | scenario) for every scenario of the question.
// user_id is null for the team default a lead sets. Append-only, like forecasts.
export const likelihoodJudgements = sqliteTable(
  'likelihood_judgements',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    indicatorId: integer('indicator_id')
      .notNull()
      .references(() => indicators.id),
    userId: integer('user_id').references(() => users.id),
    isTeamDefault: integer('is_team_default', { mode: 'boolean' }).notNull().default(false),
    setBy: integer('set_by')
      .notNull()
      .references(() => users.id),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('likelihood_judgements_indicator_idx').on(t.indicatorId, t.userId)],
);

export const likelihoodValues = sqliteTable(
  'likelihood_values',
  {
    judgementId: integer('judgement_id')
      .notNull()
      .references(() => likelihoodJudgements.id),
    scenarioId: integer('scenario_id')
      .notNull()
      .references(() => scenarios.id),
    likelihood: real('likelihood').notNull(),
  },
  (t) => [primaryKey({ columns: [t.judgementId, t.scenarioId] })],
);

export const forecasts = sqliteTable(
  'forecasts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    questionId: integer('question_id')
      .notNull()
      .references(() => questions.id),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    createdAt: integer('created_at').notNull(),
    rationale: text('rationale').notNull().default(''),
    // The indicator event that prompted this forecast, when it was a Bayesian update.
    eventId: integer('event_id').references(() => indicatorEvents.id),
    // The forecast this update started from (the prior), when it was an update; for a
    // reaffirmation, the forecast reaffirmed.
    priorForecastId: integer('prior_forecast_id'),
    // True when the forecaster reaffirmed their standing forecast ("still my forecast"): the
    // same vector recorded again, so it counts for recency, coverage and staleness.
    reaffirmation: integer('reaffirmation', { mode: 'boolean' }).notNull().default(false),
    illustrative: integer('illustrative', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [
    index('forecasts_question_time_idx').on(t.questionId, t.createdAt),
    index('forecasts_user_question_idx').on(t.userId, t.questionId, t.createdAt),
  ],
);

// One row per forecast and scenario, so SQL can read the probabilities. For an update the row
// also keeps the prior, the likelihood used and the posterior those implied.
export const forecastProbabilities = sqliteTable(
  'forecast_probabilities',
  {
    forecastId: integer('forecast_id')
      .notNull()
      .references(() => forecasts.id),
    scenarioId: integer('scenario_id')
      .notNull()
      .references(() => scenarios.id),
    probability: real('probability').notNull(),
    prior: real('prior'),
    likelihood: real('likelihood'),
    impliedPosterior: real('implied_posterior'),
  },
  (t) => [primaryKey({ columns: [t.forecastId, t.scenarioId] })],
);

export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    actorId: integer('actor_id')
      .notNull()
      .references(() => users.id),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: integer('entity_id'),
    detail: text('detail').notNull().default('{}'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('audit_log_entity_idx').on(t.entityType, t.entityId)],
);

export const apiTokens = sqliteTable(
  'api_tokens',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    prefix: text('prefix').notNull(),
    createdAt: integer('created_at').notNull(),
    lastUsedAt: integer('last_used_at'),
    revokedAt: integer('revoked_at'),
  },
  (t) => [index('api_tokens_user_idx').on(t.userId)],
);

// Sign-in limits shared by every app instance (server/rate-limit.ts, through
// rate-limiter-flexible's Drizzle store). On SQLite, one process, they stay in memory and
// this table is unused; it is declared so both engines keep one schema.
export const rateLimits = sqliteTable('rate_limits', {
  key: text('key').primaryKey(),
  points: integer('points').notNull(),
  expire: integer('expire', { mode: 'timestamp_ms' }),
});

// Scores of resolved questions, kept: computed when a question is resolved or its resolution
// corrected (in that transaction), deleted when it is annulled. Leaderboards, track records
// and skill weights read them instead of rescoring every resolved question.
export const forecasterScores = sqliteTable(
  'forecaster_scores',
  {
    questionId: integer('question_id')
      .notNull()
      .references(() => questions.id),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    timeAveragedBrier: real('time_averaged_brier'),
    coverage: real('coverage').notNull(),
    relativeBrier: real('relative_brier'),
    finalBrier: real('final_brier'),
    logScore: real('log_score'),
    normalisedLogScore: real('normalised_log_score'),
    forecastCount: integer('forecast_count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.questionId, t.userId] }), index('forecaster_scores_user_idx').on(t.userId)],
);

// Team-wide counters. 'scores' is bumped whenever kept scores change, so views that depend on
// the team's record (skill weights) know to recompute.
export const counters = sqliteTable('counters', {
  name: text('name').primaryKey(),
  value: integer('value').notNull().default(0),
});

// Sign-in sessions. The session cookie (a JWT signed and encrypted with AUTH_SECRET) carries
// the session's id; every request checks the row, so signing out, "sign out everywhere", a
// password change and deactivation end sessions at once, on every instance.
export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    createdAt: integer('created_at').notNull(),
    lastSeenAt: integer('last_seen_at').notNull(),
    revokedAt: integer('revoked_at'),
    userAgent: text('user_agent').notNull().default(''),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

// Notifications (issue 13). An item in a member's bell: one per recipient and cause (its key,
// such as `event:12` or `stale:3:41`, is unique per recipient, so a repeated scan adds
// nothing twice). The text names the question and what happened, never a probability, an
// aggregate or another member's forecast or rationale (db/queries/notify.ts).
export const notifications = sqliteTable(
  'notifications',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    kind: text('kind', { enum: NOTIFICATION_KINDS }).notNull(),
    itemKey: text('item_key').notNull(),
    questionId: integer('question_id').references(() => questions.id),
    eventId: integer('event_id').references(() => indicatorEvents.id),
    text: text('text').notNull(),
    link: text('link').notNull(),
    createdAt: integer('created_at').notNull(),
    readAt: integer('read_at'),
  },
  (t) => [uniqueIndex('notifications_user_item_idx').on(t.userId, t.itemKey), index('notifications_user_read_idx').on(t.userId, t.readAt)],
);

// The outbox: one row per message to send (an email to a member or an invitee, a post to the
// team webhook), written in the transaction of its cause. The idempotency key (recipient,
// item, channel) is unique, so nothing is queued twice; the sender marks each sent, retries
// failures with backoff and gives up after a bounded number of tries (server/notify).
export const deliveries = sqliteTable(
  'deliveries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    channel: text('channel', { enum: DELIVERY_CHANNELS }).notNull(),
    idempotencyKey: text('idempotency_key').notNull().unique(),
    userId: integer('user_id').references(() => users.id),
    // Only for an invitee, who has no account yet.
    address: text('address'),
    notificationId: integer('notification_id').references(() => notifications.id),
    questionId: integer('question_id').references(() => questions.id),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    // A path on this site; an invite's carries its token and is cleared once sent.
    link: text('link'),
    status: text('status', { enum: DELIVERY_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    lastError: text('last_error'),
    sentAt: integer('sent_at'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('deliveries_status_due_idx').on(t.status, t.nextAttemptAt), index('deliveries_user_idx').on(t.userId)],
);

// Each member's email choice; no row: the daily digest. `digestPeriod` is the start of the
// last digest period whose digest was sent.
export const notificationSettings = sqliteTable('notification_settings', {
  userId: integer('user_id')
    .primaryKey()
    .references(() => users.id),
  email: text('email', { enum: EMAIL_CHOICES }).notNull().default('daily'),
  digestPeriod: integer('digest_period'),
  updatedAt: integer('updated_at').notNull(),
});

// The team's incoming webhook (one row, id 1). The URL is a secret: shown only masked.
export const teamWebhooks = sqliteTable('team_webhooks', {
  id: integer('id').primaryKey(),
  url: text('url').notNull(),
  setBy: integer('set_by')
    .notNull()
    .references(() => users.id),
  setAt: integer('set_at').notNull(),
});

// One sender at a time across app instances: the holder renews its lease; another instance
// takes over only once it has expired.
export const senderLeases = sqliteTable('sender_leases', {
  name: text('name').primaryKey(),
  holder: text('holder').notNull(),
  expiresAt: integer('expires_at').notNull(),
});
