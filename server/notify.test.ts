// Notifications end to end below the web layer, on the engine under test: the triggers write
// items and outbox rows with their causes, and the sender delivers them to a real SMTP server
// (smtp-server, in this process, on a loopback port; mailparser reads what arrived) and to a
// real HTTP receiver standing in for the team webhook.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { logIndicatorEvent, retractIndicatorEvent } from '@/db/queries/events';
import { seedDemo } from '@/db/seed';
import { FOUNDING_FORECASTS, PRACTICE_FORECASTS } from '@/db/seed-data';
import { saveForecast } from '@/db/queries/forecasts';
import { acceptInvite, createInvite, revokeInvite } from '@/db/queries/invites';
import {
  countMyUnread,
  getTeamWebhook,
  listDeliveryProblems,
  listMyNotifications,
  markAllNotificationsRead,
  markNotificationRead,
  setMyEmailChoice,
  setTeamWebhook,
  unsubscribeMember,
} from '@/db/queries/notify';
import { createQuestion, getQuestionForUser, publishQuestion } from '@/db/queries/questions';
import { resolveQuestion } from '@/db/queries/resolution';
import { changeMemberRole, setMemberActive } from '@/db/queries/users';
import { deliveries, notifications, questions, senderLeases } from '@/db/schema';
import { DAY, T0, addUser, freshDb, freshDbPair, questionInput } from '@/db/test-helpers';
import type { Db } from '@/db/types';
import { AppError } from '@/lib/errors';
import { eventInputSchema } from '@/lib/validation/indicator';
import { questionInputSchema } from '@/lib/validation/question';
import { digestPeriodStart } from './notify/compose';
import { NotifyConfigError, readMailConfig } from './notify/config';
import { MAX_ATTEMPTS, closeTransports, retryInMs, runSender as runSenderOnce, SCAN_INTERVAL_MS, type SenderOptions } from './notify/sender';
import { signUnsubscribe, verifyUnsubscribe } from './notify/token';
import { checkWebhookUrl, isPrivateAddress } from './notify/webhook-url';

const SECRET = 'notify-test-secret-0123456789';
const SITE = 'http://signpost.test';
const ENV = { AUTH_SECRET: SECRET, APP_URL: SITE, WEBHOOK_ALLOW_PRIVATE: '1' };
const HOUR = 3_600_000;
// A Wednesday, 12:00 UTC, five days after the test questions open.
const NOON = T0 + 6 * DAY + 12 * HOUR;

after(() => closeTransports());

/** One sender run; the reminder scan on every run (in production at most every 15 minutes). */
const runSender = (db: Db, options: SenderOptions) => runSenderOnce(db, { scanIntervalMs: 0, ...options });

interface Smtp {
  port: number;
  received: ParsedMail[];
  close(): Promise<void>;
}

async function startSmtp(port = 0): Promise<Smtp> {
  const received: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          received.push(mail);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.server.address() as AddressInfo).port,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A port nothing listens on (taken, then given back). */
async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** A header as it was sent (mailparser folds List-* headers into one object). */
const rawHeader = (mail: ParsedMail, name: string) =>
  mail.headerLines.find((h) => h.key === name.toLowerCase())?.line.replace(/^[^:]+:\s*/, '').replace(/\r?\n\s+/g, ' ') ?? '';

const mailTo = (port: number) => ({ smtpUrl: `smtp://127.0.0.1:${port}`, from: 'Signpost <signpost@test.example>' });

async function setup() {
  const db = await freshDb();
  const lead = await addUser(db, 'Lead', 'lead');
  const ana = await addUser(db, 'Ana', 'forecaster');
  const ben = await addUser(db, 'Ben', 'forecaster');
  const cat = await addUser(db, 'Cat', 'forecaster');
  const viewer = await addUser(db, 'Viewer', 'viewer');
  const qid = await createQuestion(db, lead, questionInputSchema.parse(questionInput({ title: 'Will the dam hold?', indicators: [{ name: 'Cracks seen', description: '' }, { name: 'Water rising', description: '' }] })), T0 - DAY);
  await publishQuestion(db, lead, qid, T0 - DAY);
  const q = await getQuestionForUser(db, lead, qid, T0);
  const scen = q.scenarios.map((s) => s.id);
  const vals = (xs: number[]) => new Map(scen.map((id, i) => [id, xs[i]]));
  await saveForecast(db, ana, qid, { values: vals([37, 41, 22]), rationale: 'SECRET-ANA rationale' }, T0 + DAY);
  await saveForecast(db, ben, qid, { values: vals([13, 29, 58]), rationale: 'SECRET-BEN rationale' }, T0 + DAY);
  await saveForecast(db, lead, qid, { values: vals([61, 17, 22]), rationale: 'SECRET-LEAD rationale' }, T0 + DAY);
  const event = (indicator: number, at: number) =>
    logIndicatorEvent(db, lead, qid, eventInputSchema.parse({ indicatorId: String(q.indicators[indicator]!.id), occurredAt: new Date(at - HOUR).toISOString(), note: 'SECRET-NOTE' }), at);
  return { db, lead, ana, ben, cat, viewer, qid, scen, event };
}

