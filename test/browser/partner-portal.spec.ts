import { expect, type Locator, type Page, test } from '@playwright/test';
import {
  acceptInvitation,
  addPartnerWithCli,
  createOnboardingLink,
  csrfTokenOf,
  type DemoOrganization,
  demoOrganizations,
  newPersonContext,
} from './support/demo-partner';
import { findDemoAccountIn } from './support/demo-sign-in';
import { backUpNow, expectSoundPage } from './support/demo-tenant';
import { screenshotStep } from './support/screenshots';

// One flow in demo mode: the steps depend on each other, in this order.
test.describe.configure({ mode: 'serial' });

/**
 * Demo organizations (positions in the emulator's picker; playwright.config.ts asks for 7) that no
 * other spec signs in to: the shared specs use the first, admin-flow.spec.ts the second.
 */
const PARTNER_ORGANIZATION = 2;
const CUSTOMERS = { healthy: 3, stale: 4, noConsent: 5, onboarded: 6 } as const;
const PARTNER_NAME = 'Northwind IT';

/** The dashboard's row of a tenant, and its cells by column. */
function dashboardRow(page: Page, tenantId: string) {
  const row = page.getByRole('table', { name: 'Customer tenants' }).locator(`tr[data-tenant="${tenantId}"]`);
  const cell = (column: string): Locator => row.locator(`td.mat-column-${column}`);
  return { row, tenant: cell('tenant'), consent: cell('consent'), lastBackup: cell('lastBackup'), cell };
}

