// Signing in with a wrong password, and the limit on repeated failures.
import { expect, test } from '@playwright/test';
import { ROLES, formError } from './helpers';

test('a wrong password shows a clear message and does not sign in', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(ROLES.chen);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(formError(page)).toHaveText('Wrong email or password.');
  await expect(page).toHaveURL(/\/sign-in/);
});

test('repeated failed sign-ins are limited and say when to retry', async ({ page }) => {
  await page.goto('/sign-in');
  const email = 'nobody-here@example.com';
  for (let i = 0; i < 10; i++) {
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(`wrong-${i}`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // The form clears the password (and keeps the email) once the attempt has been answered.
    await expect(page.getByLabel('Password')).toHaveValue('');
    await expect(page.getByLabel('Email')).toHaveValue(email);
    await expect(formError(page)).toHaveText('Wrong email or password.');
  }
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('wrong-again');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(formError(page)).toContainText(/Too many failed sign-ins\. Try again in \d+ minutes\./);
});
