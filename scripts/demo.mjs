// `npm run demo`: build, seed, start on PORT (default 3000).
// - Without DATABASE_URL: a fresh data/demo.db (SQLite), seeded.
// - With DATABASE_URL=postgres://...: that database, seeded if it is empty, served as it is
//   if it already holds the demo, and refused (with a clear message) if it holds other data.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { bin, root, runOrExit, startServer } from './run.mjs';

const port = Number(process.env.PORT) || 3000;
const postgres = Boolean(process.env.DATABASE_URL?.trim());
const dbFile = path.join(root, 'data', 'demo.db');
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', AUTH_TRUST_HOST: 'true' };
if (!postgres) env.DATABASE_PATH = dbFile;
if (!env.AUTH_SECRET) {
  env.AUTH_SECRET = crypto.randomBytes(32).toString('base64');
  console.log('[signpost] AUTH_SECRET is not set: generated a temporary one for this demo (sessions end when it stops).');
}

if (process.env.SKIP_BUILD !== '1') runOrExit(bin('next'), ['build'], { ...env, NODE_ENV: 'production' });

if (!postgres) {
  fs.mkdirSync(path.dirname(dbFile), { recursive: true });
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(dbFile + suffix, { force: true });
}
runOrExit(bin('tsx'), [path.join('db', 'seed-cli.ts'), ...(postgres ? ['--reuse-demo'] : [])], env);

startServer({ ...env, NODE_ENV: 'production' }, port, () => {
  console.log(`\n[signpost] The demo is running at http://localhost:${port}${postgres ? ' on PostgreSQL' : ''}`);
  console.log('[signpost] Sign in with any account above (password "signpost-demo"). Ctrl-C stops it.\n');
});
