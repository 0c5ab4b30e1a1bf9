// The tables of the engine this process runs on. Queries import tables from here and are
// written once for both engines: the tables are typed as PostgreSQL tables (whose query
// builders are asynchronous and lack SQLite's synchronous .get/.all/.run), and at run time
// they are the SQLite twins when DATABASE_URL is unset. Both declare the same columns with
// the same JavaScript types (db/schema.test.ts), so results look the same on either engine.
import { engineFromEnv } from '../config';
import * as pg from './pg';
import * as sqlite from './sqlite';

const active = (engineFromEnv() === 'postgres' ? pg : sqlite) as unknown as typeof pg;

export const users = active.users;
export const invites = active.invites;
export const questions = active.questions;
export const scenarios = active.scenarios;
export const indicators = active.indicators;
export const indicatorEvents = active.indicatorEvents;
export const likelihoodJudgements = active.likelihoodJudgements;
export const likelihoodValues = active.likelihoodValues;
export const forecasts = active.forecasts;
export const forecastProbabilities = active.forecastProbabilities;
export const auditLog = active.auditLog;
export const apiTokens = active.apiTokens;
export const rateLimits = active.rateLimits;
export const forecasterScores = active.forecasterScores;
export const counters = active.counters;
export const sessions = active.sessions;

/** Every table, for the schema checks and for drizzle's relational typing. */
export const tables = active;
export const notifications = active.notifications;
export const deliveries = active.deliveries;
export const notificationSettings = active.notificationSettings;
export const teamWebhooks = active.teamWebhooks;
export const senderLeases = active.senderLeases;
