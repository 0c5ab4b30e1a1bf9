// The JSON API, personal API tokens and the CSV exports, against the seeded demo.
// Chen's token does the posting here (no other spec relies on Chen's history); nothing here
// settles a question, and counts are always compared before and after, never absolute.
import fs from 'node:fs';
import Papa from 'papaparse';
import { expect, test, type APIRequestContext, type APIResponse, type Browser, type Page } from '@playwright/test';
import { FOUNDING_SCENARIOS, FOUNDING_TITLE, PRACTICE_TITLE, pageAs, type SeedUser, createPublishedQuestionWithLeadForecast } from './helpers';

const FORECAST_CSV_HEADER = ['forecast_id', 'time', 'user_id', 'user', 'scenario', 'probability', 'event_id', 'indicator', 'rationale', 'reaffirmation'];

interface ApiError {
  error: { status: number; code: string; message: string; fieldErrors?: Record<string, string[]> };
}
interface ForecastJson {
  id: number;
  user: { id: number; name: string };
  rationale: string;
  probabilities: number[];
}

/** Creates a token on /settings as `user`; returns it with the settings page. */
async function createToken(browser: Browser, user: SeedUser, name: string): Promise<{ page: Page; token: string }> {
  const page = await pageAs(browser, user);
  await page.goto('/settings');
  await page.getByLabel('Token name').fill(name);
  await page.getByRole('button', { name: 'Create token' }).click();
  const shown = page.getByTestId('new-token');
  await expect(shown).toHaveText(/^sp_[A-Za-z0-9_-]{43}$/);
  const token = (await shown.textContent())!.trim();
  // Listed by name and short prefix, never in full.
  const row = page.getByTestId('token-list').getByRole('row').filter({ hasText: name });
  await expect(row).toContainText(token.slice(0, 7));
  await expect(row).not.toContainText(token.slice(0, 12));
  return { page, token };
}

/** A request context with no cookies at all, optionally carrying a bearer token. */
async function apiContext(
  playwright: { request: { newContext: (o: object) => Promise<APIRequestContext> } },
  baseURL: string,
  token?: string,
): Promise<APIRequestContext> {
  return playwright.request.newContext({ baseURL, extraHTTPHeaders: token ? { authorization: `Bearer ${token}` } : {} });
}

async function expectJsonError(response: APIResponse, status: number, message?: RegExp): Promise<ApiError> {
  expect(response.status()).toBe(status);
  expect(response.headers()['content-type']).toMatch(/^application\/json/);
  const body = (await response.json()) as ApiError;
  expect(body.error.status).toBe(status);
  if (message) expect(body.error.message).toMatch(message);
  return body;
}

async function questionId(api: APIRequestContext, title: string): Promise<number> {
  const r = await api.get('/api/v1/questions');
  expect(r.status()).toBe(200);
  const { questions } = (await r.json()) as { questions: { id: number; title: string }[] };
  const q = questions.find((x) => x.title === title);
  expect(q, `question "${title}" is listed`).toBeTruthy();
  return q!.id;
}

async function forecastsOf(api: APIRequestContext, id: number): Promise<{ restricted: boolean; forecasts: ForecastJson[] }> {
  const r = await api.get(`/api/v1/questions/${id}/forecasts`);
  expect(r.status()).toBe(200);
  return r.json();
}

