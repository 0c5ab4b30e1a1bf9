// Shared pieces of the HTTP benchmarks: production servers on free loopback ports, autocannon
// with types, and a line describing the machine. Only loopback addresses are used.
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { serverNodeArgs } = require('../scripts/server-flags.cjs') as { serverNodeArgs: () => string[] };

export const ROOT = path.resolve(__dirname, '..');
export const HOST = '127.0.0.1';

export interface AutocannonOptions {
  url: string;
  connections: number;
  duration?: number;
  amount?: number;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  timeout?: number;
  setupClient?: (client: { setHeaders(h: Record<string, string>): void; setBody(b: string): void }) => void;
}
export interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number; max: number };
  throughput: { average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
  statusCodeStats: Record<string, { count: number }>;
}
export const autocannon = createRequire(__filename)('autocannon') as (opts: AutocannonOptions) => Promise<AutocannonResult>;

export function requireBuild(name: string): void {
  if (!fs.existsSync(path.join(ROOT, '.next', 'BUILD_ID'))) {
    console.error(`${name} needs a production build and found none (.next/BUILD_ID is missing).`);
    console.error(`Run \`npx next build\` first, then \`npm run ${name}\`.`);
    process.exit(1);
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, HOST, () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export interface RunningServer {
  base: string;
  process: ChildProcess;
  stop(): Promise<void>;
  /** Resident memory of the server's process group, in bytes (Linux /proc). */
  rss(): number;
  /** Everything the server has written to stdout and stderr so far. */
  output(): string;
}

const running = new Set<RunningServer>();
process.on('exit', () => {
  for (const s of running) {
    try {
      process.kill(-s.process.pid!, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
});

/** Starts `next start` on a free loopback port with `env` added; resolves once it answers. */
export async function startNext(env: Record<string, string>, options: { authSecret?: string; nodeArgs?: string[] } = {}): Promise<RunningServer> {
  const port = await freePort();
  const base = `http://${HOST}:${port}`;
  let log = '';
  const next = path.join(ROOT, 'node_modules', 'next', 'dist', 'bin', 'next');
  // The preload keeps requests that arrive before Next has loaded the app, for the request log.
  const preload = path.join(ROOT, 'scripts', 'early-requests.cjs');
  // The flags `npm start` gives the server (scripts/run.mjs), so the figures are those of a real start.
  const child = spawn(process.execPath, [...serverNodeArgs(), ...(options.nodeArgs ?? []), '--require', preload, next, 'start', '-H', HOST, '-p', String(port)], {
    cwd: ROOT,
    detached: true, // its own process group, so stop() ends every child
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      AUTH_TRUST_HOST: 'true',
      AUTH_URL: base,
      AUTH_SECRET: options.authSecret ?? crypto.randomBytes(32).toString('base64'),
      ...env,
    },
  });
  child.stdout!.on('data', (c) => (log += String(c)));
  child.stderr!.on('data', (c) => (log += String(c)));
  const server: RunningServer = {
    base,
    process: child,
    async stop() {
      running.delete(server);
      if (!child.pid || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      process.kill(-child.pid, 'SIGTERM');
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          /* gone */
        }
      }, 5000);
      await exited;
      clearTimeout(timer);
    },
    rss() {
      return processGroupRss(child.pid!);
    },
    output: () => log,
  };
  running.add(server);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode}):\n${log}`);
    try {
      const r = await fetch(`${base}/api/v1/health`);
      if (r.ok) return server;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`next start did not answer within 60 s:\n${log}`);
}

/** Sum of VmRSS over the processes whose process group is `pgid` (Linux only; 0 elsewhere). */
export function processGroupRss(pgid: number): number {
  let total = 0;
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return 0;
  }
  for (const pid of entries) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== pgid) continue; // field 5 of stat: the process group
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      const m = /VmRSS:\s+(\d+) kB/.exec(status);
      if (m) total += Number(m[1]) * 1024;
    } catch {
      /* the process ended meanwhile */
    }
  }
  return total;
}

export function machineLine(): string {
  const cpu = os.cpus();
  return (
    `Machine: ${cpu.length} x ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, ` +
    `${os.platform()} ${os.release()}. Servers, database and load generator share the machine.`
  );
}

/** Ends the process if the benchmark runs past `seconds` (a watchdog). */
export function watchdog(name: string, seconds: number): void {
  setTimeout(() => {
    console.error(`${name}: still running after ${seconds} s; stopping.`);
    process.exit(1);
  }, seconds * 1000).unref();
}
