// Node-only start-up: refuse a production start without a session secret, and open the
// database so migrations apply before the first request.
import { MISSING_SECRET_MESSAGE } from './lib/env';
import { getDb } from './db';

if (process.env.NEXT_PHASE !== 'phase-production-build') {
  if (process.env.NODE_ENV === 'production' && !process.env.AUTH_SECRET) {
    console.error(`\n[signpost] ${MISSING_SECRET_MESSAGE}\n`);
    process.exit(1);
  }
  getDb();
}
