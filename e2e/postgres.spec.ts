// The core flows on PostgreSQL, across two app instances on one database
// (scripts/e2e-postgres.mjs): instance A at the project's baseURL, instance B beside it.
// Both share AUTH_SECRET, so a session made on one works on the other; a browser sends the
// same cookie to both (cookies are per host, not per port).
import { expect, test, type Page } from '@playwright/test';
import { PG_B_URL } from '../playwright.config';
import { FOUNDING_SCENARIOS, FOUNDING_TITLE, ForecastFormPO, openQuestion, signIn } from './helpers';

test.describe.configure({ mode: 'serial' });

const aggregateOn = async (page: Page, base: string, id: string) => {
  await page.goto(`${base}/questions/${id}`);
  return Promise.all(FOUNDING_SCENARIOS.map((_, k) => page.getByTestId(`aggregate-${k}`).textContent()));
};

let questionPath = '';

test('signed in on one instance, a forecaster forecasts on the other, and both show the same aggregate', async ({ page, baseURL }) => {
  await signIn(page, 'ana@example.com');
  await openQuestion(page, FOUNDING_TITLE);
  questionPath = new URL(page.url()).pathname;
  const id = questionPath.split('/').pop()!;
  const before = await aggregateOn(page, baseURL!, id);

  // The same session on instance B.
  await page.goto(`${PG_B_URL}${questionPath}`);
  await expect(page.getByRole('heading', { level: 1, name: FOUNDING_TITLE })).toBeVisible();
  const form = new ForecastFormPO(page);
  await form.fill({ [FOUNDING_SCENARIOS[0]!]: 20, [FOUNDING_SCENARIOS[1]!]: 30, [FOUNDING_SCENARIOS[2]!]: 45, [FOUNDING_SCENARIOS[3]!]: 5 });
  await form.rationale('Posted on instance B.');
  await form.submit();
  await expect(page.getByText('Forecast saved.')).toBeVisible();

  const onA = await aggregateOn(page, baseURL!, id);
  const onB = await aggregateOn(page, PG_B_URL, id);
  expect(onA).toEqual(onB);
  expect(onA).not.toEqual(before);
  await page.goto(`${baseURL}${questionPath}`);
  await expect(page.getByTestId('forecast-history')).toContainText('Posted on instance B.');
});

test('a lead logs an event on one instance; a forecaster updates on it on the other', async ({ browser, baseURL }) => {
  const lead = await (await browser.newContext()).newPage();
  await signIn(lead, 'lead@example.com');
  await lead.goto(`${PG_B_URL}${questionPath}`);
  await lead.getByText('Log an indicator event').click();
  const eventForm = lead.getByRole('form', { name: 'Log an indicator event' });
  await eventForm.getByLabel('Indicator', { exact: true }).selectOption({ label: 'Coordinated leaks about Iran’s nuclear timeline' });
  await eventForm.getByLabel('Note').fill('Logged on instance B.');
  await eventForm.getByRole('button', { name: 'Log event' }).click();
  await expect(lead.getByText('Event logged.')).toBeVisible();

  const ben = await (await browser.newContext()).newPage();
  await signIn(ben, 'ben@example.com');
  await ben.goto(`${baseURL}${questionPath}`);
  const notice = ben.getByTestId('new-evidence');
  await expect(notice).toContainText('Coordinated leaks about Iran’s nuclear timeline');
  await notice.getByRole('link', { name: 'Update on this event' }).last().click();
  const panel = ben.getByRole('form', { name: 'Update' });
  await panel.getByRole('button', { name: 'Save update' }).click();
  await expect(ben).toHaveURL(/\?updated=\d+#feedback$/);
  await expect(ben.getByTestId('coherence-feedback')).toBeVisible();
  await ben.goto(`${PG_B_URL}${questionPath}`);
  await expect(ben.getByTestId('forecast-history').getByTestId('update-marker').first()).toHaveText('Update on: Coordinated leaks about Iran’s nuclear timeline');
});

test('an API token made on one instance works on the other', async ({ browser, baseURL, playwright }) => {
  const chen = await (await browser.newContext()).newPage();
  await signIn(chen, 'chen@example.com');
  await chen.goto(`${baseURL}/settings`);
  await chen.getByLabel('Token name').fill('two instances');
  await chen.getByRole('button', { name: 'Create token' }).click();
  const token = (await chen.getByTestId('new-token').textContent())!.trim();
  const api = await playwright.request.newContext({ baseURL: PG_B_URL, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
  const me = await api.get('/api/v1/me');
  expect(me.status()).toBe(200);
  expect((await me.json()).user.name).toBe('Chen Wei');
  const id = Number(questionPath.split('/').pop());
  const q = (await (await api.get(`/api/v1/questions/${id}`)).json()).question;
  const post = await api.post(`/api/v1/questions/${id}/forecasts`, { data: { probabilities: [40, 30, 20, 10], rationale: 'Through the API on B.' } });
  expect(post.status()).toBe(201);
  const listed = await (await chen.request.get(`${baseURL}/api/v1/questions/${id}/forecasts`)).json();
  expect(listed.forecasts[0].rationale).toBe('Through the API on B.');
  expect(q.scenarios).toHaveLength(4);
  await api.dispose();
});

test('a lead resolves on one instance, and the scores show on the other', async ({ browser, baseURL }) => {
  const lead = await (await browser.newContext()).newPage();
  await signIn(lead, 'lead@example.com');
  await lead.goto(`${baseURL}${questionPath}`);
  await lead.getByText('Resolve or annul this question').click();
  const form = lead.getByRole('form', { name: 'Resolve' });
  await form.getByLabel('Scenario that happened').selectOption({ label: 'Managed de-escalation' });
  await form.getByLabel('Evidence (a note or a link)').fill('Resolved on instance A.');
  await form.getByRole('button', { name: 'Resolve question' }).click();
  await expect(lead.getByRole('heading', { name: 'Scores' })).toBeVisible();
  const rowsOnA = await lead.getByTestId('forecaster-scores').locator('tbody tr').allTextContents();

  await lead.goto(`${PG_B_URL}${questionPath}`);
  await expect(lead.getByRole('heading', { name: 'Scores' })).toBeVisible();
  expect(await lead.getByTestId('forecaster-scores').locator('tbody tr').allTextContents()).toEqual(rowsOnA);
  expect(rowsOnA.some((r) => r.includes('Ana Ahmadi'))).toBe(true);
  await lead.goto(`${PG_B_URL}/leaderboard`);
  await expect(lead.getByTestId('leaderboard')).toContainText('Ana Ahmadi');
});
