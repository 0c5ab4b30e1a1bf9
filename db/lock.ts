// Row locks for the reads a write transaction decides on. On PostgreSQL, SELECT ... FOR UPDATE
// makes a concurrent transaction wait for this one (and then read what it committed); SQLite
// runs one write transaction at a time (db/engine-sqlite.ts), so it needs none.

/** The same select, locking the rows it reads until the transaction ends (PostgreSQL only). */
export function forUpdate<Q>(query: Q): Q {
  const q = query as Q & { for?: (strength: 'update') => Q };
  return typeof q.for === 'function' ? q.for('update') : query;
}

/**
 * Makes write transactions that pass the same key run one after another (PostgreSQL: a
 * transaction-scoped advisory lock), for invariants with no row to lock yet, such as "the
 * first account". SQLite runs one write transaction at a time anyway.
 */
export async function serialize(tx: { engine: string; execute?: unknown }, key: string): Promise<void> {
  if (tx.engine !== 'postgres') return;
  const { sql } = await import('drizzle-orm');
  await (tx as unknown as { execute: (q: unknown) => Promise<unknown> }).execute(sql`SELECT pg_advisory_xact_lock(hashtext(${key}))`);
}
