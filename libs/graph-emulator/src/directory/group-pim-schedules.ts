import type { Json } from './object-collection';
import type { TenantDirectory } from './tenant-directory';

/**
 * PIM for Groups. Security and Microsoft 365 groups can be managed, except dynamic groups and groups synchronised
 * from on-premises: https://learn.microsoft.com/entra/id-governance/privileged-identity-management/groups-discover-groups
 */
export function pimManageableGroup(group: Json): boolean {
  const types = Array.isArray(group['groupTypes']) ? (group['groupTypes'] as unknown[]) : [];
  if (types.includes('DynamicMembership') || group['onPremisesSyncEnabled'] === true) return false;
  return types.includes('Unified') || group['mailEnabled'] !== true;
}

function endOf(schedule: Json): number | null {
  const end = ((schedule['scheduleInfo'] as Json | undefined)?.['expiration'] as Json | undefined)?.[
    'endDateTime'
  ];
  return typeof end === 'string' ? Date.parse(end) : null;
}

const keyOf = (s: Json) => `${String(s['accessId'])}|${String(s['principalId']).toLowerCase()}`;

/**
 * What `/privilegedAccess/group/assignmentSchedules?$filter=groupId eq '…'` lists: one schedule per active
 * member and owner of the group. The tenant stores the schedules of time-limited ones (generated, or made by
 * an adminAssign request with an expiration); a permanent member's or owner's is derived with `noExpiration`.
 * A schedule that has ended is gone, with the membership it gave.
 */
export function groupAssignmentSchedules(tenant: TenantDirectory, groupId: string): Json[] {
  const group = tenant.collection('groups').get(groupId);
  if (!group || !pimManageableGroup(group)) return [];
  const id = String(group['id']);
  const limited = new Map<string, Json>();
  for (const s of tenant.collection('groupAssignmentSchedules').values())
    if (String(s['groupId']).toLowerCase() === id) limited.set(keyOf(s), s);
  const now = Date.parse(tenant.nowIso());
  const out: Json[] = [];
  for (const accessId of ['member', 'owner'] as const) {
    for (const principalId of tenant.related(accessId === 'member' ? 'members' : 'owners', 'groups', id)) {
      const schedule = limited.get(`${accessId}|${principalId.toLowerCase()}`);
      if (schedule) {
        const end = endOf(schedule);
        if (end === null || end > now) out.push(schedule);
        continue;
      }
      out.push({
        id: `${id}_${accessId}_${principalId}`,
        accessId,
        assignmentType: 'assigned',
        createdDateTime: null,
        createdUsing: null,
        groupId: id,
        memberType: 'direct',
        modifiedDateTime: null,
        principalId,
        status: 'Provisioned',
        scheduleInfo: {
          startDateTime: null,
          recurrence: null,
          expiration: { type: 'noExpiration', endDateTime: null, duration: null },
        },
      });
    }
  }
  return out;
}

/** The eligibilities of one group that PIM manages, ended ones left out. */
export function groupEligibilitySchedules(tenant: TenantDirectory, groupId: string): Json[] {
  const group = tenant.collection('groups').get(groupId);
  if (!group || !pimManageableGroup(group)) return [];
  const id = String(group['id']);
  const now = Date.parse(tenant.nowIso());
  return [...tenant.collection('groupEligibilitySchedules').values()].filter((s) => {
    const end = endOf(s);
    return String(s['groupId']).toLowerCase() === id && (end === null || end > now);
  });
}
