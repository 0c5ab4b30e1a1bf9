// Notifications on the seeded server: a lead logs an event and a forecaster's bell shows it;
// the item links to the event's update panel; marking read clears the count. The Settings
// email choice, the lead's webhook form refusing bad URLs, and the signed-out unsubscribe page
// (a valid link turns email off; a forged or expired one gets a clear page, not a 500).
import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { logIndicatorEvent } from '../db/queries/events';
import { saveForecast } from '../db/queries/forecasts';
import { setMyEmailChoice } from '../db/queries/notify';
import { createQuestion, getQuestionForUser, publishQuestion } from '../db/queries/questions';
import { eq } from 'drizzle-orm';
import { openDatabase } from '../db/index';
import { deliveries, notifications, notificationSettings, users } from '../db/schema';
import { eventInputSchema } from '../lib/validation/indicator';
import { questionInputSchema } from '../lib/validation/question';
import { FOUNDING_TITLE, openQuestion, pageAs } from './helpers';
import { startOwnServer } from './own-server';

test.describe.configure({ mode: 'serial' });

const INDICATOR = 'Unexplained shift in US or Israeli military readiness';
// The seeded server's secret (scripts/e2e-server.mjs), to sign a link as its emails would.
const SECRET = process.env.AUTH_SECRET || 'e2e-only-secret-not-for-production-0123456789';
const sign = (userId: number, expiresAt: number, secret = SECRET) => {
  const payload = `${userId}.${expiresAt}`;
  return `${payload}.${crypto.createHmac('sha256', secret).update(`signpost-unsubscribe:${payload}`).digest('base64url')}`;
};

async function unread(page: Page): Promise<number> {
  await page.goto('/questions');
  const bell = page.getByTestId('bell');
  await expect(bell).toBeVisible();
  const label = (await bell.getAttribute('aria-label')) ?? '';
  if (label.includes('none unread')) {
    await expect(page.getByTestId('bell-count')).toHaveCount(0);
    return 0;
  }
  const n = Number(/(\d+) unread/.exec(label)?.[1]);
  await expect(page.getByTestId('bell-count')).toHaveText(String(n));
  return n;
}

