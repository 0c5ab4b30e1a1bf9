import { expect, test } from '@playwright/test';
import { aggregate, aggregateSeries, getAggregationMethod } from '../lib/aggregation';
import { relativeBrier, scoreSeries } from '../lib/scoring';
import { DEMO_ACCOUNTS, PRACTICE, PRACTICE_FORECASTS } from '../db/seed-data';
import { FOUNDING_TITLE, PRACTICE_TITLE, ForecastFormPO, openQuestion, pageAs, createPublishedQuestionWithLeadForecast } from './helpers';

const DAY = 86_400_000;

test('the seeded practice question shows scores equal to the lib/ computation on its history', async ({ browser }) => {
  // Scores depend only on time differences, so days-before-the-seed-day serve as times.
  const window = { start: -PRACTICE.opensDaysAgo * DAY, end: -PRACTICE.closesDaysAgo * DAY };
  const sorted = [...PRACTICE_FORECASTS].sort((a, b) => b.day - a.day);
  const histories = new Map<string, { time: number; probabilities: number[] }[]>();
  for (const f of sorted) {
    const total = f.p.reduce((s, x) => s + x, 0);
    const h = histories.get(f.user) ?? [];
    h.push({ time: -f.day * DAY, probabilities: f.p.map((x) => x / total) });
    histories.set(f.user, h);
  }
  const expected = relativeBrier(histories, window, PRACTICE.resolvedIndex);
  const series = aggregateSeries(
    sorted.map((f) => ({ forecasterId: f.user, time: -f.day * DAY, probabilities: f.p.map((x) => x / f.p.reduce((s, y) => s + y, 0)) })),
    getAggregationMethod('linear-uniform').options,
  );
  const linear = scoreSeries(series, window, PRACTICE.resolvedIndex).score!;

  const page = await pageAs(browser, 'viewer');
  await openQuestion(page, PRACTICE_TITLE);
  await expect(page.getByRole('heading', { name: 'Scores' })).toBeVisible();
  for (const [email, score] of expected) {
    const name = DEMO_ACCOUNTS.find((a) => a.email === email)!.name;
    const row = page.getByTestId(`score-${name}`);
    await expect(row.locator('td').nth(1)).toHaveText(score.timeAveragedBrier!.toFixed(3));
    await expect(row.locator('td').nth(2)).toHaveText(`${Math.round(score.coverage * 100)}%`);
    await expect(row.locator('td').nth(3)).toHaveText(score.relativeBrier!.toFixed(3));
  }
  await expect(page.getByTestId('method-linear-uniform').locator('td').nth(1)).toHaveText(linear.toFixed(3));
});

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

test('the leaderboard and the track record show the resolved practice question', async ({ browser }) => {
  const ana = await pageAs(browser, 'ana');
  await ana.goto('/leaderboard');
  await expect(ana.getByTestId('leaderboard').locator('tbody tr')).toHaveCount(5);
  await ana.goto('/leaderboard?min=2');
  await expect(ana.getByText('Nobody has 2 or more resolved questions yet.')).toBeVisible();
  await ana.goto('/me');
  await expect(ana.getByRole('link', { name: PRACTICE_TITLE })).toBeVisible();
  // Ana made 2 forecasts on 3 scenarios: 6 calibration pairs.
  const counts = await ana.getByTestId('calibration-table').locator('tbody tr td:nth-child(2)').allTextContents();
  expect(counts.reduce((s, c) => s + Number(c), 0)).toBe(6);
});