test('an API token made on /settings reads a question, posts a forecast, and is refused once revoked', async ({ browser, playwright, baseURL }) => {
  const { page: settings, token } = await createToken(browser, 'chen', 'e2e notebook');
  const api = await apiContext(playwright, baseURL!, token);

  const me = await api.get('/api/v1/me');
  expect(me.status()).toBe(200);
  expect(await me.json()).toMatchObject({ user: { name: 'Chen Wei', role: 'forecaster' }, authenticatedBy: 'token' });

  const id = await questionId(api, FOUNDING_TITLE);
  const read = await api.get(`/api/v1/questions/${id}`);
  expect(read.status()).toBe(200);
  const { question } = await read.json();
  expect(question.scenarios.map((s: { name: string }) => s.name)).toEqual(FOUNDING_SCENARIOS);
  expect(question.indicators).toHaveLength(4);
  expect(question.indicators[0]).toHaveProperty('pooled');
  expect(question.indicators[0]).toHaveProperty('diagnosticity');
  expect(question.indicators[0]).not.toHaveProperty('byForecaster');
  expect(question.events.length).toBeGreaterThanOrEqual(2);
  // Chen has forecast on this question, so anti-herding shows the aggregate.
  expect(question.teamView.visible).toBe(true);
  const pooled: number[] = question.aggregate.probabilities;
  expect(pooled).toHaveLength(4);
  expect(pooled.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);

  const before = await forecastsOf(api, id);
  expect(before.restricted).toBe(false);
  const chenId: number = (await me.json()).user.id;
  const mineBefore = before.forecasts.filter((f) => f.user.id === chenId).length;

  const scenarioIds: number[] = question.scenarios.map((s: { id: number }) => s.id);
  const rationale = `Posted through the API by the e2e suite (${Date.now()}).`;
  const post = await api.post(`/api/v1/questions/${id}/forecasts`, {
    data: { probabilities: Object.fromEntries(scenarioIds.map((sid, k) => [String(sid), [30, 35, 30, 5][k]])), rationale },
  });
  expect(post.status()).toBe(201);
  const { forecast } = await post.json();
  expect(forecast.user.id).toBe(chenId);
  expect(forecast.probabilities.map((p: number) => Math.round(p * 100))).toEqual([30, 35, 30, 5]);

  const after = await forecastsOf(api, id);
  const mine = after.forecasts.filter((f) => f.user.id === chenId);
  expect(mine).toHaveLength(mineBefore + 1);
  expect(mine[0]!.id).toBe(forecast.id);
  expect(mine[0]!.rationale).toBe(rationale);

  // The forecast is Chen's like any other: it is in Chen's history on the question page.
  await settings.goto(`/questions/${id}`);
  await expect(settings.getByTestId('forecast-history')).toContainText(rationale);

  // The list shows when the token was last used; revoke it there.
  await settings.goto('/settings');
  const row = settings.getByTestId('token-list').getByRole('row').filter({ hasText: 'e2e notebook' });
  await expect(row).not.toContainText('never');
  await row.getByRole('button', { name: 'Revoke e2e notebook' }).click();
  await expect(row).toContainText('Revoked');
  await expect(row.getByRole('button', { name: /Revoke/ })).toHaveCount(0);

  await expectJsonError(await api.get('/api/v1/me'), 401, /not valid/);
  await expectJsonError(await api.get(`/api/v1/questions/${id}`), 401);
  await expectJsonError(await api.post(`/api/v1/questions/${id}/forecasts`, { data: { probabilities: [30, 35, 30, 5] } }), 401);
  // The refused post saved nothing (checked through Chen's session, which still works).
  expect((await forecastsOf(settings.request, id)).forecasts.filter((f) => f.user.id === chenId)).toHaveLength(mineBefore + 1);
  await api.dispose();
});

test('bad bodies, unknown ids and a viewer token get JSON errors with the right status, and nothing is saved', async ({ browser, playwright, baseURL }) => {
  const { token } = await createToken(browser, 'chen', 'e2e errors');
  const api = await apiContext(playwright, baseURL!, token);
  const id = await questionId(api, FOUNDING_TITLE);
  const url = `/api/v1/questions/${id}/forecasts`;
  const count = async () => (await forecastsOf(api, id)).forecasts.length;
  const before = await count();

  const json = { 'content-type': 'application/json' };
  // A Buffer, so Playwright sends the bytes as they are (it would JSON-encode a string).
  await expectJsonError(await api.post(url, { headers: json, data: Buffer.from('{"probabilities": [30, 35,') }), 400, /not valid JSON/);
  await expectJsonError(await api.post(url, { headers: { 'content-type': 'text/plain' }, data: '{"probabilities": [30, 35, 30, 5]}' }), 400, /Content-Type: application\/json/);
  await expectJsonError(await api.post(url, { data: { probabilities: '30,35,30,5' } }), 400, /"probabilities" must be/);
  await expectJsonError(await api.post(url, { data: { probabilities: [30, 35, 30, 5], colour: 'red' } }), 400, /Unknown field: colour/);
  await expectJsonError(await api.post(url, { data: { probabilities: [50, 50] } }), 400, /has 2 values, but the question has 4 scenarios/);
  // The input rule (docs/formulas.md#the-input-rule), from the one validation path (saveForecast).
  const sum = await expectJsonError(await api.post(url, { data: { probabilities: [30, 30, 30, 5] } }), 400, /100/);
  expect(sum.error.code).toBe('invalid');
  await expectJsonError(await api.post(url, { data: { probabilities: [0, 65, 30, 5] } }), 400, /0\.1%/);
  await expectJsonError(await api.post(url, { data: { probabilities: { '999999': 100 } } }), 400, /999999/);
  expect(await count()).toBe(before);

  // Unknown ids and ids that are not positive integers: JSON 404s.
  for (const path of ['/api/v1/questions/999999', '/api/v1/questions/abc', '/api/v1/questions/0', '/api/v1/questions/1.5/forecasts', '/api/v1/questions/999999/scores', '/api/v1/no-such-endpoint']) {
    await expectJsonError(await api.get(path), 404);
  }
  await expectJsonError(await api.post('/api/v1/questions/999999/forecasts', { data: { probabilities: [50, 50] } }), 404);
  // Scores before resolution: 409.
  await expectJsonError(await api.get(`/api/v1/questions/${id}/scores`), 409, /not resolved/);

  // A viewer's token reads everything a viewer may read, and may not forecast.
  const viewer = await apiContext(playwright, baseURL!, (await createToken(browser, 'viewer', 'e2e viewer')).token);
  const q = await viewer.get(`/api/v1/questions/${id}`);
  expect(q.status()).toBe(200);
  expect((await q.json()).question.aggregate).not.toBeNull();
  await expectJsonError(await viewer.post(url, { data: { probabilities: [30, 35, 30, 5] } }), 403, /Only team leads and forecasters can forecast/);
  expect(await count()).toBe(before);
  await api.dispose();
  await viewer.dispose();
});

