import { expect, test } from '@playwright/test';
import {
  backUpNow,
  demoTenant,
  type DemoSession,
  documentOverflow,
  expectSoundPage,
  signInWithConsent,
} from './support/demo-tenant';
import { screenshotStep } from './support/screenshots';

test.describe.configure({ mode: 'serial' });

test('version history shows a department change old → new with who changed it, and the membership as of a date', async ({
  page,
}, testInfo) => {
  test.setTimeout(240_000);
  let session: DemoSession;
  // Audit logs too: they say who made each change.
  const backUp = () => backUpNow(page, session, ['users', 'groups', 'auditLogs']);

  await test.step('the Global Administrator signs in and admin consent is granted', async () => {
    session = await signInWithConsent(page);
  });

  let user = { id: '', displayName: '', department: null as string | null };
  let group = { id: '', displayName: '' };
  let before = '';
  let between = '';
  await test.step('two backups with a department change and a new member in between', async () => {
    await backUp();
    const tenant = demoTenant(page, session);
    const users = await tenant.truth<typeof user & { onPremisesSyncEnabled?: boolean }>('users');
    user = users.filter((u) => u.onPremisesSyncEnabled !== true)[7]!;
    const groups = await tenant.truth<
      typeof group & { groupTypes: string[]; members?: Array<{ id: string }> }
    >('groups');
    group = groups.find(
      (g) => !g.groupTypes.includes('DynamicMembership') && !(g.members ?? []).some((m) => m.id === user.id),
    )!;
    before = new Date().toISOString();
    await tenant.change({
      action: 'update',
      collection: 'users',
      id: user.id,
      patch: { department: 'Time Travel' },
    });
    await tenant.change({ action: 'addMember', collection: 'groups', id: group.id, memberId: user.id });
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
    await expectSoundPage(page, testInfo, '01-user-history');
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
    await expectSoundPage(page, testInfo, '02-group-history');
  });

  await test.step('the group as of before the change lacks the member; the changes since add it', async () => {
    await page.goto(`/objects/groups/groups/${group.id}/as-of?date=${encodeURIComponent(before)}`);
    await expect(page.getByRole('heading', { name: 'As of a date', level: 1 })).toBeVisible();
    await expect(page.locator('[data-relation="members"]')).not.toContainText(user.displayName);
    await expect(page.locator('ul.changes li.added')).toContainText(`Added member: ${user.displayName}`);
    await expectSoundPage(page, testInfo, '03-group-as-of');
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
      expect(await documentOverflow(page), `${path} is wider than the screen`).toBeLessThanOrEqual(0);
    }
    await screenshotStep(page, testInfo, '05-as-of-390px');
    await page.goto(`/objects/users/users/${user.id}/history`);
    await expect(page.locator('.event').first()).toBeVisible();
    await screenshotStep(page, testInfo, '06-history-390px');
    await page.setViewportSize({ width: 1366, height: 768 });
  });
});
