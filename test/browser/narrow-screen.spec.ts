import { expect, type Page, test } from '@playwright/test';
import { pickDemoAccount } from './support/demo-sign-in';
import { documentOverflow, ensureAdminConsent } from './support/demo-tenant';
import { screenshotStep } from './support/screenshots';

// A phone held upright (390 px, the width of current iPhones): no page may scroll sideways.
test.use({ viewport: { width: 390, height: 844 } });

/** Waits until the page has settled (heading shown, nothing loading) and measures it. */
async function expectToFit(page: Page, label: string): Promise<void> {
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.getByRole('progressbar')).toHaveCount(0);
  expect(await documentOverflow(page), `${label} scrolls sideways`).toBeLessThanOrEqual(0);
}

test('every page fits a 390 px screen without sideways scrolling', async ({ page, baseURL }, testInfo) => {
  test.setTimeout(180_000);

  await test.step('signed out: the landing page, with the demo notice as an unclipped icon', async () => {
    await page.goto('/');
    await expectToFit(page, 'the landing page');
    const chip = page.getByRole('status').filter({ hasText: 'Demo mode' });
    await expect(chip).toBeVisible();
    // The glyph fits its box: a box shorter than its line would cut the icon off.
    const icon = chip.locator('mat-icon');
    expect(await icon.evaluate((el) => el.scrollHeight - el.clientHeight)).toBeLessThanOrEqual(0);
    // The landing page's demo notice keeps its icon whole next to a long text.
    const noticeIcon = page.locator('.notice.demo mat-icon');
    expect((await noticeIcon.boundingBox())?.width).toBeGreaterThanOrEqual(24);
    await screenshotStep(page, testInfo, '01-landing-390');
    await page.goto('/no/such/page');
    await expectToFit(page, 'the not-found page');
  });

  await test.step('signing in from the other loopback name (localhost) lands on the public URL', async () => {
    const publicUrl = new URL(baseURL!);
    await page.goto(`http://localhost:${publicUrl.port}/`);
    await page.getByRole('link', { name: 'Sign in with Microsoft 365' }).click();
    await pickDemoAccount(page, 'global administrator');
    await expect(page).toHaveURL(`${publicUrl.origin}/backups`);
    await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
    await expectToFit(page, 'the backups page');
    await screenshotStep(page, testInfo, '02-backups-390');
  });

  await test.step('Settings fits, before and after consent', async () => {
    await page.getByRole('banner').getByRole('link', { name: 'Settings' }).first().click();
    await expect(page).toHaveURL(/\/settings\/[0-9a-f-]{36}$/);
    await expectToFit(page, 'the settings page');
    // The suite shares one server: consent and types may already be there.
    await ensureAdminConsent(page, page.url().split('/').pop()!);
    const users = page.getByRole('switch', { name: 'Users', exact: true });
    if (!(await users.isChecked())) {
      await users.click();
      await expect(users).toBeChecked();
    }
    await expectToFit(page, 'the settings page with consent');
    await screenshotStep(page, testInfo, '03-settings-390');
  });

  await test.step("a backup's progress and the run's detail page fit", async () => {
    await page.getByRole('button', { name: 'Back up now' }).click();
    await expect(page.getByRole('heading', { name: 'Backup finished' })).toBeVisible({ timeout: 90_000 });
    expect(await documentOverflow(page), 'the finished backup scrolls sideways').toBeLessThanOrEqual(0);
    await page.goto('/backups');
    await expectToFit(page, 'the backups list');
    await screenshotStep(page, testInfo, '04-backups-list-390');
    await page.getByRole('list', { name: 'Runs' }).getByRole('listitem').first().getByRole('link').click();
    await expect(page).toHaveURL(/\/backups\/[0-9a-f-]{36}$/);
    await expectToFit(page, 'the run detail page');
    await screenshotStep(page, testInfo, '05-run-detail-390');
  });
});
