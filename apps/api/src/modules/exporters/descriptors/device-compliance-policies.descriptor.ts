import type { Descriptor } from '../descriptor';
import { INTUNE_PERMISSIONS, INTUNE_SKIP_RULES } from './intune.shared';

export const deviceCompliancePoliciesDescriptor: Descriptor = {
  key: 'deviceCompliancePolicies',
  collections: [
    {
      // A compliance policy cannot be recreated without its scheduled actions, so they are expanded
      // with their configurations: https://learn.microsoft.com/graph/api/intune-deviceconfig-devicecompliancepolicy-create
      name: 'deviceCompliancePolicies',
      version: 'v1.0',
      path: '/deviceManagement/deviceCompliancePolicies',
      expand: 'assignments,scheduledActionsForRule($expand=scheduledActionConfigurations)',
      pageSize: 1000,
      supportsTop: false,
    },
  ],
  permissions: { read: [...INTUNE_PERMISSIONS.read], write: [...INTUNE_PERMISSIONS.write] },
  skipWhen: INTUNE_SKIP_RULES,
  secretFields: [],
};
