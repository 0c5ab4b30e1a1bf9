import { expect, test } from '@playwright/test';
import { posterior } from '../lib/bayes';
import { describeCoherence } from '../lib/coherence-text';
import { FOUNDING_FORECASTS, TEAM_DEFAULTS } from '../db/seed-data';
import { FOUNDING_SCENARIOS, FOUNDING_TITLE, forgePost, formError, openQuestion, pageAs, readFormFields } from './helpers';

test.describe.configure({ mode: 'serial' });

const INDICATOR = 'Unexplained shift in US or Israeli military readiness';
const NOTE = 'E2E: carriers moved without announcement.';

test('a lead logs an indicator event and it shows on the timeline', async ({ browser }) => {
  const lead = await pageAs(browser, 'lead');
  await openQuestion(lead, FOUNDING_TITLE);
  await lead.getByText('Log an indicator event').click();
  const form = lead.getByRole('form', { name: 'Log an indicator event' });
  await form.getByLabel('Indicator').selectOption({ label: INDICATOR });
  await form.getByLabel('Source link').fill('https://example.org/e2e/readiness');
  await form.getByLabel('Note').fill(NOTE);
  await form.getByRole('button', { name: 'Log event' }).click();
  await expect(form.getByText('Event logged.')).toBeVisible();
  await expect(lead.getByTestId('event-timeline')).toContainText(NOTE);
});

test('bad events are refused with a clear message and nothing is stored', async ({ browser }) => {
  const ana = await pageAs(browser, 'ana');
  await openQuestion(ana, FOUNDING_TITLE);
  const before = await ana.getByTestId('event-timeline').locator('> li').count();
  await ana.getByText('Log an indicator event').click();
  const form = ana.getByRole('form', { name: 'Log an indicator event' });
  await form.getByLabel('Indicator').selectOption({ label: INDICATOR });
  await form.getByLabel('Source link').fill('javascript:alert(1)');
  await form.getByRole('button', { name: 'Log event' }).click();
  await expect(formError(ana)).toContainText('must start with http:// or https://');
  await form.getByLabel('Source link').fill('https://example.org/ok');
  await form.getByLabel('When (UTC)').fill('2099-01-01T00:00');
  await form.getByRole('button', { name: 'Log event' }).click();
  await expect(formError(ana)).toContainText('cannot be dated in the future');
  await ana.reload();
  await expect(ana.getByTestId('event-timeline').locator('> li')).toHaveCount(before);
});

