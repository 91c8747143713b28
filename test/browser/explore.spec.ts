import { expect, test } from '@playwright/test';
import { expectNoSeriousAxeViolations } from './support/accessibility';
import { backUpNow, documentOverflow, expectSoundPage, signInWithConsent } from './support/demo-tenant';
import { screenshotStep } from './support/screenshots';

test.describe.configure({ mode: 'serial' });

test('the admin browses a snapshot, searches users, opens one and reveals a BitLocker key', async ({
  page,
}, testInfo) => {
  test.setTimeout(240_000);

  await test.step('sign in with consent and back up the types browsed here', async () => {
    const session = await signInWithConsent(page);
    await backUpNow(page, session, ['users', 'groups', 'devices', 'bitlockerKeys']);
    await page.goto('/backups');
  });

  await test.step('the Explore tab lists types with counts and the users table', async () => {
    await page
      .getByRole('navigation', { name: 'Backup for Entra ID' })
      .getByRole('link', { name: 'Explore' })
      .click();
    await expect(page).toHaveURL(/\/explore/);
    await expect(page.getByRole('heading', { name: 'Explore', level: 1 })).toBeVisible();
    const types = page.getByRole('navigation', { name: 'Object types' });
    await expect(types.getByRole('link', { name: /Users\s+\d+/ })).toBeVisible();
    const table = page.getByRole('table', { name: 'Users' });
    await expect(table.getByRole('row').nth(1)).toBeVisible();
    await expect(table.getByRole('columnheader', { name: 'User principal name' })).toBeVisible();
    await expectSoundPage(page, testInfo, '01-explore-users');
  });

  let userName = '';
  await test.step('search by name from the keyboard, then open the user', async () => {
    const table = page.getByRole('table', { name: 'Users' });
    userName = (await table.locator('a.object-link').nth(3).innerText()).trim();
    const search = page.getByRole('textbox', { name: 'Search' });
    await search.focus();
    await page.keyboard.type(userName);
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/search=/);
    await expect(table.locator('a.object-link').first()).toHaveText(userName);
    await screenshotStep(page, testInfo, '02-search');
    await table.locator('a.object-link').first().focus();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/\/objects\/users\/users\/[0-9a-f-]{36}\?snapshot=/);
    await expect(page.getByRole('heading', { name: userName, level: 1 })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Restore this object…' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Version history' })).toBeVisible();
    await expectSoundPage(page, testInfo, '03-object-page');
  });

  await test.step('a group page names its members with links', async () => {
    await page.goto('/explore?type=groups&sort=memberCount&order=desc');
    const table = page.getByRole('table', { name: 'Groups' });
    await table.locator('a.object-link').first().click();
    const members = page.getByRole('region', { name: 'Members' });
    await expect(members.getByRole('link').first()).toBeVisible();
    await screenshotStep(page, testInfo, '04-group-members');
  });

  await test.step('a BitLocker key is revealed only after confirming', async () => {
    await page.goto('/explore?type=bitlockerKeys');
    const table = page.getByRole('table', { name: 'BitLocker keys' });
    await expect(table.getByRole('row').nth(1)).toBeVisible();
    await expect(table).not.toContainText(/\d{6}-\d{6}-\d{6}/);
    await table.getByRole('button', { name: 'Reveal…' }).first().click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByRole('heading', { name: 'Reveal recovery key?' })).toBeVisible();
    await expect(dialog).toBeVisible();
    await expectNoSeriousAxeViolations(page, 'the reveal dialog');
    await dialog.getByRole('button', { name: 'Reveal key' }).click();
    await expect(dialog.getByLabel('Recovery key')).toHaveText(/^\d{6}(-\d{6}){7}$/);
    await screenshotStep(page, testInfo, '05-key-revealed');
    await dialog.getByRole('button', { name: 'Done' }).click();
  });

  await test.step('no page scrolls sideways at 390 px', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    for (const path of ['/explore', '/explore?type=groups']) {
      await page.goto(path);
      await expect(page.getByRole('table')).toBeVisible();
      expect(await documentOverflow(page), `${path} scrolls sideways`).toBeLessThanOrEqual(0);
    }
    await page.getByRole('table').locator('a.object-link').first().click();
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(page.getByRole('progressbar')).toHaveCount(0);
    expect(await documentOverflow(page), 'the object page scrolls sideways').toBeLessThanOrEqual(0);
    await screenshotStep(page, testInfo, '06-object-390');
  });
});
