import type { Json } from '../object-collection';
import { type CollectionGenerator, DAY_MS, type GeneratorContext, iso } from './generator-context';
import { groupTarget } from './intune-group-target';

export const deviceConfigurationsGenerator: CollectionGenerator = {
  count: () => 6,
  generate: deviceConfiguration,
};

export function deviceConfiguration(ctx: GeneratorContext, ordinal: number): Json {
  const id = ctx.id('deviceConfigurations', ordinal);
  const created = ctx.createdAt(15, ordinal, 6);
  const common = {
    id,
    createdDateTime: iso(created),
    lastModifiedDateTime: iso(created + 3 * DAY_MS),
    description: null,
    version: 1 + (ordinal % 3),
  };
  const kinds: Json[] = [
    {
      '@odata.type': '#microsoft.graph.windows10GeneralConfiguration',
      displayName: 'Windows 10/11 - Device restrictions',
      passwordRequired: true,
      passwordMinimumLength: 12,
      passwordRequiredType: 'alphanumeric',
      screenCaptureBlocked: false,
      storageRequireMobileDeviceEncryption: true,
      defenderRequireRealTimeMonitoring: true,
      cameraBlocked: false,
    },
    {
      '@odata.type': '#microsoft.graph.windows10EndpointProtectionConfiguration',
      displayName: 'Windows - Endpoint protection',
      firewallBlockStatefulFTP: true,
      bitLockerEncryptDevice: true,
      bitLockerSystemDrivePolicy: { encryptionMethod: 'xtsAes256', startupAuthenticationRequired: true },
      defenderAttackSurfaceReductionExcludedPaths: [],
    },
    {
      '@odata.type': '#microsoft.graph.iosGeneralDeviceConfiguration',
      displayName: 'iOS - Device restrictions',
      passcodeRequired: true,
      passcodeMinimumLength: 6,
      passcodeBlockSimple: true,
      iCloudBlockBackup: false,
      appStoreBlocked: false,
    },
    {
      '@odata.type': '#microsoft.graph.androidGeneralDeviceConfiguration',
      displayName: 'Android - Device restrictions',
      passwordRequired: true,
      passwordMinimumLength: 6,
      storageRequireDeviceEncryption: true,
      cameraBlocked: false,
    },
    {
      '@odata.type': '#microsoft.graph.macOSGeneralDeviceConfiguration',
      displayName: 'macOS - Device restrictions',
      passwordRequired: true,
      passwordMinimumLength: 10,
      passwordBlockSimple: true,
    },
    {
      '@odata.type': '#microsoft.graph.windowsUpdateForBusinessConfiguration',
      displayName: 'Windows Update ring - Broad',
      qualityUpdatesDeferralPeriodInDays: 7,
      featureUpdatesDeferralPeriodInDays: 30,
      automaticUpdateMode: 'autoInstallAtMaintenanceTime',
      businessReadyUpdatesOnly: 'businessReadyOnly',
    },
  ];
  const kind = kinds[ordinal % kinds.length]!;
  const assignments = [
    {
      id: `${id}_${ctx.id('groups', (2 + ordinal) % ctx.counts.groups)}`,
      target: groupTarget(ctx, 2 + ordinal),
    },
  ];
  if (ordinal % 2 === 0)
    assignments.push({
      id: `${id}_adadadad-808e-44e2-905a-0b7873a8a531`,
      target: {
        '@odata.type': '#microsoft.graph.allDevicesAssignmentTarget',
        deviceAndAppManagementAssignmentFilterId: null,
        deviceAndAppManagementAssignmentFilterType: 'none',
      },
    });
  return { ...kind, ...common, displayName: kind['displayName'], assignments };
}
