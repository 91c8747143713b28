import {
  bitlockerReads,
  conditionalAccessWeakened,
  type DiffFacts,
  identityAlerts,
  massDeletions,
  newCredentials,
  newPrivilegedAssignments,
  type ObjectChange,
} from './identity-alert-rules';

const GLOBAL_ADMIN = '62e90394-69f5-4237-9190-012177145e10';
const PRIVILEGED_ROLE_ADMIN = 'e8611ab8-c189-46e8-94e1-60213ab1f814';
const USER_ADMIN = 'fe930be7-5e62-47db-91af-98c3a49a38b1';

function facts(overrides: Partial<DiffFacts> = {}): DiffFacts {
  return { removed: [], objects: [], addedLogs: [], ...overrides };
}

function change(partial: Partial<ObjectChange> & Pick<ObjectChange, 'type' | 'collection'>): ObjectChange {
  return { id: 'x', before: null, after: null, ...partial };
}

const ids = (n: number) => Array.from({ length: n }, (_, i) => `id-${i}`);

describe('identity alert rules', () => {
  describe(massDeletions.name, () => {
    it('alerts per type when more objects than the threshold are gone, not at the threshold', () => {
      const sut = massDeletions(
        facts({
          removed: [
            { type: 'users', ids: ids(21) },
            { type: 'groups', ids: ids(20) },
          ],
        }),
        20,
      );

      expect(sut).toEqual([
        expect.objectContaining({
          kind: 'identity.mass-deletion',
          type: 'users',
          subject: '21 users deleted since the last backup',
          data: expect.objectContaining({ count: 21, threshold: 20 }),
        }),
      ]);
    });
  });

  describe(conditionalAccessWeakened.name, () => {
    const policy = (id: string, state: string) => ({ id, displayName: `Policy ${id}`, state });

    it('alerts on a policy switched off and on a policy deleted', () => {
      const sut = conditionalAccessWeakened(
        facts({
          objects: [
            change({
              type: 'conditionalAccessPolicies',
              collection: 'policies',
              id: 'a',
              before: policy('a', 'enabled'),
              after: policy('a', 'disabled'),
            }),
            change({
              type: 'conditionalAccessPolicies',
              collection: 'policies',
              id: 'b',
              before: policy('b', 'enabledForReportingButNotEnforced'),
              after: null,
            }),
          ],
        }),
      );

      expect(sut.map((f) => [f.kind, f.data['change'], f.subject])).toEqual([
        ['identity.conditional-access', 'deleted', 'Conditional Access policy deleted: Policy b'],
        ['identity.conditional-access', 'disabled', 'Conditional Access policy disabled: Policy a'],
      ]);
    });

    it('stays quiet for a policy that was already off, a new disabled one, or one switched on', () => {
      const sut = conditionalAccessWeakened(
        facts({
          objects: [
            change({
              type: 'conditionalAccessPolicies',
              collection: 'policies',
              id: 'a',
              before: policy('a', 'disabled'),
              after: { ...policy('a', 'disabled'), displayName: 'Renamed' },
            }),
            change({
              type: 'conditionalAccessPolicies',
              collection: 'policies',
              id: 'b',
              before: null,
              after: policy('b', 'disabled'),
            }),
            change({
              type: 'conditionalAccessPolicies',
              collection: 'policies',
              id: 'c',
              before: policy('c', 'disabled'),
              after: policy('c', 'enabled'),
            }),
            change({
              type: 'conditionalAccessPolicies',
              collection: 'namedLocations',
              id: 'd',
              before: policy('d', 'enabled'),
              after: null,
            }),
          ],
        }),
      );

      expect(sut).toEqual([]);
    });
  });

  describe(newPrivilegedAssignments.name, () => {
    const assignment = (id: string, roleDefinitionId: string) => ({
      id,
      principalId: `user-${id}`,
      roleDefinitionId,
      directoryScopeId: '/',
    });

    it('alerts on new Global Administrator and Privileged Role Administrator assignments only', () => {
      const sut = newPrivilegedAssignments(
        facts({
          objects: [
            change({
              type: 'builtInRoles',
              collection: 'roleAssignments',
              id: '1',
              after: assignment('1', GLOBAL_ADMIN),
            }),
            change({
              type: 'builtInRoles',
              collection: 'roleAssignments',
              id: '2',
              after: assignment('2', PRIVILEGED_ROLE_ADMIN.toUpperCase()),
            }),
            change({
              type: 'builtInRoles',
              collection: 'roleAssignments',
              id: '3',
              after: assignment('3', USER_ADMIN),
            }),
            // Already there before: not new.
            change({
              type: 'builtInRoles',
              collection: 'roleAssignments',
              id: '4',
              before: assignment('4', GLOBAL_ADMIN),
              after: assignment('4', GLOBAL_ADMIN),
            }),
            // Removed: not new.
            change({
              type: 'builtInRoles',
              collection: 'roleAssignments',
              id: '5',
              before: assignment('5', GLOBAL_ADMIN),
            }),
          ],
        }),
      );

      expect(sut).toHaveLength(1);
      expect(sut[0]).toMatchObject({
        kind: 'identity.privileged-role',
        subject: 'New Global Administrator and Privileged Role Administrator assignments',
        data: {
          assignments: [
            expect.objectContaining({ principalId: 'user-1', role: 'Global Administrator' }),
            expect.objectContaining({ principalId: 'user-2', role: 'Privileged Role Administrator' }),
          ],
        },
      });
    });

    it('stays quiet when no privileged role was assigned', () => {
      const sut = newPrivilegedAssignments(
        facts({
          objects: [
            change({
              type: 'builtInRoles',
              collection: 'roleAssignments',
              after: assignment('3', USER_ADMIN),
            }),
          ],
        }),
      );

      expect(sut).toEqual([]);
    });
  });

  describe(newCredentials.name, () => {
    const app = (keyIds: string[], certIds: string[] = []) => ({
      id: 'app-1',
      displayName: 'Payroll',
      passwordCredentials: keyIds.map((keyId) => ({ keyId, displayName: `secret ${keyId}` })),
      keyCredentials: certIds.map((keyId) => ({ keyId })),
    });

    it('alerts on a password or certificate keyId that was not there before', () => {
      const sut = newCredentials(
        facts({
          objects: [
            change({
              type: 'appRegistrations',
              collection: 'applications',
              id: 'app-1',
              before: app(['k1']),
              after: app(['k1', 'k2'], ['c1']),
            }),
            change({
              type: 'enterpriseApps',
              collection: 'servicePrincipals',
              id: 'sp-1',
              before: app([]),
              after: app(['k9']),
            }),
          ],
        }),
      );

      expect(sut.map((f) => [f.type, f.subject])).toEqual([
        ['appRegistrations', 'New credential on application Payroll'],
        ['enterpriseApps', 'New credential on service principal Payroll'],
      ]);
      expect(sut[0]!.data['objects']).toEqual([
        expect.objectContaining({
          credentials: [
            expect.objectContaining({ keyId: 'k2', kind: 'password' }),
            expect.objectContaining({ keyId: 'c1', kind: 'certificate' }),
          ],
        }),
      ]);
    });

    it('stays quiet when credentials were only removed or kept', () => {
      const sut = newCredentials(
        facts({
          objects: [
            change({
              type: 'appRegistrations',
              collection: 'applications',
              before: app(['k1', 'k2']),
              after: app(['k1']),
            }),
            change({
              type: 'appRegistrations',
              collection: 'applications',
              before: app(['k1']),
              after: null,
            }),
          ],
        }),
      );

      expect(sut).toEqual([]);
    });
  });

  describe(bitlockerReads.name, () => {
    const read = (upn: string) => ({
      type: 'auditLogs' as const,
      entry: { activityDisplayName: 'Read BitLocker key', initiatedBy: { user: { userPrincipalName: upn } } },
    });

    it('alerts when more keys than the threshold were read, naming who read them', () => {
      const sut = bitlockerReads(
        facts({
          addedLogs: [
            ...Array.from({ length: 3 }, () => read('eve@contoso.test')),
            read('bob@contoso.test'),
            { type: 'auditLogs', entry: { activityDisplayName: 'Update user' } },
          ],
        }),
        3,
      );

      expect(sut).toEqual([
        expect.objectContaining({
          kind: 'identity.bitlocker-reads',
          subject: '4 BitLocker keys read since the last backup',
          data: { count: 4, threshold: 3, readers: { 'eve@contoso.test': 3, 'bob@contoso.test': 1 } },
        }),
      ]);
    });

    it("does not count the product's own reads (its backups read every key)", () => {
      const ownRead = {
        type: 'auditLogs' as const,
        entry: {
          activityDisplayName: 'Read BitLocker key',
          initiatedBy: {
            app: { appId: '5B1E7C42-0000-4000-8000-00000000E401', displayName: 'Entra Backup' },
          },
        },
      };

      const sut = bitlockerReads(facts({ addedLogs: [ownRead, ownRead, ownRead, read('eve')] }), 1, [
        '5b1e7c42-0000-4000-8000-00000000e401',
      ]);

      expect(sut).toEqual([]);
    });

    it('stays quiet at the threshold', () => {
      expect(bitlockerReads(facts({ addedLogs: [read('a'), read('b'), read('c')] }), 3)).toEqual([]);
    });
  });

  it('raises nothing for a diff without any of these changes', () => {
    expect(identityAlerts(facts(), { massDeletionThreshold: 1, bitlockerReadThreshold: 1 })).toEqual([]);
  });
});
