// Single sign-on with OpenID Connect, end to end in Chromium (project `sso`): a real provider
// (oidc-provider, e2e/oidc-server.mjs) on a loopback port, and two Signpost servers of their
// own pointed at it: one with password sign-in on, one with PASSWORD_SIGN_IN=off.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { expect, test, type Browser, type Page } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import { freePort, startNext } from '../bench/harness';
import { openDatabase, type Db } from '../db/index';
import { createInvite } from '../db/queries/invites';
import { hashPassword } from '../db/queries/users';
import { invites, sessions, users } from '../db/schema';
import type { Actor } from '../lib/domain';
import { actionIds, callAction, signInOverHttp, startOwnServer, type OwnServer } from './own-server';

const PASSWORD = 'sso-password-0000';
const LABEL = 'Acme Login';
const CLIENT = { id: 'signpost-e2e', secret: 'e2e-client-secret-0000' };

/** The provider's people, by login name. */
const ACCOUNTS = {
  lead: { email: 'lead@sso.example', email_verified: true, name: 'Provider Lead' },
  ana: { email: 'Ana@SSO.example', email_verified: true, name: 'Ana From Provider' },
  newbie: { email: 'newbie@sso.example', email_verified: true, given_name: 'New', family_name: 'Bie' },
  stranger: { email: 'stranger@sso.example', email_verified: true, name: 'Stranger' },
  // Claims the lead's email, unverified: must not get in as the lead.
  impostor: { email: 'lead@sso.example', email_verified: false, name: 'Impostor' },
  gone: { email: 'gone@sso.example', email_verified: true, name: 'Gone' },
  pest: { email: 'pest@sso.example', email_verified: true, name: 'Pest' },
};

async function seed(db: Db) {
  const now = Date.now();
  const passwordHash = await hashPassword(PASSWORD);
  const people = await db.write((tx) =>
    tx
      .insert(users)
      .values([
        { email: 'lead@sso.example', name: 'Lead', role: 'lead' as const, passwordHash, createdAt: now },
        { email: 'ana@sso.example', name: 'Ana', role: 'forecaster' as const, passwordHash, createdAt: now },
        { email: 'gone@sso.example', name: 'Gone', role: 'forecaster' as const, passwordHash, createdAt: now, active: false },
      ])
      .returning({ id: users.id, email: users.email, name: users.name, role: users.role }),
  );
  const lead = people[0] as Actor;
  const invite = await createInvite(db, lead, { role: 'viewer', email: 'newbie@sso.example', expiresInDays: 7 });
  // An invite link for no email in particular does not let a stranger in by single sign-on.
  const open = await createInvite(db, lead, { role: 'forecaster', email: null, expiresInDays: 7 });
  return { ids: Object.fromEntries(people.map((p) => [p.name, p.id])) as Record<string, number>, inviteId: invite.id, inviteToken: invite.token, openToken: open.token };
}

type Seeded = Awaited<ReturnType<typeof seed>>;
let app: OwnServer<Seeded>;
let off: OwnServer<Seeded>;
let provider: ChildProcess;
let issuer: string;
const providerLog: string[] = [];

test.beforeAll(async () => {
  test.setTimeout(180_000);
  const issuerPort = await freePort();
  issuer = `http://127.0.0.1:${issuerPort}`;
  const env = { OIDC_ISSUER: issuer, OIDC_CLIENT_ID: CLIENT.id, OIDC_CLIENT_SECRET: CLIENT.secret, OIDC_LABEL: LABEL };
  app = await startOwnServer('sso', seed, env);
  off = await startOwnServer('sso-off', seed, { ...env, PASSWORD_SIGN_IN: 'off' });
  provider = spawn(process.execPath, [path.join(__dirname, 'oidc-server.mjs')], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      OIDC_PORT: String(issuerPort),
      OIDC_CLIENT_ID: CLIENT.id,
      OIDC_CLIENT_SECRET: CLIENT.secret,
      OIDC_REDIRECT_URIS: [app.base, off.base].map((b) => `${b}/api/auth/callback/oidc`).join(','),
      OIDC_ACCOUNTS: JSON.stringify(ACCOUNTS),
    },
  });
  let stderr = '';
  provider.stderr!.on('data', (c) => (stderr += String(c)));
  await new Promise<void>((resolve, reject) => {
    let buffer = '';
    provider.stdout!.on('data', (c) => {
      buffer += String(c);
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) {
        providerLog.push(line);
        if (line.includes('"ready"')) resolve();
      }
    });
    provider.once('exit', (code) => reject(new Error(`the OpenID Connect provider exited (${code}) before it was ready:\n${stderr}`)));
  });
});

test.afterAll(async () => {
  provider?.kill('SIGTERM');
  await Promise.all([app?.stop(), off?.stop()]);
});

