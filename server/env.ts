// The request edge's settings, read and checked in one place. Server-only.

/** The message shown when a production server starts without a secret; scripts use it too. */
export const MISSING_SECRET_MESSAGE =
  'AUTH_SECRET is not set. Signpost signs its session cookies with it and will not start without it ' +
  'in production. Generate one with `openssl rand -base64 32` and set AUTH_SECRET (see README.md).';
