import { expect, test } from '@playwright/test';
import { expectNoSeriousAxeViolations } from './support/accessibility';
import {
  backUpNow,
  demoTenant,
  type DemoSession,
  expectSoundPage,
  signInWithConsent,
} from './support/demo-tenant';
import { screenshotStep } from './support/screenshots';

// One flow against the shared demo server: the steps depend on each other, in this order.
test.describe.configure({ mode: 'serial' });

const DEPARTMENT = 'Restore wizard check';

test('restore a changed property through the wizard, see it in the history, and download an export', async ({
  page,
}, testInfo) => {
  test.setTimeout(240_000);
  let session: DemoSession;
  let tenantName = '';
  let userId = '';

  await test.step('the demo Global Administrator signs in, with admin consent granted', async () => {
    session = await signInWithConsent(page);
  });

  await test.step('a backup is taken, then a user is changed in the tenant', async () => {
    await backUpNow(page, session, ['users', 'groups', 'bitlockerKeys']);
    const tenant = demoTenant(page, session);
    const users = await tenant.truth<{
      id: string;
      onPremisesSyncEnabled?: boolean;
      userPrincipalName: string;
    }>('users');
    userId = users.filter((u) => u.onPremisesSyncEnabled !== true && !/admin/i.test(u.userPrincipalName))[3]!
      .id;
    await tenant.change({
      action: 'update',
      collection: 'users',
      id: userId,
      patch: { department: DEPARTMENT },
    });
  });

  await test.step('the wizard shows the selection from its link', async () => {
    await page.goto(`/restore/new?snapshot=latest&types=users&ids=${userId}&properties=department`);
    await expect(page.getByRole('heading', { name: '1. What to restore' })).toBeVisible();
    await expect(page.locator('.selection')).toContainText(userId);
    await expect(page.locator('.selection')).toContainText('department');
    await expectSoundPage(page, testInfo, '01-wizard-selection');
  });

  await test.step('the plan updates that one property', async () => {
    await page.getByRole('button', { name: 'Compute the plan' }).click();
    await expect(page.getByRole('heading', { name: '2. The plan' })).toBeVisible();
    await expect(page.getByText('1 action planned.')).toBeVisible({ timeout: 60_000 });
    const update = page.locator('details.group[data-kind="update"]');
    await expect(update.locator('.badge')).toHaveText('1');
    await update.locator('summary').click();
    // The property's value in the tenant now, struck through, → its value in the snapshot.
    await expect(update.locator('.changes dt')).toHaveText('department');
    await expect(update.locator('.changes .from')).toHaveText(DEPARTMENT);
    await expectSoundPage(page, testInfo, '02-wizard-plan');
  });

  await test.step('typing the tenant name with the keyboard enables and starts the restore', async () => {
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page.getByRole('heading', { name: '3. Confirm' })).toBeVisible();
    // The name the tenant has now (consent may have renamed it from Graph's organization).
    tenantName = (
      (await (await page.request.get(`/api/tenants/${session.tenantId}`)).json()) as { displayName: string }
    ).displayName;
    await expect(page.getByText(`Type ${tenantName} exactly`)).toBeVisible();
    const restoreNow = page.getByRole('button', { name: 'Restore now' });
    await expect(restoreNow).toBeDisabled();
    // Keyboard only: from the focused step heading, Tab reaches the field, then the button.
    await page.keyboard.press('Tab');
    await expect(page.getByLabel("Type the tenant's name to confirm")).toBeFocused();
    await page.keyboard.type(tenantName.toLowerCase());
    await expect(restoreNow).toBeDisabled();
    await page.getByLabel("Type the tenant's name to confirm").fill('');
    await page.keyboard.type(tenantName);
    await expect(restoreNow).toBeEnabled();
    await expectNoSeriousAxeViolations(page, 'the confirm step');
    await screenshotStep(page, testInfo, '03-wizard-confirm');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await expect(restoreNow).toBeFocused();
    await page.keyboard.press('Enter');
  });

  await test.step('progress leads to the result: one property updated', async () => {
    await expect(page.getByRole('heading', { name: '5. Result' })).toBeVisible({ timeout: 90_000 });
    await expect(page.locator('eb-restore-result-view .counts')).toHaveText('1 updated');
    await expectSoundPage(page, testInfo, '04-wizard-result');
    const users = await demoTenant(page, session).truth<{ id: string; department?: string }>('users');
    const user = users.find((u) => u.id === userId)!;
    expect(user.department).not.toBe(DEPARTMENT);
  });

  await test.step('the restore history lists it, and its page offers "Undo restore"', async () => {
    await page.getByRole('link', { name: 'Restore history' }).click();
    await expect(page).toHaveURL(/\/restores$/);
    const row = page.locator('table.restores tbody tr').first();
    await expect(row).toContainText('Completed');
    await expect(row).toContainText('1 updated');
    await expectSoundPage(page, testInfo, '05-restore-history');
    await row.getByRole('link').click();
    await expect(page.getByRole('heading', { name: 'Restore', level: 1 })).toBeVisible();
    const undo = page.getByRole('link', { name: 'Undo restore…' });
    await expect(undo).toBeVisible();
    await expectSoundPage(page, testInfo, '06-restore-detail');
    await undo.click();
    await expect(page).toHaveURL(/\/restore\/new\?/);
    await expect(page.locator('.selection')).toContainText('department');
  });

  await test.step('the export page downloads the snapshot as a zip', async () => {
    await page.goto('/export?snapshot=latest');
    await expect(page.getByRole('heading', { name: 'Export a snapshot' })).toBeVisible();
    await page.getByRole('checkbox', { name: 'Include the recovery keys themselves' }).check();
    await expect(page.getByRole('alert')).toContainText('audit trail');
    await expect(page.getByRole('link', { name: 'Download zip' })).toHaveCount(0);
    await page.getByRole('checkbox', { name: 'Include the recovery keys themselves' }).uncheck();
    await expectSoundPage(page, testInfo, '07-export');
    const downloading = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download zip' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^entra-backup-.+-snapshot-\d+-\d{4}-\d{2}-\d{2}\.zip$/);
    const path = await download.path();
    const { readFile } = await import('node:fs/promises');
    const bytes = await readFile(path);
    // A zip starts with a local file header and ends with the end-of-central-directory record.
    expect(bytes.subarray(0, 4).toString('hex')).toBe('504b0304');
    expect(bytes.includes(Buffer.from('users.jsonl'))).toBe(true);
  });
});
