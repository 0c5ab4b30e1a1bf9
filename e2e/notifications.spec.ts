// Notifications on the seeded server: a lead logs an event and a forecaster's bell shows it;
// the item links to the event's update panel; marking read clears the count. The Settings
// email choice, the lead's webhook form refusing bad URLs, and the signed-out unsubscribe page
// (a valid link turns email off; a forged or expired one gets a clear page, not a 500).
import crypto from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { FOUNDING_TITLE, openQuestion, pageAs } from './helpers';

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
  const res = await signedOut.goto(`/unsubscribe?token=${sign(me.user.id, Date.now() + 86_400_000)}`);
  expect(res?.status()).toBe(200);
  await expect(signedOut.getByRole('heading', { name: 'You are unsubscribed' })).toBeVisible();
  await ben.goto('/settings');
  await expect(ben.getByRole('form', { name: 'Email notifications' }).getByLabel('Off: no email (the bell still works)')).toBeChecked();
});
