import type { Descriptor } from '../descriptor';
import { assignWriter, INTUNE_PERMISSIONS, INTUNE_SKIP_RULES, intuneRestore } from './intune.shared';
import { INTUNE_BROWSE } from './intune.shared';

export const deviceCompliancePoliciesDescriptor: Descriptor = {
  key: 'deviceCompliancePolicies',
  collections: [
    {
      // A compliance policy cannot be recreated without its scheduled actions, so they are expanded
      // with their configurations: https://learn.microsoft.com/graph/api/intune-deviceconfig-devicecompliancepolicy-create
      name: 'deviceCompliancePolicies',
      browse: INTUNE_BROWSE,
      version: 'v1.0',
      path: '/deviceManagement/deviceCompliancePolicies',
      expand: 'assignments,scheduledActionsForRule($expand=scheduledActionConfigurations)',
      pageSize: 1000,
      supportsTop: false,
      restore: intuneRestore('/deviceManagement/deviceCompliancePolicies', 'displayName', {
        propertyWriters: {
          assignments: assignWriter('/deviceManagement/deviceCompliancePolicies'),
          // Scheduled actions change through their own action, not PATCH:
          // https://learn.microsoft.com/graph/api/intune-deviceconfig-devicecompliancepolicy-scheduleactionsforrules
          scheduledActionsForRule: (id, value) => ({
            method: 'POST',
            path: `/deviceManagement/deviceCompliancePolicies/${id}/scheduleActionsForRules`,
            body: { deviceComplianceScheduledActionForRules: withoutIds(value) },
          }),
        },
        // A compliance policy is created with its scheduled actions, exactly one of them a block
        // action; the ids inside are the service's: https://learn.microsoft.com/graph/api/intune-deviceconfig-devicecompliancepolicy-create
        prepareCreate: (body, stored) => ({
          ...body,
          scheduledActionsForRule: withoutIds(stored['scheduledActionsForRule']),
        }),
      }),
    },
  ],
  permissions: { read: [...INTUNE_PERMISSIONS.read], write: [...INTUNE_PERMISSIONS.write] },
  skipWhen: INTUNE_SKIP_RULES,
  secretFields: [],
};

/** Scheduled actions without the ids the service gives them. */
function withoutIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutIds);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([key]) => key !== 'id')
      .map(([key, inner]) => [key, withoutIds(inner)]),
  );
}