test('signed out, the API answers 401 JSON, not the sign-in page', async ({ playwright, baseURL }) => {
  const anon = await apiContext(playwright, baseURL!);
  for (const path of ['/api/v1/questions', '/api/v1/me', '/api/v1/questions/1', '/api/v1/questions/1/forecasts']) {
    const r = await anon.get(path, { maxRedirects: 0 });
    const body = await expectJsonError(r, 401, /Sign in, or send a personal API token/);
    expect(body.error.code).toBe('unauthenticated');
    expect(r.headers()['www-authenticate']).toMatch(/^Bearer/);
  }
  await expectJsonError(await anon.post('/api/v1/questions/1/forecasts', { data: { probabilities: [50, 50] }, maxRedirects: 0 }), 401);
  // A made-up or malformed token is refused the same way, with a message about the token.
  const forged = await apiContext(playwright, baseURL!, `sp_${'A'.repeat(43)}`);
  await expectJsonError(await forged.get('/api/v1/me'), 401, /token is not valid/);
  const garbled = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: 'Basic Y2hlbjpzZWNyZXQ=' } });
  await expectJsonError(await garbled.get('/api/v1/me'), 401, /token is not valid/);
  await Promise.all([anon.dispose(), forged.dispose(), garbled.dispose()]);
});

