// Environment, read and validated in one place. Server-only.
import path from 'node:path';

export interface ServerEnv {
  databasePath: string;
}

export function readEnv(): ServerEnv {
  const databasePath = path.resolve(/*turbopackIgnore: true*/ process.env.DATABASE_PATH || path.join('data', 'signpost.db'));
  return { databasePath };
}

/** The message shown when a production server starts without a secret; scripts use it too. */
export const MISSING_SECRET_MESSAGE =
  'AUTH_SECRET is not set. Signpost signs its session cookies with it and will not start without it ' +
  'in production. Generate one with `openssl rand -base64 32` and set AUTH_SECRET (see README.md).';
