// Two production servers on one PostgreSQL database, for the e2e suite's `postgres` project:
// starts a throwaway PostgreSQL (scripts/postgres-server.mjs), seeds the demo into it, then
// starts instance A on the first port and, once A is ready, instance B on the second, both
// with the same AUTH_SECRET. Ctrl-C or SIGTERM stops all three and removes the data.
// Usage: node scripts/e2e-postgres.mjs <portA> <portB>
import { spawn } from 'node:child_process';
import path from 'node:path';
import { startPostgres } from './postgres-server.mjs';
import { bin, earlyRequestsPreload, root, runOrExit } from './run.mjs';

const [portA = '3103', portB = '3104'] = process.argv.slice(2);
const pg = await startPostgres().catch((error) => {
  console.error(`[e2e-postgres] ${error.message}`);
  process.exit(1);
});
const url = await pg.createDatabase('signpost_e2e');
const env = {
  ...process.env,
  NODE_ENV: 'production',
  NEXT_TELEMETRY_DISABLED: '1',
  AUTH_TRUST_HOST: 'true',
  AUTH_SECRET: process.env.AUTH_SECRET || 'e2e-only-secret-not-for-production-0123456789',
  DATABASE_URL: url,
};
runOrExit(bin('tsx'), [path.join('db', 'seed-cli.ts')], env);

const children = [];
function start(port) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--require', earlyRequestsPreload, path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next'), 'start', '-H', '127.0.0.1', '-p', String(port)], { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    child.stdout.on('data', (chunk) => {
      process.stdout.write(`[${port}] ${chunk}`);
      if (/ready|Local:/i.test(String(chunk))) resolve();
    });
    child.on('exit', (code) => {
      console.error(`[e2e-postgres] the server on port ${port} exited (${code})`);
      void shutdown(1);
    });
  });
}

let stopping = false;
async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  await pg.stop();
  process.exit(code);
}
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => void shutdown(0));

await start(portA);
await start(portB);
console.log(`[e2e-postgres] instances on ${portA} and ${portB}, one PostgreSQL on 127.0.0.1:${pg.port}`);
