// Reading the session cookie without Auth.js's session endpoint (server/session-cookie.ts): it
// must agree with Auth.js itself on every cookie, and keep only what verified.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Auth } from '@auth/core';
import { encode } from 'next-auth/jwt';
import { SessionCookieReader, sessionCookieName, sessionTokenOf, usesSecureCookies } from './session-cookie';

const SECRET = 'a-test-secret-of-some-length-0123456789';
const NAME = sessionCookieName(false);
const SECURE = sessionCookieName(true);
const claims = { sub: '7', sid: 'session-abc', name: 'Ada', email: 'ada@example.org' };

const cookie = (name: string, value: string) => ({ name, value });

/** What Auth.js's own session action (as next-auth's auth() runs it) makes of these cookies. */
async function authJsReads(cookies: { name: string; value: string }[], origin: string): Promise<{ userId: string; sid: string | null } | null> {
  const response = await Auth(new Request(`${origin}/api/auth/session`, { headers: { cookie: cookies.map((c) => `${c.name}=${c.value}`).join('; ') } }), {
    secret: SECRET,
    basePath: '/api/auth',
    trustHost: true,
    providers: [],
    session: { strategy: 'jwt' },
    logger: { error() {}, warn() {}, debug() {} },
    // The same two callbacks as server/auth.ts.
    callbacks: {
      jwt: ({ token }) => token,
      session: ({ session, token }) => Object.assign(session, { user: { ...session.user, id: token.sub }, sid: typeof token.sid === 'string' ? token.sid : null }),
    },
  });
  const body = (await response.json()) as { user?: { id?: string }; sid?: string | null } | null;
  return body?.user?.id ? { userId: body.user.id, sid: body.sid ?? null } : null;
}

test('a valid cookie gives the same user and session as Auth.js, and is decrypted once', async () => {
  const token = await encode({ token: claims, secret: SECRET, salt: NAME });
  const reader = new SessionCookieReader(SECRET);
  const first = await reader.read([cookie(NAME, token)], false);
  assert.deepEqual(first, { userId: '7', sid: 'session-abc' });
  assert.deepEqual(first, await authJsReads([cookie(NAME, token)], 'http://localhost'));
  assert.equal(reader.size, 1);
  const again = await reader.read([cookie('other', 'x'), cookie(NAME, token)], false);
  assert.equal(again, first, 'the second read is the kept claims, not a new decryption');
  assert.ok(Object.isFrozen(first));
});

test('cookies Auth.js refuses are refused, and none of them is kept', async () => {
  const reader = new SessionCookieReader(SECRET);
  const token = await encode({ token: claims, secret: SECRET, salt: NAME });
  const otherSecret = await encode({ token: claims, secret: 'another-secret-entirely-0123456789', salt: NAME });
  const expired = await encode({ token: claims, secret: SECRET, salt: NAME, maxAge: -60 });
  const altered = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
  const cases: [string, { name: string; value: string }[], boolean][] = [
    ['no cookie', [], false],
    ['another secret', [cookie(NAME, otherSecret)], false],
    ['expired a minute ago', [cookie(NAME, expired)], false],
    ['altered', [cookie(NAME, altered)], false],
    ['not a token', [cookie(NAME, 'garbage')], false],
    ['the plain-http name on an https site', [cookie(NAME, token)], true],
    ['a token made for the other name', [cookie(SECURE, token)], true],
  ];
  for (const [label, cookies, secure] of cases) {
    assert.equal(await reader.read(cookies, secure), null, label);
    assert.equal(await authJsReads(cookies, secure ? 'https://signpost.example' : 'http://localhost'), null, `Auth.js refuses it too: ${label}`);
  }
  assert.equal(reader.size, 0);
  // A token without a user id reads as no session (Auth.js gives a session without user.id).
  const anonymous = await encode({ token: { name: 'x' }, secret: SECRET, salt: NAME });
  assert.equal(await reader.read([cookie(NAME, anonymous)], false), null);
  assert.equal(await new SessionCookieReader(undefined).read([cookie(NAME, token)], false), null, 'no secret, no session');
});

test('on https the __Secure- cookie is read, as Auth.js reads it', async () => {
  const token = await encode({ token: claims, secret: SECRET, salt: SECURE });
  const reader = new SessionCookieReader(SECRET);
  assert.deepEqual(await reader.read([cookie(SECURE, token)], true), { userId: '7', sid: 'session-abc' });
  assert.deepEqual(await authJsReads([cookie(SECURE, token)], 'https://signpost.example'), { userId: '7', sid: 'session-abc' });
  assert.equal(await reader.read([cookie(SECURE, token)], false), null, 'not on plain http');
});

test('a kept token stops counting when it expires (with jose\'s 15 s tolerance)', async () => {
  const reader = new SessionCookieReader(SECRET);
  const token = await encode({ token: claims, secret: SECRET, salt: NAME, maxAge: 3600 });
  const now = Date.now();
  assert.ok(await reader.read([cookie(NAME, token)], false, now));
  const exp = Math.floor(now / 1000) + 3600;
  assert.ok(await reader.read([cookie(NAME, token)], false, (exp + 10) * 1000), 'within the tolerance');
  assert.equal(await reader.read([cookie(NAME, token)], false, (exp + 16) * 1000 + 999), null);
});

test('chunked cookies are joined in order; the kept set is bounded, least recently used out first', async () => {
  const token = await encode({ token: claims, secret: SECRET, salt: NAME });
  const parts = [token.slice(0, 100), token.slice(100, 200), token.slice(200)];
  const chunked = [cookie(`${NAME}.2`, parts[2]!), cookie(`${NAME}.0`, parts[0]!), cookie(`${NAME}.1`, parts[1]!)];
  assert.equal(sessionTokenOf(chunked, NAME), token);
  assert.equal(sessionTokenOf([cookie(`${NAME}.x`, 'a')], NAME), null, 'not a chunk');
  const reader = new SessionCookieReader(SECRET, 2);
  assert.deepEqual(await reader.read(chunked, false), await authJsReads(chunked, 'http://localhost'));
  const others = await Promise.all(['8', '9'].map((sub) => encode({ token: { ...claims, sub }, secret: SECRET, salt: NAME })));
  const a = await reader.read([cookie(NAME, others[0]!)], false);
  assert.equal(await reader.read(chunked, false) !== null, true); // the chunked one is now the most recent
  await reader.read([cookie(NAME, others[1]!)], false);
  assert.equal(reader.size, 2);
  assert.notEqual(await reader.read([cookie(NAME, others[0]!)], false), a, 'user 8 was dropped and decrypted again');
});

test('secure cookie names follow AUTH_URL, else X-Forwarded-Proto, else https (as Auth.js decides)', () => {
  assert.equal(usesSecureCookies('http', {}), false);
  assert.equal(usesSecureCookies('http:', {}), false);
  assert.equal(usesSecureCookies('https', {}), true);
  assert.equal(usesSecureCookies(null, {}), true);
  assert.equal(usesSecureCookies('http', { AUTH_URL: 'https://forecast.example.org' }), true);
  assert.equal(usesSecureCookies('https', { NEXTAUTH_URL: 'http://localhost:3000' }), false);
});
