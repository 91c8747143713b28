import { expect, test } from '@playwright/test';
import { expectNoSeriousAxeViolations } from './support/accessibility';
import {
  backUpNow,
  demoTenant,
  type DemoSession,
  documentOverflow,
  expectSoundPage,
  signInWithConsent,
  snapshotOfRun,
} from './support/demo-tenant';
import { screenshotStep } from './support/screenshots';

test.describe.configure({ mode: 'serial' });

/**
 * Compare in the browser: two snapshots around a change of a user, then the snapshot and the
 * live tenant after another change in the demo emulator; names, old → new values, a restore
 * selection, the downloads, keyboard use, accessibility and a phone-sized screen.
 */
test('an admin compares two snapshots and a snapshot with the live tenant', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  let session: DemoSession;
  let first = '';
  let second = '';
  let user = { id: '', displayName: '', department: '' as string | null };

  async function backUp(): Promise<string> {
    return snapshotOfRun(page, session, await backUpNow(page, session, ['users', 'groups']));
  }

  async function changeDepartment(department: string): Promise<void> {
    await demoTenant(page, session).change({
      action: 'update',
      collection: 'users',
      id: user.id,
      patch: { department },
    });
  }

  await test.step('the Global Administrator signs in and consents', async () => {
    session = await signInWithConsent(page);
  });

  await test.step('two backups around a change of a user', async () => {
    const users = await demoTenant(page, session).truth<typeof user & { onPremisesSyncEnabled?: boolean }>(
      'users',
    );
    user = users.filter((u) => u.onPremisesSyncEnabled !== true)[6]!;
    first = await backUp();
    await changeDepartment('Compare Research');
    second = await backUp();
  });

  await test.step('the Compare tab compares the two snapshots: figures per type, then the user old → new', async () => {
    await page.goto('/backups');
    await page.getByRole('navigation').getByRole('link', { name: 'Compare' }).click();
    await expect(page.getByRole('heading', { name: 'Compare', level: 1 })).toBeVisible();
    await page.getByLabel('From snapshot').selectOption(first);
    await page.getByLabel('To', { exact: true }).selectOption(second);
    await page.getByRole('button', { name: 'Compare', exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/compare\\?from=${first}&to=${second}`));

    const users = page.getByRole('button', { name: /^Users: / });
    await expect(users).toHaveAttribute('aria-label', 'Users: 1 changed');
    await expect(users).toHaveAttribute('aria-pressed', 'true');
    const row = page.locator(`li[data-id="${user.id}"]`);
    await expect(row.getByRole('link', { name: user.displayName })).toHaveAttribute(
      'href',
      `/objects/users/users/${user.id}?snapshot=${second}`,
    );
    await row.getByRole('button', { name: /1 property/ }).click();
    await expect(row.locator('.property dt')).toHaveText('department');
    await expect(row.locator('.property .old')).toContainText(user.department ?? 'null');
    await expect(row.locator('.property .new')).toContainText('Compare Research');

    await row.getByRole('checkbox', { name: `Select ${user.displayName} to restore` }).check();
    await expect(page.getByRole('link', { name: 'Restore 1 selected…' })).toHaveAttribute(
      'href',
      `/restore/new?snapshot=${first}&types=users&ids=${user.id}`,
    );
    const csv = await page.request.get((await page.getByRole('link', { name: 'CSV' }).getAttribute('href'))!);
    expect(await csv.text()).toContain(`,department,${user.department ?? ''},Compare Research`);
    await expectSoundPage(page, testInfo, '01-compare-two-snapshots');
  });

  await test.step('comparing with the live tenant reads it first and shows the newer change', async () => {
    await changeDepartment('Compare Live');
    await page.getByLabel('From snapshot').selectOption(second);
    await page.getByLabel('To', { exact: true }).selectOption('live');
    await page.getByRole('button', { name: 'Compare', exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/compare\\?from=${second}&to=live`));
    await expect(page.getByRole('heading', { level: 2 }).filter({ hasText: 'live tenant' })).toBeVisible({
      timeout: 90_000,
    });
    const row = page.locator(`li[data-id="${user.id}"]`);
    await row.getByRole('button', { name: /1 property/ }).click();
    await expect(row.locator('.property .old')).toContainText('Compare Research');
    await expect(row.locator('.property .new')).toContainText('Compare Live');
    await expectSoundPage(page, testInfo, '02-compare-live');
  });

  await test.step('keyboard only: a type, then an object, open with Enter', async () => {
    await page.goto(`/compare?from=${first}&to=${second}`);
    const users = page.getByRole('button', { name: /^Users: / });
    await expect(users).toBeVisible();
    await users.focus();
    await page.keyboard.press('Enter');
    const toggle = page.locator(`li[data-id="${user.id}"]`).getByRole('button', { name: /1 property/ });
    await toggle.focus();
    await page.keyboard.press('Enter');
    await expect(toggle).toHaveAttribute('aria-expanded', 'true');
    await page.keyboard.press('Shift+Tab');
    await expect(page.getByRole('link', { name: user.displayName })).toBeFocused();
  });

  await test.step('at 390 px the page does not scroll sideways', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`/compare?from=${first}&to=${second}`);
    const row = page.locator(`li[data-id="${user.id}"]`);
    await row.getByRole('button', { name: /1 property/ }).click();
    await expect(row.locator('.property .new')).toBeVisible();
    // The whole document fits, the shell's toolbar included; an expanded object too.
    expect(await documentOverflow(page)).toBeLessThanOrEqual(0);
    await expectNoSeriousAxeViolations(page, 'the compare page at 390 px');
    await screenshotStep(page, testInfo, '03-compare-390px');
    await page.setViewportSize({ width: 1366, height: 768 });
  });
});
