import { auditShapeOf } from './write-audit';

const seg = (path: string) => path.split('/').filter((s) => s.length > 0);

describe(auditShapeOf.name, () => {
  it('names directory writes as Entra ID audit activities', () => {
    expect(auditShapeOf('PATCH', seg('/users/1'))).toMatchObject({
      category: 'UserManagement',
      activity: 'Update user',
      type: 'User',
    });
    expect(auditShapeOf('POST', seg('/groups/1/members/$ref'))).toMatchObject({
      category: 'GroupManagement',
      activity: 'Add member to group',
    });
    expect(auditShapeOf('DELETE', seg('/groups/1/owners/2/$ref'))).toMatchObject({
      activity: 'Remove owner from group',
    });
    expect(auditShapeOf('POST', seg('/roleManagement/directory/roleAssignments'))).toMatchObject({
      category: 'RoleManagement',
      activity: 'Add member to role',
    });
    expect(auditShapeOf('POST', seg('/identity/conditionalAccess/policies'))).toMatchObject({
      category: 'Policy',
      activity: 'Add conditional access policy',
      service: 'Conditional Access',
    });
    expect(auditShapeOf('POST', seg('/directory/administrativeUnits/1/members/$ref'))).toMatchObject({
      activity: 'Add member to administrative unit',
    });
    expect(auditShapeOf('POST', seg('/directory/deletedItems/1/restore'))).toMatchObject({
      activity: 'Restore directory object',
    });
    expect(auditShapeOf('PUT', seg('/users/1/manager/$ref'))).toMatchObject({ activity: 'Set user manager' });
  });

  it('leaves Intune writes to the Intune audit log', () => {
    expect(auditShapeOf('POST', seg('/deviceManagement/deviceCompliancePolicies'))).toBeUndefined();
  });
});
