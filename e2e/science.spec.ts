// Forecast science on a server of its own (its record of resolved questions must not move the
// seeded demo's): the method the team's record favours on the lead's review page, switched to
// with one click; and which signposts discriminated.
import { expect, test, type Browser, type Page } from '@playwright/test';
import type { Db } from '../db/index';
import { logIndicatorEvent } from '../db/queries/events';
import { saveForecast } from '../db/queries/forecasts';
import { recordLikelihoods } from '../db/queries/indicators';
import { createQuestion, getQuestionForUser, publishQuestion } from '../db/queries/questions';
import { resolveQuestion } from '../db/queries/resolution';
import { hashPassword } from '../db/queries/users';
import { users } from '../db/schema';
import type { Actor } from '../lib/domain';
import { eventInputSchema } from '../lib/validation/indicator';
import { questionInputSchema } from '../lib/validation/question';
import { startOwnServer, type OwnServer } from './own-server';

const PASSWORD = 'science-password-0000';
const DAY = 86_400_000;

async function seed(db: Db) {
  const now = Date.now();
  const passwordHash = await hashPassword(PASSWORD);
  const rows = (['lead', 'ana', 'ben', 'cleo', 'viewer'] as const).map((name) => ({
    email: `${name}@science.example`,
    name,
    role: name === 'lead' ? ('lead' as const) : name === 'viewer' ? ('viewer' as const) : ('forecaster' as const),
    passwordHash,
    createdAt: now - 400 * DAY,
  }));
  const people = (await db.write((tx) => tx.insert(users).values(rows).returning({ id: users.id, email: users.email, name: users.name, role: users.role }))) as Actor[];
  const [lead, ...forecasters] = people.filter((p) => p.role !== 'viewer') as [Actor, ...Actor[]];
  const question = async (title: string, opensAt: number, closesAt: number) => {
    const id = await createQuestion(
      db,
      lead,
      questionInputSchema.parse({
        title,
        resolutionCriteria: 'Science test.',
        opensAt: new Date(opensAt).toISOString(),
        closesAt: new Date(closesAt).toISOString(),
        scenarios: ['Yes', 'No'].map((name) => ({ name })),
        indicators: [{ name: 'Signal' }],
      }),
      opensAt - DAY,
    );
    await publishQuestion(db, lead, id, opensAt - DAY);
    return getQuestionForUser(db, lead, id, opensAt);
  };
  // Ten resolved questions on which every forecaster leaned the right way: extremising helps.
  const leans = [70, 65, 80, 60, 75, 72, 68, 77, 62, 85];
  let firstResolved: number | undefined;
  for (const [i, p] of leans.entries()) {
    const start = now - 300 * DAY + i * 20 * DAY;
    const q = await question(`Resolved ${i + 1}`, start, start + 15 * DAY);
    firstResolved ??= q.id;
    const outcome = i % 2;
    const onYes = outcome === 0 ? p : 100 - p;
    if (i === 0) {
      // The signal of the first question (resolves Yes): the team default, Ana and Ben judged it.
      const L = (yes: number, no: number) => new Map([[q.scenarios[0]!.id, yes], [q.scenarios[1]!.id, no]]);
      const ind = q.indicators[0]!.id;
      await recordLikelihoods(db, lead, ind, L(60, 20), { teamDefault: true }, start + 1000);
      await recordLikelihoods(db, forecasters[0]!, ind, L(90, 10), {}, start + 2000);
      await recordLikelihoods(db, forecasters[1]!, ind, L(30, 70), {}, start + 3000);
      await logIndicatorEvent(db, lead, q.id, eventInputSchema.parse({ indicatorId: String(ind), occurredAt: new Date(start + 5 * DAY).toISOString() }), start + 5 * DAY);
    }
    for (const [k, f] of forecasters.entries()) {
      await saveForecast(db, f, q.id, { values: new Map([[q.scenarios[0]!.id, onYes], [q.scenarios[1]!.id, 100 - onYes]]), rationale: '' }, start + k * 1000);
    }
    await resolveQuestion(db, lead, q.id, { scenarioId: q.scenarios[outcome]!.id, resolvedAt: start + 14 * DAY, note: '' }, start + 15 * DAY);
  }
  const open = await question('Open question', now - 10 * DAY, now + 30 * DAY);
  await saveForecast(db, forecasters[0]!, open.id, { values: new Map([[open.scenarios[0]!.id, 60], [open.scenarios[1]!.id, 40]]), rationale: '' }, now - 5 * DAY);
  return { open: open.id, firstResolved: firstResolved! };
}

