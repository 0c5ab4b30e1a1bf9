// The findings of the attacker's pass, each kept fixed (project `security`, servers of its
// own, since these tests end sessions, change passwords and trip sign-in limits).
import Papa from 'papaparse';
import { expect, test, type Browser, type Page } from '@playwright/test';
import type { Db } from '../db/index';
import { saveForecast } from '../db/queries/forecasts';
import { recordLikelihoods } from '../db/queries/indicators';
import { createQuestion, getQuestionForUser, publishQuestion } from '../db/queries/questions';
import { hashPassword } from '../db/queries/users';
import { users } from '../db/schema';
import type { Actor } from '../lib/domain';
import { questionInputSchema } from '../lib/validation/question';
import { Jar, actionIds, callAction, signInOverHttp, startOwnServer, type OwnServer } from './own-server';

const PASSWORD = 'security-password-0000';
const DAY = 86_400_000;
const NAMES = ['lead', 'ana', 'ben', 'cleo', 'dev', 'viewer'] as const;

async function seed(db: Db) {
  const now = Date.now();
  const passwordHash = await hashPassword(PASSWORD);
  const people = await db.write((tx) =>
    tx
      .insert(users)
      .values(NAMES.map((name) => ({ email: `${name}@sec.example`, name, role: name === 'lead' ? ('lead' as const) : name === 'viewer' ? ('viewer' as const) : ('forecaster' as const), passwordHash, createdAt: now })))
      .returning({ id: users.id, email: users.email, name: users.name, role: users.role }),
  );
  const who = (name: string) => people.find((p) => p.name === name)! as Actor;
  const qid = await createQuestion(
    db,
    who('lead'),
    questionInputSchema.parse({
      title: 'Security question',
      resolutionCriteria: 'Test.',
      opensAt: new Date(now - 10 * DAY).toISOString(),
      closesAt: new Date(now + 30 * DAY).toISOString(),
      scenarios: ['Yes', 'No'].map((name) => ({ name })),
      indicators: [{ name: 'Signal' }],
    }),
    now - 11 * DAY,
  );
  await publishQuestion(db, who('lead'), qid, now - 10 * DAY);
  const q = await getQuestionForUser(db, who('lead'), qid);
  // One forecaster's judgement of the indicator: the "pool" would be exactly these numbers.
  await saveForecast(db, who('ana'), qid, { values: new Map(q.scenarios.map((s, k) => [s.id, [60, 40][k]])), rationale: 'mine' }, now - DAY);
  await recordLikelihoods(db, who('ana'), q.indicators[0]!.id, new Map(q.scenarios.map((s, k) => [s.id, [73, 11][k]])));
  return { qid, scenarioIds: q.scenarios.map((s) => s.id), userIds: Object.fromEntries(people.map((p) => [p.name, p.id])) as Record<string, number> };
}

type Seeded = Awaited<ReturnType<typeof seed>>;

let own: OwnServer<Seeded>;
test.beforeAll(async () => {
  own = await startOwnServer('security', seed);
});
test.afterAll(async () => {
  await own?.stop();
});

async function signInPage(browser: Browser, name: string, password = PASSWORD, from?: string): Promise<Page> {
  const page = await (await browser.newContext({ baseURL: own.base })).newPage();
  await page.goto(from ? `/sign-in?from=${encodeURIComponent(from)}` : '/sign-in');
  await page.getByLabel('Email').fill(`${name}@sec.example`);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).not.toHaveURL(/\/sign-in/);
  return page;
}

const me = (jar: Jar) => fetch(`${own.base}/api/v1/me`, { headers: { cookie: jar.header() } });

