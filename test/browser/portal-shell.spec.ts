import { expect, test } from '@playwright/test';
import { screenshotStep } from './support/screenshots';

const TENANT_ID = '5d3a7f0e-2b1c-4e8f-9a6d-0c4b8e2f1a37';
const TENANT_NAME = 'Contoso Demo';

// One flow against one fresh server: the steps depend on each other, in this order.
test.describe.configure({ mode: 'serial' });

test('an admin adds a tenant, finds the product menu and Settings, and switches on Users', async ({
  page,
}, testInfo) => {
  await test.step('the first visit shows how to add a tenant', async () => {
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Tenants', level: 1 })).toBeVisible();
    await expect(page.getByText('No tenants yet.')).toBeVisible();
    await expect(page.getByText('npx entra-backup tenant add <tenantId> --name <name>')).toBeVisible();
    await screenshotStep(page, testInfo, '01-empty-state');
  });

  await test.step('the form refuses a tenant id that is not a GUID', async () => {
    await page.getByLabel('Tenant ID').fill('contoso.onmicrosoft.com');
    await page.getByLabel('Name').fill(TENANT_NAME);
    await page.getByRole('button', { name: 'Add tenant' }).click();
    await expect(page.getByText('The tenant ID must be a GUID')).toBeVisible();
    await expect(page.getByText('No tenants yet.')).toBeVisible();
    await screenshotStep(page, testInfo, '02-invalid-tenant-id');
  });

  await test.step('a valid tenant is added and listed', async () => {
    await page.getByLabel('Tenant ID').fill(TENANT_ID);
    await page.getByRole('button', { name: 'Add tenant' }).click();
    const table = page.getByRole('table', { name: 'Tenants' });
    await expect(table.getByRole('row').filter({ hasText: TENANT_NAME })).toContainText(TENANT_ID);
    await expect(page.getByText('No tenants yet.')).toBeHidden();
    await expect(page.getByLabel('Tenant ID')).toHaveValue('');
    await screenshotStep(page, testInfo, '03-tenant-listed');
  });

  await test.step("adding it again shows the server's message", async () => {
    await page.getByLabel('Tenant ID').fill(TENANT_ID);
    await page.getByLabel('Name').fill(TENANT_NAME);
    await page.getByRole('button', { name: 'Add tenant' }).click();
    const alert = page.getByRole('alert').filter({ hasText: TENANT_ID });
    await expect(alert).toHaveText(`Tenant ${TENANT_ID} already exists`);
    await screenshotStep(page, testInfo, '04-duplicate-refused');
  });

  await test.step('the product menu opens from the top-left icon', async () => {
    await page.getByRole('button', { name: 'Product menu' }).click();
    const product = page.getByRole('menuitem', { name: 'Backup for Entra ID' });
    await expect(product).toBeVisible();
    await screenshotStep(page, testInfo, '05-product-menu');
    await product.click();
    await expect(page).toHaveURL('/');
  });

  await test.step('the gear icon opens Settings with every object type off', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    await expect(page).toHaveURL(/\/settings$/);
    await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
    await expect(page.getByText(`${TENANT_NAME} · ${TENANT_ID}`)).toBeVisible();
    const switches = page.getByRole('switch');
    await expect(switches).toHaveCount(14);
    for (const toggle of await switches.all()) await expect(toggle).not.toBeChecked();
    await screenshotStep(page, testInfo, '06-settings');
  });

  await test.step('switching on Users saves it', async () => {
    await page.getByRole('switch', { name: 'Users' }).click();
    await expect(page.getByText('Users will be backed up')).toBeVisible();
    await expect(page.getByRole('switch', { name: 'Users' })).toBeChecked();
    await screenshotStep(page, testInfo, '07-users-on');
  });

  await test.step('after a reload Users is still on and the rest still off', async () => {
    await page.reload();
    await expect(page.getByRole('switch', { name: 'Users' })).toBeChecked();
    await expect(page.getByRole('switch', { name: 'Groups' })).not.toBeChecked();
    await expect(page.getByText('1 of 14 on.')).toBeVisible();
    await screenshotStep(page, testInfo, '08-after-reload');
  });

  await test.step("the tenant's name in the list links to its settings", async () => {
    await page.getByRole('link', { name: 'Entra Backup' }).click();
    await page.getByRole('link', { name: TENANT_NAME }).click();
    await expect(page).toHaveURL(`/settings/${TENANT_ID}`);
    await expect(page.getByRole('switch', { name: 'Users' })).toBeChecked();
  });
});

test('the shell is usable with the keyboard alone', async ({ page }, testInfo) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Tenants', level: 1 })).toBeVisible();

  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Product menu' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('menuitem', { name: 'Backup for Entra ID' })).toBeFocused();
  await screenshotStep(page, testInfo, '09-keyboard-product-menu');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('button', { name: 'Product menu' })).toBeFocused();

  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Entra Backup' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Settings' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/settings/);
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
});
