import { groupsDescriptor } from './groups.descriptor';
import { pimManageable } from './group-pim.shared';

const collection = (name: string) => groupsDescriptor.collections.find((c) => c.name === name)!;
const eligibility = collection('eligibilitySchedules');
const active = collection('assignmentSchedules');

const schedule = (expiration: Record<string, unknown>) => ({
  id: 's1',
  principalId: 'p1',
  groupId: 'g1',
  accessId: 'owner',
  memberType: 'direct',
  scheduleInfo: { startDateTime: '2026-01-01T00:00:00Z', recurrence: null, expiration },
});

describe('PIM for Groups collections', () => {
  it('reads each manageable group’s lists with the groupId filter Graph requires, and the PIM permissions', () => {
    expect(eligibility.perObjectOf!.path("g'1")).toBe(
      "/identityGovernance/privilegedAccess/group/eligibilitySchedules?$filter=groupId eq 'g'1'",
    );
    expect(active.perObjectOf!.path('g1')).toBe(
      "/identityGovernance/privilegedAccess/group/assignmentSchedules?$filter=groupId eq 'g1'",
    );
    expect(eligibility.perObjectOf).toMatchObject({
      collection: 'groups',
      ownerKey: 'groupId',
      refresh: 'everyRun',
    });
    expect(eligibility.permissions).toEqual({
      read: ['PrivilegedEligibilitySchedule.Read.AzureADGroup'],
      write: ['PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup'],
    });
    expect(active.permissions).toEqual({
      read: ['PrivilegedAssignmentSchedule.Read.AzureADGroup'],
      write: ['PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup'],
    });
  });

  it('asks only groups PIM can manage: security and Microsoft 365 groups, not dynamic, synchronised or distribution ones', () => {
    expect(pimManageable({ groupTypes: [], mailEnabled: false, securityEnabled: true })).toBe(true);
    expect(pimManageable({ groupTypes: ['Unified'], mailEnabled: true })).toBe(true);
    expect(pimManageable({ groupTypes: ['DynamicMembership'], mailEnabled: false })).toBe(false);
    expect(pimManageable({ groupTypes: [], onPremisesSyncEnabled: true })).toBe(false);
    expect(pimManageable({ groupTypes: [], mailEnabled: true, securityEnabled: false })).toBe(false);
    expect(eligibility.perObjectOf!.when).toBe(pimManageable);
  });

  it('makes an eligibility again with adminAssign and its schedule, and removes one with adminRemove', () => {
    const expiration = { type: 'afterDateTime', endDateTime: '2027-01-01T00:00:00Z', duration: null };
    const sut = eligibility.assignments!.assignment;
    expect(sut.key).toEqual(['principalId', 'groupId', 'accessId']);
    expect(sut.add(schedule(expiration))).toEqual({
      method: 'POST',
      path: '/identityGovernance/privilegedAccess/group/eligibilityScheduleRequests',
      body: {
        action: 'adminAssign',
        principalId: 'p1',
        groupId: 'g1',
        accessId: 'owner',
        justification: 'Restored by entra-backup',
        scheduleInfo: { startDateTime: '2026-01-01T00:00:00Z', expiration },
      },
    });
    expect(sut.remove(schedule(expiration))).toEqual({
      method: 'POST',
      path: '/identityGovernance/privilegedAccess/group/eligibilityScheduleRequests',
      body: {
        action: 'adminRemove',
        principalId: 'p1',
        groupId: 'g1',
        accessId: 'owner',
        justification: 'Restored by entra-backup',
      },
    });
  });

  it('restores only time-limited active memberships, and not one whose end has passed', () => {
    const sut = active.assignments!.assignment;
    expect(sut.only!(schedule({ type: 'noExpiration' }))).toBe(false);
    expect(sut.only!(schedule({ type: 'afterDuration', duration: 'PT8H' }))).toBe(true);
    expect(sut.add(schedule({ type: 'afterDuration', duration: 'PT8H' }))).toMatchObject({
      path: '/identityGovernance/privilegedAccess/group/assignmentScheduleRequests',
      body: { action: 'adminAssign', accessId: 'owner' },
    });
    const now = new Date('2026-03-01T00:00:00Z');
    expect(sut.lapsed!(schedule({ type: 'afterDateTime', endDateTime: '2026-02-01T00:00:00Z' }), now)).toBe(
      'Active membership ended at 2026-02-01T00:00:00.000Z: not restored',
    );
    expect(eligibility.assignments!.assignment.lapsed!(schedule({ type: 'noExpiration' }), now)).toBeNull();
  });
});