test('after sign-in, a "from" that leads off the site is ignored', async ({ browser }) => {
  for (const from of ['/\\evil.example/x', '/\t/evil.example/x', '//evil.example/x', 'https://evil.example/x']) {
    const page = await signInPage(browser, 'ana', PASSWORD, from);
    expect(new URL(page.url()).origin).toBe(own.base);
    await expect(page).toHaveURL(/\/questions$/);
    await page.context().close();
  }
  const page = await signInPage(browser, 'ana', PASSWORD, `/questions/${own.seeded.qid}?team=1`);
  await expect(page).toHaveURL(new RegExp(`/questions/${own.seeded.qid}\\?team=1$`));
  await page.context().close();
});

test('signing out ends the session: a copy of its cookie no longer works', async ({ browser }) => {
  const page = await signInPage(browser, 'ben');
  const cookies = await page.context().cookies();
  const copy = new Jar();
  for (const c of cookies) copy.keep(new Response(null, { headers: { 'set-cookie': `${c.name}=${c.value}; Path=/` } }));
  expect((await me(copy)).status).toBe(200);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  expect((await me(copy)).status, 'the old cookie, replayed after sign-out').toBe(401);
  const r = await fetch(`${own.base}/questions`, { headers: { cookie: copy.header() }, redirect: 'manual' });
  expect(r.status === 307 || r.status === 200).toBe(true);
  if (r.status === 200) expect(await r.text()).toContain('Sign in to Signpost');
  else expect(r.headers.get('location')).toContain('/sign-in');
});

