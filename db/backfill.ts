// Data migrations that SQL alone cannot do (values computed by lib/), run after the schema
// migrations on every start. Each step is idempotent: it fills only what is missing, so a
// database from an earlier release shows the same forecasts, aggregates and scores.
import { and, eq, isNull } from 'drizzle-orm';
import { questions } from './schema';
import { keepScores } from './internal/scores';
import type { Db } from './types';

export async function backfill(db: Db): Promise<void> {
  // Kept scores (migration 0002): every resolved question scored before scores were kept.
  const unscored = await db
    .select({ id: questions.id })
    .from(questions)
    .where(and(eq(questions.status, 'resolved'), isNull(questions.scoredVersion)));
  for (const q of unscored) {
    await db.write(async (tx) => {
      // Checked again inside the transaction: another instance may have done it meanwhile.
      const [row] = await tx.select({ scored: questions.scoredVersion }).from(questions).where(eq(questions.id, q.id));
      if (row && row.scored === null) await keepScores(tx, q.id);
    });
  }
}
