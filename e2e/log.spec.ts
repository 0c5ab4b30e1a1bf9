// Structured logs (project `log`, a server of its own whose output the test reads): one JSON
// line per request with its id, method, route, status and duration; the id of an error answer
// is in the log; and a password sign-in and API token requests leave no password, token or
// session cookie anywhere in what the server wrote. Admission (server/admission.ts) on a real
// `next start`: with its one place taken, a page is refused 503 and logged, the health check
// still answers; a bad setting stops the start.
import { once } from 'node:events';
import net from 'node:net';
import Database from 'better-sqlite3';
import { expect, test } from '@playwright/test';
import type { Db } from '../db/index';
import { createInvite } from '../db/queries/invites';
import { createApiToken } from '../db/queries/tokens';
import { hashPassword } from '../db/queries/users';
import { users } from '../db/schema';
import type { Actor } from '../lib/domain';
import { signInOverHttp, startOwnServer, type OwnServer } from './own-server';

const PASSWORD = 'log-test-password-4f9a2c';
const WRONG_PASSWORD = 'wrong-password-8d1e7b';

async function seedWithPassword(db: Db) {
  const passwordHash = await hashPassword(PASSWORD);
  const [lead] = await db.write((tx) =>
    tx
      .insert(users)
      .values({ email: 'lead@log.example', name: 'Lead', role: 'lead' as const, passwordHash, createdAt: Date.now() })
      .returning({ id: users.id, email: users.email, name: users.name, role: users.role }),
  );
  const token = (await createApiToken(db, lead as Actor, 'log test')).token;
  const invite = (await createInvite(db, lead as Actor, { role: 'forecaster', email: null, expiresInDays: 7 })).token;
  return { token, invite };
}
type Seeded = Awaited<ReturnType<typeof seedWithPassword>>;

let own: OwnServer<Seeded>;
test.beforeAll(async () => {
  own = await startOwnServer('log', seedWithPassword);
});
test.afterAll(async () => {
  await own?.stop();
});

/** Every JSON line the server wrote so far. */
function jsonLines(): Record<string, unknown>[] {
  return own.server
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

interface RequestLine {
  time: string;
  level: string;
  msg: string;
  requestId: string;
  method: string;
  route: string;
  status: number;
  durationMs: number;
}

/** The server's request lines so far (its other output, such as Next's banner, is not JSON). */
function requestLines(): RequestLine[] {
  const out: RequestLine[] = [];
  for (const line of own.server.output().split('\n')) {
    if (!line.startsWith('{')) continue;
    const parsed = JSON.parse(line) as RequestLine;
    if (parsed.msg === 'request') out.push(parsed);
  }
  return out;
}

test('one JSON line per request, the id of an error answer in it, and no secret anywhere in the output', async () => {
  const base = own.base;
  const answered: { id: string; method: string; route: string; status: number }[] = [];
  const note = (r: Response, method: string, route: string) => {
    const id = r.headers.get('x-request-id');
    expect(id, `${method} ${route} answers with an X-Request-Id`).toMatch(/^[0-9a-f-]{36}$/);
    answered.push({ id: id!, method, route, status: r.status });
    return id!;
  };

  // A password sign-in through Auth.js, as the sign-in form does it.
  const { jar, refused } = await signInOverHttp(base, 'lead@log.example', PASSWORD);
  expect(refused).toBeNull();
  const sessionCookie = jar.header().split('; ').find((c) => c.includes('authjs.session-token='))!.split('=').slice(1).join('=');
  expect(sessionCookie.length).toBeGreaterThan(20);
  // A refused one, with another password.
  expect((await signInOverHttp(base, 'lead@log.example', WRONG_PASSWORD)).refused).toBe('invalid_credentials');

  // A page with the session; a client's own X-Request-Id is not taken (no proxy is trusted).
  const page = await fetch(`${base}/questions`, { headers: { cookie: jar.header(), 'x-request-id': 'chosen-by-client-1' } });
  expect(page.status).toBe(200);
  expect(note(page, 'GET', '/questions')).not.toBe('chosen-by-client-1');

  // API token requests: one that works, one for a question that does not exist (an error).
  const me = await fetch(`${base}/api/v1/me`, { headers: { authorization: `Bearer ${own.seeded.token}` } });
  expect(me.status).toBe(200);
  note(me, 'GET', '/api/v1/me');
  const missing = await fetch(`${base}/api/v1/questions/999999?token=${own.seeded.token}`, { headers: { authorization: `Bearer ${own.seeded.token}` } });
  expect(missing.status).toBe(404);
  const missingId = note(missing, 'GET', '/api/v1/questions/999999');
  const body = (await missing.json()) as { error: { status: number; code: string }; requestId: string };
  expect(body.error.code).toBe('not_found');
  expect(body.requestId, 'the JSON error names the request id of its answer').toBe(missingId);
  // A token that is not valid: 401, with the id.
  const bad = await fetch(`${base}/api/v1/me`, { headers: { authorization: 'Bearer sp_not-a-real-token-1234567890' } });
  expect(bad.status).toBe(401);
  expect(((await bad.json()) as { requestId: string }).requestId).toBe(note(bad, 'GET', '/api/v1/me'));
  // A page that does not exist shows its request id.
  const notFound = await fetch(`${base}/questions/999999`, { headers: { cookie: jar.header() } });
  expect(notFound.status).toBe(404);
  const notFoundId = note(notFound, 'GET', '/questions/999999');
  expect(await notFound.text()).toContain(notFoundId);
  // An invite link: its token is the secret in the path.
  const invite = await fetch(`${base}/invite/${own.seeded.invite}`);
  expect(invite.status).toBe(200);
  note(invite, 'GET', '/invite/[token]');

  // The line is written once the answer is complete: wait until the last answer's is there.
  await expect.poll(() => requestLines().filter((l) => l.requestId === answered.at(-1)!.id).length).toBe(1);
  const lines = requestLines();
  for (const a of answered) {
    const mine = lines.filter((l) => l.requestId === a.id);
    expect(mine, `exactly one log line for ${a.method} ${a.route}`).toHaveLength(1);
    const [line] = mine;
    expect(line).toMatchObject({ method: a.method, route: a.route, status: a.status });
    expect(line!.level).toBe(a.status >= 500 ? 'error' : 'info');
    expect(Number.isFinite(line!.durationMs) && line!.durationMs >= 0).toBe(true);
    expect(new Date(line!.time).toISOString()).toBe(line!.time);
  }
  // The very first request, the health check the start made while Next was still loading the
  // app, is logged too (scripts/early-requests.cjs).
  expect(lines[0]).toMatchObject({ method: 'GET', route: '/api/v1/health', status: 200 });
  // Every request the sign-in made (csrf, callback) is logged too, each with an id of its own.
  const signIn = lines.filter((l) => l.route.startsWith('/api/auth/'));
  expect(signIn.map((l) => `${l.method} ${l.route}`)).toEqual(expect.arrayContaining(['GET /api/auth/csrf', 'POST /api/auth/callback/credentials']));
  expect(new Set(lines.map((l) => l.requestId)).size).toBe(lines.length);

  const output = own.server.output();
  for (const [what, secret] of [
    ['the password', PASSWORD],
    ['the wrong password', WRONG_PASSWORD],
    ['the API token', own.seeded.token],
    ['the invalid token', 'sp_not-a-real-token-1234567890'],
    ['the session cookie', sessionCookie],
    ['the invite token', own.seeded.invite],
  ] as const) {
    expect(output.includes(secret), `${what} must not appear in the server's output`).toBe(false);
  }
});

// Last in this file: it breaks the server's database on purpose.
test('a page that fails to render shows its request id and error reference, and both lead to the logged error', async ({ page }) => {
  await page.goto(`${own.base}/sign-in`);
  await page.getByLabel('Email').fill('lead@log.example');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/questions/);
  // The questions page now fails on a query, as it would on a broken database; the layout's
  // own reads (the session, the person) still work.
  const sqlite = new Database(own.file);
  sqlite.exec('ALTER TABLE questions RENAME TO questions_away');
  sqlite.close();
  const response = await page.goto(`${own.base}/questions`);
  await expect(page.getByRole('heading', { name: 'This page could not be shown' })).toBeVisible();
  const id = response!.headers()['x-request-id']!;
  const reference = page.getByTestId('error-reference');
  await expect(reference).toContainText(`the request id ${id}`);
  const digest = /error reference (\S+?)\.?$/.exec((await reference.textContent())!.trim())?.[1];
  expect(digest, 'the page shows an error reference').toBeTruthy();
  await expect.poll(() => jsonLines().filter((l) => l.msg === 'request failed' && l.requestId === id).length).toBeGreaterThan(0);
  const failed = jsonLines().find((l) => l.msg === 'request failed' && l.requestId === id)!;
  expect(failed).toMatchObject({ level: 'error', digest, route: '/questions' });
  expect(JSON.stringify(failed.err)).toContain('questions');
  await expect.poll(() => requestLines().filter((l) => l.requestId === id).length).toBe(1);
});