test('the forecasts CSV downloads from the question page and parses: one row per forecast and scenario', async ({ browser }) => {
  const lead = await pageAs(browser, 'lead');
  const id = Number(
    (await (await lead.request.get('/api/v1/questions')).json()).questions.find((q: { title: string }) => q.title === FOUNDING_TITLE).id,
  );
  await lead.goto(`/questions/${id}`);
  const [download] = await Promise.all([lead.waitForEvent('download'), lead.getByRole('link', { name: 'forecasts (CSV)' }).click()]);
  expect(download.suggestedFilename()).toBe(`signpost-question-${id}-forecasts.csv`);
  const text = fs.readFileSync((await download.path())!, 'utf8');
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  expect(parsed.meta.fields).toEqual(FORECAST_CSV_HEADER);

  // The same visibility as the API: a lead sees every forecast.
  const api = (await (await lead.request.get(`/api/v1/questions/${id}/forecasts`)).json()) as { forecasts: ForecastJson[] };
  expect(parsed.data).toHaveLength(api.forecasts.length * FOUNDING_SCENARIOS.length);
  const byForecast = new Map<string, Record<string, string>[]>();
  for (const row of parsed.data) byForecast.set(row.forecast_id!, [...(byForecast.get(row.forecast_id!) ?? []), row]);
  expect(byForecast.size).toBe(api.forecasts.length);
  for (const rows of byForecast.values()) {
    expect(rows.map((r) => r.scenario)).toEqual(FOUNDING_SCENARIOS);
    expect(rows.reduce((s, r) => s + Number(r.probability), 0)).toBeCloseTo(1, 9);
    expect(rows[0]!.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  }
  // Updates carry their event and indicator; plain forecasts leave them empty.
  const updates = parsed.data.filter((r) => r.event_id !== '');
  expect(updates.length).toBeGreaterThan(0);
  expect(updates.every((r) => r.indicator !== '')).toBe(true);
  // Rows are oldest first, with names, and the seeded rationale survives quoting.
  const times = [...byForecast.values()].map((rows) => rows[0]!.time);
  expect([...times].sort()).toEqual(times);
  expect(parsed.data.some((r) => r.user === 'Ana Ahmadi' && r.rationale === 'Talks are fragile; strikes have precedent.')).toBe(true);

  // Scores: 409 JSON before resolution, a CSV per forecaster and method after.
  const early = await lead.request.get(`/questions/${id}/export/scores.csv`);
  expect(early.status()).toBe(409);
  expect((await early.json()).error.message).toMatch(/not resolved/);
  const practiceId = Number(
    (await (await lead.request.get('/api/v1/questions')).json()).questions.find((q: { title: string }) => q.title === PRACTICE_TITLE).id,
  );
  const scores = await lead.request.get(`/questions/${practiceId}/export/scores.csv`);
  expect(scores.status()).toBe(200);
  expect(scores.headers()['content-type']).toBe('text/csv; charset=utf-8');
  expect(scores.headers()['content-disposition']).toBe(`attachment; filename="signpost-question-${practiceId}-scores.csv"`);
  const sc = Papa.parse<Record<string, string>>(await scores.text(), { header: true, skipEmptyLines: true });
  const apiScores = await (await lead.request.get(`/api/v1/questions/${practiceId}/scores`)).json();
  const forecasterRows = sc.data.filter((r) => r.kind === 'forecaster');
  expect(forecasterRows.map((r) => Number(r.id)).sort()).toEqual(apiScores.forecasters.map((f: { userId: number }) => f.userId).sort());
  for (const r of forecasterRows) {
    const f = apiScores.forecasters.find((x: { userId: number }) => x.userId === Number(r.id));
    expect(Number(r.time_averaged_brier)).toBeCloseTo(f.timeAveragedBrier, 12);
    expect(Number(r.relative_brier)).toBeCloseTo(f.relativeBrier, 12);
  }
  expect(sc.data.filter((r) => r.kind === 'method')).toHaveLength(apiScores.methods.length);
});

test('anti-herding holds in the API and the CSV: others stay hidden until the caller forecasts', async ({ browser, playwright, baseURL }) => {
  const title = `API anti-herding check ${Date.now()}`;
  const lead = await pageAs(browser, 'lead');
  await createPublishedQuestionWithLeadForecast(lead, title, { Up: 60, Down: 40 }, 'The lead’s reasoning, hidden from the API at first.');

  const { page: chen, token } = await createToken(browser, 'chen', 'e2e anti-herding');
  const api = await apiContext(playwright, baseURL!, token);
  const id = await questionId(api, title);
  const csvRows = async () => {
    const r = await chen.request.get(`/questions/${id}/export/forecasts.csv`);
    expect(r.status()).toBe(200);
    const parsed = Papa.parse<Record<string, string>>(await r.text(), { header: true, skipEmptyLines: true });
    expect(parsed.meta.fields).toEqual(FORECAST_CSV_HEADER);
    return parsed.data;
  };

  const hidden = (await (await api.get(`/api/v1/questions/${id}`)).json()).question;
  expect(hidden.teamView.visible).toBe(false);
  expect(hidden.aggregate).toBeNull();
  expect(hidden.forecastCount).toBeNull();
  const before = await forecastsOf(api, id);
  expect(before.restricted).toBe(true);
  expect(before.forecasts).toEqual([]);
  expect(await csvRows()).toEqual([]);

  const post = await api.post(`/api/v1/questions/${id}/forecasts`, { data: { probabilities: [30, 70], rationale: 'Chen, first.' } });
  expect(post.status()).toBe(201);

  const shown = (await (await api.get(`/api/v1/questions/${id}`)).json()).question;
  expect(shown.teamView.visible).toBe(true);
  expect(shown.aggregate.forecasterCount).toBe(2);
  const after = await forecastsOf(api, id);
  expect(after.restricted).toBe(false);
  expect(after.forecasts.map((f) => f.rationale).sort()).toEqual(['Chen, first.', 'The lead’s reasoning, hidden from the API at first.']);
  const rows = await csvRows();
  expect(rows).toHaveLength(4);
  expect(rows.filter((r) => r.user === 'Lena Lead').map((r) => [r.scenario, Number(r.probability)])).toEqual([['Up', 0.6], ['Down', 0.4]]);
  await api.dispose();
});
