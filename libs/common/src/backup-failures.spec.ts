import type { BackupTypeResult } from './backup.schemas';
import { collectionLabel, explainBackupFailure, formatBytes, groupBackupFailures } from './backup-failures';

const AADSTS_MESSAGE =
  "AADSTS700016: Application with identifier 'c0ffee00-0000-4000-8000-000000000001' was not found in the " +
  "directory 'Contoso'. This can happen if the application has not been installed by the administrator of " +
  'the tenant or consented to by any user in the tenant. You may have sent your authentication request to ' +
  'the wrong tenant.\r\nTrace ID: 0f0e0d0c-0b0a-4909-8807-060504030201\r\nCorrelation ID: ' +
  '11111111-2222-4333-8444-555555555555\r\nTimestamp: 2026-12-07 10:00:00Z';

function failed(reason: string, overrides: Partial<BackupTypeResult> = {}): BackupTypeResult {
  return {
    status: 'failed',
    reason,
    objects: 0,
    added: 0,
    changed: 0,
    removed: 0,
    requests: 1,
    ...overrides,
  };
}

describe('explainBackupFailure', () => {
  it('turns an AADSTS consent error into a short cause and the consent action', () => {
    expect(explainBackupFailure(AADSTS_MESSAGE)).toEqual({
      cause: 'The app is not consented to in this tenant.',
      action: 'grant-consent',
      actionText: 'Grant admin consent in Settings',
      code: 'AADSTS700016',
      detail: AADSTS_MESSAGE,
    });
  });

  it('explains a Graph permission error by its code', () => {
    expect(
      explainBackupFailure(
        'Insufficient privileges to complete the operation.',
        'Authorization_RequestDenied',
      ),
    ).toMatchObject({ action: 'grant-consent', code: 'Authorization_RequestDenied' });
  });

  it('keeps the first sentence of an unknown message, shortened', () => {
    const explanation = explainBackupFailure(`${'x'.repeat(300)}. Second sentence.`);
    expect(explanation.action).toBe('none');
    expect(explanation.cause).toHaveLength(120);
    expect(explanation.cause.endsWith('…')).toBe(true);
  });
});

describe('groupBackupFailures', () => {
  it('shows one failure for every type that failed with the same message, whatever its trace ids', () => {
    const other = AADSTS_MESSAGE.replace('0f0e0d0c', 'aaaaaaaa');
    const groups = groupBackupFailures({
      users: failed(AADSTS_MESSAGE),
      groups: failed(other),
      devices: failed('Insufficient privileges.', {
        graphCode: 'Authorization_RequestDenied',
        requestId: 'r-1',
      }),
      signInLogs: { ...failed('No premium licence'), status: 'skipped' },
      builtInRoles: { status: 'succeeded', objects: 3, added: 3, changed: 0, removed: 0, requests: 1 },
    });
    expect(groups.map((g) => [g.status, g.types, g.code, g.requestIds])).toEqual([
      ['failed', ['users', 'groups'], 'AADSTS700016', []],
      ['failed', ['devices'], 'Authorization_RequestDenied', ['r-1']],
      ['skipped', ['signInLogs'], undefined, []],
    ]);
  });
});

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [2_700_000, '2.7 MB'],
    [2_712_345, '2.7 MB'],
    [45_600, '45.6 kB'],
    [345_000_000, '345 MB'],
    [1_000_000_000, '1.0 GB'],
  ])('%d bytes read %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});

describe('collectionLabel', () => {
  it.each([
    ['roleAssignments', 'role assignments'],
    ['namedLocations', 'named locations'],
    ['oauth2PermissionGrants', 'OAuth2 permission grants'],
  ])('%s reads %s', (collection, label) => {
    expect(collectionLabel(collection)).toBe(label);
  });
});