test('a partner Owner sees three customers, onboards a fourth, creates and revokes a key, opens a customer', async ({
  page,
  browser,
  request,
}, testInfo) => {
  test.setTimeout(240_000);
  let organizations: DemoOrganization[] = [];
  let partnerId = '';
  let ownerUpn = '';
  const tenantOf = (position: number) => organizations[position]!;

  await test.step('the operator adds the partner with the CLI; its Owner, no admin at home, signs in', async () => {
    organizations = await demoOrganizations(page);
    expect(organizations.length).toBeGreaterThanOrEqual(CUSTOMERS.onboarded + 1);
    await page.goto('/');
    await page.getByRole('link', { name: 'Partner portal' }).click();
    // The Owner's sign-in name, as the reseller would tell the operator: a user of the partner's
    // own organization without any directory role.
    const account = await findDemoAccountIn(page, 'ordinary user', PARTNER_ORGANIZATION);
    ownerUpn = account.upn;
    partnerId = await addPartnerWithCli(PARTNER_NAME, ownerUpn);
    await account.button.click();
    await expect(page).toHaveURL(new RegExp(`/partner/${partnerId}$`));
    await expect(page.getByRole('heading', { name: 'Customers', level: 1 })).toBeVisible();
    await expect(page.getByText(`${PARTNER_NAME} · your role: Owner`)).toBeVisible();
    await expect(page.locator('.user')).toHaveAttribute('title', ownerUpn);
    // Partner staff, not an administrator of their own tenant.
    const session = (await (await page.request.get('/api/auth/session')).json()) as {
      user: { tenantAdmin: boolean; partners: { partnerId: string; role: string }[] };
    };
    expect(session.user.tenantAdmin).toBe(false);
    expect(session.user.partners).toEqual([expect.objectContaining({ partnerId, role: 'owner' })]);
    await expect(page.getByText('No customers yet.')).toBeVisible();
    await screenshotStep(page, testInfo, '01-no-customers');
  });

  await test.step('three customers accept onboarding links: backed up, consented only, not consented', async () => {
    const links = new Map<number, string>();
    for (const position of [CUSTOMERS.healthy, CUSTOMERS.stale, CUSTOMERS.noConsent]) {
      links.set(position, await createOnboardingLink(page, partnerId, tenantOf(position).displayName));
    }
    // Each customer's Global Administrator in a browser of their own, all at once.
    await Promise.all(
      [...links].map(async ([position, url]) => {
        const customer = await newPersonContext(browser, testInfo);
        try {
          const admin = await customer.newPage();
          const consent = position === CUSTOMERS.noConsent ? 'decline' : 'grant';
          const tenantId = await acceptInvitation(admin, url, position, consent);
          expect(tenantId).toBe(tenantOf(position).tenantId);
          if (position !== CUSTOMERS.healthy) return;
          const csrfToken = await csrfTokenOf(admin);
          const settings = await admin.request.put(`/api/tenants/${tenantId}/settings`, {
            headers: { 'x-csrf-token': csrfToken },
            data: { enabledTypes: { users: true } },
          });
          expect(settings.status(), await settings.text()).toBe(200);
          await backUpNow(admin, { tenantId, csrfToken }, ['users']);
        } finally {
          await customer.close();
        }
      }),
    );
  });

  await test.step('the dashboard shows the three customers with their consent and last backup', async () => {
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(page.getByText('3 of 3 tenants')).toBeVisible();
    const healthy = dashboardRow(page, tenantOf(CUSTOMERS.healthy).tenantId);
    // Consent names the tenant after its organization.
    await expect(healthy.tenant).toContainText(tenantOf(CUSTOMERS.healthy).displayName);
    await expect(healthy.consent).toHaveText(/Granted/);
    await expect(healthy.lastBackup).toContainText('Completed');
    await expect(healthy.lastBackup).toContainText('less than an hour ago');
    await expect(healthy.cell('failing')).toHaveText('None');
    await expect(healthy.cell('storage')).not.toHaveText(/^\s*0 B\s*$/);

    const stale = dashboardRow(page, tenantOf(CUSTOMERS.stale).tenantId);
    await expect(stale.tenant).toContainText(tenantOf(CUSTOMERS.stale).displayName);
    await expect(stale.consent).toHaveText(/Granted/);
    await expect(stale.lastBackup).toHaveText('Never');

    const unconsented = dashboardRow(page, tenantOf(CUSTOMERS.noConsent).tenantId);
    await expect(unconsented.consent).toHaveText(/Not granted/);
    await expect(unconsented.lastBackup).toHaveText('Never');
    await expectSoundPage(page, testInfo, '02-dashboard');
  });

  await test.step('the filters narrow the list: no consent, stale, failing', async () => {
    const filters = page.getByRole('listbox', { name: 'Show tenants' });
    const rows = page.getByRole('table', { name: 'Customer tenants' }).locator('tbody tr');

    await filters.getByRole('option', { name: 'No consent' }).click();
    await expect(page).toHaveURL(/[?&]filter=no-consent/);
    await expect(page.getByText('1 of 1 tenants')).toBeVisible();
    await expect(rows).toHaveCount(1);
    await expect(dashboardRow(page, tenantOf(CUSTOMERS.noConsent).tenantId).row).toBeVisible();
    // Still the Customers page, filtered.
    await expect(
      page.getByRole('navigation', { name: 'Partner portal' }).getByRole('link', { name: 'Customers' }),
    ).toHaveAttribute('aria-current', 'page');
    await screenshotStep(page, testInfo, '03-filter-no-consent');

    await filters.getByRole('option', { name: /^Stale/ }).click();
    await expect(page).toHaveURL(/[?&]filter=stale/);
    await expect(rows).toHaveCount(2);
    await expect(dashboardRow(page, tenantOf(CUSTOMERS.healthy).tenantId).row).toHaveCount(0);

    await filters.getByRole('option', { name: 'Failing' }).click();
    await expect(page.getByText('No tenant matches.')).toBeVisible();

    await filters.getByRole('option', { name: 'All' }).click();
    await expect(rows).toHaveCount(3);
  });

  await test.step('a fourth customer is onboarded from the Onboarding page and shows on the dashboard', async () => {
    const tabs = page.getByRole('navigation', { name: 'Partner portal' });
    await tabs.getByRole('link', { name: 'Onboarding' }).click();
    await expect(page.getByRole('heading', { name: 'Onboarding', level: 1 })).toBeVisible();
    await expect(page.getByRole('list', { name: 'Links' }).getByRole('listitem')).toHaveCount(3);
    await expectSoundPage(page, testInfo, '04-onboarding');

    const fourth = tenantOf(CUSTOMERS.onboarded);
    await page.getByRole('textbox', { name: 'Customer name' }).fill(fourth.displayName);
    await page.getByRole('button', { name: 'Create link' }).click();
    await expect(page.getByText(`Link for ${fourth.displayName} created.`)).toBeVisible();
    const url = await page.getByRole('textbox', { name: 'Onboarding link' }).inputValue();
    expect(url).toMatch(/\/onboard\/[\w-]{43}$/);
    await expectSoundPage(page, testInfo, '05-onboarding-link-created');

    const customer = await newPersonContext(browser, testInfo);
    try {
      const admin = await customer.newPage();
      const tenantId = await acceptInvitation(admin, url, CUSTOMERS.onboarded, 'grant');
      expect(tenantId).toBe(fourth.tenantId);
      await expect(admin.getByText('Admin consent granted.')).toBeVisible();
    } finally {
      await customer.close();
    }

    await page.reload();
    const link = page
      .getByRole('list', { name: 'Links' })
      .getByRole('listitem')
      .filter({ hasText: fourth.displayName });
    await expect(link).toContainText('Used');
    await expect(link).toContainText(fourth.tenantId);

    await page
      .getByRole('navigation', { name: 'Partner portal' })
      .getByRole('link', { name: 'Customers' })
      .click();
    await expect(page.getByText('4 of 4 tenants')).toBeVisible();
    const onboarded = dashboardRow(page, fourth.tenantId);
    await expect(onboarded.tenant).toContainText(fourth.displayName);
    await expect(onboarded.consent).toHaveText(/Granted/);
    await expect(onboarded.lastBackup).toHaveText('Never');
    await screenshotStep(page, testInfo, '06-dashboard-four-customers');
  });

  await test.step('an API key is created, shown once, works, and is refused once revoked', async () => {
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await page
      .getByRole('navigation', { name: 'Partner portal' })
      .getByRole('link', { name: 'API keys' })
      .click();
    await expect(page.getByRole('heading', { name: 'API keys', level: 1 })).toBeVisible();
    await expect(page.getByText('No API keys yet.')).toBeVisible();
    await expectSoundPage(page, testInfo, '07-api-keys');

    await page.getByRole('button', { name: 'Create key' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: 'Name' }).fill('Nightly report');
    await expect(dialog.getByRole('checkbox', { name: /^Read/ })).toBeChecked();
    await dialog.getByRole('button', { name: 'Create key' }).click();
    await expect(dialog.getByRole('heading', { name: 'API key created' })).toBeVisible();
    const key = (await dialog.getByLabel('API key', { exact: true }).innerText()).trim();
    expect(key).toMatch(/^eb_\w{8}_[\w-]{43}$/);
    await dialog.getByRole('button', { name: 'Copy the API key' }).click();
    const clipboard = await page.evaluate(() =>
      // The callback runs in the browser; its globals are typed here without the DOM library.
      (
        globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
      ).navigator.clipboard.readText(),
    );
    expect(clipboard).toBe(key);
    await screenshotStep(page, testInfo, '08-api-key-shown-once');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect(dialog).toHaveCount(0);

    const keys = page.getByRole('table', { name: 'API keys' });
    const row = keys.getByRole('row').filter({ hasText: 'Nightly report' });
    await expect(row).toContainText('active');
    await expect(row).toContainText(key.slice(0, 11));
    // The full key is never shown again.
    await expect(page.getByText(key)).toHaveCount(0);

    // A script with the key (no session cookie): the partner's customers.
    const asScript = () =>
      request.get(`/api/v1/partners/${partnerId}/tenants`, { headers: { Authorization: `Bearer ${key}` } });
    const allowed = await asScript();
    expect(allowed.status(), await allowed.text()).toBe(200);
    expect(((await allowed.json()) as { items: unknown[] }).items).toHaveLength(4);

    await row.getByRole('button', { name: 'Revoke Nightly report' }).click();
    await expect(dialog.getByRole('heading', { name: 'Revoke Nightly report?' })).toBeVisible();
    await screenshotStep(page, testInfo, '09-api-key-revoke');
    await dialog.getByRole('button', { name: 'Revoke key' }).click();
    await expect(dialog).toHaveCount(0);
    await expect(row).toContainText('revoked');
    await expect(row.getByRole('button', { name: 'Revoke Nightly report' })).toHaveCount(0);

    const refused = await asScript();
    expect(refused.status()).toBe(401);
    expect(((await refused.json()) as { code: string }).code).toBe('API_KEY_INVALID');
    await expectSoundPage(page, testInfo, '10-api-key-revoked');
  });

  await test.step('the Staff page lists the Owner', async () => {
    await page
      .getByRole('navigation', { name: 'Partner portal' })
      .getByRole('link', { name: 'Staff' })
      .click();
    await expect(page.getByRole('heading', { name: 'Staff', level: 1 })).toBeVisible();
    const people = page.getByRole('list', { name: 'People' }).getByRole('listitem');
    await expect(people).toHaveCount(1);
    await expect(people.first()).toContainText(ownerUpn);
    await expect(people.first()).toContainText('(you)');
    await expectSoundPage(page, testInfo, '11-staff');
  });

  await test.step("a customer's name on the dashboard opens its Backups page", async () => {
    await page
      .getByRole('navigation', { name: 'Partner portal' })
      .getByRole('link', { name: 'Customers' })
      .click();
    const healthy = tenantOf(CUSTOMERS.healthy);
    await dashboardRow(page, healthy.tenantId).tenant.getByRole('link').click();
    await expect(page).toHaveURL(new RegExp(`/backups\\?tenant=${healthy.tenantId}$`));
    await expect(page.getByRole('heading', { name: 'Backups', level: 1 })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Active tenant' })).toContainText(healthy.displayName);
    const runs = page.getByRole('list', { name: 'Runs' }).getByRole('listitem');
    await expect(runs).toHaveCount(1);
    await expect(runs.first()).toContainText('Completed');
    await expectSoundPage(page, testInfo, '12-customer-backups');
  });
});
