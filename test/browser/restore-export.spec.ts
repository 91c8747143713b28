import AxeBuilder from '@axe-core/playwright';
import { type APIRequestContext, expect, type Page, test } from '@playwright/test';
import { ACCOUNT_PICKER, pickDemoAccount } from './support/demo-sign-in';
import { screenshotStep } from './support/screenshots';

// One flow against the shared demo server: the steps depend on each other, in this order.
test.describe.configure({ mode: 'serial' });

const DEPARTMENT = 'Restore wizard check';

/** Serious and critical axe-core findings on the page as it is now (none expected). */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/**
 * At phone width (390 px) the page's content must not be wider than the viewport. (Measured on
 * the main region: the shell's toolbar is checked by the shell's own suite.)
 */
async function expectNoSidewaysScrollAtPhoneWidth(page: Page): Promise<void> {
  const size = page.viewportSize()!;
  await page.setViewportSize({ width: 390, height: 844 });
  try {
    await expect
      .poll(() =>
        page.evaluate(() => {
          const browser = globalThis as unknown as {
            innerWidth: number;
            document: {
              querySelector(s: string): { scrollWidth: number; getBoundingClientRect(): { left: number } };
            };
          };
          const main = browser.document.querySelector('main');
          return main.getBoundingClientRect().left + main.scrollWidth - browser.innerWidth;
        }),
      )
      .toBeLessThanOrEqual(0);
  } finally {
    await page.setViewportSize(size);
  }
}

async function csrfToken(request: APIRequestContext): Promise<string> {
  const session = (await (await request.get('/api/auth/session')).json()) as { csrfToken: string };
  return session.csrfToken;
}

test('restore a changed property through the wizard, see it in the history, and download an export', async ({
  page,
}, testInfo) => {
  test.setTimeout(240_000);
  const demo = `https://127.0.0.1:${process.env['ENTRA_BACKUP_E2E_DEMO_PORT']}`;
  let tenantId = '';
  let tenantName = '';
  let userId = '';

  await test.step('the demo Global Administrator signs in, with admin consent granted', async () => {
    await page.goto('/');
    await page.getByRole('link', { name: 'Sign in with Microsoft 365' }).click();
    await pickDemoAccount(page, 'global administrator');
    await expect(page).toHaveURL(/\/backups$/);
    const session = (await (await page.request.get('/api/auth/session')).json()) as {
      user: { tenantId: string };
    };
    tenantId = session.user.tenantId;
    await page.goto(`/settings/${tenantId}`);
    const grant = page.getByRole('button', { name: 'Grant admin consent' });
    await expect(grant.or(page.getByText('Permissions granted').first())).toBeVisible();
    if (await grant.isVisible()) {
      await grant.click();
      await expect(page.getByRole('heading', { name: ACCOUNT_PICKER })).toBeVisible();
      await pickDemoAccount(page, 'global administrator');
      await page.getByRole('button', { name: 'Accept' }).click();
      await expect(page.getByText('Admin consent granted.')).toBeVisible();
    }
  });

  await test.step('a backup is taken, then a user is changed in the tenant', async () => {
    const token = await csrfToken(page.request);
    const started = await page.request.post(`/api/tenants/${tenantId}/backups`, {
      headers: { 'x-csrf-token': token },
      data: { types: ['users', 'groups', 'bitlockerKeys'] },
    });
    expect(started.status()).toBe(202);
    const { runId } = (await started.json()) as { runId: string };
    await expect
      .poll(
        async () =>
          (
            (await (await page.request.get(`/api/tenants/${tenantId}/backups/${runId}`)).json()) as {
              status: string;
            }
          ).status,
        { timeout: 90_000 },
      )
      .not.toBe('running');
    const control = `${demo}/_emulator/tenants/${tenantId}`;
    const users = (await (await page.request.get(`${control}/truth/users`)).text())
      .split('\n')
      .filter((line) => line !== '')
      .map(
        (line) =>
          JSON.parse(line) as { id: string; onPremisesSyncEnabled?: boolean; userPrincipalName: string },
      );
    userId = users.filter((u) => u.onPremisesSyncEnabled !== true && !/admin/i.test(u.userPrincipalName))[3]!
      .id;
    const changed = await page.request.post(`${control}/changes`, {
      data: { action: 'update', collection: 'users', id: userId, patch: { department: DEPARTMENT } },
    });
    expect(changed.status()).toBe(200);
  });

  await test.step('the wizard shows the selection from its link', async () => {
    await page.goto(`/restore/new?snapshot=latest&types=users&ids=${userId}&properties=department`);
    await expect(page.getByRole('heading', { name: '1. What to restore' })).toBeVisible();
    await expect(page.locator('.selection')).toContainText(userId);
    await expect(page.locator('.selection')).toContainText('department');
    expect(await seriousViolations(page)).toEqual([]);
    await expectNoSidewaysScrollAtPhoneWidth(page);
    await screenshotStep(page, testInfo, '01-wizard-selection');
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
    expect(await seriousViolations(page)).toEqual([]);
    await expectNoSidewaysScrollAtPhoneWidth(page);
    await screenshotStep(page, testInfo, '02-wizard-plan');
  });

  await test.step('typing the tenant name with the keyboard enables and starts the restore', async () => {
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page.getByRole('heading', { name: '3. Confirm' })).toBeVisible();
    // The name the tenant has now (consent may have renamed it from Graph's organization).
    tenantName = (
      (await (await page.request.get(`/api/tenants/${tenantId}`)).json()) as { displayName: string }
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
    expect(await seriousViolations(page)).toEqual([]);
    await screenshotStep(page, testInfo, '03-wizard-confirm');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await expect(restoreNow).toBeFocused();
    await page.keyboard.press('Enter');
  });

  await test.step('progress leads to the result: one property updated', async () => {
    await expect(page.getByRole('heading', { name: '5. Result' })).toBeVisible({ timeout: 90_000 });
    await expect(page.locator('eb-restore-result-view .counts')).toHaveText('1 updated');
    expect(await seriousViolations(page)).toEqual([]);
    await expectNoSidewaysScrollAtPhoneWidth(page);
    await screenshotStep(page, testInfo, '04-wizard-result');
    const truth = await page.request.get(`${demo}/_emulator/tenants/${tenantId}/truth/users`);
    const user = (await truth.text())
      .split('\n')
      .filter((line) => line.includes(userId))
      .map((line) => JSON.parse(line) as { department?: string })[0]!;
    expect(user.department).not.toBe(DEPARTMENT);
  });

  await test.step('the restore history lists it, and its page offers "Undo restore"', async () => {
    await page.getByRole('link', { name: 'Restore history' }).click();
    await expect(page).toHaveURL(/\/restores$/);
    const row = page.locator('table.restores tbody tr').first();
    await expect(row).toContainText('Completed');
    await expect(row).toContainText('1 updated');
    expect(await seriousViolations(page)).toEqual([]);
    await expectNoSidewaysScrollAtPhoneWidth(page);
    await screenshotStep(page, testInfo, '05-restore-history');
    await row.getByRole('link').click();
    await expect(page.getByRole('heading', { name: 'Restore', level: 1 })).toBeVisible();
    const undo = page.getByRole('link', { name: 'Undo restore…' });
    await expect(undo).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await expectNoSidewaysScrollAtPhoneWidth(page);
    await screenshotStep(page, testInfo, '06-restore-detail');
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
    expect(await seriousViolations(page)).toEqual([]);
    await expectNoSidewaysScrollAtPhoneWidth(page);
    await screenshotStep(page, testInfo, '07-export');
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
