// Scores of the resolved practice question: on its page (against lib/), the leaderboard and
// the track record.
import { expect, test } from '@playwright/test';
import { aggregateSeries, getAggregationMethod } from '../lib/aggregation';
import { relativeBrier, scoreSeries } from '../lib/scoring';
import { DEMO_ACCOUNTS, PRACTICE, PRACTICE_FORECASTS } from '../db/seed-data';
import { PRACTICE_TITLE, openQuestion, pageAs } from './helpers';

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
