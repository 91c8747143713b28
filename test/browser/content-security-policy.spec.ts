import { expect, test } from '@playwright/test';
import { signInWithConsent } from './support/demo-tenant';

/**
 * The portal runs under the server's content security policy (scripts and styles only from its
 * origin or with the page's nonce) in real Chromium: every page it renders, with Angular's
 * runtime styles, Material's components and the build's inlined critical CSS, without a single
 * violation. Chromium reports each violation on the console.
 */
test('the portal renders its pages under its content security policy without a violation', async ({
  page,
  baseURL,
}) => {
  const origin = new URL(baseURL ?? '').origin;
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text()) && page.url().startsWith(origin)) {
      violations.push(`${page.url()}: ${message.text()}`);
    }
  });

  const home = await page.goto('/');
  const policy = home?.headers()['content-security-policy'] ?? '';
  expect(policy).toMatch(/script-src 'self' 'nonce-[^']+'/);
  expect(policy).toMatch(/style-src 'self' 'nonce-[^']+'/);
  await expect(page.getByRole('heading', { name: 'Backup for Entra ID', level: 1 })).toBeVisible();

  const session = await signInWithConsent(page);
  for (const path of [
    '/backups',
    `/settings/${session.tenantId}`,
    '/explore',
    '/compare',
    '/restores',
    '/export',
    '/audit',
    '/no/such/page',
  ]) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  }
  // Material's styles reached the page: the toolbar is laid out by the stylesheet and component styles.
  await expect(page.getByRole('banner')).toHaveCSS('display', /flex|block/);

  expect(violations).toEqual([]);
});
