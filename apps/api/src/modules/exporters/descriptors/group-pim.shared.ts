import { type BrowseSpec, DIRECTORY_TARGETS, GROUP_TARGET } from '../browse-spec';
import type { CollectionSpec } from '../descriptor';
import type { AssignmentSpec } from '../restore-spec';
import { RestorePhase } from './restore.shared';
import { endOf, isTimeLimited } from './roles.shared';

/**
 * PIM for Groups: eligible and time-limited active membership and ownership of groups.
 * https://learn.microsoft.com/graph/api/resources/privilegedidentitymanagement-for-groups-api-overview
 */
const BASE = '/identityGovernance/privilegedAccess/group';

/**
 * Groups PIM can manage: security and Microsoft 365 groups, role-assignable or not, except dynamic groups and
 * groups synchronised from on-premises ("Dynamic groups and groups synchronized from on-premises environment
 * cannot be managed in PIM for Groups": https://learn.microsoft.com/entra/id-governance/privileged-identity-management/groups-discover-groups).
 * Distribution and mail-enabled security groups are Exchange's.
 */
export function pimManageable(group: Readonly<Record<string, unknown>>): boolean {
  const types = Array.isArray(group['groupTypes']) ? (group['groupTypes'] as unknown[]) : [];
  if (types.includes('DynamicMembership') || group['onPremisesSyncEnabled'] === true) return false;
  return types.includes('Unified') || group['mailEnabled'] !== true;
}

/** What identifies a membership or ownership (eligible or active): principal, group and kind of access. */
const GROUP_ACCESS_KEY = ['principalId', 'groupId', 'accessId'] as const;

function browse(reverseLabel: string): BrowseSpec {
  return {
    columns: [
      { key: 'principal', label: 'Principal', kind: 'text', value: 'principalId' },
      { key: 'group', label: 'Group', kind: 'text', value: 'groupId' },
      {
        key: 'accessId',
        label: 'Access',
        kind: 'enum',
        value: 'accessId',
        filter: [
          { value: 'member', label: 'Member' },
          { value: 'owner', label: 'Owner' },
        ],
      },
    ],
    search: ['principalId', 'groupId'],
    relations: [
      {
        key: 'principal',
        label: 'Principal',
        path: 'principalId',
        targets: DIRECTORY_TARGETS,
        reverseLabel,
        reverseShows: 'group',
      },
      { key: 'group', label: 'Group', path: 'groupId', targets: [GROUP_TARGET], reverseLabel: 'PIM' },
    ],
  };
}

/**
 * An administrator's schedule request (`adminAssign` keeps the stored start and expiration, so a
 * time-limited membership comes back time-limited; `adminRemove` names what to remove).
 */
function request(
  action: 'adminAssign' | 'adminRemove',
  a: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const info = a['scheduleInfo'] as Record<string, unknown> | undefined;
  return {
    action,
    principalId: a['principalId'],
    groupId: a['groupId'],
    accessId: a['accessId'],
    justification: 'Restored by entra-backup',
    ...(action === 'adminAssign' && info !== undefined
      ? { scheduleInfo: { startDateTime: info['startDateTime'], expiration: info['expiration'] } }
      : {}),
  };
}

function lapsed(kind: string): AssignmentSpec['lapsed'] {
  return (a, now) => {
    const end = endOf(a);
    return end !== null && end.getTime() <= now.getTime()
      ? `${kind} ended at ${end.toISOString()}: not restored`
      : null;
  };
}

/** PIM needs Entra ID P2 or ID Governance; other tenants have no such schedules. */
const NO_PIM = (what: string) => [
  { status: 400, code: 'AadPremiumLicenseRequired', reason: `No Entra ID P2 licence: no ${what}` },
];

/**
 * The eligibility and active assignment schedules of each group PIM can manage. Graph lists them only per
 * group (`$filter=groupId eq '…'` is required), and the groups' delta query does not report their changes, so
 * every such group's lists are read on every run.
 */
export function groupPimCollections(): CollectionSpec[] {
  const perGroup = (list: string): CollectionSpec['perObjectOf'] => ({
    collection: 'groups',
    path: (groupId) => `${BASE}/${list}?$filter=groupId eq '${groupId}'`,
    when: pimManageable,
    ownerKey: 'groupId',
    refresh: 'everyRun',
  });
  return [
    {
      // https://learn.microsoft.com/graph/api/privilegedaccessgroup-list-eligibilityschedules
      name: 'eligibilitySchedules',
      browse: browse('Eligible for groups'),
      version: 'v1.0',
      path: `${BASE}/eligibilitySchedules`,
      pageSize: 100,
      supportsTop: false,
      perObjectOf: perGroup('eligibilitySchedules'),
      permissions: {
        read: ['PrivilegedEligibilitySchedule.Read.AzureADGroup'],
        // https://learn.microsoft.com/graph/api/privilegedaccessgroup-post-eligibilityschedulerequests
        write: ['PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup'],
      },
      assignments: {
        phase: RestorePhase.GROUPS,
        assignment: {
          key: GROUP_ACCESS_KEY,
          principal: 'principalId',
          lapsed: lapsed('Eligibility'),
          add: (a) => ({
            method: 'POST',
            path: `${BASE}/eligibilityScheduleRequests`,
            body: request('adminAssign', a),
          }),
          remove: (a) => ({
            method: 'POST',
            path: `${BASE}/eligibilityScheduleRequests`,
            body: request('adminRemove', a),
          }),
        },
      },
      emptyWhen: NO_PIM('eligible group memberships'),
    },
    {
      // https://learn.microsoft.com/graph/api/privilegedaccessgroup-list-assignmentschedules
      name: 'assignmentSchedules',
      browse: browse('Active in groups (PIM)'),
      version: 'v1.0',
      path: `${BASE}/assignmentSchedules`,
      pageSize: 100,
      supportsTop: false,
      perObjectOf: perGroup('assignmentSchedules'),
      permissions: {
        read: ['PrivilegedAssignmentSchedule.Read.AzureADGroup'],
        // https://learn.microsoft.com/graph/api/privilegedaccessgroup-post-assignmentschedulerequests
        write: ['PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup'],
      },
      // Permanent members and owners come back through the group's members and owners; a time-limited
      // one through an adminAssign request ending when it ended in the snapshot. Written right after the
      // groups exist and before their member and owner links, so the link finds the membership made and
      // does not make it permanent (adding an existing member is a no-op).
      assignments: {
        phase: RestorePhase.GROUPS,
        assignment: {
          key: GROUP_ACCESS_KEY,
          principal: 'principalId',
          only: isTimeLimited,
          lapsed: lapsed('Active membership'),
          add: (a) => ({
            method: 'POST',
            path: `${BASE}/assignmentScheduleRequests`,
            body: request('adminAssign', a),
          }),
          remove: (a) => ({
            method: 'POST',
            path: `${BASE}/assignmentScheduleRequests`,
            body: request('adminRemove', a),
          }),
        },
      },
      emptyWhen: NO_PIM('time-limited group memberships'),
    },
  ];
}
