import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { pickDemoAccount } from './support/demo-sign-in';
import { screenshotStep } from './support/screenshots';

test.describe.configure({ mode: 'serial' });

const DEMO_PORT = process.env['ENTRA_BACKUP_E2E_DEMO_PORT'];

/** Serious or critical accessibility violations of the current page (axe-core). */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/**
 * How far the page's own content reaches past the right edge of the viewport (0 when it fits).
 * Measured on the feature page rather than the document: the shell's toolbar is not part of it.
 */
function contentOverflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    const browser = globalThis as unknown as {
      innerWidth: number;
      document: {
        querySelector(
          s: string,
        ): { querySelectorAll(s: string): Iterable<{ getBoundingClientRect(): { right: number } }> } | null;
      };
    };
    const host = browser.document.querySelector('eb-history-page, eb-as-of-page');
    if (host === null) return Number.POSITIVE_INFINITY;
    let right = 0;
    for (const element of host.querySelectorAll('*'))
      right = Math.max(right, element.getBoundingClientRect().right);
    return Math.ceil(right - browser.innerWidth);
  });
}

test('version history shows a department change old → new with who changed it, and the membership as of a date', async ({
  page,
}, testInfo) => {
  test.setTimeout(240_000);
  let tenantId = '';
  let csrf = '';
  const control = () => `https://127.0.0.1:${DEMO_PORT}/_emulator/tenants/${tenantId}`;

  async function backUp(): Promise<void> {
    const started = await page.request.post(`/api/tenants/${tenantId}/backups`, {
      headers: { 'x-csrf-token': csrf },
      data: { types: ['users', 'groups', 'auditLogs'] },
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
        { timeout: 120_000 },
      )
      .not.toBe('running');
  }

  async function change(body: Record<string, unknown>): Promise<void> {
    const response = await page.request.post(`${control()}/changes`, { data: body });
    expect(response.status()).toBe(200);
  }

  await test.step('the Global Administrator signs in and admin consent is granted', async () => {
    await page.goto('/');
    await page.getByRole('link', { name: 'Sign in with Microsoft 365' }).click();
    await pickDemoAccount(page, 'global administrator');
    await expect(page).toHaveURL(/\/backups$/);
    const session = (await (await page.request.get('/api/auth/session')).json()) as {
      csrfToken: string;
      user: { tenantId: string };
    };
    csrf = session.csrfToken;
    tenantId = session.user.tenantId;
    await page.goto(`/settings/${tenantId}`);
    const grant = page.getByRole('button', { name: 'Grant admin consent' });
    await expect(grant.or(page.getByText('Permissions granted').first())).toBeVisible();
    if (await grant.isVisible()) {
      await grant.click();
      await pickDemoAccount(page, 'global administrator');
      await page.getByRole('button', { name: 'Accept' }).click();
      await expect(page.getByText('Admin consent granted.')).toBeVisible();
    }
  });

  let user = { id: '', displayName: '', department: null as string | null };
  let group = { id: '', displayName: '' };
  let before = '';
  let between = '';
  await test.step('two backups with a department change and a new member in between', async () => {
    await backUp();
    const users = (await (await page.request.get(`${control()}/truth/users`)).text())
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as typeof user & { onPremisesSyncEnabled?: boolean });
    user = users.filter((u) => u.onPremisesSyncEnabled !== true)[7]!;
    const groups = (await (await page.request.get(`${control()}/truth/groups`)).text())
      .split('\n')
      .filter((line) => line !== '')
      .map(
        (line) =>
          JSON.parse(line) as typeof group & { groupTypes: string[]; members?: Array<{ id: string }> },
      );
    group = groups.find(
      (g) => !g.groupTypes.includes('DynamicMembership') && !(g.members ?? []).some((m) => m.id === user.id),
    )!;
    before = new Date().toISOString();
    await change({
      action: 'update',
      collection: 'users',
      id: user.id,
      patch: { department: 'Time Travel' },
    });
    await change({ action: 'addMember', collection: 'groups', id: group.id, memberId: user.id });
    await backUp();
    between = new Date().toISOString();
  });

  await test.step("the user's version history shows the department old → new and who changed it", async () => {
    await page.goto(`/objects/users/users/${user.id}/history`);
    await expect(page.getByRole('heading', { name: 'Version history', level: 1 })).toBeVisible();
    const changed = page.locator('.event[data-kind="changed"]').first();
    const row = changed.locator('tr[data-path="department"]');
    await expect(row.locator('.after')).toHaveText('Time Travel');
    if (user.department) await expect(row.locator('.before')).toHaveText(user.department);
    await expect(changed.getByRole('region', { name: /Who changed it/ })).toContainText('Update user by');
    await expect(changed.getByRole('region', { name: /Who changed it/ })).toContainText('Department:');
    await expect(changed.getByRole('link', { name: 'Restore department…' })).toHaveAttribute(
      'href',
      new RegExp(`/restore/new\\?snapshot=\\d+&types=users&ids=${user.id}&properties=department`),
    );
    expect(await seriousViolations(page)).toEqual([]);
    await screenshotStep(page, testInfo, '01-user-history');
  });

  await test.step('keyboard alone reaches the restore action', async () => {
    const restore = page.getByRole('link', { name: 'Restore this version…' }).first();
    let focused = false;
    for (let i = 0; i < 40 && !focused; i++) {
      await page.keyboard.press('Tab');
      focused = await restore.evaluate(
        (el) =>
          el === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement,
      );
    }
    await expect(restore).toBeFocused();
  });

  await test.step("the group's history shows the member added, by name", async () => {
    await page.goto(`/objects/groups/groups/${group.id}/history`);
    const changed = page.locator('.event[data-kind="changed"]').first();
    await expect(changed.locator('.relationships')).toContainText(`Member added: ${user.displayName}`);
    await expect(changed.getByRole('region', { name: /Who changed it/ })).toContainText(
      'Add member to group',
    );
    expect(await seriousViolations(page)).toEqual([]);
    await screenshotStep(page, testInfo, '02-group-history');
  });

  await test.step('the group as of before the change lacks the member; the changes since add it', async () => {
    await page.goto(`/objects/groups/groups/${group.id}/as-of?date=${encodeURIComponent(before)}`);
    await expect(page.getByRole('heading', { name: 'As of a date', level: 1 })).toBeVisible();
    await expect(page.locator('[data-relation="members"]')).not.toContainText(user.displayName);
    await expect(page.locator('ul.changes li.added')).toContainText(`Added member: ${user.displayName}`);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshotStep(page, testInfo, '03-group-as-of');
    await page.goto(`/objects/users/users/${user.id}/as-of?date=${encodeURIComponent(between)}`);
    await expect(page.locator('[data-relation="memberOf"]')).toContainText(group.displayName);
    await screenshotStep(page, testInfo, '04-user-as-of');
  });

  await test.step('at 390 px neither page scrolls sideways', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    for (const path of [
      `/objects/users/users/${user.id}/history`,
      `/objects/groups/groups/${group.id}/history`,
      `/objects/groups/groups/${group.id}/as-of?date=${encodeURIComponent(before)}`,
    ]) {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await expect(page.getByRole('progressbar')).toHaveCount(0);
      expect(await contentOverflow(page), `${path} is wider than the screen`).toBeLessThanOrEqual(0);
    }
    await screenshotStep(page, testInfo, '05-as-of-390px');
    await page.goto(`/objects/users/users/${user.id}/history`);
    await expect(page.locator('.event').first()).toBeVisible();
    await screenshotStep(page, testInfo, '06-history-390px');
    await page.setViewportSize({ width: 1366, height: 768 });
  });
});
