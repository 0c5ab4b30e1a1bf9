// Data migrations that SQL alone cannot do (values computed by lib/), run after the schema
// migrations on every start. Each step is idempotent: it fills only what is missing, so a
// database from an earlier release shows the same forecasts, aggregates and scores.
import type { Db } from './types';

export async function backfill(_db: Db): Promise<void> {
  // Nothing yet: the first release's schema is today's.
}
