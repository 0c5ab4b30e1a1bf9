// Starts a production server for the e2e suite on a throwaway database.
// Usage: node scripts/e2e-server.mjs <seeded|empty|fixture> <port>
// 'fixture' starts on a copy of a database made by the first release (FIXTURE_DB, default
// ../shared/fixtures/release-553d44a/signpost.db): the upgrade test (e2e/upgrade.spec.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bin, fixtureDatabase, runOrExit, startServer } from './run.mjs';

const [mode = 'seeded', portArg = '3100'] = process.argv.slice(2);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), `signpost-e2e-${mode}-`));
const env = {
  ...process.env,
  NODE_ENV: 'production',
  NEXT_TELEMETRY_DISABLED: '1',
  AUTH_TRUST_HOST: 'true',
  AUTH_SECRET: process.env.AUTH_SECRET || 'e2e-only-secret-not-for-production-0123456789',
  DATABASE_PATH: path.join(dir, 'e2e.db'),
};
if (mode === 'seeded') runOrExit(bin('tsx'), [path.join('db', 'seed-cli.ts')], env);
if (mode === 'fixture') {
  const fixture = fixtureDatabase();
  // Without the fixture the server starts empty and the upgrade spec says why it did not run.
  if (fs.existsSync(fixture)) fs.copyFileSync(fixture, env.DATABASE_PATH);
}
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
startServer(env, Number(portArg));
