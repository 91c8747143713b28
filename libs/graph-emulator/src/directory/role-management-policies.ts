import { createHash } from 'node:crypto';
import type { Json } from './object-collection';
import type { TenantDirectory } from './tenant-directory';

/**
 * PIM role management policies of directory roles. Microsoft makes one policy per role definition, with 17
 * rules whose ids are fixed, and ties it to its role by a policy assignment; policies cannot be created or
 * deleted, only their rules updated:
 * https://learn.microsoft.com/graph/identity-governance-pim-rules-overview,
 * https://learn.microsoft.com/graph/api/resources/unifiedrolemanagementpolicy
 * The emulator derives each role's policy from the role itself (so a deleted role's policy is gone, and a
 * re-created role gets a new policy under a new id) and stores only the rules that were changed
 * (`roleManagementPolicyRules`, keyed by the role's id).
 */

const RULE = '#microsoft.graph.unifiedRoleManagementPolicy';

function target(caller: 'Admin' | 'EndUser', level: 'Assignment' | 'Eligibility'): Json {
  return { caller, operations: ['all'], level, inheritableSettings: [], enforcedSettings: [] };
}

function notification(
  recipientType: 'Admin' | 'Requestor' | 'Approver',
  caller: 'Admin' | 'EndUser',
  level: 'Assignment' | 'Eligibility',
): Json {
  const who = caller === 'EndUser' ? 'EndUser' : 'Admin';
  return {
    '@odata.type': `${RULE}NotificationRule`,
    id: `Notification_${recipientType}_${who}_${level}`,
    notificationType: 'Email',
    recipientType,
    notificationLevel: 'All',
    isDefaultRecipientsEnabled: true,
    notificationRecipients: [],
    target: target(caller, level),
  };
}

/** The 17 rules of a new policy with Microsoft's defaults, in the order Graph lists them (policyroot-list-rolemanagementpolicies). */
export function defaultPolicyRules(): Json[] {
  return [
    {
      '@odata.type': `${RULE}ExpirationRule`,
      id: 'Expiration_Admin_Eligibility',
      isExpirationRequired: false,
      maximumDuration: 'P365D',
      target: target('Admin', 'Eligibility'),
    },
    notification('Admin', 'Admin', 'Eligibility'),
    notification('Requestor', 'Admin', 'Eligibility'),
    notification('Approver', 'Admin', 'Eligibility'),
    {
      '@odata.type': `${RULE}EnablementRule`,
      id: 'Enablement_Admin_Eligibility',
      enabledRules: [],
      target: target('Admin', 'Eligibility'),
    },
    {
      '@odata.type': `${RULE}ExpirationRule`,
      id: 'Expiration_Admin_Assignment',
      isExpirationRequired: false,
      maximumDuration: 'P180D',
      target: target('Admin', 'Assignment'),
    },
    {
      '@odata.type': `${RULE}EnablementRule`,
      id: 'Enablement_Admin_Assignment',
      enabledRules: ['Justification'],
      target: target('Admin', 'Assignment'),
    },
    notification('Admin', 'Admin', 'Assignment'),
    notification('Requestor', 'Admin', 'Assignment'),
    notification('Approver', 'Admin', 'Assignment'),
    {
      '@odata.type': `${RULE}ExpirationRule`,
      id: 'Expiration_EndUser_Assignment',
      isExpirationRequired: true,
      maximumDuration: 'PT8H',
      target: target('EndUser', 'Assignment'),
    },
    {
      '@odata.type': `${RULE}EnablementRule`,
      id: 'Enablement_EndUser_Assignment',
      enabledRules: ['MultiFactorAuthentication', 'Justification'],
      target: target('EndUser', 'Assignment'),
    },
    {
      '@odata.type': `${RULE}ApprovalRule`,
      id: 'Approval_EndUser_Assignment',
      target: target('EndUser', 'Assignment'),
      setting: {
        isApprovalRequired: false,
        isApprovalRequiredForExtension: false,
        isRequestorJustificationRequired: true,
        approvalMode: 'SingleStage',
        approvalStages: [
          {
            approvalStageTimeOutInDays: 1,
            isApproverJustificationRequired: true,
            escalationTimeInMinutes: 0,
            isEscalationEnabled: false,
            primaryApprovers: [],
            escalationApprovers: [],
          },
        ],
      },
    },
    {
      '@odata.type': `${RULE}AuthenticationContextRule`,
      id: 'AuthenticationContext_EndUser_Assignment',
      isEnabled: false,
      claimValue: null,
      target: target('EndUser', 'Assignment'),
    },
    notification('Admin', 'EndUser', 'Assignment'),
    notification('Requestor', 'EndUser', 'Assignment'),
    notification('Approver', 'EndUser', 'Assignment'),
  ];
}

