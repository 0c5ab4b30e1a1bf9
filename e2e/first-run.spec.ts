import { expect, test } from '@playwright/test';
import { ForecastFormPO, formError } from './helpers';

// Runs against a server with an empty database: the first account, a question, an invite.
test.describe.configure({ mode: 'serial' });

const LEAD = { name: 'First Lead', email: 'first.lead@example.org', password: 'correct-horse-battery' };
const FORECASTER = { name: 'Invited Forecaster', email: 'invited@example.org', password: 'another-long-password' };
const TITLE = 'Will the e2e question resolve to Alpha?';
let inviteLink = '';

test('the first sign-up becomes the team lead', async ({ page, browser }) => {
  await page.goto('/questions');
  await expect(page).toHaveURL(/\/sign-in/);
  await page.getByRole('link', { name: 'Create the first account' }).click();
  await page.getByLabel('Name').fill(LEAD.name);
  await page.getByLabel('Email').fill(LEAD.email);
  await page.getByLabel('Password').fill(LEAD.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/questions$/);
  await expect(page.getByText(`${LEAD.name} (lead)`)).toBeVisible();
  await expect(page.getByRole('link', { name: 'Team' })).toBeVisible();
  // A second sign-up is no longer offered to anyone.
  const stranger = await (await browser.newContext()).newPage();
  await stranger.goto('/sign-up');
  await expect(stranger).toHaveURL(/\/sign-in$/);
  await expect(stranger.getByRole('link', { name: 'Create the first account' })).toHaveCount(0);
});

test('a lead creates a draft question, then publishes it', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(LEAD.email);
  await page.getByLabel('Password').fill(LEAD.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: 'New question' }).click();
  await page.getByLabel('Title').fill(TITLE);
  await page.getByLabel('Resolution criteria').fill('Resolves to the letter announced by the test.');
  await page.getByLabel('Scenario 1', { exact: true }).fill('Alpha');
  await page.getByLabel('Scenario 2', { exact: true }).fill('Beta');
  await page.getByRole('button', { name: 'Add "Other" scenario' }).click();
  await expect(page.getByLabel('Scenario 3', { exact: true })).toHaveValue('Other');
  await page.getByRole('button', { name: 'Add indicator' }).click();
  await page.getByLabel('Indicator 1', { exact: true }).fill('Alpha is announced early');
  // A refused save names the problem and keeps everything typed.
  const opens = await page.getByLabel('Opens at (UTC)').inputValue();
  const closes = await page.getByLabel('Closes at (UTC)').inputValue();
  await page.getByLabel('Closes at (UTC)').fill(opens);
  await page.getByRole('button', { name: 'Save draft' }).click();
  await expect(formError(page)).toHaveText('The closing time must be after the opening time.');
  await expect(page.getByLabel('Title')).toHaveValue(TITLE);
  await expect(page.getByLabel('Indicator 1', { exact: true })).toHaveValue('Alpha is announced early');
  await page.getByLabel('Closes at (UTC)').fill(closes);
  await page.getByRole('button', { name: 'Save draft' }).click();
  await expect(page.getByRole('heading', { level: 1, name: TITLE })).toBeVisible();
  await expect(page.getByText('Draft', { exact: true })).toBeVisible();
  await expect(page.getByTestId('scenario-list').getByRole('listitem')).toHaveCount(3);
  await page.getByRole('button', { name: 'Publish question' }).click();
  await expect(page.getByText('Open', { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Publish question' })).toHaveCount(0);
  await expect(page.getByRole('form', { name: 'Forecast' })).toBeVisible();
});

test('a lead invites a forecaster', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(LEAD.email);
  await page.getByLabel('Password').fill(LEAD.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: 'Team' }).click();
  await page.getByLabel('Role', { exact: true }).selectOption('forecaster');
  await page.getByRole('button', { name: 'Create invite link' }).click();
  inviteLink = (await page.getByTestId('invite-link').textContent()) ?? '';
  expect(inviteLink).toMatch(/\/invite\/[\w-]{20,}$/);
});

test('the invited forecaster joins, forecasts, and sees the history; a 90% total is refused', async ({ browser }) => {
  const page = await (await browser.newContext()).newPage();
  await page.goto(new URL(inviteLink).pathname);
  await expect(page.getByText('You are invited as a forecaster')).toBeVisible();
  await page.getByLabel('Name').fill(FORECASTER.name);
  await page.getByLabel('Email').fill(FORECASTER.email);
  await page.getByLabel('Password').fill(FORECASTER.password);
  await page.getByRole('button', { name: 'Join' }).click();
  await expect(page).toHaveURL(/\/questions$/);
  await expect(page.getByText(`${FORECASTER.name} (forecaster)`)).toBeVisible();
  // The link is single-use.
  const again = await (await browser.newContext()).newPage();
  await again.goto(new URL(inviteLink).pathname);
  await expect(again.getByText('This invite link is not valid')).toBeVisible();

  await page.getByRole('link', { name: TITLE }).click();
  const form = new ForecastFormPO(page);
  await form.fill({ Alpha: 50, Beta: 30, Other: 20 });
  await expect(form.total()).toHaveText('Total: 100%');
  await form.rationale('Alpha has the early lead.');
  await form.submit();
  await expect(page.getByText('Forecast saved.')).toBeVisible();
  const history = page.getByTestId('forecast-history').locator('tbody tr');
  await expect(history).toHaveCount(1);
  await expect(history.first()).toContainText('50.0%');
  await expect(history.first()).toContainText('Alpha has the early lead.');

  // 90% in total: a clear error and nothing stored.
  await form.fill({ Alpha: 40, Beta: 30, Other: 20 });
  await expect(form.total()).toHaveText('Total: 90%');
  await form.submit();
  await expect(formError(page)).toContainText('total 90%');
  await page.reload();
  await expect(page.getByTestId('forecast-history').locator('tbody tr')).toHaveCount(1);

  // Normalise fixes the total in one click, and a second forecast supersedes the first.
  await form.fill({ Alpha: 40, Beta: 30, Other: 20 });
  await form.form().getByRole('button', { name: 'Normalise to 100%' }).click();
  await expect(form.total()).toHaveText('Total: 100%');
  // 40/90, 30/90, 20/90 = 44.4 + 33.3 + 22.2 = 99.9 at one decimal; the largest takes the 0.1.
  await expect(form.form().getByLabel('Alpha', { exact: true })).toHaveValue('44.5');
  await expect(form.form().getByLabel('Beta', { exact: true })).toHaveValue('33.3');
  await form.submit();
  await expect(page.getByText('Forecast saved.')).toBeVisible();
  await expect(history).toHaveCount(2);
  await expect(history.first()).toContainText('44.5%');
});
