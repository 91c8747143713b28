import type { Json } from '../object-collection';
import { type CollectionGenerator, DAY_MS, type GeneratorContext, iso, MISC_CODE } from './generator-context';
import { groupTarget } from './intune-group-target';

export const deviceCompliancePoliciesGenerator: CollectionGenerator = {
  count: () => 4,
  generate: deviceCompliancePolicy,
};

export function deviceCompliancePolicy(ctx: GeneratorContext, ordinal: number): Json {
  const id = ctx.id('deviceCompliancePolicies', ordinal);
  const created = ctx.createdAt(17, ordinal, 4);
  const kinds: Json[] = [
    {
      '@odata.type': '#microsoft.graph.windows10CompliancePolicy',
      displayName: 'Windows compliance',
      passwordRequired: true,
      passwordMinimumLength: 8,
      bitLockerEnabled: true,
      secureBootEnabled: true,
      osMinimumVersion: '10.0.19045',
    },
    {
      '@odata.type': '#microsoft.graph.iosCompliancePolicy',
      displayName: 'iOS compliance',
      passcodeRequired: true,
      passcodeMinimumLength: 6,
      osMinimumVersion: '17.0',
      securityBlockJailbrokenDevices: true,
    },
    {
      '@odata.type': '#microsoft.graph.androidCompliancePolicy',
      displayName: 'Android compliance',
      passwordRequired: true,
      passwordMinimumLength: 6,
      securityBlockJailbrokenDevices: true,
      storageRequireEncryption: true,
    },
    {
      '@odata.type': '#microsoft.graph.macOSCompliancePolicy',
      displayName: 'macOS compliance',
      passwordRequired: true,
      storageRequireEncryption: true,
      firewallEnabled: true,
    },
  ];
  const kind = kinds[ordinal % kinds.length]!;
  const ruleId = ctx.guid(MISC_CODE, 4_000_000 + ordinal);
  const configurations = [
    {
      id: ctx.guid(MISC_CODE, 5_000_000 + ordinal * 2),
      actionType: 'block',
      gracePeriodHours: 0,
      notificationTemplateId: '00000000-0000-0000-0000-000000000000',
      notificationMessageCCList: [],
    },
  ];
  if (ordinal % 2 === 0)
    configurations.push({
      id: ctx.guid(MISC_CODE, 5_000_001 + ordinal * 2),
      actionType: 'notification',
      gracePeriodHours: 24,
      notificationTemplateId: ctx.guid(MISC_CODE, 6_000_000 + ordinal),
      notificationMessageCCList: [],
    });
  return {
    ...kind,
    id,
    createdDateTime: iso(created),
    lastModifiedDateTime: iso(created + DAY_MS),
    description: `${String(kind['displayName'])} policy`,
    version: 1 + (ordinal % 2),
    scheduledActionsForRule: [
      { id: ruleId, ruleName: 'PasswordRequired', scheduledActionConfigurations: configurations },
    ],
    assignments: [
      {
        id: `${id}_${ctx.id('groups', (5 + ordinal) % ctx.counts.groups)}`,
        target: groupTarget(ctx, 5 + ordinal),
      },
    ],
  };
}
