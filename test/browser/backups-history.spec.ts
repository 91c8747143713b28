import { expect, test } from '@playwright/test';
import { backUpNow, expectSoundPage, signInWithConsent, switchTypesOn } from './support/demo-tenant';

/**
 * The Backups page at a glance: history charts with their text alternatives, one line per run
 * expandable from the keyboard, axe-clean, and no sideways scrolling on a 390 px phone. Works on
 * a fresh server and after any other spec: it sets up consent, its types and its own backups.
 */
test.describe.configure({ mode: 'serial' });

test('the Backups page shows the history at a glance and one line per run', async ({ page }, testInfo) => {
  test.setTimeout(240_000);

  await test.step('an administrator with consent and types switched on backs up twice', async () => {
    const session = await signInWithConsent(page);
    await switchTypesOn(page, session, ['Users', 'Groups', 'Built-in roles']);
    await backUpNow(page, session, ['users', 'groups', 'builtInRoles']);
    await backUpNow(page, session, ['users', 'groups', 'builtInRoles']);
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
    await expectSoundPage(page, testInfo, '01-backups-history');
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
    // The expanded run's table, too, fits 390 px without the page scrolling sideways.
    await expectSoundPage(page, testInfo, '02-run-expanded');
  });

  await test.step('a run page is axe-clean and shows storage in human units', async () => {
    await page.getByRole('list', { name: 'Runs' }).getByRole('listitem').first().getByRole('link').click();
    await expect(page.getByRole('heading', { name: 'Backup run', level: 1 })).toBeVisible();
    await expect(page.locator('.facts')).toContainText(/Stored\s*\d+(\.\d)? (B|kB|MB)/);
    await expect(page.locator('.facts')).not.toContainText('bytes');
    await expectSoundPage(page, testInfo, '03-run-page');
  });
});
