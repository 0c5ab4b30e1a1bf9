// SQLite's writer commits concurrent writes together (db/engine-sqlite.ts): each in a
// savepoint, so a failing write is rolled back alone, and each caller is answered only once
// the commit holding its write is done.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase } from './index';
import { users } from './schema';

test('concurrent writes share commits; a failing one is rolled back alone; each is answered after its commit', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-group-'));
  const file = path.join(dir, 'g.db');
  const opened = await openDatabase({ engine: 'sqlite', file });
  const { db } = opened;
  // Another connection, as another process would read the file.
  const reader = new Database(file, { readonly: true });
  const visible = (email: string) => reader.prepare('SELECT count(*) AS n FROM users WHERE email = ?').get(email) as { n: number };
  try {
    const before = opened.writeStats!();
    const jobs = Array.from({ length: 60 }, (_, i) =>
      db
        .write(async (tx) => {
          await tx.insert(users).values({ email: `u${i}@g.example`, name: `U${i}`, passwordHash: 'x', role: 'viewer', createdAt: i });
          if (i === 30) throw new Error('this write fails after inserting');
          return i;
        })
        .then((value) => {
          // Answered only after the commit: another connection already sees the row.
          assert.equal(visible(`u${i}@g.example`).n, 1, `write ${i} is committed when answered`);
          return value;
        }),
    );
    const results = await Promise.allSettled(jobs);
    assert.deepEqual(
      results.map((r) => r.status),
      results.map((_, i) => (i === 30 ? 'rejected' : 'fulfilled')),
    );
    assert.match(String((results[30] as PromiseRejectedResult).reason), /this write fails/);
    assert.equal(visible('u30@g.example').n, 0, 'the failing write left nothing');
    assert.equal((reader.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n, 59);
    const after = opened.writeStats!();
    assert.equal(after.writes - before.writes, 60);
    assert.ok(after.groups - before.groups < 60 / 4, `60 writes in ${after.groups - before.groups} commits`);
  } finally {
    reader.close();
    await opened.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('writes that arrive in separate callbacks of one turn of the event loop share a commit', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-group-'));
  const opened = await openDatabase({ engine: 'sqlite', file: path.join(dir, 'g.db') });
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
            db.write(async (tx) => {
              await tx.insert(users).values({ email: `t${i}@g.example`, name: `T${i}`, passwordHash: 'x', role: 'viewer', createdAt: i });
              return i;
            }),
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
    await opened.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