test('"sign out everywhere" ends every session of the account', async ({ browser }) => {
  const other = (await signInOverHttp(own.base, 'cleo@sec.example', PASSWORD)).jar;
  expect((await me(other)).status).toBe(200);
  const page = await signInPage(browser, 'cleo');
  await page.goto('/settings');
  await expect(page.getByTestId('session-list').locator('tbody tr')).toHaveCount(2);
  await page.getByRole('button', { name: 'Sign out everywhere' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  expect((await me(other)).status).toBe(401);
});

test('a password change ends every other session and keeps this one; the old password stops working', async ({ browser }) => {
  const other = (await signInOverHttp(own.base, 'dev@sec.example', PASSWORD)).jar;
  const page = await signInPage(browser, 'dev');
  await page.goto('/settings');
  const form = page.getByRole('form', { name: 'Change password' });
  await form.getByLabel('Current password').fill('not the password');
  await form.getByLabel('New password (at least 10 characters)').fill('a-new-password-1');
  await form.getByLabel('New password again').fill('a-new-password-1');
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(page.locator('p.error[role="alert"]')).toHaveText('The current password is not right.');
  expect((await me(other)).status, 'a refused change ends nothing').toBe(200);
  await form.getByLabel('Current password').fill(PASSWORD);
  await form.getByLabel('New password (at least 10 characters)').fill('a-new-password-1');
  await form.getByLabel('New password again').fill('a-new-password-1');
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('Password changed.')).toBeVisible();
  expect((await me(other)).status).toBe(401);
  await page.goto('/settings');
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  expect((await signInOverHttp(own.base, 'dev@sec.example', PASSWORD)).refused).toBe('invalid_credentials');
  expect((await signInOverHttp(own.base, 'dev@sec.example', 'a-new-password-1')).refused).toBeNull();
});

test('deactivating a member ends their sessions at once', async ({ browser }) => {
  const member = (await signInOverHttp(own.base, 'viewer@sec.example', PASSWORD)).jar;
  expect((await me(member)).status).toBe(200);
  const lead = await signInPage(browser, 'lead');
  await lead.goto('/team');
  await lead.getByRole('button', { name: 'Deactivate viewer' }).click();
  await expect(lead.getByText('Member deactivated.')).toBeVisible();
  expect((await me(member)).status).toBe(401);
});

test('pooled likelihoods stay hidden, like forecasts, until a forecaster has forecast', async ({ browser }) => {
  const jar = (await signInOverHttp(own.base, 'ben@sec.example', PASSWORD)).jar; // Ben has not forecast
  const q = (await (await fetch(`${own.base}/api/v1/questions/${own.seeded.qid}`, { headers: { cookie: jar.header() } })).json()).question;
  expect(q.teamView.visible).toBe(false);
  expect(q.indicators[0].pooled).toBeNull();
  expect(q.indicators[0].pooledCount).toBe(0);
  expect(q.indicators[0].pooledHidden).toBe(true);
  expect(JSON.stringify(q)).not.toContain('0.73');
  const page = await signInPage(browser, 'ben');
  await page.goto(`/questions/${own.seeded.qid}`);
  await expect(page.getByRole('table', { name: 'Likelihoods for Signal' })).toContainText('shown after your first forecast');
  await expect(page.getByRole('table', { name: 'Likelihoods for Signal' })).not.toContainText('73%');
  // Ana, who has forecast, sees the pool (her own judgement, here).
  const ana = (await signInOverHttp(own.base, 'ana@sec.example', PASSWORD)).jar;
  const seen = (await (await fetch(`${own.base}/api/v1/questions/${own.seeded.qid}`, { headers: { cookie: ana.header() } })).json()).question;
  expect(seen.indicators[0].pooled).toHaveLength(2);
  expect(seen.indicators[0].pooled[0]).toBeCloseTo(0.73, 9);
  expect(seen.indicators[0].pooled[1]).toBeCloseTo(0.11, 9);
});

test('a rationale that starts a formula is quoted in the CSV even with a line break after it', async () => {
  const jar = (await signInOverHttp(own.base, 'ana@sec.example', PASSWORD)).jar;
  const rationale = '=HYPERLINK("http://x.example","y")\nmore on the next line';
  const post = await fetch(`${own.base}/api/v1/questions/${own.seeded.qid}/forecasts`, {
    method: 'POST',
    headers: { cookie: jar.header(), 'content-type': 'application/json' },
    body: JSON.stringify({ probabilities: [55, 45], rationale }),
  });
  expect(post.status).toBe(201);
  const text = await (await fetch(`${own.base}/questions/${own.seeded.qid}/export/forecasts.csv`, { headers: { cookie: jar.header() } })).text();
  const rows = Papa.parse<string[]>(text, { skipEmptyLines: true }).data;
  const cells = rows.map((r) => r[8]).filter((c) => c?.includes('HYPERLINK'));
  expect(cells.length).toBe(2);
  for (const c of cells) expect(c).toBe(`'${rationale}`);
});

test('names lose invisible formatting characters; free text shows them as markers', async ({ browser }) => {
  const page = await signInPage(browser, 'ana');
  await page.goto('/settings');
  await page.getByLabel('Token name').fill('note\u202Ebook\u200B');
  await page.getByRole('button', { name: 'Create token' }).click();
  await expect(page.getByTestId('token-list')).toContainText('notebook');
  const jar = (await signInOverHttp(own.base, 'ana@sec.example', PASSWORD)).jar;
  await fetch(`${own.base}/api/v1/questions/${own.seeded.qid}/forecasts`, {
    method: 'POST',
    headers: { cookie: jar.header(), 'content-type': 'application/json' },
    body: JSON.stringify({ probabilities: [51, 49], rationale: 'looks \u202Eesnon\u202C fine' }),
  });
  await page.goto(`/questions/${own.seeded.qid}`);
  await expect(page.getByTestId('forecast-history')).toContainText('looks ⟨U+202E⟩esnon⟨U+202C⟩ fine');
});

test('server-action posts that cannot be honest get 413, 403 or 400, and the auth error page is a page', async () => {
  const jar = (await signInOverHttp(own.base, 'ana@sec.example', PASSWORD)).jar;
  const id = actionIds().get('submitForecastAction')!;
  const path = `/questions/${own.seeded.qid}`;
  const post = (headers: Record<string, string>, body: BodyInit) => fetch(`${own.base}${path}`, { method: 'POST', headers: { cookie: jar.header(), 'next-action': id, ...headers }, body, redirect: 'manual' });
  // A 2 MB rationale.
  const big = await callAction(own.base, path, id, [own.seeded.qid], { p_1: '50', p_2: '50', rationale: 'x'.repeat(2 * 1024 * 1024) }, jar);
  expect(big.status).toBe(413);
  const foreign = await post({ origin: 'http://evil.example', 'content-type': 'text/plain;charset=UTF-8' }, JSON.stringify([own.seeded.qid, { ok: false }, '$K1']));
  expect(foreign.status).toBe(403);
  expect(await foreign.text()).toContain('another site');
  const malformed = await post({ origin: own.base, 'content-type': 'text/plain;charset=UTF-8' }, '{this is not json');
  expect(malformed.status).toBe(400);
  const broken = await post({ origin: own.base, 'content-type': 'multipart/form-data; boundary=zz' }, '--zz\r\nContent-Disposition: form-data; name="0"\r\n\r\n[broken\r\n--zz--\r\n');
  expect(broken.status).toBe(400);
  const authError = await fetch(`${own.base}/api/auth/error?error=Configuration`, { redirect: 'follow' });
  expect(authError.status).toBeLessThan(500);
  expect(await authError.text()).toContain('Sign-in is not set up correctly');
});

test('the API answers 405 with JSON, reads resolution bodies strictly and refuses out-of-range dates', async () => {
  const lead = (await signInOverHttp(own.base, 'lead@sec.example', PASSWORD)).jar;
  const put = await fetch(`${own.base}/api/v1/questions`, { method: 'PUT', headers: { cookie: lead.header() } });
  expect(put.status).toBe(405);
  expect(put.headers.get('allow')).toBe('GET');
  expect((await put.json()).error.code).toBe('method_not_allowed');
  const resolve = (body: unknown) =>
    fetch(`${own.base}/api/v1/questions/${own.seeded.qid}/resolution`, { method: 'POST', headers: { cookie: lead.header(), 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const scenarioId = own.seeded.scenarioIds[0]!;
  for (const bad of [
    { scenarioId: String(scenarioId), resolvedAt: '2026-01-01T00:00:00Z' },
    { scenarioId: [scenarioId], resolvedAt: '2026-01-01T00:00:00Z' },
    { scenarioId: true, resolvedAt: '2026-01-01T00:00:00Z' },
    { scenarioId, resolvedAt: '2026-01-01T00:00:00Z', extra: 1 },
    { scenarioId, resolvedAt: '0001-01-01' },
    { scenarioId, resolvedAt: '99999-01-01' },
  ]) {
    const r = await resolve(bad);
    expect(r.status, JSON.stringify(bad)).toBe(400);
  }
  const q = (await (await fetch(`${own.base}/api/v1/questions/${own.seeded.qid}`, { headers: { cookie: lead.header() } })).json()).question;
  expect(q.status).toBe('open');
});

test('sign-in limits: a forged X-Forwarded-For neither dodges nor lifts the per-address limit', async () => {
  const limited = await startOwnServer('limits', seed);
  try {
    const outcomes: (string | null)[] = [];
    for (let i = 0; i < 32; i++) {
      outcomes.push((await signInOverHttp(limited.base, `nobody-${i}@sec.example`, 'wrong-password', { 'x-forwarded-for': `203.0.113.${i}` })).refused);
    }
    expect(outcomes.slice(0, 30).every((o) => o === 'invalid_credentials')).toBe(true);
    expect(outcomes.slice(30).every((o) => o?.startsWith('rate_limited:'))).toBe(true);
    // Another hop in the header does not make a new address.
    const again = await signInOverHttp(limited.base, 'nobody-x@sec.example', 'wrong', { 'x-forwarded-for': '198.51.100.7, 203.0.113.99' });
    expect(again.refused?.startsWith('rate_limited:')).toBe(true);
  } finally {
    await limited.stop();
  }
});

test('nobody can lock someone out: failures elsewhere do not stop the right password from a clean address', async () => {
  // Behind one trusted proxy, the last X-Forwarded-For hop is the client: addresses can be told apart here.
  const limited = await startOwnServer('lockout', seed, { TRUST_PROXY_HOPS: '1' });
  try {
    const email = 'lead@sec.example';
    for (let i = 0; i < 12; i++) {
      const r = await signInOverHttp(limited.base, email, `wrong-${i}`, { 'x-forwarded-for': `203.0.113.${i}` });
      expect(r.refused === 'invalid_credentials' || r.refused?.startsWith('rate_limited:')).toBe(true);
    }
    // An address that keeps failing is slowed down...
    for (let i = 0; i < 10; i++) await signInOverHttp(limited.base, email, `wrong-again-${i}`, { 'x-forwarded-for': '203.0.113.200' });
    expect((await signInOverHttp(limited.base, email, PASSWORD, { 'x-forwarded-for': '203.0.113.200' })).refused?.startsWith('rate_limited:')).toBe(true);
    // ...but the rightful user, from an address that has not failed, gets in with the right password.
    expect((await signInOverHttp(limited.base, email, PASSWORD, { 'x-forwarded-for': '192.0.2.55' })).refused).toBeNull();
  } finally {
    await limited.stop();
  }
});

test('every answer carries the security headers; HSTS only over https', async () => {
  const jar = (await signInOverHttp(own.base, 'ana@sec.example', PASSWORD)).jar;
  for (const path of ['/sign-in', '/questions', `/api/v1/questions/${own.seeded.qid}`]) {
    const r = await fetch(`${own.base}${path}`, { headers: { cookie: jar.header() } });
    expect(r.status, path).toBe(200);
    const csp = r.headers.get('content-security-policy') ?? '';
    expect(csp, path).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}' 'strict-dynamic'/);
    expect(csp, path).toContain("frame-ancestors 'none'");
    expect(csp, path).toContain("object-src 'none'");
    expect(r.headers.get('x-content-type-options'), path).toBe('nosniff');
    expect(r.headers.get('x-frame-options'), path).toBe('DENY');
    expect(r.headers.get('referrer-policy'), path).toBe('strict-origin-when-cross-origin');
    expect(r.headers.get('strict-transport-security'), `${path} over plain http`).toBeNull();
  }
  // Two pages, two nonces.
  const a = (await fetch(`${own.base}/sign-in`)).headers.get('content-security-policy');
  const b = (await fetch(`${own.base}/sign-in`)).headers.get('content-security-policy');
  expect(a).not.toBe(b);
  const html = await (await fetch(`${own.base}/sign-in`)).text();
  const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  expect(scripts.length).toBeGreaterThan(0);
  for (const s of scripts) expect(s, 'every script tag carries the nonce').toMatch(/nonce="[^"]+"/);
  const behindTls = await fetch(`${own.base}/sign-in`, { headers: { 'x-forwarded-proto': 'https' } });
  expect(behindTls.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
});

test('no page breaks under the CSP: no violations, no script errors, and the client code runs', async ({ browser }) => {
  const page = await signInPage(browser, 'lead');
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || /Content Security Policy|Refused to/.test(m.text())) problems.push(`${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`${page.url()}: ${e.message}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  const qid = own.seeded.qid;
  for (const path of ['/questions', `/questions/${qid}`, `/questions/${qid}/review`, `/questions/${qid}/edit`, '/questions/new', '/dashboard', '/leaderboard', '/me', '/team', '/settings']) {
    const r = await page.goto(path);
    expect(r?.status(), path).toBe(200);
    await page.waitForLoadState('networkidle');
  }
  // Hydrated client code: the chart fetches its series and draws it.
  await page.goto(`/questions/${qid}`);
  await expect(page.locator('.recharts-surface').first()).toBeVisible();
  // A client-side form interaction (the probability inputs' live sum) works.
  expect(problems).toEqual([]);
});
