import { expect, test } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import yauzl from 'yauzl';
import {
  backUpNow,
  demoTenant,
  type DemoSession,
  expectSoundPage,
  signInWithConsent,
} from './support/demo-tenant';

// The admin's whole path through a backup, in order: browse, history, compare (with each other and
// with the live tenant), restore a property, restore a hard-deleted user with its memberships,
// the restore history, and an export. Every page is scanned with axe and checked at 390 px.
test.describe.configure({ mode: 'serial' });

interface TruthUser {
  id: string;
  displayName: string;
  userPrincipalName: string;
  department?: string | null;
  onPremisesSyncEnabled?: boolean;
}
interface TruthGroup {
  id: string;
  displayName: string;
  groupTypes: string[];
  members?: Array<{ id: string }>;
}

const RESEARCH = 'Walk Research';
const LIVE = 'Walk Live';

/** The zip's entry names and the text of one entry. */
async function readZip(path: string, entry: string): Promise<{ names: string[]; text: string }> {
  const open = promisify<string, yauzl.Options, yauzl.ZipFile>(yauzl.open);
  const zip = await open(path, { lazyEntries: true });
  const names: string[] = [];
  let text = '';
  await new Promise<void>((resolve, reject) => {
    zip.on('error', reject);
    zip.on('end', () => resolve());
    zip.on('entry', (e: yauzl.Entry) => {
      names.push(e.fileName);
      if (e.fileName !== entry) return zip.readEntry();
      zip.openReadStream(e, (error, stream) => {
        if (error) return reject(error);
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          text = Buffer.concat(chunks).toString('utf8');
          zip.readEntry();
        });
      });
    });
    zip.readEntry();
  });
  return { names, text };
}

