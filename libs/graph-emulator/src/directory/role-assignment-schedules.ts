import type { Json } from './object-collection';
import type { TenantDirectory } from './tenant-directory';

/** What identifies an active role assignment: principal, role and scope. */
export function roleLinkKey(o: Json): string {
  return [
    String(o['principalId']).toLowerCase(),
    String(o['roleDefinitionId']).toLowerCase(),
    o['directoryScopeId'] ?? '/',
    o['appScopeId'] ?? null,
  ].join('|');
}

function endOf(schedule: Json): number | null {
  const end = ((schedule['scheduleInfo'] as Json | undefined)?.['expiration'] as Json | undefined)?.[
    'endDateTime'
  ];
  return typeof end === 'string' ? Date.parse(end) : null;
}

/**
 * What `/roleAssignmentSchedules` lists: one schedule per active role assignment. The tenant stores the
 * schedules of time-limited assignments (generated, or made by an adminAssign request with an expiration);
 * a permanent assignment's schedule is derived with `noExpiration`. Every schedule is listed under its
 * assignment's id: Graph documents no relation between the two ids, and keeping them equal lets an id map
 * that names one explain the other. A schedule that has ended is gone,
 * with its assignment, as PIM removes it at its end.
 */
export function activeAssignmentSchedules(tenant: TenantDirectory): Json[] {
  const limited = new Map<string, Json>();
  for (const s of tenant.collection('roleAssignmentSchedules').values()) limited.set(roleLinkKey(s), s);
  const now = Date.parse(tenant.nowIso());
  const out: Json[] = [];
  for (const a of tenant.collection('roleAssignments').values()) {
    const schedule = limited.get(roleLinkKey(a));
    if (schedule) {
      const end = endOf(schedule);
      if (end === null || end > now) out.push({ ...schedule, id: a['id'] });
      continue;
    }
    const id = String(a['id']);
    const created = tenant.createdAtOf(id);
    const since = created === undefined ? null : new Date(created).toISOString();
    out.push({
      id,
      appScopeId: a['appScopeId'] ?? null,
      assignmentType: 'Assigned',
      createdDateTime: since,
      createdUsing: id,
      directoryScopeId: a['directoryScopeId'] ?? '/',
      memberType: 'Direct',
      modifiedDateTime: null,
      principalId: a['principalId'],
      roleDefinitionId: a['roleDefinitionId'],
      status: 'Provisioned',
      scheduleInfo: {
        startDateTime: since,
        recurrence: null,
        expiration: { type: 'noExpiration', endDateTime: null, duration: null },
      },
    });
  }
  return out;
}
