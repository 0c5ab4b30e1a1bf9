// Group commit (db/engine-sqlite.ts, db/engine-postgres.ts): grouped writes that arrive together
// share one commit, each in a savepoint, so a failing one is rolled back alone, and each caller
// is answered only once the commit holding its write is done. On SQLite every write is grouped;
// on PostgreSQL the writes marked `grouped` (forecasts). Runs on the engine under test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import pg from 'pg';
import { openDatabase } from './index';
import { users } from './schema';
import { ENGINE, emptyDatabase, keep } from './test-helpers';
import type { OpenDatabase } from './types';

/** A migrated database, and another connection to it (as another process would read it). */
async function openWithReader(): Promise<{ opened: OpenDatabase; count(email?: string): Promise<number>; close(): Promise<void> }> {
  const config = await emptyDatabase();
  const opened = keep(await openDatabase(config));
  if (config.engine === 'sqlite') {
    const reader = new Database(config.file, { readonly: true });
    return {
      opened,
      count: async (email) =>
        ((email === undefined ? reader.prepare('SELECT count(*) AS n FROM users').get() : reader.prepare('SELECT count(*) AS n FROM users WHERE email = ?').get(email)) as { n: number }).n,
      close: async () => {
        reader.close();
      },
    };
  }
  const reader = new pg.Client({ connectionString: config.url });
  await reader.connect();
  return {
    opened,
    count: async (email) =>
      Number((email === undefined ? await reader.query('SELECT count(*) AS n FROM users') : await reader.query('SELECT count(*) AS n FROM users WHERE email = $1', [email])).rows[0].n),
    close: () => reader.end(),
  };
}

test('concurrent grouped writes share commits; a failing one is rolled back alone; each is answered after its commit', async () => {
  const { opened, count, close } = await openWithReader();
  const { db } = opened;
  try {
    const before = opened.writeStats!();
    const jobs = Array.from({ length: 60 }, (_, i) =>
      db
        .write(
          async (tx) => {
            await tx.insert(users).values({ email: `u${i}@g.example`, name: `U${i}`, passwordHash: 'x', role: 'viewer', createdAt: i });
            if (i === 30) throw new Error('this write fails after inserting');
            return i;
          },
          { grouped: true },
        )
        .then(async (value) => {
          // Answered only after the commit: another connection already sees the row.
          assert.equal(await count(`u${i}@g.example`), 1, `write ${i} is committed when answered`);
          return value;
        }),
    );
    const results = await Promise.allSettled(jobs);
    assert.deepEqual(
      results.map((r) => r.status),
      results.map((_, i) => (i === 30 ? 'rejected' : 'fulfilled')),
    );
    assert.match(String((results[30] as PromiseRejectedResult).reason), /this write fails/);
    assert.equal(await count('u30@g.example'), 0, 'the failing write left nothing');
    assert.equal(await count(), 59);
    const after = opened.writeStats!();
    assert.equal(after.writes - before.writes, ENGINE === 'sqlite' ? 60 : 59, 'writes counted (PostgreSQL counts the committed ones)');
    assert.ok(after.groups - before.groups < 60 / 4, `60 writes in ${after.groups - before.groups} commits`);
  } finally {
    await close();
  }
});

test('grouped writes that arrive in separate callbacks of one turn of the event loop share a commit', async () => {
  const { opened, close } = await openWithReader();
  const { db } = opened;
  try {
    const before = opened.writeStats!();
    // As requests parsed in one poll of the server's sockets: each reaches db.write from a
    // callback of its own, with microtasks run between them.
    const jobs = await new Promise<Promise<number>[]>((resolve) => {
      const out: Promise<number>[] = [];
      for (let i = 0; i < 20; i++) {
        setImmediate(() => {
          out.push(
            db.write(
              async (tx) => {
                await tx.insert(users).values({ email: `t${i}@g.example`, name: `T${i}`, passwordHash: 'x', role: 'viewer', createdAt: i });
                return i;
              },
              { grouped: true },
            ),
          );
          if (out.length === 20) resolve(out);
        });
      }
    });
    assert.deepEqual(await Promise.all(jobs), Array.from({ length: 20 }, (_, i) => i));
    const after = opened.writeStats!();
    assert.equal(after.writes - before.writes, 20);
    assert.equal(after.groups - before.groups, 1, `20 writes in ${after.groups - before.groups} commits`);
  } finally {
    await close();
  }
});

test('a grouped write that PostgreSQL asks to run again (deadlock) is rolled back and run in a later group; its neighbours are kept', async () => {
  const { opened, count, close } = await openWithReader();
  const { db } = opened;
  try {
    let tries = 0;
    const deadlock = Object.assign(new Error('deadlock detected'), { code: '40P01' });
    const jobs = Array.from({ length: 5 }, (_, i) =>
      db.write(
        async (tx) => {
          await tx.insert(users).values({ email: `d${i}@g.example`, name: `D${i}`, passwordHash: 'x', role: 'viewer', createdAt: i });
          if (i === 2 && ++tries === 1) throw deadlock; // after inserting: the insert must go with it
          return i;
        },
        { grouped: true },
      ),
    );
    const results = await Promise.allSettled(jobs);
    if (ENGINE === 'postgres') {
      assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
      assert.equal(tries, 2, 'run twice');
      assert.equal(await count('d2@g.example'), 1, 'its first attempt left nothing, its second is kept');
      assert.equal(await count(), 5);
    } else {
      // SQLite has one writer and no deadlocks: such an error is the write's own failure.
      assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
      assert.equal(tries, 1);
      assert.equal(await count(), 4);
    }
  } finally {
    await close();
  }
});
