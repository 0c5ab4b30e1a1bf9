// "Still my forecast": one click on the question page, and POST /api/v1/questions/{id}/reaffirm.
// The question is made here, so no other spec's counts move.
import Papa from 'papaparse';
import { expect, test } from '@playwright/test';
import { ForecastFormPO, createPublishedQuestionWithLeadForecast, pageAs } from './helpers';

interface ForecastJson {
  id: number;
  user: { id: number; name: string };
  reaffirmation: boolean;
  probabilities: number[];
  rationale: string;
}

test('a forecaster reaffirms with one click; the history, the API and the CSV show a reaffirmation', async ({ browser }) => {
  const title = `Reaffirm check ${Date.now()}`;
  const lead = await pageAs(browser, 'lead');
  await createPublishedQuestionWithLeadForecast(lead, title, { Up: 60, Down: 40 }, 'The lead’s view.');
  const id = Number(new URL(lead.url()).pathname.split('/').pop());

  const ana = await pageAs(browser, 'ana');
  await ana.goto(`/questions/${id}`);
  // No standing forecast yet: nothing to reaffirm.
  await expect(ana.getByRole('button', { name: 'Still my forecast' })).toHaveCount(0);
  const form = new ForecastFormPO(ana);
  await form.fill({ Up: 35, Down: 65 });
  await form.rationale('Ana’s reasons.');
  await form.submit();
  await expect(ana.getByText('Forecast saved.')).toBeVisible();

  await ana.getByRole('button', { name: 'Still my forecast' }).click();
  await expect(ana.getByText('Reaffirmed: your forecast stands as of now.')).toBeVisible();
  const history = ana.getByTestId('forecast-history');
  await expect(history.getByRole('row')).toHaveCount(3); // header + forecast + reaffirmation
  await expect(history.getByTestId('reaffirm-marker')).toHaveCount(1);
  // The newest row is the reaffirmation, with the same vector.
  const newest = history.getByRole('row').nth(1);
  await expect(newest.getByTestId('reaffirm-marker')).toBeVisible();
  await expect(newest).toContainText('35');
  await expect(newest).toContainText('65');

  const api = (await (await ana.request.get(`/api/v1/questions/${id}/forecasts`)).json()) as { forecasts: ForecastJson[] };
  const mine = api.forecasts.filter((f) => f.user.name === api.forecasts[0]!.user.name);
  expect(mine.map((f) => f.reaffirmation)).toEqual([true, false]);
  expect(mine[0]!.probabilities).toEqual(mine[1]!.probabilities);
  expect(mine[0]!.rationale).toBe('Ana’s reasons.');

  const csv = Papa.parse<Record<string, string>>(await (await ana.request.get(`/questions/${id}/export/forecasts.csv`)).text(), { header: true, skipEmptyLines: true });
  expect(csv.data.filter((r) => r.reaffirmation === 'yes').map((r) => [r.forecast_id, r.scenario, Number(r.probability)])).toEqual([
    [String(mine[0]!.id), 'Up', 0.35],
    [String(mine[0]!.id), 'Down', 0.65],
  ]);
  // The lead's review of the team shows it too.
  await lead.goto(`/questions/${id}`);
  await expect(lead.getByRole('cell', { name: /reaffirmed/ })).toHaveCount(1);
});

test('the reaffirm API: 201 with the standing vector; 400 bad body, 403 viewer, 404 unknown, 409 without a standing forecast', async ({ browser }) => {
  const title = `Reaffirm API check ${Date.now()}`;
  const lead = await pageAs(browser, 'lead');
  await createPublishedQuestionWithLeadForecast(lead, title, { Yes: 70, No: 30 }, 'Lead.');
  const id = Number(new URL(lead.url()).pathname.split('/').pop());
  const url = `/api/v1/questions/${id}/reaffirm`;

  const before = ((await (await lead.request.get(`/api/v1/questions/${id}/forecasts`)).json()) as { forecasts: ForecastJson[] }).forecasts.length;
  const ok = await lead.request.post(url, { data: {} });
  expect(ok.status()).toBe(201);
  const { forecast } = await ok.json();
  expect(forecast.reaffirmation).toBe(true);
  expect(forecast.probabilities[0]).toBeCloseTo(0.7, 12);
  expect(forecast.probabilities[1]).toBeCloseTo(0.3, 12);

  const error = async (r: Awaited<ReturnType<typeof lead.request.post>>, status: number, message: RegExp) => {
    expect(r.status()).toBe(status);
    const body = (await r.json()) as { error: { message: string } };
    expect(body.error.message).toMatch(message);
  };
  await error(await lead.request.post(url, { data: { probabilities: [1, 2] } }), 400, /Unknown field: probabilities/);
  await error(await lead.request.post(url, { data: '[]', headers: { 'content-type': 'application/json' } }), 400, /empty JSON object/);
  await error(await lead.request.post(url, { data: 'x', headers: { 'content-type': 'text/plain' } }), 400, /Send the body as JSON/);
  await error(await lead.request.post('/api/v1/questions/999999/reaffirm', { data: {} }), 404, /does not exist/);
  const viewer = await pageAs(browser, 'viewer');
  await error(await viewer.request.post(url, { data: {} }), 403, /Only team leads and forecasters/);
  const ben = await pageAs(browser, 'ben');
  await error(await ben.request.post(url, { data: {} }), 409, /no standing forecast/);
  expect(((await (await lead.request.get(`/api/v1/questions/${id}/forecasts`)).json()) as { forecasts: ForecastJson[] }).forecasts.length).toBe(before + 1);
  expect((await lead.request.get(url)).status()).toBe(405);
});