test('browse, history, compare, restore a property and a deleted user, restore history, export', async ({
  page,
}, testInfo) => {
  test.setTimeout(420_000);
  let session: DemoSession = { tenantId: '', csrfToken: '' };
  let user: TruthUser = { id: '', displayName: '', userPrincipalName: '' };
  let lost: TruthUser = { id: '', displayName: '', userPrincipalName: '' };
  let group: TruthGroup = { id: '', displayName: '', groupTypes: [] };
  let first = '';
  let second = '';

  async function snapshotOf(runId: string): Promise<string> {
    const run = (await (
      await page.request.get(`/api/tenants/${session.tenantId}/backups/${runId}`)
    ).json()) as {
      status: string;
      summary: { snapshotId: string | null } | null;
    };
    expect(run.status).toBe('completed');
    return run.summary!.snapshotId!;
  }

  await test.step('two backups around a change of a user’s department', async () => {
    session = await signInWithConsent(page);
    const tenant = demoTenant(page, session);
    const users = (await tenant.truth<TruthUser>('users')).filter(
      (u) => u.onPremisesSyncEnabled !== true && !/admin/i.test(u.userPrincipalName),
    );
    const groups = await tenant.truth<TruthGroup>('groups');
    user = users[11]!;
    // A cloud user who belongs to an assigned group: it will be hard-deleted and restored.
    for (const candidate of users.slice(20)) {
      const memberOf = groups.find(
        (g) =>
          !g.groupTypes.includes('DynamicMembership') && (g.members ?? []).some((m) => m.id === candidate.id),
      );
      if (memberOf !== undefined) {
        lost = candidate;
        group = memberOf;
        break;
      }
    }
    expect(group.id, 'the demo tenant has a cloud user in an assigned group').not.toBe('');
    first = await snapshotOf(await backUpNow(page, session, ['users', 'groups', 'auditLogs']));
    await tenant.change({
      action: 'update',
      collection: 'users',
      id: user.id,
      patch: { department: RESEARCH },
    });
    second = await snapshotOf(await backUpNow(page, session, ['users', 'groups', 'auditLogs']));
  });

  await test.step('Explore lists the users; a search by name finds the user', async () => {
    await page.goto('/backups');
    await page
      .getByRole('navigation', { name: 'Backup for Entra ID' })
      .getByRole('link', { name: 'Explore' })
      .click();
    await expect(page.getByRole('heading', { name: 'Explore', level: 1 })).toBeVisible();
    const table = page.getByRole('table', { name: 'Users' });
    await expect(table.getByRole('columnheader', { name: 'User principal name' })).toBeVisible();
    await expect(table.locator('a.object-link').first()).toBeVisible();
    await expectSoundPage(page, testInfo, '01-explore-users');
    const search = page.getByRole('textbox', { name: 'Search' });
    await search.fill(user.displayName);
    await search.press('Enter');
    await expect(page).toHaveURL(/search=/);
    await expect(table.locator('a.object-link').first()).toHaveText(user.displayName);
    await expect(table).toContainText(user.userPrincipalName);
    await expectSoundPage(page, testInfo, '02-explore-search');
  });

  await test.step('the user’s page shows its properties, groups and raw JSON', async () => {
    await page.getByRole('table', { name: 'Users' }).locator('a.object-link').first().click();
    await expect(page).toHaveURL(new RegExp(`/objects/users/users/${user.id}\\?snapshot=`));
    await expect(page.getByRole('heading', { name: user.displayName, level: 1 })).toBeVisible();
    await expect(page.getByText(user.userPrincipalName).first()).toBeVisible();
    await expect(page.getByText(RESEARCH).first()).toBeVisible();
    await expect(page.getByLabel('Raw JSON')).toContainText(`"department": "${RESEARCH}"`);
    await expectSoundPage(page, testInfo, '03-object-page');
  });

  await test.step('version history shows the department old → new and who changed it', async () => {
    await page.getByRole('link', { name: 'Version history' }).click();
    await expect(page.getByRole('heading', { name: 'Version history', level: 1 })).toBeVisible();
    const changed = page.locator('.event[data-kind="changed"]').first();
    const row = changed.locator('tr[data-path="department"]');
    await expect(row.locator('.after')).toHaveText(RESEARCH);
    if (user.department) await expect(row.locator('.before')).toHaveText(user.department);
    await expect(changed.getByRole('region', { name: /Who changed it/ })).toContainText('Update user');
    await expectSoundPage(page, testInfo, '04-version-history');
  });

  await test.step('Compare: the two snapshots differ by that user, old → new', async () => {
    await page
      .getByRole('navigation', { name: 'Backup for Entra ID' })
      .getByRole('link', { name: 'Compare' })
      .click();
    await expect(page.getByRole('heading', { name: 'Compare', level: 1 })).toBeVisible();
    await page.getByLabel('From snapshot').selectOption(first);
    await page.getByLabel('To', { exact: true }).selectOption(second);
    await page.getByRole('button', { name: 'Compare', exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/compare\\?from=${first}&to=${second}`));
    await expect(page.getByRole('button', { name: /^Users: / })).toHaveAttribute(
      'aria-label',
      /Users: 1 changed/,
    );
    const row = page.locator(`li[data-id="${user.id}"]`);
    await expect(row.getByRole('link', { name: user.displayName })).toBeVisible();
    await row.getByRole('button', { name: /1 property/ }).click();
    await expect(row.locator('.property dt')).toHaveText('department');
    await expect(row.locator('.property .new')).toContainText(RESEARCH);
    await expectSoundPage(page, testInfo, '05-compare-snapshots');
  });

  await test.step('Compare with the live tenant after the user is changed again', async () => {
    await demoTenant(page, session).change({
      action: 'update',
      collection: 'users',
      id: user.id,
      patch: { department: LIVE },
    });
    await page.getByLabel('From snapshot').selectOption(second);
    await page.getByLabel('To', { exact: true }).selectOption('live');
    await page.getByRole('button', { name: 'Compare', exact: true }).click();
    await expect(page.getByRole('heading', { level: 2 }).filter({ hasText: 'live tenant' })).toBeVisible({
      timeout: 120_000,
    });
    const row = page.locator(`li[data-id="${user.id}"]`);
    await row.getByRole('button', { name: /1 property/ }).click();
    await expect(row.locator('.property .old')).toContainText(RESEARCH);
    await expect(row.locator('.property .new')).toContainText(LIVE);
    await expectSoundPage(page, testInfo, '06-compare-live');
  });

  async function confirmAndRestore(step: string): Promise<void> {
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page.getByRole('heading', { name: '3. Confirm' })).toBeVisible();
    const tenantName = (
      (await (await page.request.get(`/api/tenants/${session.tenantId}`)).json()) as { displayName: string }
    ).displayName;
    await page.getByLabel("Type the tenant's name to confirm").fill(tenantName);
    await expectSoundPage(page, testInfo, `${step}-confirm`);
    await page.getByRole('button', { name: 'Restore now' }).click();
    await expect(page.getByRole('heading', { name: '5. Result' })).toBeVisible({ timeout: 120_000 });
  }

  await test.step('restore that user’s department from the object page', async () => {
    await page.goto(`/objects/users/users/${user.id}?snapshot=${second}`);
    await expect(page.getByRole('heading', { name: user.displayName, level: 1 })).toBeVisible();
    await page.getByRole('link', { name: 'Restore Department…' }).click();
    await expect(page).toHaveURL(/\/restore\/new\?/);
    await expect(page.locator('.selection')).toContainText('department');
    await expectSoundPage(page, testInfo, '07-restore-property-selection');
    await page.getByRole('button', { name: 'Compute the plan' }).click();
    await expect(page.getByText('1 action planned.')).toBeVisible({ timeout: 120_000 });
    const update = page.locator('details.group[data-kind="update"]');
    await update.locator('summary').click();
    await expect(update.locator('.changes dt')).toHaveText('department');
    await expect(update.locator('.changes .from')).toHaveText(LIVE);
    await expectSoundPage(page, testInfo, '08-restore-property-plan');
    await confirmAndRestore('09-restore-property');
    await expect(page.locator('eb-restore-result-view .counts')).toHaveText('1 updated');
    await expectSoundPage(page, testInfo, '10-restore-property-result');
    const now = (await demoTenant(page, session).truth<TruthUser>('users')).find((u) => u.id === user.id);
    expect(now?.department).toBe(RESEARCH);
  });

  await test.step('a hard-deleted user comes back with its group membership', async () => {
    await demoTenant(page, session).change({ action: 'hardDelete', collection: 'users', id: lost.id });
    await page.goto(`/objects/users/users/${lost.id}?snapshot=${second}`);
    await expect(page.getByRole('heading', { name: lost.displayName, level: 1 })).toBeVisible();
    await page.getByRole('link', { name: 'Restore this object…' }).click();
    await page.getByRole('button', { name: 'Compute the plan' }).click();
    const recreate = page.locator('details.group[data-kind="recreate"]');
    await expect(recreate.locator('.badge')).toHaveText('1', { timeout: 120_000 });
    const links = page.locator('details.group[data-kind="addLink"]');
    await links.locator('summary').click();
    await expect(links).toContainText(group.displayName);
    await expectSoundPage(page, testInfo, '11-restore-user-plan');
    await confirmAndRestore('12-restore-user');
    await expect(page.locator('eb-restore-result-view .counts')).toContainText('1 re-created');
    await expect(page.getByRole('heading', { name: 'Re-created with new ids (1)' })).toBeVisible();
    await expectSoundPage(page, testInfo, '13-restore-user-result');
    const tenant = demoTenant(page, session);
    const back = (await tenant.truth<TruthUser>('users')).find(
      (u) => u.userPrincipalName === lost.userPrincipalName,
    );
    expect(back, 'the user exists again').toBeDefined();
    expect(back!.id).not.toBe(lost.id);
    const members = (await tenant.truth<TruthGroup>('groups')).find((g) => g.id === group.id)?.members ?? [];
    expect(members.map((m) => m.id)).toContain(back!.id);
  });

  await test.step('the restore history lists both restores, newest first', async () => {
    await page
      .getByRole('navigation', { name: 'Backup for Entra ID' })
      .getByRole('link', { name: 'Restores' })
      .click();
    await expect(page).toHaveURL(/\/restores$/);
    const rows = page.locator('table.restores tbody tr');
    await expect(rows.nth(0)).toContainText('1 re-created');
    await expect(rows.nth(1)).toContainText('1 updated');
    await expect(rows.nth(0)).toContainText('Completed');
    await expectSoundPage(page, testInfo, '14-restore-history');
  });

  await test.step('an export of the snapshot downloads as a valid zip', async () => {
    await page.goto(`/export?snapshot=${second}`);
    await expect(page.getByRole('heading', { name: 'Export a snapshot' })).toBeVisible();
    await expectSoundPage(page, testInfo, '15-export');
    const downloading = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download zip' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/\.zip$/);
    const path = await download.path();
    expect((await readFile(path)).subarray(0, 4).toString('hex')).toBe('504b0304');
    const { names, text } = await readZip(path, 'users.jsonl');
    expect(names).toEqual(expect.arrayContaining(['users.jsonl', 'groups.jsonl']));
    const exported = text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as { id: string; department?: string });
    expect(exported.find((u) => u.id === lost.id)).toBeDefined();
    expect(exported.find((u) => u.id === user.id)?.department).toBe(RESEARCH);
  });

  await test.step('every other page of the portal passes the same checks', async () => {
    await page.goto('/backups');
    await expect(page.getByRole('heading', { name: 'Backups', level: 1 })).toBeVisible();
    await expectSoundPage(page, testInfo, '16-backups');
    await page.goto(`/settings/${session.tenantId}`);
    await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
    await expectSoundPage(page, testInfo, '17-settings');
    await page.goto(`/objects/groups/groups/${group.id}?snapshot=${second}`);
    await expect(page.getByRole('heading', { name: group.displayName, level: 1 })).toBeVisible();
    await expectSoundPage(page, testInfo, '18-group-page');
    await page.goto(
      `/objects/groups/groups/${group.id}/as-of?date=${encodeURIComponent(new Date().toISOString())}`,
    );
    await expect(page.getByRole('heading', { name: 'As of a date', level: 1 })).toBeVisible();
    const members = page.locator('[data-relation="members"]');
    await expect(members.getByRole('link').first()).toBeVisible();
    await expectSoundPage(page, testInfo, '19-group-as-of');
    await page.goto('/restores');
    await page.locator('table.restores tbody tr').first().getByRole('link').first().click();
    await expect(page.getByRole('heading', { name: 'Restore', level: 1 })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Undo restore…' })).toBeVisible();
    await expectSoundPage(page, testInfo, '20-restore-detail');
    await page.goto('/explore?type=auditLogs');
    await expect(page.getByRole('table', { name: 'Audit logs' })).toBeVisible();
    await expectSoundPage(page, testInfo, '21-explore-audit-logs');
  });
});