test('an event gives each forecaster of the question (not its logger, not others) one item linking to its update panel, in the same transaction', async () => {
  const { db, lead, ana, ben, cat, viewer, qid, event } = await setup();
  const eventId = await event(0, NOON);
  for (const who of [ana, ben]) {
    const items = await listMyNotifications(db, who);
    assert.equal(items.length, 1);
    assert.equal(items[0]!.kind, 'event');
    assert.equal(items[0]!.link, `/questions/${qid}/update/${eventId}`);
    assert.equal(items[0]!.text, 'New evidence on “Will the dam hold?”: “Cracks seen” was observed.');
    assert.equal(await countMyUnread(db, who), 1);
  }
  for (const who of [lead, cat, viewer]) assert.equal((await listMyNotifications(db, who)).length, 0, `${who.name} did not forecast or logged it`);
  // Marking read: one, then all.
  const [item] = await listMyNotifications(db, ana);
  await markNotificationRead(db, ana, item!.id, NOON);
  assert.equal(await countMyUnread(db, ana), 0);
  await assert.rejects(markNotificationRead(db, ben, 999_999), (e) => e instanceof AppError && e.code === 'not_found');
  await assert.rejects(markNotificationRead(db, cat, item!.id), (e) => e instanceof AppError && e.code === 'not_found', 'not someone else’s');
  await event(1, NOON + HOUR);
  assert.equal(await countMyUnread(db, ben), 2);
  assert.equal(await markAllNotificationsRead(db, ben, NOON + 2 * HOUR), 2);
  assert.equal(await countMyUnread(db, ben), 0);
  // A refused event writes nothing: no item without its cause.
  const before = (await db.select().from(notifications)).length;
  await assert.rejects(event(0, T0 - 10 * DAY));
  assert.equal((await db.select().from(notifications)).length, before);
});

test('the daily digest reaches a forecaster over SMTP with the event and the link to its update panel, plain text and HTML, with an unsubscribe link', async () => {
  const smtp = await startSmtp();
  try {
    const { db, ana, qid, event } = await setup();
    const eventId = await event(0, NOON);
    const opts = { env: ENV, mail: mailTo(smtp.port) };
    // Ana's choice is the default, the daily digest: nothing goes out before the next 07:00 UTC.
    const first = await runSender(db, { ...opts, now: NOON + HOUR });
    assert.equal(first.leased, true);
    assert.equal(smtp.received.filter((m) => m.to && JSON.stringify(m.to).includes(ana.email)).length, 0);
    assert.ok(first.waiting >= 1);
    const sevenAm = digestPeriodStart('daily', NOON) + DAY;
    assert.equal(new Date(sevenAm).toISOString(), new Date(Date.UTC(2026, 0, 8, 7)).toISOString());
    await runSender(db, { ...opts, now: sevenAm + 5 * 60_000 });
    const toAna = smtp.received.filter((m) => JSON.stringify(m.to).includes(ana.email));
    assert.equal(toAna.length, 1);
    const mail = toAna[0]!;
    const link = `${SITE}/questions/${qid}/update/${eventId}`;
    assert.match(mail.subject ?? '', /daily digest/);
    assert.ok(mail.text?.includes('New evidence on “Will the dam hold?”: “Cracks seen” was observed.'), mail.text);
    assert.ok(mail.text?.includes(link), 'plain text holds the update panel link');
    assert.ok(typeof mail.html === 'string' && mail.html.includes(`href="${link}"`), 'HTML holds the link');
    const unsubscribe = rawHeader(mail, 'List-Unsubscribe');
    // RFC 8058: the header names the one-click URL (a POST there unsubscribes), and says so.
    const m = /^<http:\/\/signpost\.test\/unsubscribe\/one-click\?token=([^>]+)>$/.exec(unsubscribe);
    assert.ok(m, `List-Unsubscribe: ${unsubscribe}`);
    assert.equal(rawHeader(mail, 'List-Unsubscribe-Post'), 'List-Unsubscribe=One-Click');
    assert.ok(mail.text?.includes(`${SITE}/unsubscribe?token=${m[1]}`), 'the body links the unsubscribe page (it asks first), with the same token');
    // Sent once: another run sends nothing more.
    const again = await runSender(db, { ...opts, now: sevenAm + DAY + HOUR });
    assert.equal(again.sent, 0);
    assert.equal(smtp.received.filter((x) => JSON.stringify(x.to).includes(ana.email)).length, 1);
  } finally {
    await smtp.close();
  }
});

test('with the SMTP server down the mail is retried with backoff and delivered exactly once after it comes back', async () => {
  const port = await freePort();
  const { db, ana, event } = await setup();
  await setMyEmailChoice(db, ana, 'immediate', NOON - HOUR);
  await event(0, NOON);
  const opts = { env: ENV, mail: mailTo(port) };
  const down = await runSender(db, { ...opts, now: NOON });
  assert.equal(down.failed >= 1, true);
  const [row] = await db.select().from(deliveries).where(eq(deliveries.userId, ana.id));
  assert.equal(row!.status, 'pending');
  assert.equal(row!.attempts, 1);
  assert.match(row!.lastError ?? '', /ECONNREFUSED|connect/i);
  assert.equal(row!.nextAttemptAt, NOON + retryInMs(1));
  // Not due before the backoff has passed.
  const early = await runSender(db, { ...opts, now: NOON + retryInMs(1) - 1 });
  assert.equal(early.failed + early.sent, 0);
  const smtp = await startSmtp(port);
  try {
    const back = await runSender(db, { ...opts, now: NOON + retryInMs(1) });
    assert.ok(back.sent >= 1);
    for (const later of [2, 3, 60]) await runSender(db, { ...opts, now: NOON + later * HOUR });
    assert.equal(smtp.received.filter((m) => JSON.stringify(m.to).includes(ana.email)).length, 1, 'exactly once');
    const [sent] = await db.select().from(deliveries).where(eq(deliveries.userId, ana.id));
    assert.equal(sent!.status, 'sent');
    assert.equal(sent!.lastError, null);
  } finally {
    await smtp.close();
  }
});

