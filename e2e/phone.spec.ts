// At a phone's width (390 x 844, the project's viewport) no page scrolls sideways: wide tables
// scroll inside their own box, the header wraps, forms and charts fit. Checked on every main
// page, for a lead and a forecaster, and on the sign-in page signed out.
import { expect, test, type Page } from '@playwright/test';
import { authFile, type SeedUser } from './helpers';
import { mainPagePath, mainPages, openMainPage, pageNames } from './main-pages';

const WIDTH = 390;

interface Overflow {
  documentWidth: number;
  bodyWidth: number;
  /** Elements reaching past the viewport's edges that no scrolling or clipping box holds. */
  stickingOut: string[];
}

/** How wide the page is, and which elements stick out of a 390 px viewport. */
async function measure(page: Page): Promise<Overflow> {
  return page.evaluate(() => {
    const vw = document.documentElement.clientWidth;
    // An element inside a box that scrolls or clips sideways does not widen the page.
    const held = (el: Element): boolean => {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const x = getComputedStyle(p).overflowX;
        if (x === 'auto' || x === 'scroll' || x === 'hidden' || x === 'clip') return true;
      }
      return false;
    };
    const describe = (el: Element, r: DOMRect) =>
      `<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''}> ` +
      `from ${Math.round(r.left)} to ${Math.round(r.right)} px: "${(el.textContent ?? '').trim().slice(0, 40)}"`;
    const stickingOut: string[] = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if ((r.right > vw + 0.5 || r.left < -0.5) && !held(el)) stickingOut.push(describe(el, r));
    }
    return { documentWidth: document.documentElement.scrollWidth, bodyWidth: document.body.scrollWidth, stickingOut: stickingOut.slice(0, 10) };
  });
}

async function expectNoSidewaysScroll(page: Page, what: string) {
  const m = await measure(page);
  // Soft: one run names every way the page does not fit, not just the first.
  expect.soft(m.stickingOut, `${what}: elements sticking out of the ${WIDTH} px viewport`).toEqual([]);
  expect.soft(m.documentWidth, `${what}: the document's width`).toBeLessThanOrEqual(WIDTH);
  expect.soft(m.bodyWidth, `${what}: the body's width`).toBeLessThanOrEqual(WIDTH);
}

test('the viewport is a phone’s', async ({ page }) => {
  expect(page.viewportSize()).toEqual({ width: WIDTH, height: 844 });
});

test('the sign-in page fits a phone', async ({ page }) => {
  await openMainPage(page, '/sign-in');
  await expectNoSidewaysScroll(page, 'sign-in');
});

for (const [user, lead] of [['lead', true], ['ana', false]] as [SeedUser, boolean][]) {
  test.describe(`as ${user}`, () => {
    test.use({ storageState: authFile(user) });
    for (const name of pageNames(lead)) {
      test(`${name} fits a phone (${user})`, async ({ page }) => {
        const path = await mainPagePath(page, lead, name);
        await openMainPage(page, path);
        await expectNoSidewaysScroll(page, `${name} (${path}) as ${user}`);
      });
    }
  });
}

test('a wide table scrolls inside its own box, which a keyboard can reach', async ({ browser }) => {
  const context = await browser.newContext({ storageState: authFile('lead'), viewport: { width: WIDTH, height: 844 } });
  const page = await context.newPage();
  const pages = await mainPages(page, true);
  await openMainPage(page, pages.find((p) => p.name === 'review')!.path);
  const boxes = page.locator('.table-box');
  expect(await boxes.count()).toBeGreaterThan(0);
  // At least one table on the review page is wider than the phone and scrolls in its box.
  const widths = await boxes.evaluateAll((els) => els.map((el) => ({ client: el.clientWidth, scroll: el.scrollWidth, label: el.getAttribute('aria-label'), tabIndex: (el as HTMLElement).tabIndex, role: el.getAttribute('role') })));
  const scrolling = widths.filter((w) => w.scroll > w.client);
  expect(scrolling.length, JSON.stringify(widths)).toBeGreaterThan(0);
  for (const w of widths) {
    expect(w.role).toBe('region');
    expect(w.label).toBeTruthy();
    expect(w.tabIndex).toBe(0);
  }
  await context.close();
});
