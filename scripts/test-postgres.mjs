// `npm run test:postgres`: the data-layer tests again, on a real PostgreSQL server that this
// script starts on a loopback port (scripts/postgres-server.mjs) and stops afterwards. If the
// server cannot start, the run fails and says why: it is never skipped.
// Usage: node scripts/test-postgres.mjs <test files...>
import { spawnSync } from 'node:child_process';
import { startPostgres } from './postgres-server.mjs';

// backup.test.ts is about SQLite (on PostgreSQL backups are pg_dump's): it runs in test:unit only.
const SQLITE_OR_OWN_SERVER = ['backup.test.ts'];
const files = process.argv.slice(2).filter((f) => !SQLITE_OR_OWN_SERVER.some((name) => f.endsWith(name)));
if (files.length === 0) {
  console.error('test:postgres: name the test files to run.');
  process.exit(2);
}
let pg;
try {
  pg = await startPostgres();
} catch (error) {
  console.error(`\n[test:postgres] ${error.message}\n`);
  process.exit(1);
}
console.log(`[test:postgres] PostgreSQL on 127.0.0.1:${pg.port} (started in ${pg.startedInMs} ms)`);
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', ...files], {
  stdio: 'inherit',
  env: { ...process.env, DATABASE_URL: pg.url, SIGNPOST_TEST_POSTGRES: '1' },
});
await pg.stop();
process.exit(result.status ?? 1);
