// The main pages of the app, as one signed-in person sees them: what the phone-width and the
// accessibility checks visit. Ids are read from the seeded app itself (the founding question,
// an indicator event on it), so the list follows the seed.
import { expect, type Page } from '@playwright/test';
import { FOUNDING_TITLE } from './helpers';

export interface MainPage {
  name: string;
  path: string;
}

/** The names of the pages mainPages() returns, for one test per page. */
export const MEMBER_PAGES = ['questions', 'question', 'update panel', 'dashboard', 'leaderboard', 'track record', 'settings'] as const;
export const LEAD_PAGES = ['review', 'edit question', 'new question', 'team'] as const;
export const pageNames = (lead: boolean): string[] => [...MEMBER_PAGES, ...(lead ? LEAD_PAGES : [])];

/** The path of one main page (by its name in mainPages()). */
export async function mainPagePath(page: Page, lead: boolean, name: string): Promise<string> {
  const found = (await mainPages(page, lead)).find((p) => p.name === name);
  expect(found, `a main page named "${name}"`).toBeTruthy();
  return found!.path;
}

/** The pages every team member sees, plus a lead's own pages when `lead`. */
export async function mainPages(page: Page, lead: boolean): Promise<MainPage[]> {
  await page.goto('/questions');
  await page.getByRole('link', { name: FOUNDING_TITLE }).click();
  await expect(page).toHaveURL(/\/questions\/\d+$/);
  const questionPath = new URL(page.url()).pathname;
  // An indicator event of the founding question (the seed logs several), from the JSON API as
  // this person: the question page links only events they have not yet updated on.
  const id = questionPath.split('/').pop();
  const answer = await page.request.get(`/api/v1/questions/${id}`);
  expect(answer.status()).toBe(200);
  const { question } = (await answer.json()) as { question: { events: { id: number; retracted: unknown }[] } };
  const event = question.events.find((e) => !e.retracted);
  expect(event, 'the founding question has an indicator event').toBeTruthy();
  const updatePath = `${questionPath}/update/${event!.id}`;
  const pages: MainPage[] = [
    { name: 'questions', path: '/questions' },
    { name: 'question', path: questionPath },
    { name: 'update panel', path: updatePath },
    { name: 'dashboard', path: '/dashboard' },
    { name: 'leaderboard', path: '/leaderboard' },
    { name: 'track record', path: '/me' },
    { name: 'settings', path: '/settings' },
  ];
  if (lead) {
    pages.push(
      { name: 'review', path: `${questionPath}/review` },
      { name: 'edit question', path: `${questionPath}/edit` },
      { name: 'new question', path: '/questions/new' },
      { name: 'team', path: '/team' },
    );
  }
  // Each page is one test by name: a page added here but not to the names would go unchecked.
  expect(pages.map((p) => p.name)).toEqual(pageNames(lead));
  return pages;
}

/** Opens a main page and waits until it has drawn (charts measure their box after load). */
export async function openMainPage(page: Page, path: string): Promise<void> {
  const response = await page.goto(path);
  expect(response?.status(), `${path} answers 200`).toBe(200);
  await page.waitForLoadState('networkidle');
}
