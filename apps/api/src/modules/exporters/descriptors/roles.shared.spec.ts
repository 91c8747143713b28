import { builtInRolesDescriptor } from './built-in-roles.descriptor';

const schedules = builtInRolesDescriptor.collections.find((c) => c.name === 'roleAssignmentSchedules')!;
const sut = schedules.assignments!.assignment;

const schedule = (expiration: Record<string, unknown>) => ({
  id: 's1',
  principalId: 'p1',
  roleDefinitionId: 'r1',
  directoryScopeId: '/',
  appScopeId: null,
  scheduleInfo: { startDateTime: '2026-01-01T00:00:00Z', recurrence: null, expiration },
});

describe('roleAssignmentSchedules restore', () => {
  it('assigns a time-limited role again with its start and expiration', () => {
    const expiration = { type: 'afterDateTime', endDateTime: '2027-01-01T00:00:00Z', duration: null };
    expect(sut.add(schedule(expiration))).toEqual({
      method: 'POST',
      path: '/roleManagement/directory/roleAssignmentScheduleRequests',
      body: {
        action: 'adminAssign',
        principalId: 'p1',
        roleDefinitionId: 'r1',
        directoryScopeId: '/',
        justification: 'Restored by entra-backup',
        scheduleInfo: { startDateTime: '2026-01-01T00:00:00Z', expiration },
      },
    });
    expect(sut.remove(schedule(expiration))).toMatchObject({ body: { action: 'adminRemove' } });
  });

  it('handles only time-limited assignments; permanent ones are role assignments', () => {
    expect(sut.only!(schedule({ type: 'noExpiration' }))).toBe(false);
    expect(sut.only!(schedule({ type: 'afterDuration', duration: 'PT8H' }))).toBe(true);
  });

  it('reports an assignment whose end has passed, by end date or by duration', () => {
    const now = new Date('2026-03-01T00:00:00Z');
    expect(sut.lapsed!(schedule({ type: 'afterDateTime', endDateTime: '2026-02-01T00:00:00Z' }), now)).toBe(
      'Active assignment ended at 2026-02-01T00:00:00.000Z: not restored',
    );
    expect(
      sut.lapsed!(schedule({ type: 'afterDateTime', endDateTime: '2026-04-01T00:00:00Z' }), now),
    ).toBeNull();
    expect(sut.lapsed!(schedule({ type: 'afterDuration', duration: 'P30D' }), now)).toBe(
      'Active assignment ended at 2026-01-31T00:00:00.000Z: not restored',
    );
    expect(sut.lapsed!(schedule({ type: 'afterDuration', duration: 'P90D' }), now)).toBeNull();
  });
});

describe('roleManagementPolicies restore', () => {
  const policies = builtInRolesDescriptor.collections.find((c) => c.name === 'roleManagementPolicies')!;
  const ties = builtInRolesDescriptor.collections.find((c) => c.name === 'roleManagementPolicyAssignments')!;
  const restore = policies.restore!;
  const rule = {
    '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyExpirationRule',
    id: 'Expiration_EndUser_Assignment',
    isExpirationRequired: true,
    maximumDuration: 'PT2H',
    target: { caller: 'EndUser', operations: ['all'], level: 'Assignment' },
  };

  it('reads policies and their ties with the scope filter Graph requires, rules expanded', () => {
    for (const c of [policies, ties])
      expect(c.filter).toBe("scopeId eq '/' and scopeType eq 'DirectoryRole'");
    expect(policies.expand).toBe('rules');
    // A policy belongs to the role its assignment names; the ties belong to the role definitions read.
    expect(ties.keepReferencing).toEqual({ property: 'roleDefinitionId', collection: 'roleDefinitions' });
    expect(policies.keepReferencing).toEqual({
      property: 'id',
      collection: 'roleManagementPolicyAssignments',
      through: 'policyId',
    });
    expect(builtInRolesDescriptor.collections.indexOf(ties)).toBeLessThan(
      builtInRolesDescriptor.collections.indexOf(policies),
    );
  });

  it('writes one rule with PATCH of the rule, its @odata.type kept, never creating a policy', () => {
    expect(restore.createPath).toBeUndefined();
    expect(restore.itemWriters!['rules']!.key).toBe('id');
    expect(restore.itemWriters!['rules']!.write('DirectoryRole_t_p1', rule)).toEqual({
      method: 'PATCH',
      path: '/policies/roleManagementPolicies/DirectoryRole_t_p1/rules/Expiration_EndUser_Assignment',
      body: rule,
    });
  });

  it("finds a role's policy in the target through its assignment, by the role's id", () => {
    expect(restore.ownedBy).toMatchObject({
      collection: 'roleManagementPolicyAssignments',
      object: 'policyId',
      owner: 'roleDefinitionId',
    });
    expect(restore.ownedBy!.find("r'1")).toEqual({
      path: '/policies/roleManagementPolicyAssignments',
      filter: "scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq 'r''1'",
    });
  });
});
