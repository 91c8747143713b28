import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { pickDemoAccount } from './support/demo-sign-in';
import { screenshotStep } from './support/screenshots';

/**
 * The Backups page at a glance: history charts with their text alternatives, one line per run
 * expandable from the keyboard, axe-clean, and no sideways scrolling on a 390 px phone. Works on
 * a fresh server and after the admin flow (consent and types are set up only when missing).
 */
test.describe.configure({ mode: 'serial' });

/**
 * How far the page's own content (inside `main`) reaches past its width; wide tables scroll
 * inside their own focusable region and do not count. The shell's toolbar is the shell suite's.
 */
function contentOverflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    const main = (
      globalThis as unknown as {
        document: { querySelector(selector: string): { scrollWidth: number; clientWidth: number } | null };
      }
    ).document.querySelector('main');
    return main === null ? Number.POSITIVE_INFINITY : main.scrollWidth - main.clientWidth;
  });
}

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Settings' "Back up now", until the run's progress card says it finished. */
async function backUp(page: Page): Promise<void> {
  const started = page.waitForResponse(
    (r) => /\/api\/tenants\/[^/]+\/backups$/.test(r.url()) && r.request().method() === 'POST',
  );
  const trigger = page.getByRole('button', { name: 'Back up now' });
  await expect(trigger).toBeEnabled({ timeout: 90_000 });
  await trigger.click();
  expect((await started).status()).toBe(202);
  await expect(page.getByRole('heading', { name: 'Backup finished' })).toBeVisible({ timeout: 90_000 });
}

test('the Backups page shows the history at a glance and one line per run', async ({ page }, testInfo) => {
  test.setTimeout(240_000);

  await test.step('an administrator with consent and types switched on backs up twice', async () => {
    await page.goto('/');
    await page.getByRole('link', { name: 'Sign in with Microsoft 365' }).click();
    await pickDemoAccount(page, 'global administrator');
    await expect(page).toHaveURL(/\/backups$/);
    await page.getByRole('link', { name: 'Settings', exact: true }).first().click();
    await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
    const grant = page.getByRole('button', { name: 'Grant admin consent' });
    if (await grant.isVisible()) {
      await grant.click();
      await pickDemoAccount(page, 'global administrator');
      await page.getByRole('button', { name: 'Accept' }).click();
      await expect(page.getByText('Admin consent granted.')).toBeVisible();
    }
    // Labels as the shared contract spells them (their case is being made consistent).
    for (const label of [/^Users$/i, /^Groups$/i, /^Built-in roles$/i]) {
      const toggle = page.getByRole('switch', { name: label });
      await expect(toggle).toBeEnabled();
      if (!(await toggle.isChecked())) {
        await toggle.click();
        await expect(toggle).toBeChecked();
      }
    }
    await backUp(page);
    await backUp(page);
  });

  await test.step('three charts, each with a caption, an accessible name and its data as a table', async () => {
    await page.goto('/backups');
    for (const name of ['Objects per type', 'Run duration and Graph requests', 'Storage']) {
      const chart = page.getByRole('img', { name: new RegExp(`^${name}: `) });
      await expect(chart).toBeVisible();
      // Chart.js drew something: the canvas has a size.
      expect((await chart.boundingBox())?.height ?? 0).toBeGreaterThan(100);
      await expect(page.getByRole('table', { name })).toHaveCount(1);
    }
    await expect(page.getByRole('img', { name: /^Objects per type: .*Users \d/ })).toBeVisible();
    await expect(page.getByRole('img', { name: /^Storage: .* (kB|MB)/ })).toBeVisible();
    await screenshotStep(page, testInfo, '01-backups-history');
  });

  await test.step('a run opens to its per-type figures from the keyboard', async () => {
    const runs = page.getByRole('list', { name: 'Runs' }).getByRole('listitem');
    await expect(runs.first()).toContainText(/Completed|Partial/);
    await expect(runs.first()).toContainText(/\d+(\.\d)? (B|kB|MB)/);
    const toggle = runs.first().getByRole('button', { name: /^Figures per type of the run of / });
    await toggle.focus();
    await page.keyboard.press('Enter');
    await expect(toggle).toHaveAttribute('aria-expanded', 'true');
    const results = runs.first().getByRole('table', { name: /^Results per object type of the run of / });
    await expect(results.locator('tr[data-type="users"]')).toContainText('Succeeded');
    // Roles: definitions are the objects; assignments have their own row, so added ≤ objects.
    const roles = results.locator('tr[data-type="builtInRoles"] td.num');
    const objects = Number((await roles.nth(0).innerText()).replace(/,/g, ''));
    const added = Number((await roles.nth(1).innerText()).replace(/,/g, ''));
    expect(added).toBeLessThanOrEqual(objects);
    await expect(results.locator('tr[data-type="builtInRoles/roleAssignments"]')).toHaveCount(1);
    await screenshotStep(page, testInfo, '02-run-expanded');
    expect(await seriousViolations(page)).toEqual([]);
  });

  await test.step('a run page is axe-clean and shows storage in human units', async () => {
    await page.getByRole('list', { name: 'Runs' }).getByRole('listitem').first().getByRole('link').click();
    await expect(page.getByRole('heading', { name: 'Backup run', level: 1 })).toBeVisible();
    await expect(page.locator('.facts')).toContainText(/Stored\s*\d+(\.\d)? (B|kB|MB)/);
    await expect(page.locator('.facts')).not.toContainText('bytes');
    expect(await seriousViolations(page)).toEqual([]);
  });

  await test.step('on a 390 px phone nothing scrolls sideways', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    const runPage = new URL(page.url()).pathname;
    for (const path of ['/backups', runPage]) {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await expect(page.getByRole('progressbar')).toHaveCount(0);
      expect(await contentOverflow(page), `${path} scrolls sideways`).toBeLessThanOrEqual(0);
    }
    await page.goto('/backups');
    await expect(page.getByRole('img', { name: /^Storage: / })).toBeVisible();
    await page
      .getByRole('list', { name: 'Runs' })
      .getByRole('listitem')
      .first()
      .getByRole('button')
      .first()
      .click();
    expect(await contentOverflow(page), 'an expanded run scrolls sideways').toBeLessThanOrEqual(0);
    await screenshotStep(page, testInfo, '03-backups-390px');
    expect(await seriousViolations(page)).toEqual([]);
  });
});