test('a forecaster sees the new evidence, updates through the panel, and gets coherence feedback', async ({ browser }) => {
  const ben = await pageAs(browser, 'ben');
  await openQuestion(ben, FOUNDING_TITLE);
  const notice = ben.getByTestId('new-evidence');
  await expect(notice).toContainText('New evidence since your last forecast');
  await expect(notice).toContainText(INDICATOR);
  const historyRows = ben.getByTestId('forecast-history').locator('tbody tr');
  const historyBefore = await historyRows.count();
  await notice.getByRole('link', { name: 'Update on this event' }).click();
  await expect(ben.getByRole('heading', { level: 1 })).toContainText(INDICATOR);

  // Ben's standing forecast is his latest seeded one; he has no likelihoods for this
  // indicator, so the panel starts from the team defaults.
  const standing = FOUNDING_FORECASTS.filter((f) => f.user === 'ben@example.com').sort((a, b) => a.day - b.day)[0]!.p;
  const total = standing.reduce((s, x) => s + x, 0);
  const prior = standing.map((x) => x / total);
  const likelihoods = TEAM_DEFAULTS[1]!.map((x) => x / 100);
  const expected = posterior(prior, likelihoods);
  for (let k = 0; k < 4; k++) {
    await expect(ben.getByTestId(`prior-${k}`)).toHaveText(`${Math.round(prior[k]! * 1000) / 10}%`);
    await expect(ben.getByTestId(`posterior-${k}`)).toHaveText(`${(expected[k]! * 100).toFixed(2)}%`);
  }
  const panel = ben.getByRole('form', { name: 'Update' });
  // The forecast starts at the posterior (one decimal; the largest entry absorbs the rounding).
  await expect(panel.getByLabel(FOUNDING_SCENARIOS[2]!, { exact: true })).toHaveValue(String(Math.round(expected[2]! * 1000) / 10));

  // Bad likelihoods: an error, and nothing stored.
  await panel.getByLabel(`Likelihood if ${FOUNDING_SCENARIOS[0]}`).fill('150');
  await expect(ben.getByTestId('posterior-0')).toHaveText('—');
  await panel.getByRole('button', { name: 'Save update' }).click();
  await expect(formError(ben)).toContainText('between 0% and 100%');

  // A zero likelihood warns before submitting.
  await panel.getByLabel(`Likelihood if ${FOUNDING_SCENARIOS[0]}`).fill('0');
  await expect(panel.getByText(`rules out ${FOUNDING_SCENARIOS[0]}`)).toBeVisible();
  await panel.getByLabel(`Likelihood if ${FOUNDING_SCENARIOS[0]}`).fill('10');
  await expect(ben.getByTestId('posterior-0')).toHaveText(`${(expected[0]! * 100).toFixed(2)}%`);

  // Adjust the forecast away from the posterior, then submit.
  const mine = [40, 35, 15, 10];
  for (let k = 0; k < 4; k++) await panel.getByLabel(FOUNDING_SCENARIOS[k]!, { exact: true }).fill(String(mine[k]));
  await panel.getByLabel('Rationale (optional)').fill('Readiness shift, but I discount it.');
  await panel.getByRole('button', { name: 'Save update' }).click();

  await expect(ben).toHaveURL(/\/questions\/\d+\?updated=\d+#feedback$/);
  const feedback = describeCoherence(FOUNDING_SCENARIOS, prior, likelihoods, mine.map((x) => x / 100));
  await expect(ben.getByTestId('coherence-feedback')).toContainText(feedback.sentence);
  expect(feedback.verdict).toBe('under-reaction');
  await expect(historyRows).toHaveCount(historyBefore + 1);
  await expect(historyRows.first().getByTestId('update-marker')).toHaveText(`Update on: ${INDICATOR}`);
  await expect(ben.getByTestId('new-evidence')).toHaveCount(0);
});

test('a forecaster cannot retract an event, not even by a forged post', async ({ browser, baseURL }) => {
  const ana = await pageAs(browser, 'ana');
  await openQuestion(ana, FOUNDING_TITLE);
  const event = ana.getByTestId('event-timeline').locator('> li').filter({ hasText: NOTE });
  await expect(event.getByText('Retract', { exact: true })).toHaveCount(0);

  const lead = await pageAs(browser, 'lead');
  await openQuestion(lead, FOUNDING_TITLE);
  const path = new URL(lead.url()).pathname;
  await lead.reload();
  const leadEvent = lead.getByTestId('event-timeline').locator('> li').filter({ hasText: NOTE });
  const formName = await leadEvent.locator('form[aria-label^="Retract event"]').getAttribute('aria-label');
  const fields = (await readFormFields(lead, `form[aria-label="${formName}"]`)).map(([k, v]): [string, string] => [k, k === 'reason' ? 'forged' : v]);
  await forgePost(ana.request, baseURL!, path, fields);
  await ana.reload();
  await expect(event.getByText('Retracted', { exact: true })).toHaveCount(0);

  // Control: the lead's own replay retracts it, and it stays on the record, marked.
  await forgePost(lead.request, baseURL!, path, fields.map(([k, v]): [string, string] => [k, k === 'reason' ? 'Logged in error by the e2e suite' : v]));
  await ana.reload();
  await expect(event.getByText('Retracted', { exact: true })).toBeVisible();
  await expect(event).toContainText('Logged in error by the e2e suite');
});
