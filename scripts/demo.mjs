// `npm run demo`: build, create a fresh data/demo.db, seed it, start on PORT (default 3000).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { bin, root, runOrExit, startServer } from './run.mjs';

const port = Number(process.env.PORT) || 3000;
const dbFile = path.join(root, 'data', 'demo.db');
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', AUTH_TRUST_HOST: 'true', DATABASE_PATH: dbFile };
if (!env.AUTH_SECRET) {
  env.AUTH_SECRET = crypto.randomBytes(32).toString('base64');
  console.log('[signpost] AUTH_SECRET is not set: generated a temporary one for this demo (sessions end when it stops).');
}

if (process.env.SKIP_BUILD !== '1') runOrExit(bin('next'), ['build'], { ...env, NODE_ENV: 'production' });

fs.mkdirSync(path.dirname(dbFile), { recursive: true });
for (const suffix of ['', '-wal', '-shm']) fs.rmSync(dbFile + suffix, { force: true });
runOrExit(bin('tsx'), [path.join('db', 'seed-cli.ts')], env);

startServer({ ...env, NODE_ENV: 'production' }, port, () => {
  console.log(`\n[signpost] The demo is running at http://localhost:${port}`);
  console.log('[signpost] Sign in with any account above (password "signpost-demo"). Ctrl-C stops it.\n');
});