/** Properties each rule type can have written (unifiedrolemanagementpolicyrule-update), besides `id` and `target`. */
export const RULE_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  [`${RULE}ApprovalRule`]: ['setting'],
  [`${RULE}AuthenticationContextRule`]: ['isEnabled', 'claimValue'],
  [`${RULE}EnablementRule`]: ['enabledRules'],
  [`${RULE}ExpirationRule`]: ['isExpirationRequired', 'maximumDuration'],
  [`${RULE}NotificationRule`]: [
    'notificationType',
    'recipientType',
    'notificationLevel',
    'isDefaultRecipientsEnabled',
    'notificationRecipients',
  ],
};

/** A GUID derived from a name: the policy of a role keeps its id for as long as the role exists. */
function derivedGuid(name: string): string {
  const h = createHash('sha256').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** `DirectoryRole_{tenantId}_{guid}`, as Graph names a directory role's policy. */
export function policyIdOf(tenant: TenantDirectory, roleDefinitionId: string): string {
  return `DirectoryRole_${tenant.tenantId}_${derivedGuid(`${tenant.tenantId}/${roleDefinitionId.toLowerCase()}`)}`;
}

/** One directory role's policy as the tenant holds it now, with its role kept aside (Graph shows it only on the tie). */
export interface RolePolicy {
  readonly roleDefinitionId: string;
  readonly policy: Json;
}

/** Every role definition's policy, in role order; changed rules come from `roleManagementPolicyRules`. */
export function directoryRolePolicies(tenant: TenantDirectory): RolePolicy[] {
  const changed = new Map<string, Json>();
  for (const stored of tenant.collection('roleManagementPolicyRules').values())
    changed.set(String(stored['roleDefinitionId']).toLowerCase(), stored);
  const out: RolePolicy[] = [];
  for (const role of tenant.collection('roleDefinitions').values()) {
    const roleDefinitionId = String(role['id']);
    const stored = changed.get(roleDefinitionId.toLowerCase());
    out.push({
      roleDefinitionId,
      policy: {
        id: policyIdOf(tenant, roleDefinitionId),
        displayName: 'DirectoryRole',
        description: 'DirectoryRole',
        isOrganizationDefault: false,
        scopeId: '/',
        scopeType: 'DirectoryRole',
        lastModifiedDateTime: stored?.['lastModifiedDateTime'] ?? null,
        lastModifiedBy: stored?.['lastModifiedBy'] ?? { displayName: null, id: null },
        rules: (stored?.['rules'] as Json[] | undefined) ?? defaultPolicyRules(),
      },
    });
  }
  return out;
}

/** The ties of policies to roles, as `/policies/roleManagementPolicyAssignments` lists them. */
export function directoryRolePolicyAssignments(tenant: TenantDirectory): Json[] {
  return directoryRolePolicies(tenant).map(({ roleDefinitionId, policy }) => ({
    id: `${String(policy['id'])}_${roleDefinitionId}`,
    policyId: policy['id'],
    scopeId: '/',
    scopeType: 'DirectoryRole',
    roleDefinitionId,
  }));
}
