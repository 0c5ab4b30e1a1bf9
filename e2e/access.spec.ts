// Who may open and post what: signed out, a forecaster on a lead's pages and actions, a viewer
// on the forecast form. A refused action is also posted forged, with the lead's or the
// forecaster's own replay of the same form as the control.
import { expect, test } from '@playwright/test';
import { FOUNDING_TITLE, forgePost, withField, openQuestion, pageAs, readFormFields } from './helpers';

test('signed out, only the sign-in page is visible', async ({ page }) => {
  for (const path of ['/questions', '/team', '/questions/1', '/dashboard']) {
    await page.goto(path);
    await expect(page).toHaveURL(/\/sign-in/);
  }
  await expect(page.getByRole('heading', { name: 'Sign in to Signpost' })).toBeVisible();
});

test('a forecaster cannot open the lead pages, nor post to the lead actions', async ({ browser, baseURL }) => {
  const forecaster = await pageAs(browser, 'ben');
  for (const path of ['/team', '/questions/new']) {
    const response = await forecaster.goto(path);
    expect(response?.status()).toBe(404);
  }
  await expect(forecaster.getByRole('link', { name: 'Team' })).toHaveCount(0);

  // Capture the lead's real "new question" form, then post it with the forecaster's cookies.
  const lead = await pageAs(browser, 'lead');
  await lead.goto('/questions/new');
  await lead.getByLabel('Title').fill('Forged by a forecaster');
  await lead.getByLabel('Resolution criteria').fill('n/a');
  await lead.getByLabel('Scenario 1', { exact: true }).fill('Yes');
  await lead.getByLabel('Scenario 2', { exact: true }).fill('No');
  const fields = await readFormFields(lead, 'form:has(#title)');
  expect(fields.some(([k]) => k.startsWith('$ACTION'))).toBe(true);
  await forgePost(forecaster.request, baseURL!, '/questions/new', fields);

  // Same for a lead's invite action.
  await lead.goto('/team');
  const inviteFields = await readFormFields(lead, 'form:has(#invite-role)');
  const inviteRows = lead.getByTestId('invites').locator('tbody tr');
  const before = await inviteRows.count();
  await forgePost(forecaster.request, baseURL!, '/team', inviteFields);

  // Control: the very same replay with the lead's cookies does create the question, so the
  // forecaster's post reached the action and was refused there.
  await forgePost(lead.request, baseURL!, '/questions/new', withField(fields, 'title', 'Replayed by the lead'));
  await lead.goto('/questions');
  await expect(lead.getByRole('link', { name: 'Replayed by the lead' })).toHaveCount(1);
  await expect(lead.getByRole('link', { name: 'Forged by a forecaster' })).toHaveCount(0);
  await lead.goto('/team');
  const after = await inviteRows.count();
  expect(after).toBe(before);
  // Control: the lead's own replay creates an invite.
  await forgePost(lead.request, baseURL!, '/team', inviteFields);
  await lead.reload();
  await expect(inviteRows).toHaveCount(before + 1);
});

test('a viewer reads questions but has no forecast form, and a forged forecast is refused', async ({ browser, baseURL }) => {
  const viewer = await pageAs(browser, 'viewer');
  await openQuestion(viewer, FOUNDING_TITLE);
  await expect(viewer.getByRole('form', { name: 'Forecast' })).toHaveCount(0);
  await expect(viewer.getByText('You are a viewer')).toBeVisible();

  const forecaster = await pageAs(browser, 'dara');
  await openQuestion(forecaster, FOUNDING_TITLE);
  const url = new URL(forecaster.url()).pathname;
  await forecaster.reload();
  const fields = await readFormFields(forecaster, 'form[aria-label="Forecast"]');
  await forgePost(viewer.request, baseURL!, url, fields);
  await viewer.reload();
  await expect(viewer.getByText('You have not forecast on this question yet.')).toBeVisible();
  // Control: the forecaster's own replay of the same form is stored.
  const rows = forecaster.getByTestId('forecast-history').locator('tbody tr');
  const before = await rows.count();
  await forgePost(forecaster.request, baseURL!, url, fields);
  await forecaster.reload();
  await expect(rows).toHaveCount(before + 1);
});
