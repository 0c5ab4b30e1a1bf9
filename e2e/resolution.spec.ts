import { expect, test } from '@playwright/test';
import { FOUNDING_TITLE, forgePost, openQuestion, pageAs, readFormFields } from './helpers';

// Runs after every other seeded spec (the `settling` project): it settles the founding question.
test('a forecaster cannot resolve; a lead resolves the founding question and scores appear', async ({ browser, baseURL }) => {
  const chen = await pageAs(browser, 'chen');
  await openQuestion(chen, FOUNDING_TITLE);
  await expect(chen.getByRole('form', { name: 'Resolve' })).toHaveCount(0);

  const lead = await pageAs(browser, 'lead');
  await openQuestion(lead, FOUNDING_TITLE);
  const path = new URL(lead.url()).pathname;
  await lead.reload();
  await lead.getByText('Resolve or annul this question').click();
  const form = lead.getByRole('form', { name: 'Resolve' });
  await form.getByLabel('Scenario that happened').selectOption({ label: 'Managed de-escalation' });
  await form.getByLabel('Evidence (a note or a link)').fill('E2E resolution.');
  const fields = await readFormFields(lead, 'form[aria-label="Resolve"]');
  await forgePost(chen.request, baseURL!, path, fields);
  await chen.reload();
  await expect(chen.getByText('Open', { exact: true })).toBeVisible();
  await expect(chen.getByRole('heading', { name: 'Scores' })).toHaveCount(0);

  // Nor through the API: the same rule, as JSON.
  const questionId = path.split('/').pop();
  const api = await chen.request.post(`/api/v1/questions/${questionId}/resolution`, {
    data: { scenarioId: Number(fields.find(([k]) => k === 'scenarioId')![1]), resolvedAt: new Date().toISOString() },
  });
  expect(api.status()).toBe(403);
  expect((await api.json()).error.message).toContain('Only team leads can resolve questions');
  const bad = await lead.request.post(`/api/v1/questions/${questionId}/resolution`, { data: { scenarioId: 999999, resolvedAt: new Date().toISOString() } });
  expect(bad.status()).toBe(400);

  await form.getByRole('button', { name: 'Resolve question' }).click();
  await expect(lead.getByRole('heading', { name: 'Scores' })).toBeVisible();
  await expect(lead.locator('p.success').filter({ hasText: 'Resolved to Managed de-escalation' })).toBeVisible();
  await expect(lead.getByTestId('forecaster-scores').locator('tbody tr')).toHaveCount(5);
  await expect(lead.getByRole('form', { name: 'Forecast' })).toHaveCount(0);

  await lead.goto('/team');
  await expect(lead.getByTestId('audit-log').locator('tbody tr').first()).toContainText('question.resolve');
  await expect(lead.getByTestId('audit-log').locator('tbody tr').first()).toContainText(FOUNDING_TITLE);

  await chen.reload();
  await expect(chen.getByTestId('forecaster-scores')).toContainText('Chen Wei');
  await expect(chen.getByTestId('event-scores')).toContainText('Muscat channel suspended or downgraded');
});
