// The question page: the seeded founding question, and unknown ids.
import { expect, test } from '@playwright/test';
import { FOUNDING_SCENARIOS, FOUNDING_TITLE, openQuestion, pageAs } from './helpers';

test('the demo seed question shows its 4 scenarios and 4 indicators', async ({ browser }) => {
  const page = await pageAs(browser, 'ana');
  await openQuestion(page, FOUNDING_TITLE);
  await expect(page.getByText('Illustrative demo data')).toBeVisible();
  const scenarios = page.getByTestId('scenario-list').getByRole('listitem');
  await expect(scenarios).toHaveCount(4);
  for (const name of FOUNDING_SCENARIOS) await expect(page.getByTestId('scenario-list')).toContainText(name);
  await expect(page.getByTestId('indicator-list').getByRole('listitem')).toHaveCount(4);
});

test('an unknown question id is a 404 page, not a server error', async ({ browser }) => {
  const page = await pageAs(browser, 'ana');
  for (const path of ['/questions/999999', '/questions/abc']) {
    const response = await page.goto(path);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
  }
});