test('a delivery that keeps failing is given up after the bounded number of tries, and the lead sees the last error', async () => {
  const port = await freePort();
  const { db, lead, ben, event } = await setup();
  await setMyEmailChoice(db, ben, 'immediate', NOON - HOUR);
  await event(0, NOON);
  let now = NOON;
  for (let k = 1; k <= MAX_ATTEMPTS; k++) {
    await runSender(db, { env: ENV, mail: mailTo(port), now });
    now += retryInMs(k);
  }
  const [row] = await db.select().from(deliveries).where(eq(deliveries.userId, ben.id));
  assert.equal(row!.status, 'failed');
  assert.equal(row!.attempts, MAX_ATTEMPTS);
  const problems = await listDeliveryProblems(db, lead);
  const mine = problems.find((p) => p.id === row!.id);
  assert.ok(mine && mine.status === 'failed' && mine.recipient === 'Ben' && /ECONNREFUSED|connect/i.test(mine.lastError), JSON.stringify(problems));
  await assert.rejects(listDeliveryProblems(db, ben), (e) => e instanceof AppError && e.code === 'forbidden');
  // Given up: later runs do not try again.
  await runSender(db, { env: ENV, mail: mailTo(port), now: now + DAY });
  const [still] = await db.select().from(deliveries).where(eq(deliveries.userId, ben.id));
  assert.equal(still!.attempts, MAX_ATTEMPTS);
});

test('the unsubscribe link works without signing in and stops further mail; forged and expired tokens are refused', async () => {
  const smtp = await startSmtp();
  try {
    const { db, ana, event } = await setup();
    await setMyEmailChoice(db, ana, 'immediate', NOON - HOUR);
    await event(0, NOON);
    await runSender(db, { env: ENV, mail: mailTo(smtp.port), now: NOON });
    const mail = smtp.received.find((m) => JSON.stringify(m.to).includes(ana.email))!;
    const token = new URL(/<([^>]+)>/.exec(rawHeader(mail, 'List-Unsubscribe'))![1]!).searchParams.get('token')!;
    const checked = verifyUnsubscribe(token, NOON + DAY, SECRET);
    assert.deepEqual(checked, { ok: true, userId: ana.id });
    assert.equal(await unsubscribeMember(db, checked.ok ? checked.userId : 0, NOON + DAY), true);
    await event(1, NOON + DAY);
    const later = await runSender(db, { env: ENV, mail: mailTo(smtp.port), now: NOON + 3 * DAY });
    assert.equal(smtp.received.filter((m) => JSON.stringify(m.to).includes(ana.email)).length, 1, 'no mail after unsubscribing');
    assert.ok(later.sent >= 1, 'others still get theirs');
    assert.deepEqual((await db.select().from(deliveries).where(eq(deliveries.userId, ana.id))).map((d) => d.status), ['sent'], 'nothing more queued for Ana');
    // The bell still works.
    assert.equal(await countMyUnread(db, ana), 2);
    // Forged: another member's id with Ana's signature, a changed signature, another secret.
    const [id, exp, sig] = token.split('.');
    assert.deepEqual(verifyUnsubscribe(`${Number(id) + 1}.${exp}.${sig}`, NOON, SECRET), { ok: false, reason: 'forged' });
    assert.deepEqual(verifyUnsubscribe(`${id}.${exp}.${sig!.slice(0, -1)}${sig!.endsWith('A') ? 'B' : 'A'}`, NOON, SECRET), { ok: false, reason: 'forged' });
    assert.deepEqual(verifyUnsubscribe(token, NOON, 'another-secret'), { ok: false, reason: 'forged' });
    assert.deepEqual(verifyUnsubscribe(signUnsubscribe(ana.id, NOON, SECRET, DAY), NOON + DAY, SECRET), { ok: false, reason: 'expired' });
    for (const bad of ['', 'x', '1.2', '0.1.abc', `${id}.${exp}`, `${id}.${exp}.${sig}.extra`, null, undefined]) {
      assert.equal(verifyUnsubscribe(bad, NOON, SECRET).ok, false, String(bad));
    }
  } finally {
    await smtp.close();
  }
});

