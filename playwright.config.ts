import { defineConfig } from '@playwright/test';
import { browserLaunchOptions } from './e2e/browser';

// E2E_PORT (default 3100) serves the seeded database, E2E_PORT+1 the empty one and E2E_PORT+2
// the first release's database, so two checkouts on one machine can run side by side.
const E2E_PORT = Number(process.env.E2E_PORT || 3100);
if (!Number.isInteger(E2E_PORT) || E2E_PORT < 1 || E2E_PORT > 65531) {
  throw new Error(`E2E_PORT must be an integer port from 1 to 65531, got "${process.env.E2E_PORT}"`);
}
export const SEEDED_URL = `http://127.0.0.1:${E2E_PORT}`;
export const EMPTY_URL = `http://127.0.0.1:${E2E_PORT + 1}`;
export const FIXTURE_URL = `http://127.0.0.1:${E2E_PORT + 2}`;
// Two instances on one PostgreSQL (scripts/e2e-postgres.mjs).
export const PG_A_URL = `http://127.0.0.1:${E2E_PORT + 3}`;
export const PG_B_URL = `http://127.0.0.1:${E2E_PORT + 4}`;

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  globalSetup: './e2e/global-setup.ts',
  use: {
    trace: 'retain-on-failure',
    // Chosen by e2e/global-setup.ts: CHROMIUM_PATH, Playwright's, the system's or the bundled one.
    launchOptions: browserLaunchOptions(),
  },
  // The order lives here, not in file names: `setup` signs every seeded user in once, `seeded`
  // runs every spec on the seeded server but the one that resolves the founding question, and
  // `settling` runs that one after them, since a resolved question changes what they see.
  // `empty` has a server of its own and needs no order; so does `backup`, which starts its own.
  projects: [
    { name: 'empty', testMatch: 'first-run.spec.ts', use: { baseURL: EMPTY_URL } },
    // A database made by the first release, migrated in place by this build.
    { name: 'upgrade', testMatch: 'upgrade.spec.ts', use: { baseURL: FIXTURE_URL } },
    // The core flows on PostgreSQL, across two app instances sharing one database.
    { name: 'postgres', testMatch: 'postgres.spec.ts', use: { baseURL: PG_A_URL } },
    // `npm run backup` during a posting load, on a server the spec starts on a free port.
    { name: 'backup', testMatch: 'backup.spec.ts' },
    // SIGKILL during a posting load: every acknowledged forecast survives whole.
    { name: 'durability', testMatch: 'durability.spec.ts' },
    // Who may do what: every server action and API route, by role, on a server of its own.
    { name: 'authorization', testMatch: 'authorization.spec.ts' },
    // Fuzzed JSON API requests: never a 5xx, always JSON, refusals change nothing.
    { name: 'api-fuzz', testMatch: 'api-fuzz.spec.ts' },
    // The attacker's findings, kept fixed: sessions, limits, redirects, CSV, headers of actions.
    { name: 'security', testMatch: 'security.spec.ts' },
    // Forecast science (method recommendation, signpost discrimination) on a record of its own.
    { name: 'science', testMatch: 'science.spec.ts' },
    // One JSON log line per request, request ids in answers, no secret in the output: own server.
    { name: 'log', testMatch: 'log.spec.ts' },
    // Notifications on the seeded server, after `seeded` (its event would be one more piece of new
    // evidence there): the bell, the email choice, the webhook form, unsubscribe.
    { name: 'notifications', testMatch: 'notifications.spec.ts', dependencies: ['seeded'], use: { baseURL: SEEDED_URL } },
    // Single sign-on against a real OpenID Connect provider the spec starts (e2e/oidc-server.mjs).
    { name: 'sso', testMatch: 'sso.spec.ts' },
    { name: 'setup', testMatch: 'auth.setup.ts', use: { baseURL: SEEDED_URL } },
    // No page scrolls sideways at a phone's width; axe finds nothing at desktop and phone width.
    // Both read the seeded server as its specs leave it, before `settling` resolves a question.
    { name: 'phone', testMatch: 'phone.spec.ts', dependencies: ['setup'], use: { baseURL: SEEDED_URL, viewport: { width: 390, height: 844 } } },
    { name: 'a11y', testMatch: 'a11y.spec.ts', dependencies: ['setup'], use: { baseURL: SEEDED_URL } },
    {
      name: 'seeded',
      testMatch: '*.spec.ts',
      testIgnore: ['first-run.spec.ts', 'resolution.spec.ts', 'upgrade.spec.ts', 'postgres.spec.ts', 'backup.spec.ts', 'durability.spec.ts', 'authorization.spec.ts', 'api-fuzz.spec.ts', 'security.spec.ts', 'phone.spec.ts', 'a11y.spec.ts', 'log.spec.ts', 'science.spec.ts', 'notifications.spec.ts', 'sso.spec.ts'],
      dependencies: ['setup'],
      use: { baseURL: SEEDED_URL },
    },
    { name: 'settling', testMatch: 'resolution.spec.ts', dependencies: ['seeded', 'phone', 'a11y', 'notifications'], use: { baseURL: SEEDED_URL } },
  ],
  webServer: [
    { command: `node scripts/e2e-server.mjs seeded ${E2E_PORT}`, url: `${SEEDED_URL}/sign-in`, timeout: 120_000, reuseExistingServer: false },
    { command: `node scripts/e2e-server.mjs empty ${E2E_PORT + 1}`, url: `${EMPTY_URL}/sign-in`, timeout: 120_000, reuseExistingServer: false },
    { command: `node scripts/e2e-server.mjs fixture ${E2E_PORT + 2}`, url: `${FIXTURE_URL}/sign-in`, timeout: 120_000, reuseExistingServer: false },
    // B starts once A is ready, so waiting for B waits for both.
    {
      command: `node scripts/e2e-postgres.mjs ${E2E_PORT + 3} ${E2E_PORT + 4}`,
      url: `${PG_B_URL}/sign-in`,
      timeout: 180_000,
      reuseExistingServer: false,
      gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
    },
  ],
});
