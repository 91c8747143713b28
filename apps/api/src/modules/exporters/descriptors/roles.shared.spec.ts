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