test('a lead logs an event; the forecaster’s bell shows it, it links to the update panel, and marking read clears the count', async ({ browser }) => {
  const chen = await pageAs(browser, 'chen');
  // Start from nothing unread.
  await chen.goto('/notifications');
  if (await chen.getByRole('button', { name: 'Mark all read' }).count()) {
    await chen.getByRole('button', { name: 'Mark all read' }).click();
    await expect(chen.getByRole('heading', { name: 'All read' })).toBeVisible();
  }
  expect(await unread(chen)).toBe(0);

  const lead = await pageAs(browser, 'lead');
  await openQuestion(lead, FOUNDING_TITLE);
  await lead.getByText('Log an indicator event').click();
  const form = lead.getByRole('form', { name: 'Log an indicator event' });
  await form.getByLabel('Indicator').selectOption({ label: INDICATOR });
  await form.getByLabel('Note').fill('E2E notifications: readiness shift.');
  await form.getByRole('button', { name: 'Log event' }).click();
  await expect(form.getByText('Event logged.')).toBeVisible();

  expect(await unread(chen)).toBe(1);
  await chen.getByTestId('bell').click();
  await expect(chen.getByRole('heading', { level: 1, name: 'Notifications' })).toBeVisible();
  const item = chen.getByTestId('notification').filter({ hasText: `“${INDICATOR}” was observed` }).first();
  await expect(item).toContainText('New evidence on');
  await expect(item).not.toContainText('%');
  const href = await item.getByRole('link').first().getAttribute('href');
  expect(href).toMatch(/^\/questions\/\d+\/update\/\d+$/);
  await item.getByRole('button', { name: /Mark as read/ }).click();
  await expect(chen.getByRole('heading', { name: 'All read' })).toBeVisible();
  await expect(chen.getByTestId('bell-count')).toHaveCount(0);
  expect(await unread(chen)).toBe(0);
  await chen.goto(href!);
  await expect(chen.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(chen.locator('body')).toContainText(INDICATOR);
});

test('the email choice is saved on Settings', async ({ browser }) => {
  const dara = await pageAs(browser, 'dara');
  await dara.goto('/settings');
  const form = dara.getByRole('form', { name: 'Email notifications' });
  await expect(form.getByLabel('A daily digest (around 07:00 UTC)')).toBeChecked();
  await form.getByLabel('A weekly digest (Mondays)').check();
  await form.getByRole('button', { name: 'Save email choice' }).click();
  await expect(form.getByText('Email choice saved.')).toBeVisible();
  await dara.reload();
  await expect(dara.getByRole('form', { name: 'Email notifications' }).getByLabel('A weekly digest (Mondays)')).toBeChecked();
});

test('the lead’s webhook form refuses a URL that is not https or points to a private address, and shows a saved one masked', async ({ browser }) => {
  const lead = await pageAs(browser, 'lead');
  await lead.goto('/team');
  const form = lead.getByRole('form', { name: 'Team webhook' });
  for (const [url, message] of [
    ['ftp://hooks.example.org/x', 'must start with https://'],
    ['https://127.0.0.1/hook', 'private or loopback'],
    ['https://10.0.0.8/hook', 'private or loopback'],
    ['https://localhost/hook', 'this machine or a private network'],
    ['not a url', 'not a URL'],
  ] as const) {
    await form.getByLabel(/webhook URL/i).fill(url);
    await form.getByRole('button', { name: 'Save webhook' }).click();
    await expect(form.locator('p.error[role="alert"]')).toContainText(message);
  }
  await expect(lead.getByTestId('webhook-current')).toHaveText('No webhook is set.');
  await form.getByLabel(/webhook URL/i).fill('https://93.184.216.34/services/T000/B000/SECRETTOKEN');
  await form.getByRole('button', { name: 'Save webhook' }).click();
  await expect(form.getByText('Webhook saved.')).toBeVisible();
  await lead.reload();
  await expect(lead.getByTestId('webhook-current')).toContainText('https://93.184.216.34/……OKEN');
  await expect(lead.locator('body')).not.toContainText('SECRETTOKEN');
  await lead.getByRole('button', { name: 'Remove the webhook' }).click();
  await expect(lead.getByTestId('webhook-current')).toHaveText('No webhook is set.');
});

test('the unsubscribe link works signed out; a forged or expired link gets a clear page, not an error', async ({ browser }) => {
  const ben = await pageAs(browser, 'ben');
  const me = (await (await ben.request.get('/api/v1/me')).json()) as { user: { id: number } };
  const signedOut = await (await browser.newContext()).newPage();
  for (const [token, text] of [
    [sign(me.user.id, Date.now() + 86_400_000, 'not-the-secret'), 'not valid'],
    [sign(me.user.id, Date.now() - 1000), 'has expired'],
    ['garbage', 'not valid'],
  ] as const) {
    const res = await signedOut.goto(`/unsubscribe?token=${encodeURIComponent(token)}`);
    expect(res?.status()).toBe(200);
    await expect(signedOut.getByTestId('unsubscribe-refused')).toContainText(text);
  }
  const choice = ben.getByRole('form', { name: 'Email notifications' }).getByLabel('Off: no email (the bell still works)');
  // Opening the link changes nothing (a mail scanner opens links): the page asks first.
  const res = await signedOut.goto(`/unsubscribe?token=${sign(me.user.id, Date.now() + 86_400_000)}`);
  expect(res?.status()).toBe(200);
  const confirm = signedOut.getByTestId('unsubscribe-confirm');
  await expect(confirm.getByRole('heading', { level: 1, name: 'Unsubscribe from Signpost email?' })).toBeVisible();
  await expect(confirm).toContainText('ben@');
  await ben.goto('/settings');
  await expect(choice).not.toBeChecked();
  await confirm.getByRole('button', { name: 'Unsubscribe from all Signpost email' }).click();
  await expect(signedOut.getByRole('heading', { level: 1, name: 'You are unsubscribed' })).toBeVisible();
  await ben.goto('/settings');
  await expect(ben.getByRole('form', { name: 'Email notifications' }).getByLabel('Off: no email (the bell still works)')).toBeChecked();
});

test('an invalid SMTP_URL stops the server at start with a clear line', async () => {
  await expect(startOwnServer('bad-smtp', async () => null, { SMTP_URL: 'http://mail.example.org', MAIL_FROM: 'signpost@example.org' })).rejects.toThrow(
    /exited \(1\)[\s\S]*SMTP_URL must start with smtp:\/\/ or smtps:\/\//,
  );
  await expect(startOwnServer('bad-from', async () => null, { SMTP_URL: 'smtp://127.0.0.1:2525', MAIL_FROM: 'not an address' })).rejects.toThrow(/exited \(1\)[\s\S]*MAIL_FROM is not an email address/);
});

test('npm start runs the sender on a timer: the mail reaches a real SMTP server, and its unsubscribe link works signed out', async () => {
  const received: ParsedMail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then((m) => (received.push(m), callback()), (e: Error) => callback(e));
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
  const port = (smtp.server.address() as AddressInfo).port;
  const own = await startOwnServer(
    'notify-timer',
    async (db) => {
      const now = Date.now();
      const [lead, fc] = await db.write((tx) =>
        tx
          .insert(users)
          .values([
            { email: 'lead@timer.example', name: 'Lead', role: 'lead' as const, passwordHash: 'x', createdAt: now },
            { email: 'fc@timer.example', name: 'Fay', role: 'forecaster' as const, passwordHash: 'x', createdAt: now },
          ])
          .returning({ id: users.id, email: users.email, name: users.name, role: users.role }),
      );
      const id = await createQuestion(
        db,
        lead!,
        questionInputSchema.parse({
          title: 'Timer question',
          resolutionCriteria: 'Test.',
          opensAt: new Date(now - 10 * 86_400_000).toISOString(),
          closesAt: new Date(now + 30 * 86_400_000).toISOString(),
          scenarios: [{ name: 'Yes' }, { name: 'No' }],
          indicators: [{ name: 'Signal' }],
        }),
        now - 11 * 86_400_000,
      );
      await publishQuestion(db, lead!, id, now - 10 * 86_400_000);
      const q = await getQuestionForUser(db, lead!, id);
      await setMyEmailChoice(db, fc!, 'immediate', now);
      await saveForecast(db, fc!, id, { values: new Map(q.scenarios.map((s, k) => [s.id, [70, 30][k]])), rationale: '' }, now - 5 * 86_400_000);
      const eventId = await logIndicatorEvent(db, lead!, id, eventInputSchema.parse({ indicatorId: String(q.indicators[0]!.id), occurredAt: new Date(now - 3_600_000).toISOString() }), now);
      return { questionId: id, eventId, fcId: fc!.id, lead: lead!, indicatorId: q.indicators[0]!.id };
    },
    { SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: 'Signpost <signpost@timer.example>', NOTIFY_INTERVAL_SECONDS: '1' },
  );
  try {
    await expect.poll(() => received.length, { timeout: 30_000 }).toBe(1);
    const mail = received[0]!;
    expect(JSON.stringify(mail.to)).toContain('fc@timer.example');
    const link = `${own.base}/questions/${own.seeded.questionId}/update/${own.seeded.eventId}`;
    expect(mail.text).toContain(link);
    const header = (name: string) => mail.headerLines.find((h) => h.key === name)?.line.replace(/^[^:]+:\s*/, '') ?? '';
    // RFC 8058: the header names the one-click URL, and says a POST there unsubscribes.
    const oneClick = /^<([^>]+)>$/.exec(header('list-unsubscribe'))?.[1] ?? '';
    expect(oneClick).toMatch(new RegExp(`^${own.base.replace(/[.]/g, '\\.')}/unsubscribe/one-click\\?token=`));
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    const unsubscribe = oneClick.replace('/unsubscribe/one-click?', '/unsubscribe?');
    expect(mail.text).toContain(unsubscribe);
    const o = await openDatabase({ engine: 'sqlite', file: own.file });
    const choice = async () => (await o.db.select().from(notificationSettings).where(eq(notificationSettings.userId, own.seeded.fcId)))[0]?.email;
    try {
      // Signed out, plain requests with no cookie. Opening either link unsubscribes nobody.
      const page = await fetch(unsubscribe, { redirect: 'manual' });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Unsubscribe from Signpost email?');
      const opened = await fetch(oneClick, { redirect: 'manual' });
      expect(opened.status).toBe(303);
      expect(opened.headers.get('location')).toBe(unsubscribe);
      expect(await choice()).toBe('immediate');
      // One-click POSTs as a mail provider sends them: a forged token, a missing field, a body
      // that cannot be read are each a plain 400 saying why; nothing changes.
      const post = (url: string, body: BodyInit, headers: Record<string, string> = {}) => fetch(url, { method: 'POST', body, headers, redirect: 'manual' });
      const forgedUrl = oneClick.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
      for (const [url, body, headers, text] of [
        [forgedUrl, new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }), {}, 'not valid'],
        [oneClick, new URLSearchParams({ other: 'x' }), {}, 'List-Unsubscribe=One-Click'],
        [oneClick, 'List-Unsubscribe=One-Click', { 'content-type': 'application/json' }, 'could not be read'],
      ] as const) {
        const r = await post(url, body, headers);
        expect(r.status, url).toBe(400);
        expect(r.headers.get('content-type')).toMatch(/^text\/plain/);
        expect(await r.text()).toContain(text);
      }
      expect(await choice()).toBe('immediate');
      // The provider's POST: no session, and an Origin of its own (not refused as a foreign form).
      const ok = await post(oneClick, new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }), { origin: 'https://mail.provider.example' });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('Unsubscribed');
      expect(await choice()).toBe('off');
      // No further mail: the next event reaches the bell, and no email is queued for it.
      const next = await logIndicatorEvent(o.db, own.seeded.lead, own.seeded.questionId, eventInputSchema.parse({ indicatorId: String(own.seeded.indicatorId), occurredAt: new Date(Date.now() - 60_000).toISOString() }));
      const items = await o.db.select().from(notifications).where(eq(notifications.userId, own.seeded.fcId));
      expect(items.map((i) => i.link).sort()).toEqual([`/questions/${own.seeded.questionId}/update/${own.seeded.eventId}`, `/questions/${own.seeded.questionId}/update/${next}`].sort());
      const mails = await o.db.select().from(deliveries).where(eq(deliveries.userId, own.seeded.fcId));
      expect(mails.map((d) => d.status)).toEqual(['sent']);
      expect(received.length).toBe(1);
    } finally {
      await o.close();
    }
  } finally {
    await own.stop();
    await new Promise<void>((r) => smtp.close(() => r()));
  }
});

test('the notifications page and the unsubscribe page fit a 390 px phone without sideways scrolling', async ({ browser }) => {
  const context = await browser.newContext({ storageState: 'e2e/.auth/ana.json', viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const me = (await (await page.request.get('/api/v1/me')).json()) as { user: { id: number } };
  // The page that asks (a valid link, not pressed: nothing changes) and the refusal.
  for (const path of ['/notifications', `/unsubscribe?token=${sign(me.user.id, Date.now() + 86_400_000)}`, '/unsubscribe?token=garbage']) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, path).toBeLessThanOrEqual(0);
  }
  await context.close();
});
