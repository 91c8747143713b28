import { expect, test } from '@playwright/test';
import { documentOverflow, signInWithConsent } from './support/demo-tenant';
import { screenshotStep } from './support/screenshots';

test('the signed-out shell is usable with the keyboard alone', async ({ page }, testInfo) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Backup for Entra ID', level: 1 })).toBeVisible();

  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Product menu' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('menuitem', { name: 'Backup for Entra ID' })).toBeFocused();
  await screenshotStep(page, testInfo, '01-keyboard-product-menu');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('button', { name: 'Product menu' })).toBeFocused();

  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Entra Backup' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Sign in with Microsoft 365' })).toBeFocused();
});

test('an unknown address shows a page, not a blank screen', async ({ page }, testInfo) => {
  await page.goto('/no/such/page');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await screenshotStep(page, testInfo, '02-not-found');
});

test('a signed-in admin reaches Settings with the keyboard and the layout fits a laptop screen', async ({
  page,
}, testInfo) => {
  // With consent granted, so that "Back up now" is there to be reached.
  await signInWithConsent(page);
  await page.goto('/backups');
  await expect(page.getByRole('heading', { name: 'Backups', level: 1 })).toBeVisible();

  const settings = page.getByRole('banner').getByRole('link', { name: 'Settings' }).first();
  await settings.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
  await page.getByRole('button', { name: 'Back up now' }).focus();
  await expect(page.getByRole('button', { name: 'Back up now' })).toBeFocused();

  // Nothing overflows sideways at the smallest supported width.
  const overflow = await documentOverflow(page);
  expect(overflow).toBeLessThanOrEqual(0);
  await screenshotStep(page, testInfo, '03-settings-keyboard');
});
