import { expect, test } from '@playwright/test';
import { backUpNow, expectSoundPage, signInWithConsent } from './support/demo-tenant';

test.describe.configure({ mode: 'serial' });

/**
 * The Settings cards an admin uses to decide how far to trust the backups: retention with its
 * preview and legal hold, the full reconciliation interval, and who is told of alerts, with the
 * delivery log. Whatever it changes, it puts back.
 */
test('an admin previews retention, places a legal hold, sets the reconciliation and adds an alert recipient', async ({
  page,
}, testInfo) => {
  test.setTimeout(180_000);

  await test.step('two backups give retention something to weigh', async () => {
    const session = await signInWithConsent(page);
    await backUpNow(page, session, ['users']);
    await backUpNow(page, session, ['users']);
    await page.goto('/settings');
    await expect(page.getByRole('heading', { name: 'Retention', level: 2 })).toBeVisible();
  });

  const retention = page
    .locator('mat-card')
    .filter({ has: page.getByRole('heading', { name: 'Retention', exact: true, level: 2 }) });

  await test.step('retention: a bad policy is refused on the card, a valid one previewed and not saved', async () => {
    const policy = retention.getByRole('group', { name: 'Retention policy' });
    await policy.getByLabel('Keep every snapshot for').fill('0');
    await expect(retention.getByRole('alert')).toBeVisible();
    await expect(retention.getByRole('button', { name: 'Calculate effect' })).toBeDisabled();
    // Every snapshot of the last day, nothing older: the two backups of today both stay.
    await policy.getByLabel('Keep every snapshot for').fill('1');
    for (const label of ['Then one a day for', 'One a week for', 'One a month for'])
      await policy.getByLabel(label).fill('0');
    await retention.getByRole('button', { name: 'Calculate effect' }).click();
    const preview = retention.getByRole('status');
    await expect(preview).toContainText(/\d+ of \d+ snapshots would be pruned now, freeing/);
    const [pruned, total] = ((await preview.textContent()) ?? '').match(/\d+/g)!.map(Number);
    expect(pruned).toBe(0);
    expect(total).toBeGreaterThanOrEqual(2);
    await expectSoundPage(page, testInfo, '01-retention-preview');
    await page.reload();
    await expect(
      retention.getByRole('group', { name: 'Retention policy' }).getByLabel('Keep every snapshot for'),
    ).toHaveValue('14');
  });

  await test.step('retention: a legal hold is placed with its reason, then released', async () => {
    await retention.getByLabel('Reason (optional)').fill('Litigation 2026-17');
    await retention.getByRole('switch', { name: 'Legal hold' }).click();
    await expect(retention.getByRole('switch', { name: 'Legal hold' })).toBeChecked();
    await retention.getByRole('button', { name: 'Calculate effect' }).click();
    await expect(retention.getByRole('status')).toContainText(
      'The legal hold keeps them until it is released',
    );
    await expectSoundPage(page, testInfo, '02-legal-hold');
    await retention.getByRole('switch', { name: 'Legal hold' }).click();
    await expect(retention.getByRole('switch', { name: 'Legal hold' })).not.toBeChecked();
  });

  await test.step('reconciliation: every 3 days, then back to the weekly default', async () => {
    const card = page
      .locator('mat-card')
      .filter({ has: page.getByRole('heading', { name: 'Full reconciliation', exact: true, level: 2 }) });
    await card.getByLabel('Every (days)').fill('3');
    await card.getByRole('button', { name: 'Save interval' }).click();
    await expect(page.getByText('Full reconciliation every 3 day(s)')).toBeVisible();
    await page.reload();
    await expect(card.getByLabel('Every (days)')).toHaveValue('3');
    await card.getByLabel('Every (days)').fill('7');
    await card.getByRole('button', { name: 'Save interval' }).click();
    await expect(page.getByText('Full reconciliation every 7 day(s)')).toBeVisible();
  });

  await test.step('notifications: a mail recipient is added, sent a test that the delivery log shows, and removed', async () => {
    const card = page
      .locator('mat-card')
      .filter({ has: page.getByRole('heading', { name: 'Notifications', exact: true, level: 2 }) });
    await card.getByRole('textbox', { name: 'Mail address', exact: true }).fill('secops@fabrikam.example');
    await card.getByRole('button', { name: 'Add recipient' }).click();
    const recipient = card
      .getByRole('list', { name: 'Recipients' })
      .getByRole('listitem')
      .filter({ hasText: 'secops@fabrikam.example' });
    await expect(recipient).toBeVisible();
    await recipient.getByRole('button', { name: 'Send test' }).click();
    await expect(page.getByText('Test sent to secops@fabrikam.example: see the delivery log')).toBeVisible();
    await card.getByRole('button', { name: 'Refresh' }).click();
    await expect(card.getByRole('list', { name: 'Delivery log' }).getByRole('listitem')).not.toHaveCount(0);
    await expectSoundPage(page, testInfo, '03-notifications');
    await recipient.getByRole('button', { name: 'Remove' }).click();
    await recipient.getByRole('button', { name: 'Confirm remove' }).click();
    await expect(recipient).toHaveCount(0);
  });
});
