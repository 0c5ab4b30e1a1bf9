// Admission (server/admission.ts): a few requests inside at once, the rest first come, first
// served, 503 when too many wait; against a real node:http server on a loopback port.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AdmissionGate, BUSY_MESSAGE, admissionSettings, installAdmission, passesStraightThrough } from './admission';
import { EdgeConfigError } from './env';

interface Held {
  name: string;
  release(): void;
}

/** A server whose handler holds each request until the test releases it. */
async function heldServer(admit: ((req: http.IncomingMessage, res: http.ServerResponse, run: () => void) => void) | null) {
  const entered: string[] = [];
  const held: Held[] = [];
  let inside = 0;
  let mostInside = 0;
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const name = new URL(req.url!, 'http://x').searchParams.get('n') ?? req.url!;
    entered.push(name);
    inside++;
    mostInside = Math.max(mostInside, inside);
    // Inside from entering the handler until the test releases it (or the client leaves).
    let out = false;
    const leave = () => {
      if (!out) inside--;
      out = true;
    };
    res.once('close', leave);
    held.push({ name, release: () => (leave(), res.end(`done ${name}`)) });
  };
  const server = http.createServer(admit ? (req, res) => admit(req, res, () => handler(req, res)) : handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    entered,
    held,
    mostInside: () => mostInside,
    /** Sends a GET on its own connection; resolves with status and body when answered. */
    get(path: string) {
      let request!: http.ClientRequest;
      const answer = new Promise<{ status: number; body: string; retryAfter?: string }>((resolve, reject) => {
        request = http.get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode!, body, retryAfter: res.headers['retry-after'] as string | undefined }));
        });
        request.on('error', reject);
      });
      return { answer, abort: () => request.destroy() };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function until(what: string, check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

test('two at a time, the rest in order of arrival; every request is answered', async () => {
  const gate = new AdmissionGate({ concurrent: 2, queued: 100 });
  const s = await heldServer((req, res, run) => gate.admit(req, res, run));
  try {
    const answers = [];
    for (let i = 0; i < 6; i++) {
      answers.push(s.get(`/page?n=${i}`).answer);
      await until(`request ${i} to arrive`, () => gate.state.active + gate.state.waiting === i + 1);
    }
    assert.deepEqual(gate.state, { active: 2, waiting: 4 });
    assert.deepEqual(s.entered, ['0', '1']);
    // Release in an order of our own: whoever is released, the next to enter is the oldest waiting.
    for (let k = 0; k < 6; k++) {
      s.held.shift()!.release();
      await until('the next one to enter', () => s.entered.length === Math.min(6, k + 3) && s.held.length === Math.min(2, 6 - k - 1));
    }
    assert.deepEqual(s.entered, ['0', '1', '2', '3', '4', '5']);
    assert.equal(s.mostInside(), 2);
    const got = await Promise.all(answers);
    assert.deepEqual(got.map((a) => [a.status, a.body]), [0, 1, 2, 3, 4, 5].map((i) => [200, `done ${i}`]));
    assert.deepEqual(gate.state, { active: 0, waiting: 0 });
  } finally {
    await s.close();
  }
});

test('when the queue is full the newest request is answered 503 at once, with Retry-After', async () => {
  const gate = new AdmissionGate({ concurrent: 1, queued: 2 });
  const s = await heldServer((req, res, run) => gate.admit(req, res, run));
  try {
    const kept = [0, 1, 2].map((i) => s.get(`/page?n=${i}`).answer);
    await until('three requests in', () => gate.state.active + gate.state.waiting === 3);
    const refused = await s.get('/page?n=3').answer;
    assert.equal(refused.status, 503);
    assert.equal(refused.retryAfter, '1');
    assert.equal(refused.body, BUSY_MESSAGE);
    assert.deepEqual(gate.state, { active: 1, waiting: 2 }, 'the refusal took no place');
    for (let k = 0; k < 3; k++) {
      await until('one held', () => s.held.length === 1);
      s.held.shift()!.release();
    }
    assert.deepEqual((await Promise.all(kept)).map((a) => a.status), [200, 200, 200]);
  } finally {
    await s.close();
  }
});

test('a client that leaves gives its place back, waiting or inside, and is never run', async () => {
  const gate = new AdmissionGate({ concurrent: 1, queued: 10 });
  const s = await heldServer((req, res, run) => gate.admit(req, res, run));
  try {
    const a = s.get('/page?n=a');
    a.answer.catch(() => {});
    await until('a inside', () => s.entered.length === 1);
    const b = s.get('/page?n=b');
    b.answer.catch(() => {});
    await until('b waiting', () => gate.state.waiting === 1);
    b.abort(); // leaves while waiting
    await new Promise((r) => setTimeout(r, 50));
    a.abort(); // leaves while inside: its place is given back without an answer
    const c = s.get('/page?n=c');
    await until('c inside', () => s.entered.includes('c'));
    assert.deepEqual(s.entered, ['a', 'c'], 'b was never run');
    s.held.find((h) => h.name === 'c')!.release();
    assert.equal((await c.answer).status, 200);
    await until('all places back', () => gate.state.active === 0 && gate.state.waiting === 0);
  } finally {
    await s.close();
  }
});

test('installed on node:http: static files and the health check pass a full gate, pages wait', async () => {
  const gate = installAdmission({ concurrent: 1, queued: 10 });
  assert.equal(installAdmission({ concurrent: 5, queued: 5 }), gate, 'installed once per process');
  const s = await heldServer(null);
  try {
    const page = s.get('/questions/1?n=page');
    await until('page inside', () => s.entered.length === 1);
    const health = s.get('/api/v1/health');
    const script = s.get('/_next/static/chunks/app.js');
    await until('both passed the gate', () => s.entered.length === 3);
    const second = s.get('/questions/2?n=second');
    await until('second waiting', () => gate.state.waiting === 1);
    assert.deepEqual(s.entered, ['page', '/api/v1/health', '/_next/static/chunks/app.js']);
    for (const h of [...s.held]) h.release();
    await until('second inside', () => s.entered.includes('second'));
    s.held.find((h) => h.name === 'second')!.release();
    assert.deepEqual((await Promise.all([page, health, script, second].map((r) => r.answer))).map((a) => a.status), [200, 200, 200, 200]);
  } finally {
    await s.close();
  }
});

test('settings: defaults, limits, and a message naming the variable', () => {
  assert.deepEqual(admissionSettings({}), { concurrent: 4, queued: 2000 });
  assert.deepEqual(admissionSettings({ MAX_CONCURRENT_REQUESTS: ' 16 ', MAX_QUEUED_REQUESTS: '0' }), { concurrent: 16, queued: 0 });
  for (const [name, value] of [
    ['MAX_CONCURRENT_REQUESTS', '0'],
    ['MAX_CONCURRENT_REQUESTS', '1001'],
    ['MAX_CONCURRENT_REQUESTS', 'eight'],
    ['MAX_CONCURRENT_REQUESTS', '-1'],
    ['MAX_QUEUED_REQUESTS', '100001'],
    ['MAX_QUEUED_REQUESTS', '1.5'],
  ] as const) {
    assert.throws(() => admissionSettings({ [name]: value }), (e: unknown) => e instanceof EdgeConfigError && e.message.startsWith(`${name} must be a whole number`) && e.message.includes(`got "${value}"`), `${name}=${value}`);
  }
});

test('which paths pass straight through', () => {
  for (const p of ['/_next/static/chunks/a.js', '/_next/image?url=x', '/favicon.ico', '/api/v1/health', '/api/v1/health?x=1']) assert.ok(passesStraightThrough(p), p);
  for (const p of ['/', '/questions/1', '/api/v1/me', '/api/v1/healthz', '/_next/data/x.json', '/settings?/_next/static/']) assert.ok(!passesStraightThrough(p), p);
});
