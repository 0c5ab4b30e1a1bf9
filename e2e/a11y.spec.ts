// Accessibility: axe (WCAG 2.0 and 2.1, levels A and AA) finds nothing on any main page, for a
// lead and a forecaster, at desktop width and at a phone's, and on the sign-in page signed out.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { authFile, type SeedUser } from './helpers';
import { mainPagePath, openMainPage, pageNames } from './main-pages';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

async function expectNoViolations(page: Page, what: string) {
  const result = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  const found = result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n` + v.nodes.slice(0, 5).map((n) => `    ${n.target.join(' ')}: ${n.failureSummary?.split('\n').join(' ')}`).join('\n'),
  );
  expect(found, `axe violations on ${what}`).toEqual([]);
  // The check ran rules, not nothing: axe passed some on every page.
  expect(result.passes.length).toBeGreaterThan(10);
}

const VIEWPORTS = [
  { name: 'desktop', viewport: { width: 1280, height: 800 } },
  { name: 'phone', viewport: { width: 390, height: 844 } },
];

for (const { name: size, viewport } of VIEWPORTS) {
  test.describe(`at ${size} size`, () => {
    test.use({ viewport });
    test(`the sign-in page has no accessibility violations (${size})`, async ({ page }) => {
      await openMainPage(page, '/sign-in');
      await expectNoViolations(page, `sign-in, ${size}`);
    });
    for (const [user, lead] of [['lead', true], ['ana', false]] as [SeedUser, boolean][]) {
      test.describe(`as ${user}`, () => {
        test.use({ storageState: authFile(user) });
        for (const name of pageNames(lead)) {
          test(`${name}: no accessibility violations (${user}, ${size})`, async ({ page }) => {
            const path = await mainPagePath(page, lead, name);
            await openMainPage(page, path);
            await expectNoViolations(page, `${name} (${path}) as ${user}, ${size}`);
          });
        }
      });
    }
  });
}

test('axe does find a violation when there is one', async ({ page }) => {
  await openMainPage(page, '/sign-in');
  // An input with no label and text too faint to read: both must be reported.
  await page.evaluate(() => {
    const input = document.createElement('input');
    input.type = 'text';
    document.querySelector('main')!.append(input);
    const faint = document.createElement('p');
    faint.textContent = 'faint text';
    faint.style.color = '#f4f4f4';
    document.querySelector('main')!.append(faint);
  });
  const result = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  const ids = result.violations.map((v) => v.id);
  expect(ids).toEqual(expect.arrayContaining(['label', 'color-contrast']));
});
