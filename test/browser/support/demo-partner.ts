import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { expect, type Browser, type BrowserContext, type Page, type TestInfo } from '@playwright/test';
import { demoControl } from './demo-control';
import { ACCOUNT_PICKER, pickDemoAccountIn } from './demo-sign-in';

const ROOT = join(__dirname, '..', '..', '..');

/** A demo organization as the emulator lists it, in the order of its organization picker. */
export interface DemoOrganization {
  readonly tenantId: string;
  readonly displayName: string;
  readonly defaultDomain: string;
}

/** The demo emulator's organizations, in the order its "Pick an organization" page shows them. */
export async function demoOrganizations(page: Page): Promise<DemoOrganization[]> {
  const { url, headers } = demoControl('/tenants');
  const response = await page.request.get(url, { headers });
  expect(response.status()).toBe(200);
  return ((await response.json()) as { tenants: DemoOrganization[] }).tenants;
}

/**
 * Runs the `entra-backup` command line as the installation's operator would next to the running
 * demo server: same data dir, no Microsoft app credentials (so it uses the demo server's
 * emulator, found through `<data dir>/emulator/demo-server.json`). Resolves with its stdout.
 */
export function runCli(args: readonly string[]): Promise<string> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    NODE_ENV: 'production',
    ENTRA_BACKUP_DATA_DIR: process.env['ENTRA_BACKUP_E2E_DATA_DIR'],
    AZURE_CLIENT_ID: '',
    AZURE_CLIENT_SECRET: '',
    LOG_LEVEL: 'warn',
  };
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [join(ROOT, 'bin', 'entra-backup.js'), ...args],
      { cwd: ROOT, env, timeout: 30_000 },
      (error, stdout, stderr) => {
        if (error === null) resolve(stdout);
        else reject(new Error(`entra-backup ${args.join(' ')} failed: ${error.message}\n${stderr}`));
      },
    );
  });
}

/** `entra-backup partner add <name> --owner <upn> --json`: the partner's id. */
export async function addPartnerWithCli(name: string, ownerUpn: string): Promise<string> {
  const created = JSON.parse(await runCli(['partner', 'add', name, '--owner', ownerUpn, '--json'])) as {
    partnerId: string;
    name: string;
  };
  expect(created.name).toBe(name);
  return created.partnerId;
}

/** The CSRF token of the page's session, for API calls made as the signed-in person. */
export async function csrfTokenOf(page: Page): Promise<string> {
  const session = await page.request.get('/api/auth/session');
  expect(session.status()).toBe(200);
  return ((await session.json()) as { csrfToken: string }).csrfToken;
}

/** Creates an onboarding link over the REST API as the signed-in partner staff; its URL. */
export async function createOnboardingLink(
  page: Page,
  partnerId: string,
  customerName: string,
): Promise<string> {
  const response = await page.request.post(`/api/partners/${partnerId}/onboarding-links`, {
    headers: { 'x-csrf-token': await csrfTokenOf(page) },
    data: { customerName },
  });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { url: string }).url;
}

/** A browser of its own for another person (a customer's admin), with the suite's options. */
export function newPersonContext(browser: Browser, testInfo: TestInfo): Promise<BrowserContext> {
  const { baseURL, ignoreHTTPSErrors, locale, timezoneId, viewport, contextOptions } = testInfo.project.use;
  return browser.newContext({
    ...contextOptions,
    baseURL,
    ignoreHTTPSErrors,
    locale,
    timezoneId,
    viewport,
  });
}

/**
 * As the Global Administrator of the demo organization at that position of the picker, on a page
 * of their own: opens the partner's onboarding link, signs in, accepts, and on Microsoft's
 * (the emulator's) consent page accepts or cancels. Ends on the tenant's Settings page; resolves
 * with the tenant's id.
 */
export async function acceptInvitation(
  page: Page,
  url: string,
  organization: number,
  consent: 'grant' | 'decline',
): Promise<string> {
  await page.goto(url);
  await expect(page.getByRole('heading', { name: /^Invitation from / })).toBeVisible();
  await page.getByRole('link', { name: 'Sign in with Microsoft 365' }).click();
  await pickDemoAccountIn(page, 'global administrator', organization);
  await expect(page).toHaveURL(/\/onboard\/[^/]+$/);
  await page.getByRole('button', { name: 'Accept and grant consent' }).click();
  await expect(page.getByRole('heading', { name: ACCOUNT_PICKER })).toBeVisible();
  await pickDemoAccountIn(page, 'global administrator', organization);
  await expect(page.getByRole('heading', { name: 'Permissions requested' })).toBeVisible();
  if (consent === 'grant') {
    await page.getByRole('button', { name: 'Accept' }).click();
    await expect(page).toHaveURL(/\/settings\/[0-9a-f-]{36}\?consent=granted$/);
  } else {
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect(page).toHaveURL(/\/settings\/[0-9a-f-]{36}\?consent=failed/);
  }
  return new URL(page.url()).pathname.split('/').pop()!;
}