test('the team webhook gets one Slack-compatible post per event and resolution, retried on a 500', async () => {
  const posts: { text: string }[] = [];
  let failNext = 1;
  const receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (failNext > 0) {
        failNext--;
        res.writeHead(500).end('try later');
        return;
      }
      posts.push(JSON.parse(body) as { text: string });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  try {
    const { db, lead, ana, qid, scen, event } = await setup();
    const url = await checkWebhookUrl(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook/SECRETPART`, { env: ENV });
    await setTeamWebhook(db, lead, url, NOON - HOUR);
    const view = await getTeamWebhook(db, lead);
    assert.ok(view && !view.masked.includes('SECRETPART') && view.masked.endsWith('PART'), view?.masked);
    await assert.rejects(getTeamWebhook(db, ana), (e) => e instanceof AppError && e.code === 'forbidden');
    await event(0, NOON);
    await event(1, NOON + 60_000);
    const opts = { env: ENV, mail: null };
    const first = await runSender(db, { ...opts, now: NOON + 2 * 60_000 });
    assert.equal(first.failed, 1, 'the first post got a 500');
    assert.equal(first.sent, 1);
    await runSender(db, { ...opts, now: NOON + 2 * 60_000 + retryInMs(1) });
    await runSender(db, { ...opts, now: NOON + HOUR });
    assert.equal(posts.length, 2, 'one post per event, the failed one retried once');
    assert.deepEqual(posts.map((p) => Object.keys(p)), [['text'], ['text']]);
    assert.ok(posts.some((p) => p.text.includes('“Cracks seen” was observed') && p.text.includes(`${SITE}/questions/${qid}`)));
    assert.ok(posts.some((p) => p.text.includes('“Water rising” was observed')));
    await resolveQuestion(db, lead, qid, { scenarioId: scen[1]!, resolvedAt: NOON + DAY, note: 'It held.' }, NOON + DAY);
    await runSender(db, { ...opts, now: NOON + DAY });
    assert.equal(posts.length, 3);
    assert.equal(posts[2]!.text, `“Will the dam hold?” resolved as “B”. ${SITE}/questions/${qid}`);
    for (const p of posts) assert.ok(!/SECRET|%|37|41|13|61/.test(p.text), p.text);
  } finally {
    await new Promise<void>((r) => receiver.close(() => r()));
  }
});

test('two senders at once send each delivery exactly once (one holds the lease)', async () => {
  const smtp = await startSmtp();
  try {
    const [a, b] = await freshDbPair();
    const lead = await addUser(a, 'Lead', 'lead');
    const people = [];
    for (let k = 0; k < 8; k++) people.push(await addUser(a, `F${k}`, 'forecaster'));
    const qid = await createQuestion(a, lead, questionInputSchema.parse(questionInput()), T0 - DAY);
    await publishQuestion(a, lead, qid, T0 - DAY);
    const q = await getQuestionForUser(a, lead, qid, T0);
    for (const p of people) {
      await setMyEmailChoice(a, p, 'immediate', T0);
      await saveForecast(a, p, qid, { values: new Map(q.scenarios.map((s, i) => [s.id, [50, 30, 20][i]])), rationale: '' }, T0 + DAY);
    }
    for (let k = 0; k < 3; k++) {
      const ind = k === 0 ? q.indicators[0]!.id : q.indicators[0]!.id;
      if (k > 0) break;
      await logIndicatorEvent(a, lead, qid, eventInputSchema.parse({ indicatorId: String(ind), occurredAt: new Date(NOON - HOUR).toISOString() }), NOON);
    }
    await changeMemberRole(a, lead, people[0]!.id, 'lead', NOON);
    const expected = (await a.select().from(deliveries)).filter((d) => d.status === 'pending').length;
    assert.equal(expected, 9, '8 event mails and one role change');
    const opts = { env: ENV, mail: mailTo(smtp.port), now: NOON + HOUR };
    const runs = await Promise.all([runSender(a, { ...opts, holder: 'instance-a' }), runSender(b, { ...opts, holder: 'instance-b' }), runSender(b, { ...opts, holder: 'instance-c' })]);
    const more = await Promise.all([runSender(a, { ...opts, holder: 'instance-a' }), runSender(b, { ...opts, holder: 'instance-b' })]);
    assert.equal([...runs, ...more].reduce((n, r) => n + r.sent, 0), expected);
    assert.equal(smtp.received.length, expected, 'each delivery sent exactly once');
    const ids = smtp.received.map((m) => m.messageId);
    assert.equal(new Set(ids).size, ids.length);
    assert.ok((await b.select().from(deliveries)).every((d) => d.status === 'sent'));
  } finally {
    await smtp.close();
  }
});

test('rules: deactivated members and non-leads on drafts get nothing (at creation and at send time); no text reveals forecasts, aggregates or rationales', async () => {
  const smtp = await startSmtp();
  try {
    const { db, lead, ana, ben, cat, qid, scen, event } = await setup();
    for (const who of [ana, ben, cat]) await setMyEmailChoice(db, who, 'immediate', T0);
    // Ben is deactivated before the event: no item, no mail.
    await setMemberActive(db, lead, ben.id, false, NOON - HOUR);
    await event(0, NOON);
    assert.equal((await db.select().from(notifications).where(eq(notifications.userId, ben.id))).length, 0);
    // Ana is deactivated after the event, before the sender runs: her queued mail is skipped.
    await setMemberActive(db, lead, ana.id, false, NOON + 1);
    const run = await runSender(db, { env: ENV, mail: mailTo(smtp.port), now: NOON + 2 });
    assert.ok(run.skipped >= 1);
    assert.equal(smtp.received.filter((m) => JSON.stringify(m.to).includes(ana.email)).length, 0);
    const [anaDelivery] = await db.select().from(deliveries).where(eq(deliveries.userId, ana.id));
    assert.equal(anaDelivery!.status, 'skipped');
    // A draft that closes within 3 days: nobody is reminded of it.
    const draft = await createQuestion(db, lead, questionInputSchema.parse(questionInput({ title: 'Secret draft', closesAt: new Date(NOON + DAY).toISOString() })), T0);
    await runSender(db, { env: ENV, mail: mailTo(smtp.port), now: NOON + 3 });
    assert.equal((await db.select().from(notifications).where(eq(notifications.questionId, draft))).length, 0);
    // A question made a draft again after its item was queued (by hand here): the mail to a
    // forecaster is skipped and the item leaves their bell; a lead still sees theirs.
    await setMemberActive(db, lead, ana.id, true, NOON + 4);
    const q2 = await createQuestion(db, lead, questionInputSchema.parse(questionInput({ title: 'Soon closing', closesAt: new Date(NOON + 2 * DAY).toISOString() })), T0);
    await publishQuestion(db, lead, q2, T0);
    const scan = await runSender(db, { env: ENV, mail: null, now: NOON + 5 });
    assert.ok(scan.reminders >= 3, 'closing reminders for lead, ana and cat');
    await db.write((tx) => tx.update(questions).set({ status: 'draft' }).where(eq(questions.id, q2)));
    await db.write((tx) => tx.update(deliveries).set({ status: 'pending' }).where(eq(deliveries.questionId, q2)));
    const sent = await runSender(db, { env: ENV, mail: mailTo(smtp.port), now: NOON + 6 });
    assert.equal(smtp.received.filter((m) => m.subject?.includes('Soon closing') && JSON.stringify(m.to).includes(cat.email)).length, 0);
    assert.ok(sent.skipped >= 2);
    assert.equal((await listMyNotifications(db, cat)).filter((n) => n.text.includes('Soon closing')).length, 0);
    assert.equal((await listMyNotifications(db, lead)).filter((n) => n.text.includes('Soon closing')).length, 1);
    // Resolution and role change add their items; then no text anywhere reveals a number or words of a forecast.
    await resolveQuestion(db, lead, qid, { scenarioId: scen[0]!, resolvedAt: NOON + DAY, note: 'SECRET-RESOLUTION-NOTE' }, NOON + DAY);
    await changeMemberRole(db, lead, cat.id, 'viewer', NOON + DAY);
    const texts = [
      ...(await db.select().from(notifications)).map((n) => n.text),
      ...(await db.select().from(deliveries)).flatMap((d) => [d.subject, d.body]),
      ...smtp.received.flatMap((m) => [m.subject ?? '', m.text ?? '', String(m.html)]),
    ];
    assert.ok(texts.some((t) => t.includes('resolved as “A”')));
    assert.ok(texts.some((t) => t.includes('Your role in the team is now viewer.')));
    for (const t of texts) {
      assert.ok(!/SECRET|%|\b(37|41|22|13|29|58|61|17)\b|0\.\d/.test(t.replace(/\d{4}-\d\d-\d\d \d\d:\d\d/g, '')), `reveals nothing: ${t}`);
    }
  } finally {
    await smtp.close();
  }
});

test('an event retracted before its email went out is not mailed; the demo seed adds a few notifications that reveal nothing', async () => {
  const smtp = await startSmtp();
  try {
    const { db, lead, ana, ben, event } = await setup();
    await setMyEmailChoice(db, ana, 'immediate', T0);
    const eventId = await event(0, NOON);
    await retractIndicatorEvent(db, lead, eventId, 'Logged in error.', NOON + 1);
    const run = await runSender(db, { env: ENV, mail: mailTo(smtp.port), now: NOON + 2, force: true });
    assert.equal(run.sent, 0);
    assert.equal(run.skipped, 2, 'Ana’s and Ben’s');
    assert.equal(smtp.received.length, 0);
    void ben;
  } finally {
    await smtp.close();
  }
  const db = await freshDb();
  const seeded = await seedDemo(db, Date.UTC(2026, 5, 1, 12));
  const rows = await db.select().from(notifications);
  assert.ok(rows.length >= 5, `seeded ${rows.length}`);
  const ana = { id: seeded.userIds['ana@example.com']!, name: 'Ana', email: 'ana@example.com', role: 'forecaster' as const };
  assert.ok((await countMyUnread(db, ana)) >= 1);
  const texts = rows.map((r) => r.text);
  assert.ok(texts.some((t) => t.startsWith('New evidence on')));
  assert.ok(texts.some((t) => t.includes('resolved as')));
  const rationales = [...FOUNDING_FORECASTS, ...PRACTICE_FORECASTS].map((f) => f.rationale).filter((r) => r.length > 0);
  for (const t of texts) {
    assert.ok(!/%|\d\.\d/.test(t), t);
    assert.ok(!rationales.some((r) => t.includes(r)), t);
  }
});

test('stale and closing-soon reminders: added by the scan, once, to members who may forecast', async () => {
  const { db, lead, ana, ben, cat, viewer, qid } = await setup();
  const now = T0 + 20 * DAY; // forecasts are from T0 + 1 day; the stale limit is 14 days
  const first = await runSender(db, { env: ENV, mail: null, now });
  assert.equal(first.reminders, 3, 'lead, Ana and Ben forecast 19 days ago');
  assert.equal((await runSender(db, { env: ENV, mail: null, now: now + HOUR })).reminders, 0, 'a repeated scan adds nothing');
  const stale = (await listMyNotifications(db, ana)).filter((n) => n.kind === 'stale');
  assert.equal(stale.length, 1);
  assert.equal(stale[0]!.text, 'Your forecast on “Will the dam hold?” is more than 14 days old: is it still your view?');
  assert.equal(stale[0]!.link, `/questions/${qid}`);
  // A new forecast that goes stale again is a new item.
  const q = await getQuestionForUser(db, ana, qid, now);
  await saveForecast(db, ana, qid, { values: new Map(q.scenarios.map((s, i) => [s.id, [40, 40, 20][i]])), rationale: '' }, now + HOUR);
  assert.equal((await runSender(db, { env: ENV, mail: null, now: now + 16 * DAY })).reminders, 1);
  // Closing within 3 days: Cat (a forecaster who has not forecast) is told; the viewer is not.
  const closing = T0 + 100 * DAY - 2 * DAY;
  await runSender(db, { env: ENV, mail: null, now: closing });
  assert.equal((await listMyNotifications(db, cat)).filter((n) => n.kind === 'closing').length, 1);
  assert.equal((await listMyNotifications(db, viewer)).length, 0);
  assert.equal((await listMyNotifications(db, lead)).filter((n) => n.kind === 'closing').length, 0, 'the lead has forecast');
  await runSender(db, { env: ENV, mail: null, now: closing + HOUR });
  assert.equal((await listMyNotifications(db, cat)).filter((n) => n.kind === 'closing').length, 1, 'once');
  void ben;
});

test('the reminder scan runs at most every 15 minutes across instances; --now scans, and sends a delivery waiting for its next try', async () => {
  const { db, ana, event } = await setup();
  const now = T0 + 20 * DAY;
  assert.equal((await runSenderOnce(db, { env: ENV, mail: null, now, holder: 'a' })).reminders, 3);
  const forget = () => db.write(async (tx) => (await tx.delete(deliveries), await tx.delete(notifications)));
  await forget(); // so a scan would add them again
  assert.equal((await runSenderOnce(db, { env: ENV, mail: null, now: now + 14 * 60_000, holder: 'b' })).reminders, 0, 'not its turn yet');
  assert.equal((await runSenderOnce(db, { env: ENV, mail: null, now: now + 15 * 60_000, holder: 'a' })).reminders, 3, 'its turn again');
  await forget();
  assert.equal((await runSenderOnce(db, { env: ENV, mail: null, now: now + 16 * 60_000, holder: 'b', force: true })).reminders, 3, '--now scans');
  // --now also sends what waits for its next try.
  const port = await freePort();
  await setMyEmailChoice(db, ana, 'immediate', now);
  await event(0, now + HOUR);
  await runSender(db, { env: ENV, mail: mailTo(port), now: now + HOUR });
  const smtp = await startSmtp(port);
  try {
    const forced = await runSender(db, { env: ENV, mail: mailTo(port), now: now + HOUR + 1, force: true });
    assert.ok(forced.sent >= 1);
    assert.equal(smtp.received.filter((m) => JSON.stringify(m.to).includes(ana.email)).length, 1);
  } finally {
    await smtp.close();
  }
});

test('digest timing: daily at 07:00 UTC, weekly on Mondays; --now sends every pending item at once, digests included; an invite mails its link', async () => {
  const smtp = await startSmtp();
  try {
    const { db, lead, ana, ben, event } = await setup();
    await setMyEmailChoice(db, ben, 'weekly', T0);
    assert.equal(new Date(digestPeriodStart('weekly', NOON)).toISOString(), '2026-01-05T07:00:00.000Z');
    assert.equal(new Date(digestPeriodStart('daily', Date.UTC(2026, 0, 8, 6, 59))).toISOString(), '2026-01-07T07:00:00.000Z');
    await event(0, NOON);
    await event(1, NOON + HOUR);
    const invite = await createInvite(db, lead, { role: 'forecaster', email: 'new.member@test.example', expiresInDays: 7 }, NOON);
    const waiting = await runSender(db, { env: ENV, mail: mailTo(smtp.port), now: NOON + 2 * HOUR });
    assert.equal(waiting.waiting, 4, 'two items each for Ana (daily) and Ben (weekly)');
    const inviteMail = smtp.received.find((m) => JSON.stringify(m.to).includes('new.member@test.example'));
    assert.ok(inviteMail?.text?.includes(`${SITE}/invite/${invite.token}`), 'the invite link is mailed at once');
    assert.equal(rawHeader(inviteMail!, 'List-Unsubscribe'), '', 'an invitee has no account to unsubscribe');
    const [inviteRow] = await db.select().from(deliveries).where(eq(deliveries.address, 'new.member@test.example'));
    assert.equal(inviteRow!.link, null, 'the token is not kept once sent');
    const forced = await runSender(db, { env: ENV, mail: mailTo(smtp.port), now: NOON + 3 * HOUR, force: true });
    assert.equal(forced.sent, 4);
    for (const who of [ana, ben]) {
      const got = smtp.received.filter((m) => JSON.stringify(m.to).includes(who.email));
      assert.equal(got.length, 1, `${who.name}: one digest`);
      assert.match(got[0]!.subject ?? '', who === ana ? /daily digest: 2 updates/ : /weekly digest: 2 updates/);
    }
  } finally {
    await smtp.close();
  }
});

test('bad settings and input: an invalid SMTP_URL or MAIL_FROM is a clear error; a webhook that is not https or points to a private address is refused', async () => {
  const base = { AUTH_SECRET: SECRET, MAIL_FROM: 'signpost@example.org' };
  assert.equal(readMailConfig({ ...base }), null, 'email off without SMTP_URL');
  assert.deepEqual(readMailConfig({ ...base, SMTP_URL: 'smtp://u:p@mail.example.org:587' }), { smtpUrl: 'smtp://u:p@mail.example.org:587', from: 'signpost@example.org' });
  const cases: [Record<string, string>, RegExp][] = [
    [{ SMTP_URL: 'not a url' }, /SMTP_URL is not a URL/],
    [{ SMTP_URL: 'http://mail.example.org' }, /must start with smtp:\/\/ or smtps:\/\//],
    [{ SMTP_URL: 'smtp://mail.example.org', MAIL_FROM: '' }, /MAIL_FROM is not/],
    [{ SMTP_URL: 'smtp://mail.example.org', MAIL_FROM: 'nobody' }, /MAIL_FROM is not an email address/],
    [{ SMTP_URL: 'smtp://mail.example.org', AUTH_SECRET: '' }, /AUTH_SECRET/],
  ];
  for (const [env, message] of cases) assert.throws(() => readMailConfig({ ...base, ...env }), (e) => e instanceof NotifyConfigError && message.test(e.message), JSON.stringify(env));
  const prod = { NODE_ENV: 'production' };
  const publicLookup = async () => ['93.184.216.34'];
  const refused = (message: RegExp) => (e: unknown) => e instanceof AppError && e.code === 'invalid' && message.test(e.message);
  assert.equal(await checkWebhookUrl('https://hooks.example.org/services/T/B/X', { env: prod, lookup: publicLookup }), 'https://hooks.example.org/services/T/B/X');
  await assert.rejects(checkWebhookUrl('http://hooks.example.org/x', { env: prod, lookup: publicLookup }), refused(/must start with https:\/\//));
  await assert.rejects(checkWebhookUrl('ftp://hooks.example.org/x', { env: {}, lookup: publicLookup }), refused(/must start with https:\/\//));
  await assert.rejects(checkWebhookUrl('nonsense', { env: prod }), refused(/not a URL/));
  await assert.rejects(checkWebhookUrl('', { env: prod }), refused(/Enter the webhook URL/));
  for (const host of ['127.0.0.1', '10.1.2.3', '192.168.0.10', '172.20.0.1', '169.254.169.254', '[::1]', '[fd00::1]', '[::ffff:127.0.0.1]', '0.0.0.0']) {
    await assert.rejects(checkWebhookUrl(`https://${host}/hook`, { env: prod }), refused(/private or loopback/), host);
  }
  await assert.rejects(checkWebhookUrl('https://localhost/hook', { env: prod }), refused(/this machine or a private network/));
  await assert.rejects(checkWebhookUrl('https://sneaky.example.org/hook', { env: prod, lookup: async () => ['93.184.216.34', '10.0.0.5'] }), refused(/resolves to a private or loopback address/));
  await assert.rejects(checkWebhookUrl('https://nowhere.example.org/hook', { env: prod, lookup: async () => { throw new Error('ENOTFOUND'); } }), refused(/could not be found/));
  assert.equal(await checkWebhookUrl('http://127.0.0.1:9/hook', { env: { WEBHOOK_ALLOW_PRIVATE: '1' } }), 'http://127.0.0.1:9/hook', 'allowed by the explicit setting');
  assert.equal(isPrivateAddress('8.8.8.8'), false);
  assert.equal(isPrivateAddress('2001:4860:4860::8888'), false);
  // A webhook that later resolves to a private address is not posted to.
  const db = await freshDb();
  const lead = await addUser(db, 'Lead', 'lead');
  await setTeamWebhook(db, lead, 'https://rebound.example.org/hook', T0);
  const qid = await createQuestion(db, lead, questionInputSchema.parse(questionInput()), T0 - DAY);
  await publishQuestion(db, lead, qid, T0 - DAY);
  const q = await getQuestionForUser(db, lead, qid, T0);
  await logIndicatorEvent(db, lead, qid, eventInputSchema.parse({ indicatorId: String(q.indicators[0]!.id), occurredAt: new Date(NOON - HOUR).toISOString() }), NOON);
  let posted = 0;
  const run = await runSender(db, { env: { ...ENV, WEBHOOK_ALLOW_PRIVATE: '' }, mail: null, now: NOON, lookup: async () => ['10.0.0.5'], fetchImpl: (async () => { posted++; return new Response('ok'); }) as typeof fetch });
  assert.equal(posted, 0);
  assert.equal(run.failed, 1);
  assert.match((await listDeliveryProblems(db, lead))[0]!.lastError, /private or loopback/);
});

test('an idle sender tick writes nothing: with no delivery due, no digest time reached and no scan turn, the lease row is not touched', async () => {
  const { db, ana, event } = await setup();
  await event(0, NOON);
  const leases = () => db.select().from(senderLeases).orderBy(senderLeases.name);
  const outbox = () => db.select().from(deliveries).orderBy(deliveries.id);
  // A first run takes the scan turn (15 minutes) and leaves Ana's daily digest item waiting.
  const first = await runSenderOnce(db, { env: ENV, mail: mailTo(9), now: NOON });
  assert.equal(first.leased, true);
  assert.ok(first.waiting >= 1);
  const before = { leases: await leases(), outbox: await outbox() };
  assert.deepEqual(before.leases.find((l) => l.name === 'notify-scan')?.expiresAt, NOON + SCAN_INTERVAL_MS);
  assert.ok(before.outbox.some((d) => d.userId === ana.id && d.status === 'pending'));
  // Ticks before the scan turn and before 07:00 UTC tomorrow: nothing to do, nothing written.
  for (const at of [NOON + 60_000, NOON + SCAN_INTERVAL_MS - 1]) {
    const tick = await runSenderOnce(db, { env: ENV, mail: mailTo(9), now: at, holder: 'another-instance' });
    assert.deepEqual({ idle: tick.idle, leased: tick.leased }, { idle: true, leased: false });
    assert.deepEqual(await leases(), before.leases, 'the lease rows are unchanged');
    assert.deepEqual(await outbox(), before.outbox);
  }
  // The scan turn comes: the tick takes the lease (and gives it back).
  const turn = await runSenderOnce(db, { env: ENV, mail: mailTo(9), now: NOON + SCAN_INTERVAL_MS, holder: 'another-instance' });
  assert.deepEqual({ idle: turn.idle, leased: turn.leased }, { idle: false, leased: true });
  assert.equal((await leases()).find((l) => l.name === 'notify')?.holder, 'another-instance');
  // An email at once due: not idle even before the next scan turn.
  await setMyEmailChoice(db, ana, 'immediate', NOON + SCAN_INTERVAL_MS + 1);
  const due = await runSenderOnce(db, { env: ENV, mail: mailTo(9), now: NOON + SCAN_INTERVAL_MS + 2 });
  assert.equal(due.idle, false);
  assert.ok(due.failed >= 1, 'it tried to send (nothing listens on port 9)');
});

test('an accepted invite is not lost: the new member finds it in the bell, and an invite email still waiting is not sent with its spent link; a revoked one is not sent either', async () => {
  const smtp = await startSmtp();
  try {
    const { db, lead } = await setup();
    const inviteRows = () => db.select().from(deliveries).where(eq(deliveries.channel, 'email'));
    // Accepted before the sender ran (the lead passed the link on by hand).
    const early = await createInvite(db, lead, { role: 'forecaster', email: 'early@test.example', expiresInDays: 7 }, NOON);
    const joined = await acceptInvite(db, early.token, { name: 'Early', email: 'early@test.example', password: 'long-enough-password' }, NOON + 60_000);
    // Revoked before the sender ran.
    const revoked = await createInvite(db, lead, { role: 'viewer', email: 'revoked@test.example', expiresInDays: 7 }, NOON);
    await revokeInvite(db, lead, revoked.id, NOON + 60_000);
    // Sent first, accepted after: the sent email stays sent.
    const late = await createInvite(db, lead, { role: 'viewer', email: 'late@test.example', expiresInDays: 7 }, NOON);
    const run = await runSender(db, { env: ENV, mail: mailTo(smtp.port), now: NOON + 2 * 60_000 });
    assert.deepEqual(smtp.received.map((m) => JSON.stringify(m.to)).filter((t) => /@test\.example/.test(t) && /early|revoked|late/.test(t)).map((t) => /(early|revoked|late)@/.exec(t)![1]), ['late']);
    assert.equal(run.sent, 1);
    const lateMember = await acceptInvite(db, late.token, { name: 'Late', email: 'late@test.example', password: 'long-enough-password' }, NOON + HOUR);
    const rows = new Map((await inviteRows()).filter((d) => d.address).map((d) => [d.address, d]));
    assert.deepEqual(
      ['early', 'revoked', 'late'].map((w) => { const d = rows.get(`${w}@test.example`)!; return [w, d.status, d.lastError, d.link]; }),
      [
        ['early', 'skipped', 'The invite was accepted before its email was sent.', null],
        ['revoked', 'skipped', 'The invite was revoked before its email was sent.', null],
        ['late', 'sent', null, null],
      ],
    );
    // Each new member's bell holds the invitation: who invited them and as what.
    for (const [member, role] of [[joined, 'forecaster'], [lateMember, 'viewer']] as const) {
      const items = await listMyNotifications(db, member);
      assert.deepEqual(items.map((i) => [i.kind, i.text, i.link]), [['role', `Welcome: Lead invited you to the team as a ${role}. Choose how often Signpost emails you on Settings.`, '/settings']]);
      assert.equal(await countMyUnread(db, member), 1);
    }
    // The welcome is bell-only: no email is queued for it.
    assert.equal((await db.select().from(deliveries).where(eq(deliveries.userId, joined.id))).length, 0);
  } finally {
    await smtp.close();
  }
});

export type { Db };
