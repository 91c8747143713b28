import { expect, test } from '@playwright/test';
import { ACCOUNT_PICKER, pickDemoAccount, pickDemoAccountIn } from './support/demo-sign-in';
import { csrfTokenOf } from './support/demo-partner';
import { documentOverflow, withDemoEmulatorFaults } from './support/demo-tenant';
import { screenshotStep } from './support/screenshots';

// One flow in demo mode: the steps depend on each other, in this order.
test.describe.configure({ mode: 'serial' });

/**
 * The first-use flow needs a tenant nobody has consented for or backed up yet. The other specs
 * share the first demo organization (see support/demo-tenant.ts), so this one signs in to the
 * second, whichever specs ran before it.
 */
const UNTOUCHED_ORGANIZATION = 1;

test('the demo Global Administrator grants consent, chooses types, backs up and opens the run', async ({
  page,
}, testInfo) => {
  test.setTimeout(180_000);
  let tenantId = '';

  await test.step('a signed-out visitor sees the landing page in demo mode', async () => {
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Backup for Entra ID', level: 1 })).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: 'Demo mode' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Settings' })).toHaveCount(0);
    await screenshotStep(page, testInfo, '01-landing');
  });

  await test.step('"Sign in with Microsoft 365" leads to the emulated Microsoft sign-in page', async () => {
    await page.getByRole('link', { name: 'Sign in with Microsoft 365' }).click();
    await expect(page.getByRole('heading', { name: /Pick an (organization|account)/ })).toBeVisible();
    expect(new URL(page.url()).protocol).toBe('https:');
    await screenshotStep(page, testInfo, '02-emulator-sign-in');
  });

  await test.step('picking the Global Administrator signs in', async () => {
    const upn = await pickDemoAccountIn(page, 'global administrator', UNTOUCHED_ORGANIZATION);
    await expect(page).toHaveURL(/\/backups$/);
    await expect(page.locator('.user')).toHaveAttribute('title', upn);
    await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
    await expect(page.getByText('No backups yet.')).toBeVisible();
    await screenshotStep(page, testInfo, '03-signed-in-no-backups');
  });

  await test.step('the product menu opens from the top-left icon', async () => {
    await page.getByRole('button', { name: 'Product menu' }).click();
    const product = page.getByRole('menuitem', { name: 'Backup for Entra ID' });
    await expect(product).toBeVisible();
    await screenshotStep(page, testInfo, '04-product-menu');
    await page.keyboard.press('Escape');
  });

  await test.step('the gear icon opens Settings: consent missing, switches disabled', async () => {
    await page.getByRole('link', { name: 'Settings', exact: true }).first().click();
    await expect(page).toHaveURL(/\/settings\/[0-9a-f-]{36}$/);
    tenantId = page.url().split('/').pop()!;
    await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Grant admin consent' })).toBeVisible();
    const switches = page.getByRole('list', { name: 'Object types' }).getByRole('switch');
    await expect(switches).toHaveCount(14);
    for (const toggle of await switches.all()) {
      await expect(toggle).toBeDisabled();
      await expect(toggle).not.toBeChecked();
    }
    await expect(page.getByText('Grant admin consent above first')).toBeVisible();
    await expect(page.getByText('Permissions not granted')).toHaveCount(14);
    await screenshotStep(page, testInfo, '05-settings-before-consent');
  });

  await test.step('a declined consent is reported in plain words', async () => {
    await page.getByRole('button', { name: 'Grant admin consent' }).click();
    await pickDemoAccountIn(page, 'global administrator', UNTOUCHED_ORGANIZATION);
    await expect(page.getByRole('heading', { name: 'Permissions requested' })).toBeVisible();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect(page).toHaveURL(new RegExp(`/settings/${tenantId}\\?consent=failed`));
    const alert = page.getByRole('alert').filter({ hasText: 'Admin consent was not granted.' });
    await expect(alert).toBeVisible();
    // Microsoft's error_description, not a code or a raw body.
    await expect(alert).not.toContainText('{');
    await expect(page.getByRole('switch', { name: 'Users' })).toBeDisabled();
    await screenshotStep(page, testInfo, '06-consent-declined');
  });

  await test.step("admin consent is granted on the emulator's consent page", async () => {
    await page.getByRole('button', { name: 'Grant admin consent' }).click();
    await expect(page.getByRole('heading', { name: ACCOUNT_PICKER })).toBeVisible();
    expect(new URL(page.url()).pathname).toBe(`/${tenantId}/v2.0/adminconsent`);
    await screenshotStep(page, testInfo, '07-emulator-consent-sign-in');
    await pickDemoAccountIn(page, 'global administrator', UNTOUCHED_ORGANIZATION);
    await expect(page.getByRole('heading', { name: 'Permissions requested' })).toBeVisible();
    await expect(page.locator('#permissions')).toContainText('User.Read.All');
    await screenshotStep(page, testInfo, '08-emulator-consent-page');
    await page.getByRole('button', { name: 'Accept' }).click();
    await expect(page).toHaveURL(new RegExp(`/settings/${tenantId}\\?consent=granted$`));
    await expect(page.getByText('Admin consent granted.')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Grant admin consent' })).toHaveCount(0);
    await expect(page.getByRole('switch', { name: 'Users' })).toBeEnabled();
    await expect(page.getByText('Permissions granted')).toHaveCount(14);
    await screenshotStep(page, testInfo, '09-consent-granted');
  });

  await test.step('Users, Groups and Sign-in logs are switched on', async () => {
    for (const label of ['Users', 'Groups', 'Sign-in logs']) {
      await page.getByRole('switch', { name: label }).click();
      await expect(page.getByText(`${label} will be backed up`)).toBeVisible();
      await expect(page.getByRole('switch', { name: label })).toBeChecked();
    }
    await expect(page.getByText('3 of 14 on.')).toBeVisible();
    await expect(
      page.getByText(/The first full backup runs at .*; after that, backups run every 12 hours, at /),
    ).toBeVisible();
    await screenshotStep(page, testInfo, '10-types-on-schedule');
  });

  await test.step('the trigger icon starts a backup and its progress is shown until it completes', async () => {
    // Live progress comes over the run's server-sent events.
    const eventStream = page.waitForResponse((r) => /\/backups\/[0-9a-f-]{36}\/events$/.test(r.url()));
    await page.getByRole('button', { name: 'Back up now' }).click();
    const stream = await eventStream;
    expect(stream.status()).toBe(200);
    expect(stream.headers()['content-type']).toMatch(/^text\/event-stream/);
    const progress = page.getByRole('list', { name: 'Progress per object type' });
    await expect(progress).toBeVisible();
    await screenshotStep(page, testInfo, '11-backup-running');
    await expect(page.getByRole('heading', { name: 'Backup finished' })).toBeVisible({ timeout: 90_000 });
    for (const key of ['users', 'groups', 'signInLogs']) {
      await expect(progress.locator(`li[data-type="${key}"]`)).toContainText(/Succeeded|Skipped/);
    }
    await expect(progress.locator('li[data-type="users"]')).toContainText(/[1-9]\d* objects/);
    await screenshotStep(page, testInfo, '12-backup-finished');
  });

  await test.step('a second trigger while one runs says so', async () => {
    // The first trigger comes from outside this page (another admin, a script), so the page's
    // button is still enabled; Graph answers slowly meanwhile, so that run is still going when
    // the button is clicked. Only the refused second trigger makes the page say this.
    const runs = `/api/tenants/${tenantId}/backups`;
    const runId = await withDemoEmulatorFaults(page, { latencyMs: 400 }, async () => {
      const started = await page.request.post(runs, {
        headers: { 'x-csrf-token': await csrfTokenOf(page) },
        data: {},
      });
      expect(started.status(), await started.text()).toBe(202);
      const refused = page.waitForResponse(
        (r) => r.request().method() === 'POST' && /\/backups$/.test(new URL(r.url()).pathname),
      );
      await page.getByRole('button', { name: 'Back up now' }).click();
      expect((await refused).status()).toBe(409);
      await expect(
        page.getByText('A backup is already running for this tenant. Try again when it has finished.'),
      ).toBeVisible();
      return ((await started.json()) as { runId: string }).runId;
    });
    // The run that was in the way completes; the refused trigger started none (the list shows two runs).
    await expect
      .poll(
        async () =>
          ((await (await page.request.get(`${runs}/${runId}`)).json()) as { status: string }).status,
        { timeout: 90_000 },
      )
      .toBe('completed');
  });

  await test.step('the Backups page lists the runs newest first', async () => {
    await page.getByRole('button', { name: 'Product menu' }).click();
    await page.getByRole('menuitem', { name: 'Backup for Entra ID' }).click();
    await expect(page).toHaveURL(/\/backups$/);
    // One line per run; the history charts above them.
    const runs = page.getByRole('list', { name: 'Runs' }).getByRole('listitem');
    await expect(runs).toHaveCount(2);
    await expect(runs.first()).toContainText(/Completed|Partial/);
    await expect(runs.first()).toContainText(/[1-9][\d,]* objects/);
    await expect(page.getByRole('img', { name: /^Objects per type: / })).toBeVisible();
    await expect(page.getByText('1 – 2 of 2')).toBeVisible();
    await screenshotStep(page, testInfo, '13-backups-list');
  });

  await test.step("a run's detail page shows its per-type results", async () => {
    const runs = page.getByRole('list', { name: 'Runs' }).getByRole('listitem');
    await runs.nth(1).getByRole('link').click();
    await expect(page).toHaveURL(/\/backups\/[0-9a-f-]{36}$/);
    await expect(page.getByRole('heading', { name: 'Backup run', level: 1 })).toBeVisible();
    const results = page.getByRole('table', { name: 'Results per object type' });
    await expect(results.locator('tbody tr[data-type="users"]')).toHaveCount(1);
    await expect(results.locator('tr[data-type="users"]')).toContainText('Succeeded');
    await expect(results.locator('tr[data-type="groups"]')).toContainText('Succeeded');
    await expect(results.locator('tr[data-type="signInLogs"]')).toContainText(/Succeeded|Skipped/);
    await screenshotStep(page, testInfo, '14-run-details');
  });

  await test.step('the pages fit a small laptop screen without sideways scrolling', async () => {
    await page.setViewportSize({ width: 1024, height: 640 });
    for (const path of ['/backups', `/settings/${tenantId}`]) {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await expect(page.getByRole('progressbar')).toHaveCount(0);
      const overflow = await documentOverflow(page);
      expect(overflow, `${path} scrolls sideways`).toBeLessThanOrEqual(0);
    }
    await page.goto('/backups');
    await expect(page.getByRole('list', { name: 'Runs' })).toBeVisible();
    await screenshotStep(page, testInfo, '15-backups-small-laptop');
    await page.setViewportSize({ width: 1366, height: 768 });
  });

  await test.step('signing out returns to the landing page', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByRole('link', { name: 'Sign in with Microsoft 365' })).toBeVisible();
    await page.goto('/backups');
    await expect(page).toHaveURL(/\/$/);
    await screenshotStep(page, testInfo, '16-signed-out');
  });
});

test('an ordinary user of the demo tenant is refused', async ({ page }, testInfo) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Sign in with Microsoft 365' }).click();
  const upn = await pickDemoAccount(page, 'ordinary user');
  await expect(page).toHaveURL(/\/no-access$/);
  await expect(page.getByRole('heading', { name: 'No access', level: 1 })).toBeVisible();
  await expect(page.getByText(upn)).toBeVisible();
  await expect(page.getByRole('link', { name: 'Settings' })).toHaveCount(0);
  await screenshotStep(page, testInfo, '17-no-access');

  // Typing an admin page's address does not get around it.
  await page.goto('/settings');
  await expect(page).toHaveURL(/\/no-access$/);

  await page.getByRole('main').getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('link', { name: 'Sign in with Microsoft 365' })).toBeVisible();
});
