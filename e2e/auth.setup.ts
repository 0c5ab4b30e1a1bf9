import fs from 'node:fs';
import { test as setup } from '@playwright/test';
import { ROLES, authFile, signIn, type SeedUser } from './helpers';

// One sign-in per seeded user, saved as storage state for the other specs.
for (const user of Object.keys(ROLES) as SeedUser[]) {
  setup(`sign in as ${user}`, async ({ page }) => {
    fs.mkdirSync('e2e/.auth', { recursive: true });
    await signIn(page, ROLES[user]);
    await page.context().storageState({ path: authFile(user) });
  });
}
