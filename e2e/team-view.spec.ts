// The team's view of a question: anti-herding, the aggregate chart with its events, and the
// lead's review page.
import { expect, test } from '@playwright/test';
import { aggregate, getAggregationMethod } from '../lib/aggregation';
import { FOUNDING_TITLE, ForecastFormPO, openQuestion, pageAs, createPublishedQuestionWithLeadForecast } from './helpers';

test('anti-herding hides the team view until a forecaster has made a first forecast', async ({ browser }) => {
  const title = `Anti-herding check ${Date.now()}`;
  const lead = await pageAs(browser, 'lead');
  await createPublishedQuestionWithLeadForecast(lead, title, { Up: 60, Down: 40 }, 'Lead reasoning, hidden at first.');

  const ana = await pageAs(browser, 'ana');
  await openQuestion(ana, title);
  await expect(ana.getByTestId('anti-herding')).toBeVisible();
  await expect(ana.getByTestId('aggregate-table')).toHaveCount(0);
  await expect(ana.getByText('Lead reasoning, hidden at first.')).toHaveCount(0);
  const form = new ForecastFormPO(ana);
  await form.fill({ Up: 30, Down: 70 });
  await form.submit();
  await expect(ana.getByTestId('aggregate-table')).toBeVisible();
  await expect(ana.getByText('Lead reasoning, hidden at first.')).toBeVisible();
  const expected = aggregate(
    [
      { forecasterId: 'lead', time: 1, probabilities: [0.6, 0.4] },
      { forecasterId: 'ana', time: 2, probabilities: [0.3, 0.7] },
    ],
    getAggregationMethod('logarithmic-recency').options,
  );
  await expect(ana.getByTestId('aggregate-0')).toHaveText(`${(expected[0]! * 100).toFixed(1)}%`);
});

test('the chart marks indicator events; focusing one shows it', async ({ browser }) => {
  const ana = await pageAs(browser, 'ana');
  await openQuestion(ana, FOUNDING_TITLE);
  const figure = ana.getByRole('figure', { name: 'Team aggregate over time' });
  await expect(figure.locator('svg .recharts-line').first()).toBeVisible();
  const markers = figure.getByRole('list', { name: 'Indicator events on the chart' }).getByRole('listitem');
  expect(await markers.count()).toBeGreaterThanOrEqual(2);
  await markers.first().focus();
  await expect(figure.getByTestId('chart-event')).toContainText('Muscat channel suspended or downgraded');
});

test('a lead reviews every forecaster and every method; a forecaster cannot open the review page', async ({ browser }) => {
  const lead = await pageAs(browser, 'lead');
  await openQuestion(lead, FOUNDING_TITLE);
  await lead.getByRole('link', { name: 'Review page' }).click();
  await expect(lead.getByTestId('review-forecasts')).toContainText('Ana Ahmadi');
  await expect(lead.getByTestId('review-methods').locator('tbody tr')).toHaveCount(12);
  const reviewUrl = new URL(lead.url()).pathname;
  const chen = await pageAs(browser, 'chen');
  const response = await chen.goto(reviewUrl);
  expect(response?.status()).toBe(404);
});
