// Small helpers shared by the demo and start scripts.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import serverFlags from './server-flags.cjs';

const { serverNodeArgs } = serverFlags;

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const bin = (name) => path.join(root, 'node_modules', '.bin', name);

/** The first release's database, kept beside the repository (see e2e/upgrade.spec.ts). */
export const fixtureDatabase = () =>
  path.resolve(process.env.FIXTURE_DB || path.join(root, '..', 'shared', 'fixtures', 'release-553d44a', 'signpost.db'));

export function runOrExit(cmd, args, env) {
  const r = spawnSync(cmd, args, { cwd: root, env, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`\n[signpost] ${path.basename(cmd)} ${args.join(' ')} failed (exit ${r.status ?? r.signal}).`);
    process.exit(r.status ?? 1);
  }
}

/** Keeps requests that arrive before Next has loaded the app, for the request log (see the file). */
export const earlyRequestsPreload = path.join(root, 'scripts', 'early-requests.cjs');

/** Starts `next start` and forwards signals so Ctrl-C stops the server cleanly. */
export function startServer(env, port, onReady) {
  const next = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
  const child = spawn(process.execPath, [...serverNodeArgs(env), '--require', earlyRequestsPreload, next, 'start', '-p', String(port)], { cwd: root, env, stdio: ['inherit', 'pipe', 'inherit'] });
  let announced = false;
  child.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    if (!announced && /ready|started server|Local:/i.test(String(chunk))) {
      announced = true;
      onReady?.();
    }
  });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code) => process.exit(code ?? 0));
  return child;
}