/** Reads the app's database as it is now (SQLite in WAL mode: a reader beside the server). */
async function readDb<T>(server: OwnServer<Seeded>, read: (db: Db) => Promise<T>): Promise<T> {
  const opened = await openDatabase({ engine: 'sqlite', file: server.file });
  try {
    return await read(opened.db);
  } finally {
    await opened.close();
  }
}

/** Clicks the single sign-on button and signs in at the provider as `login`. */
async function ssoSignIn(browser: Browser, server: OwnServer<Seeded>, login: string, from?: string): Promise<Page> {
  const page = await (await browser.newContext({ baseURL: server.base })).newPage();
  await page.goto(from ? `/sign-in?from=${encodeURIComponent(from)}` : '/sign-in');
  await page.getByRole('button', { name: `Sign in with ${LABEL}` }).click();
  await page.locator('input[name=login]').fill(login);
  await page.locator('input[name=password]').fill('any-password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.waitForURL((url) => url.origin === server.base && !url.pathname.startsWith('/api/auth'));
  return page;
}

/** The page's own alert (Next's route announcer is an alert too). */
const alert = (page: Page) => page.locator('main [role=alert], .card [role=alert]').first();

const meStatus = async (page: Page, server: OwnServer<Seeded>) => {
  const cookie = (await page.context().cookies(server.base)).map((c) => `${c.name}=${c.value}`).join('; ');
  return (await fetch(`${server.base}/api/v1/me`, { headers: { cookie } })).status;
};

test('a verified email that matches an account signs in to it, with a session that sign-out ends', async ({ browser }) => {
  const before = providerLog.filter((l) => l.includes('"authorization"')).length;
  const page = await ssoSignIn(browser, app, 'ana', '/settings');
  await expect(page).toHaveURL(`${app.base}/settings`);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  // The provider's "Ana@SSO.example" is the account ana@sso.example; the account keeps its name.
  const { user: me } = await (await page.request.get('/api/v1/me')).json();
  expect(me).toEqual({ id: app.seeded.ids.Ana, name: 'Ana', role: 'forecaster' });
  // Signpost asked with PKCE (S256) and a state, for openid, email and profile.
  const auth = providerLog.filter((l) => l.includes('"authorization"')).slice(before).map((l) => JSON.parse(l).authorization);
  expect(auth).toEqual([
    { client_id: CLIENT.id, redirect_uri: `${app.base}/api/auth/callback/oidc`, scope: 'openid email profile', code_challenge_method: 'S256', code_challenge: true, state: true },
  ]);
  // A database session, as a password sign-in makes.
  const open = await readDb(app, (db) => db.select().from(sessions).where(eq(sessions.userId, app.seeded.ids.Ana!)));
  expect(open.filter((s) => s.revokedAt === null)).toHaveLength(1);
  // Signing out ends it: a copy of the cookie no longer works.
  const copied = (await page.context().cookies(app.base)).map((c) => `${c.name}=${c.value}`).join('; ');
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  expect((await fetch(`${app.base}/api/v1/me`, { headers: { cookie: copied } })).status).toBe(401);
  await page.context().close();
});

test('single sign-on works without scripts: the policy lets the sign-in form go on to the provider', async ({ browser }) => {
  const context = await browser.newContext({ baseURL: app.base, javaScriptEnabled: false });
  const page = await context.newPage();
  const answer = await page.goto('/sign-in?from=/dashboard');
  expect(answer!.headers()['content-security-policy']).toContain(`form-action 'self' ${issuer};`);
  await page.getByRole('button', { name: `Sign in with ${LABEL}` }).click();
  await page.locator('input[name=login]').fill('ana');
  await page.locator('input[name=password]').fill('any-password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await expect(page).toHaveURL(`${app.base}/dashboard`);
  expect((await (await page.request.get('/api/v1/me')).json()).user.id).toBe(app.seeded.ids.Ana);
  await context.close();
});

test('after single sign-on, a "from" that leads off the site is ignored', async ({ browser }) => {
  for (const from of ['//evil.example/x', 'https://evil.example/x', '/\\evil.example/x']) {
    const page = await ssoSignIn(browser, app, 'lead', from);
    await expect(page).toHaveURL(`${app.base}/questions`);
    await page.context().close();
  }
});

test("an email with an open invite gets an account with the invite's role, and the invite is spent", async ({ browser }) => {
  const page = await ssoSignIn(browser, app, 'newbie');
  await expect(page).toHaveURL(`${app.base}/questions`);
  const { user: me } = await (await page.request.get('/api/v1/me')).json();
  expect(me).toMatchObject({ name: 'New Bie', role: 'viewer' });
  const [made] = await readDb(app, (db) => db.select().from(users).where(eq(users.id, me.id)));
  expect(made!.email).toBe('newbie@sso.example');
  const [invite] = await readDb(app, (db) => db.select().from(invites).where(eq(invites.id, app.seeded.inviteId)));
  expect(invite!.usedBy).toBe(me.id);
  // A viewer: the lead's pages are refused.
  await page.goto('/team');
  await expect(page.getByRole('heading', { name: 'Team' })).toHaveCount(0);
  // An account made through single sign-on has no password, and Settings offers none to change.
  await page.goto('/settings');
  await expect(page.getByTestId('no-password')).toContainText(`you sign in with ${LABEL}`);
  await expect(page.getByLabel('Current password')).toHaveCount(0);
  await page.context().close();
  // Signing in again uses that account; no second one is made.
  const again = await ssoSignIn(browser, app, 'newbie');
  expect((await (await again.request.get('/api/v1/me')).json()).user.id).toBe(me.id);
  expect(await readDb(app, (db) => db.select().from(users).where(eq(users.email, 'newbie@sso.example')))).toHaveLength(1);
  await again.context().close();
});

test('an uninvited email is refused with a clear page, and no account is made', async ({ browser }) => {
  const count = async () => (await readDb(app, (db) => db.select({ id: users.id }).from(users))).length;
  const before = await count();
  const page = await ssoSignIn(browser, app, 'stranger');
  await expect(page).toHaveURL(/\/auth-error\?error=SsoUninvited$/);
  await expect(page.getByRole('heading', { name: 'Sign-in problem' })).toBeVisible();
  await expect(alert(page)).toContainText('No Signpost account or open invite matches the email your identity provider gave');
  await expect(page.getByRole('link', { name: 'Back to sign-in' })).toBeVisible();
  expect(await meStatus(page, app)).toBe(401);
  expect(await count()).toBe(before);
  expect(await readDb(app, (db) => db.select().from(users).where(eq(users.email, 'stranger@sso.example')))).toHaveLength(0);
  await page.context().close();
});

test("an unverified email is refused, even when it is an account's email", async ({ browser }) => {
  const page = await ssoSignIn(browser, app, 'impostor');
  await expect(page).toHaveURL(/\/auth-error\?error=SsoUnverified$/);
  await expect(alert(page)).toContainText('has not verified your email address');
  expect(await meStatus(page, app)).toBe(401);
  await page.context().close();
});

test('a deactivated account is refused', async ({ browser }) => {
  const page = await ssoSignIn(browser, app, 'gone');
  await expect(page).toHaveURL(/\/auth-error\?error=SsoDeactivated$/);
  await expect(alert(page)).toContainText('This account has been deactivated');
  expect(await meStatus(page, app)).toBe(401);
  await page.context().close();
});

test('refused single sign-ons count against the sign-in limits, as wrong passwords do', async ({ browser }) => {
  test.setTimeout(120_000);
  const page = await (await browser.newContext({ baseURL: app.base })).newPage();
  // The provider remembers its own sign-in, so after the first round it answers at once.
  for (let attempt = 1; attempt <= 11; attempt++) {
    await page.goto('/sign-in');
    await page.getByRole('button', { name: `Sign in with ${LABEL}` }).click();
    if (attempt === 1) {
      await page.locator('input[name=login]').fill('pest');
      await page.locator('input[name=password]').fill('any-password');
      await page.getByRole('button', { name: 'Sign-in' }).click();
    }
    await page.waitForURL((url) => url.pathname === '/auth-error');
    // Ten refusals (SIGN_IN_FAILURES_PER_PAIR) for one email from one address; then a wait.
    if (attempt <= 10) await expect(page, `attempt ${attempt}`).toHaveURL(/error=SsoUninvited$/);
  }
  await expect(page).toHaveURL(/error=SsoRateLimited&retry=\d+$/);
  await expect(alert(page)).toContainText(/^Too many refused sign-ins\. Try again in (\d+ seconds|\d+ minutes)\.$/);
  await page.context().close();
});

test('a wrong or altered state is refused with a page that says so, never a 500', async ({ browser }) => {
  // The provider's answer with its state altered on the way back.
  const page = await (await browser.newContext({ baseURL: app.base })).newPage();
  const statuses: number[] = [];
  page.on('response', (r) => {
    if (r.url().startsWith(app.base)) statuses.push(r.status());
  });
  // Browsers do not let a test rewrite a redirect, so the provider's login answer is taken
  // here: its redirects followed up to the one back to Signpost, whose state is altered.
  let altered = 0;
  await page.route(`${issuer}/interaction/**`, async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    let response = await route.fetch({ maxRedirects: 0 });
    let location = new URL(response.headers()['location']!, issuer);
    while (location.origin === issuer) {
      response = await page.context().request.get(location.toString(), { maxRedirects: 0 });
      location = new URL(response.headers()['location']!, location);
    }
    expect(location.pathname).toBe('/api/auth/callback/oidc');
    location.searchParams.set('state', `${location.searchParams.get('state')}x`);
    altered += 1;
    return route.fulfill({ status: 303, headers: { location: location.toString() } });
  });
  await page.goto('/sign-in');
  await page.getByRole('button', { name: `Sign in with ${LABEL}` }).click();
  await page.locator('input[name=login]').fill('ana');
  await page.locator('input[name=password]').fill('any-password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await expect(page).toHaveURL(/\/auth-error\?error=SsoCheck$/);
  expect(altered).toBe(1);
  await expect(alert(page)).toContainText('This sign-in could not be checked');
  expect(await meStatus(page, app)).toBe(401);
  expect(statuses.filter((s) => s >= 500)).toEqual([]);
  await page.context().close();

  // A callback that this browser never started (no state cookie), and one with no state at all.
  for (const query of ['code=forged-code&state=forged-state', 'code=forged-code']) {
    const r = await fetch(`${app.base}/api/auth/callback/oidc?${query}`, { redirect: 'manual' });
    expect(r.status, query).toBe(302);
    expect(new URL(r.headers.get('location')!).pathname + new URL(r.headers.get('location')!).search).toBe('/auth-error?error=SsoCheck');
  }
});

test('with PASSWORD_SIGN_IN=off the password form is gone, a credentials post fails, and single sign-on works', async ({ browser }) => {
  const page = await (await browser.newContext({ baseURL: off.base })).newPage();
  await page.goto('/sign-in');
  await expect(page.getByRole('button', { name: `Sign in with ${LABEL}` })).toBeVisible();
  await expect(page.getByLabel('Password')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toHaveCount(0);
  // An invite for an email offers single sign-on, not a password; one for no email says why it cannot be used.
  await page.goto(`/invite/${off.seeded.inviteToken}`);
  await expect(page.getByText('Sign in with Acme Login as newbie@sso.example to join.')).toBeVisible();
  await expect(page.getByLabel('Password')).toHaveCount(0);
  await page.goto(`/invite/${off.seeded.openToken}`);
  await expect(alert(page)).toContainText('This invite is not for a particular email');
  await expect(page.getByLabel('Password')).toHaveCount(0);
  await page.context().close();
  // Straight to Auth.js with the right password: refused.
  const posted = await signInOverHttp(off.base, 'lead@sso.example', PASSWORD);
  expect(posted.refused).toBe('password_sign_in_off');
  expect((await fetch(`${off.base}/api/v1/me`, { headers: { cookie: posted.jar.header() } })).status).toBe(401);
  // Through the page's server action: refused with a message that says why.
  const viaAction = await callAction(off.base, '/sign-in', actionIds().get('signInAction')!, [], { email: 'lead@sso.example', password: PASSWORD }, null);
  expect(viaAction.state).toMatchObject({ ok: false, message: 'Password sign-in is turned off here: use single sign-on.' });
  // The same password on the server with passwords on still works.
  expect((await signInOverHttp(app.base, 'lead@sso.example', PASSWORD)).refused).toBeNull();
  // Single sign-on signs the lead in.
  const sso = await ssoSignIn(browser, off, 'lead');
  await expect(sso).toHaveURL(`${off.base}/questions`);
  expect((await (await sso.request.get('/api/v1/me')).json()).user).toEqual({ id: off.seeded.ids.Lead, name: 'Lead', role: 'lead' });
  // Settings has no password to change.
  await sso.goto('/settings');
  await expect(sso.getByText(`Password sign-in is turned off here: you sign in with ${LABEL}`)).toBeVisible();
  await expect(sso.getByLabel('Current password')).toHaveCount(0);
  await sso.context().close();
});

test('a bad single sign-on setting stops the start with a line that names it', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-sso-config-'));
  const DATABASE_PATH = path.join(dir, 'never.db');
  try {
    await expect(startNext({ DATABASE_PATH, OIDC_ISSUER: issuer })).rejects.toThrow(
      /\[signpost\] Single sign-on is half configured: OIDC_ISSUER is set but OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_LABEL are not\./,
    );
    await expect(startNext({ DATABASE_PATH, OIDC_ISSUER: 'http://login.example.org', OIDC_CLIENT_ID: 'a', OIDC_CLIENT_SECRET: 'b', OIDC_LABEL: 'c' })).rejects.toThrow(
      /\[signpost\] OIDC_ISSUER must be an https URL/,
    );
    await expect(startNext({ DATABASE_PATH, PASSWORD_SIGN_IN: 'off' })).rejects.toThrow(/\[signpost\] PASSWORD_SIGN_IN=off needs single sign-on/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
