// Ending sessions inside another write (deactivation, password change).
import { and, eq, isNull, ne } from 'drizzle-orm';
import type { Queryable } from '@/db/types';
import { sessions } from '@/db/schema';

/** Ends every session of a user but `keep`; inside the caller's transaction. */
export async function endSessionsOf(tx: Queryable, userId: number, now: number, keep?: string): Promise<void> {
  await tx
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), keep ? ne(sessions.id, keep) : undefined));
}