let own: OwnServer<Awaited<ReturnType<typeof seed>>>;
test.beforeAll(async () => {
  own = await startOwnServer('science', seed);
});
test.afterAll(async () => {
  await own?.stop();
});

async function signInPage(browser: Browser, name: string): Promise<Page> {
  const page = await (await browser.newContext({ baseURL: own.base })).newPage();
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(`${name}@science.example`);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).not.toHaveURL(/\/sign-in/);
  return page;
}

test('the lead sees the method the record favours beside the current one and switches with one click', async ({ browser }) => {
  const lead = await signInPage(browser, 'lead');
  await lead.goto(`/questions/${own.seeded.open}/review`);
  const box = lead.getByTestId('method-recommendation');
  await expect(box.getByTestId('current-method')).toHaveText('Geometric mean, recency-weighted');
  await expect(box.getByTestId('recommended-method')).toHaveText('Extremised geometric mean, equal weights (power 3)');
  await expect(box).toContainText('across 10 resolved questions');
  await expect(box.getByTestId('recommendation-difference')).toHaveText(/^−0\.\d{4} ± 0\.\d{4}$/);
  // It has not switched by itself.
  await lead.goto(`/questions/${own.seeded.open}`);
  await expect(lead.getByTestId('aggregate-table')).toBeVisible();
  await expect(lead.getByText('Geometric mean, recency-weighted of 1 forecaster')).toBeVisible();

  await lead.goto(`/questions/${own.seeded.open}/review`);
  await box.getByRole('button', { name: 'Switch to Extremised geometric mean, equal weights (power 3)' }).click();
  // The page re-renders with the new current method (the button goes with it).
  await expect(box).toContainText('This question already uses it.');
  await lead.reload();
  await expect(box.getByTestId('current-method')).toHaveText('Extremised geometric mean, equal weights (power 3)');
  await expect(box).toContainText('This question already uses it.');
  await lead.goto(`/questions/${own.seeded.open}`);
  await expect(lead.getByText('Extremised geometric mean, equal weights (power 3) of 1 forecaster')).toBeVisible();
  // 60/40 extremised at power 3: 0.6^3 / (0.6^3 + 0.4^3) = 77.1%.
  await expect(lead.getByTestId('aggregate-table')).toContainText('77.1%');
});

test('forecasters and viewers get no review page', async ({ browser }) => {
  for (const who of ['ana', 'viewer']) {
    const page = await signInPage(browser, who);
    const r = await page.goto(`/questions/${own.seeded.open}/review`);
    expect(r?.status()).toBe(404);
    await page.context().close();
  }
});

