import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CENSOR, createLogger, logLevel, routeForLog } from './log';
import { REQUEST_ID_HEADER, isWellFormedRequestId, requestIdFor } from './request-id';
import { onRequest } from './request-log';

/** A logger whose lines are kept in memory, as written. */
function capture(env: Record<string, string> = {}) {
  const chunks: string[] = [];
  const logger = createLogger({ write: (s: string) => void chunks.push(s) }, env);
  return {
    logger,
    text: () => chunks.join(''),
    lines: () => chunks.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

const SECRETS = {
  password: 'correct-horse-battery-staple',
  token: 'sp_0123456789abcdef0123456789abcdef',
  cookie: 'authjs.session-token=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2In0.secret-part',
  authorization: 'Bearer sp_fedcba9876543210fedcba9876543210',
  newPassword: 'new-secret-password-42',
  csrf: 'csrf-7c1f0b1d2e3a4b5c',
};

test('secrets are censored wherever they sit in a logged object, up to three levels deep', () => {
  const { logger, text, lines } = capture();
  logger.info({ password: SECRETS.password, user: { email: 'a@example.com', password: SECRETS.password }, token: SECRETS.token }, 'one');
  logger.info({ req: { headers: { authorization: SECRETS.authorization, cookie: SECRETS.cookie, 'user-agent': 'test' } } }, 'two');
  logger.info({ form: { newPassword: SECRETS.newPassword, csrfToken: SECRETS.csrf }, apiToken: SECRETS.token }, 'three');
  const [one, two, three] = lines() as [Record<string, any>, Record<string, any>, Record<string, any>];
  assert.equal(one.password, CENSOR);
  assert.equal(one.user.password, CENSOR);
  assert.equal(one.user.email, 'a@example.com', 'what is not a secret stays');
  assert.equal(one.token, CENSOR);
  assert.equal(two.req.headers.authorization, CENSOR);
  assert.equal(two.req.headers.cookie, CENSOR);
  assert.equal(two.req.headers['user-agent'], 'test');
  assert.equal(three.form.newPassword, CENSOR);
  assert.equal(three.form.csrfToken, CENSOR);
  assert.equal(three.apiToken, CENSOR);
  for (const [name, value] of Object.entries(SECRETS)) assert.ok(!text().includes(value), `the ${name} must not be in the log`);
});

test('a log line is one JSON object with an ISO time and a named level', () => {
  const { logger, text, lines } = capture();
  logger.warn({ requestId: 'abc' }, 'hello');
  assert.equal(text().split('\n').filter(Boolean).length, 1);
  const [line] = lines() as [Record<string, unknown>];
  assert.equal(line.level, 'warn');
  assert.equal(line.msg, 'hello');
  assert.equal(line.requestId, 'abc');
  assert.match(String(line.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
});

test('LOG_LEVEL is checked, and filters', () => {
  assert.equal(logLevel({}), 'info');
  assert.equal(logLevel({ LOG_LEVEL: ' Debug ' }), 'debug');
  assert.equal(logLevel({ LOG_LEVEL: 'silent' }), 'silent');
  assert.throws(() => logLevel({ LOG_LEVEL: 'loud' }), /LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent; got "loud"/);
  const { logger, lines } = capture({ LOG_LEVEL: 'warn' });
  logger.info('dropped');
  logger.error('kept');
  assert.deepEqual(lines().map((l) => l.msg), ['kept']);
});

test('a logged route never holds a query string or an invite token', () => {
  assert.equal(routeForLog('/questions/3?tab=history'), '/questions/3');
  assert.equal(routeForLog('/api/auth/callback/credentials?code=abc&state=xyz'), '/api/auth/callback/credentials');
  assert.equal(routeForLog('/sign-in?from=%2Fquestions#top'), '/sign-in');
  assert.equal(routeForLog('/invite/Zx81-secret-token'), '/invite/[token]');
  assert.equal(routeForLog('/invite/Zx81-secret-token/more?x=1'), '/invite/[token]/more');
  assert.equal(routeForLog(undefined), '/');
  assert.equal(routeForLog('?only=query'), '/');
  assert.equal(routeForLog(`/${'a'.repeat(600)}`).length, 513, 'a very long path is cut (512 characters and an ellipsis)');
});

test('a request id comes from a proxy only when proxies are trusted and it is well formed', () => {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  assert.match(requestIdFor(undefined, false), uuid);
  assert.match(requestIdFor(undefined, true), uuid);
  assert.match(requestIdFor('from-the-client-1', false), uuid, 'no proxy trusted: the client’s value is not taken');
  assert.equal(requestIdFor('lb-7f3a9c21', true), 'lb-7f3a9c21');
  assert.equal(requestIdFor(['lb-7f3a9c21', 'other-0000'], true), 'lb-7f3a9c21');
  for (const bad of ['short', 'has space 123', 'line\nbreak-1234', '"quoted"-1234', '-leading-dash', 'x'.repeat(101), '']) {
    assert.equal(isWellFormedRequestId(bad), false, JSON.stringify(bad));
    assert.match(requestIdFor(bad, true), uuid);
  }
  assert.notEqual(requestIdFor(undefined, false), requestIdFor(undefined, false));
});

test('a real server logs one line per request: id, method, route, status and duration, and no secret', async () => {
  const { logger, text, lines } = capture();
  const seenByApp: (string | undefined)[] = [];
  const server = http.createServer((req, res) => {
    onRequest(req, res, logger, false);
    seenByApp.push(req.headers[REQUEST_ID_HEADER] as string | undefined);
    res.statusCode = req.url?.startsWith('/missing') ? 404 : 200;
    res.end('ok');
  });
  await new Promise<void>((resolve, reject) => server.listen(0, '127.0.0.1', resolve).once('error', reject));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const a = await fetch(`${base}/missing/page?token=${SECRETS.token}`, {
      headers: { authorization: SECRETS.authorization, cookie: SECRETS.cookie, [REQUEST_ID_HEADER]: 'client-chosen-id' },
    });
    await a.text();
    const b = await fetch(`${base}/questions`, { method: 'POST', body: `password=${SECRETS.password}` });
    await b.text();
    // The line is written when the answer is complete; wait for both.
    for (let i = 0; i < 100 && lines().length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    const [first, second] = lines() as [Record<string, unknown>, Record<string, unknown>];
    assert.equal(lines().length, 2);
    assert.equal(first.msg, 'request');
    assert.equal(first.method, 'GET');
    assert.equal(first.route, '/missing/page');
    assert.equal(first.status, 404);
    assert.equal(typeof first.durationMs, 'number');
    assert.ok((first.durationMs as number) >= 0);
    assert.notEqual(first.requestId, 'client-chosen-id', 'a client cannot choose its id without a trusted proxy');
    assert.equal(a.headers.get(REQUEST_ID_HEADER), first.requestId, 'the answer carries the logged id');
    assert.equal(seenByApp[0], first.requestId, 'the app sees the same id in the request');
    assert.equal(second.method, 'POST');
    assert.equal(second.status, 200);
    assert.equal(b.headers.get(REQUEST_ID_HEADER), second.requestId);
    assert.notEqual(first.requestId, second.requestId);
    assert.deepEqual(Object.keys(first).sort(), ['durationMs', 'level', 'method', 'msg', 'pid', 'requestId', 'route', 'status', 'time']);
    for (const [name, value] of Object.entries(SECRETS)) assert.ok(!text().includes(value), `the ${name} must not be in the log`);
  } finally {
    await new Promise((r) => server.close(r));
  }
});
