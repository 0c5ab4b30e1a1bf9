import { expect, type APIRequestContext, type Browser, type Page } from '@playwright/test';

export const PASSWORD = 'signpost-demo';
export const ROLES = {
  lead: 'lead@example.com',
  ana: 'ana@example.com',
  ben: 'ben@example.com',
  chen: 'chen@example.com',
  dara: 'dara@example.com',
  viewer: 'viewer@example.com',
} as const;
export type SeedUser = keyof typeof ROLES;
export const authFile = (user: SeedUser) => `e2e/.auth/${user}.json`;

export const FOUNDING_TITLE = 'How will the US-Iran standoff develop by 31 December 2026?';
export const PRACTICE_TITLE = 'Practice: will the spring Muscat round be held as scheduled?';
export const FOUNDING_SCENARIOS = [
  'Managed de-escalation',
  'Limited military strike',
  'Unintended escalation',
  'Comprehensive agreement or other outcome',
];

export async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/questions/);
}

/** A page signed in as one of the seeded users, from the saved storage state. */
export async function pageAs(browser: Browser, user: SeedUser): Promise<Page> {
  const context = await browser.newContext({ storageState: authFile(user) });
  return context.newPage();
}

export async function openQuestion(page: Page, title: string) {
  await page.goto('/questions');
  await page.getByRole('link', { name: title }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
}

export type Fields = [string, string][];

/**
 * The fields a server-action form would post without JavaScript, read from a server-rendered
 * page (React writes the $ACTION fields only during server rendering, so reload after a
 * client-side navigation).
 */
export async function readFormFields(page: Page, formSelector: string): Promise<Fields> {
  const fields = await page.locator(formSelector).first().evaluate((form) => {
    const out: [string, string][] = [];
    new FormData(form as HTMLFormElement).forEach((v, k) => {
      if (typeof v === 'string') out.push([k, v]);
    });
    return out;
  });
  if (!fields.some(([k]) => k.startsWith('$ACTION'))) throw new Error(`readFormFields: ${formSelector} has no server-action fields`);
  return fields;
}

/** Replaces the value of one field (all occurrences) in captured fields. */
export const withField = (fields: Fields, key: string, value: string): Fields =>
  fields.map(([k, v]) => [k, k === key ? value : v]);

/** Posts a captured server-action form as another user (a forged post, no JavaScript). */
export async function forgePost(request: APIRequestContext, baseURL: string, path: string, fields: Fields) {
  const form = new FormData();
  for (const [k, v] of fields) form.append(k, v);
  return request.post(path, { multipart: form, headers: { Origin: baseURL }, maxRedirects: 0 });
}

/** Page object for the forecast form. */
export class ForecastFormPO {
  constructor(private readonly page: Page) {}
  form() {
    return this.page.getByRole('form', { name: 'Forecast' });
  }
  async fill(values: Record<string, string | number>) {
    for (const [name, v] of Object.entries(values)) {
      await this.form().getByLabel(name, { exact: true }).fill(String(v));
    }
  }
  async rationale(text: string) {
    await this.form().getByLabel('Rationale (optional)').fill(text);
  }
  async submit() {
    await this.form().getByRole('button', { name: /Submit|Save update/ }).click();
  }
  total() {
    return this.form().getByTestId('forecast-total');
  }
}

/** The error line a form shows (Next's route announcer also has role=alert, so narrow it). */
export const formError = (page: Page) => page.locator('p.error[role="alert"]');

/** As a lead: creates and publishes a question, then makes the lead's forecast on it. */
export async function createPublishedQuestionWithLeadForecast(
  lead: Page,
  title: string,
  forecast: Record<string, number>,
  rationale: string,
) {
  await lead.goto('/questions/new');
  await lead.getByLabel('Title').fill(title);
  await lead.getByLabel('Resolution criteria').fill('By the e2e suite.');
  const names = Object.keys(forecast);
  for (let i = 0; i < names.length; i++) {
    if (i >= 2) await lead.getByRole('button', { name: 'Add scenario' }).click();
    await lead.getByLabel(`Scenario ${i + 1}`, { exact: true }).fill(names[i]!);
  }
  await lead.getByRole('button', { name: 'Save draft' }).click();
  await lead.getByRole('button', { name: 'Publish question' }).click();
  const form = new ForecastFormPO(lead);
  await form.fill(forecast);
  await form.rationale(rationale);
  await form.submit();
  await expect(lead.getByText('Forecast saved.')).toBeVisible();
}