// Scores ln(e_o / mean_k e_k) with e = the likelihoods of the observed signal, outcome Yes:
// team default ln(0.6 / 0.4) = +0.41, Ana ln(0.9 / 0.5) = +0.59, Ben ln(0.3 / 0.5) = -0.51.
test('which signposts discriminated: the lead sees everyone, each forecaster only themselves, in pages and the scores CSV', async ({ browser }) => {
  const lead = await signInPage(browser, 'lead');
  await lead.goto(`/questions/${own.seeded.open}/review`);
  const team = lead.getByTestId('team-discrimination');
  const row = (where: typeof team, judge: string) => where.getByRole('row').filter({ has: where.page().getByRole('cell', { name: judge, exact: true }) }).first();
  await expect(row(team, 'Team default')).toContainText('+0.41');
  await expect(row(team, 'ana')).toContainText('+0.59');
  await expect(row(team, 'ben')).toContainText('−0.51');
  await expect(row(team, 'Forecasters together')).toContainText('+0.04'); // (0.588 - 0.511) / 2

  const ana = await signInPage(browser, 'ana');
  await ana.goto('/me');
  const mine = ana.getByTestId('my-discrimination');
  await expect(row(mine, 'ana')).toContainText('+0.59');
  await expect(row(mine, 'Team default')).toContainText('+0.41');
  await expect(mine).not.toContainText('ben');
  await expect(mine).not.toContainText('Forecasters together');

  const csvOf = async (page: Page) => {
    const r = await page.request.get(`/questions/${own.seeded.firstResolved}/export/scores.csv`);
    expect(r.status()).toBe(200);
    const lines = (await r.text()).trim().split('\r\n').map((l) => l.split(','));
    const header = lines[0]!;
    return lines.slice(1).filter((l) => l[0] === 'signpost').map((l) => Object.fromEntries(header.map((h, i) => [h, l[i]])));
  };
  const leadRows = await csvOf(lead);
  expect(leadRows.map((r) => r.judge).sort()).toEqual(['Team default', 'ana', 'ben']);
  expect(Number(leadRows.find((r) => r.judge === 'ben')!.mean_log_likelihood_vs_flat)).toBeCloseTo(Math.log(0.6), 12);
  const anaRows = await csvOf(ana);
  expect(anaRows.map((r) => r.judge).sort()).toEqual(['Team default', 'ana']);
  expect(Number(anaRows.find((r) => r.judge === 'ana')!.mean_log_likelihood_vs_flat)).toBeCloseTo(Math.log(1.8), 12);
  expect(anaRows.find((r) => r.judge === 'ana')!.judgements).toBe('1');
});

test('the lead sets a skill method with its own temperature: refused out of range, then shown on the question, the review page and in the API', async ({ browser }) => {
  const lead = await signInPage(browser, 'lead');
  await lead.goto(`/questions/${own.seeded.open}`);
  const form = lead.getByRole('form', { name: 'Aggregation method' });
  // The form shows the question's current setting: the tuned defaults.
  await expect(form.getByLabel('Skill temperature (above 0, at most 10)')).toHaveValue('0.05');
  await expect(form.getByLabel('Skill prior count (0–1000)')).toHaveValue('20');
  await form.getByLabel('Team forecast method').selectOption({ label: 'Mean, skill-weighted' });
  await form.getByLabel('Skill temperature (above 0, at most 10)').fill('0');
  await form.getByRole('button', { name: 'Save method' }).click();
  await expect(form).toContainText('The skill temperature must be a number above 0 and at most 10, e.g. 0.05.');
  await lead.reload();
  await expect(lead.getByText('Extremised geometric mean, equal weights (power 3) of 1 forecaster')).toBeVisible();

  await form.getByLabel('Team forecast method').selectOption({ label: 'Mean, skill-weighted' });
  await form.getByLabel('Skill temperature (above 0, at most 10)').fill('0.025');
  await form.getByRole('button', { name: 'Save method' }).click();
  await expect(form).toContainText('Aggregation method saved.');
  await lead.reload();
  await expect(lead.getByText('Mean, skill-weighted (temperature 0.025) of 1 forecaster')).toBeVisible();
  await expect(lead.getByTestId('aggregate-0')).toHaveText('60.0%');

  await lead.goto(`/questions/${own.seeded.open}/review`);
  await expect(lead.getByTestId('method-recommendation').getByTestId('current-method')).toHaveText('Mean, skill-weighted (temperature 0.025)');

  const r = await lead.request.get(`/api/v1/questions/${own.seeded.open}`);
  expect(r.status()).toBe(200);
  const body = (await r.json()) as { question: { aggregationMethod: string; extremisingAlpha: number; skillSettings: unknown; aggregate: { method: unknown } } };
  expect(body.question.aggregationMethod).toBe('linear-skill');
  expect(body.question.extremisingAlpha).toBe(3);
  expect(body.question.skillSettings).toEqual({ priorCount: 20, temperature: 0.025 });
  expect(body.question.aggregate.method).toEqual({ id: 'linear-skill', label: 'Mean, skill-weighted', alpha: null, skill: { priorCount: 20, temperature: 0.025 } });
});
