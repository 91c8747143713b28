import { expect, type Page } from '@playwright/test';

/** Headings of the emulator's account picker: for sign-in, and for admin consent. */
export const ACCOUNT_PICKER = /Pick an account|Sign in to grant consent/;
const ACCOUNT_OR_ORGANIZATION = /Pick an (organization|account)|Sign in to grant consent/;

export type DemoUser = 'global administrator' | 'ordinary user';

/**
 * On the emulator's sign-in pages (HTTPS, another port): picks the first demo organization and,
 * in it, the Global Administrator or a user without any directory role.
 */
export async function pickDemoAccount(page: Page, user: DemoUser): Promise<string> {
  await expect(page.getByRole('heading', { name: ACCOUNT_OR_ORGANIZATION })).toBeVisible();
  if (await page.getByRole('heading', { name: 'Pick an organization' }).isVisible()) {
    await page.locator('button.account').first().click();
  }
  await expect(page.getByRole('heading', { name: ACCOUNT_PICKER })).toBeVisible();
  const accounts = page.locator('button.account');
  const account =
    user === 'global administrator'
      ? accounts.filter({ hasText: 'Global Administrator' }).first()
      : accounts.filter({ hasNotText: /Administrator|directory role holder/ }).first();
  const upn = (await account.locator('small').innerText()).split(' · ')[0]!.trim();
  await account.click();
  return upn;
}