test('admission: with one place taken and no queue, a page is answered 503 and logged, the health check answers, and the place comes back', async () => {
  const own = await startOwnServer('admission', async () => null, { MAX_CONCURRENT_REQUESTS: '1', MAX_QUEUED_REQUESTS: '0' });
  try {
    const u = new URL(own.base);
    // A sign-in post whose form has not all arrived holds the one place (Auth.js waits for the form).
    const slow = net.connect(Number(u.port), u.hostname);
    await once(slow, 'connect');
    slow.on('error', () => {});
    slow.write(`POST /api/auth/callback/credentials HTTP/1.1\r\nHost: ${u.host}\r\ncontent-type: application/x-www-form-urlencoded\r\ncontent-length: 200\r\n\r\nemail=a`);
    let refused: Response | null = null;
    for (const end = Date.now() + 10_000; !refused && Date.now() < end; ) {
      const r = await fetch(`${own.base}/sign-in`, { redirect: 'manual' });
      if (r.status === 503) refused = r;
      else await r.text();
    }
    expect(refused, 'a page is refused while the place is taken').not.toBeNull();
    expect(refused!.headers.get('retry-after')).toBe('1');
    expect(refused!.headers.get('x-request-id')).toBeTruthy();
    expect(await refused!.text()).toBe('Signpost is busy: too many requests are waiting. Try again in a moment.');
    const health = await fetch(`${own.base}/api/v1/health`);
    expect(health.status, 'the health check never waits').toBe(200);
    slow.destroy(); // the client leaves: its place is given back
    await expect.poll(async () => (await fetch(`${own.base}/sign-in`)).status, { timeout: 10_000 }).toBe(200);
    const lines = own.server.output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { route?: string; status?: number; requestId?: string });
    expect(lines.some((l) => l.route === '/sign-in' && l.status === 503 && l.requestId === refused!.headers.get('x-request-id'))).toBe(true);
  } finally {
    await own.stop();
  }
});

test('a bad admission setting stops the start with a line that names it', async () => {
  await expect(startOwnServer('admission-bad', async () => null, { MAX_CONCURRENT_REQUESTS: '0' })).rejects.toThrow(
    /exited \(1\)[\s\S]*MAX_CONCURRENT_REQUESTS must be a whole number from 1 to 1000/,
  );
});
