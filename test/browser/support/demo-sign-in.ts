import { expect, type Locator, type Page } from '@playwright/test';

/** Headings of the emulator's account picker: for sign-in, and for admin consent. */
export const ACCOUNT_PICKER = /Pick an account|Sign in to grant consent/;
const ACCOUNT_OR_ORGANIZATION = /Pick an (organization|account)|Sign in to grant consent/;

export type DemoUser = 'global administrator' | 'ordinary user';

/**
 * On the emulator's sign-in pages (HTTPS, another port): picks the first demo organization and,
 * in it, the Global Administrator or a user without any directory role.
 */
export function pickDemoAccount(page: Page, user: DemoUser): Promise<string> {
  return pickDemoAccountIn(page, user, 0);
}

/**
 * Like {@link pickDemoAccount}, in the demo organization at that position of the picker (0: the
 * first, which the shared specs use; 1: the second, which only admin-flow.spec.ts signs in to;
 * 2 and later: the partner portal's, see partner-portal.spec.ts).
 */
export async function pickDemoAccountIn(page: Page, user: DemoUser, organization: number): Promise<string> {
  const account = await findDemoAccountIn(page, user, organization);
  await account.button.click();
  return account.upn;
}

/**
 * On the emulator's sign-in pages: chooses the organization and finds the account without picking
 * it yet, so a test can prepare something for that person (e.g. make them a partner's Owner) first.
 */
export async function findDemoAccountIn(
  page: Page,
  user: DemoUser,
  organization: number,
): Promise<{ readonly upn: string; readonly button: Locator }> {
  await expect(page.getByRole('heading', { name: ACCOUNT_OR_ORGANIZATION })).toBeVisible();
  if (await page.getByRole('heading', { name: 'Pick an organization' }).isVisible()) {
    await page.locator('button.account').nth(organization).click();
  }
  await expect(page.getByRole('heading', { name: ACCOUNT_PICKER })).toBeVisible();
  const accounts = page.locator('button.account');
  const button =
    user === 'global administrator'
      ? accounts.filter({ hasText: 'Global Administrator' }).first()
      : accounts.filter({ hasNotText: /Administrator|directory role holder/ }).first();
  const upn = (await button.locator('small').innerText()).split(' · ')[0]!.trim();
  return { upn, button };
}
