import type { Descriptor } from '../descriptor';
import { RestorePhase } from './restore.shared';
import type { BrowseSpec } from '../browse-spec';

export const DEVICE_PROPERTIES = [
  'id',
  'accountEnabled',
  'alternativeSecurityIds',
  'approximateLastSignInDateTime',
  'complianceExpirationDateTime',
  'createdDateTime',
  'deletedDateTime',
  'deviceCategory',
  'deviceId',
  'deviceMetadata',
  'deviceOwnership',
  'deviceVersion',
  'displayName',
  'enrollmentProfileName',
  'enrollmentType',
  'extensionAttributes',
  'isCompliant',
  'isManaged',
  'isRooted',
  'managementType',
  'manufacturer',
  'mdmAppId',
  'model',
  'onPremisesLastSyncDateTime',
  'onPremisesSecurityIdentifier',
  'onPremisesSyncEnabled',
  'operatingSystem',
  'operatingSystemVersion',
  'physicalIds',
  'profileType',
  'registrationDateTime',
  'systemLabels',
  'trustType',
] as const;

const DEVICES_BROWSE: BrowseSpec = {
  columns: [
    { key: 'displayName', label: 'Name', kind: 'text', value: 'displayName' },
    {
      key: 'operatingSystem',
      label: 'OS',
      kind: 'enum',
      value: 'operatingSystem',
      filter: ['Windows', 'iOS', 'Android', 'MacMDM', 'Linux'].map((v) => ({
        value: v,
        label: v === 'MacMDM' ? 'macOS' : v,
      })),
    },
    { key: 'operatingSystemVersion', label: 'Version', kind: 'text', value: 'operatingSystemVersion' },
    {
      key: 'isCompliant',
      label: 'Compliant',
      kind: 'boolean',
      value: 'isCompliant',
      filter: [
        { value: 'true', label: 'Compliant' },
        { value: 'false', label: 'Not compliant' },
      ],
    },
    { key: 'accountEnabled', label: 'Enabled', kind: 'boolean', value: 'accountEnabled' },
    { key: 'trustType', label: 'Join type', kind: 'enum', value: 'trustType' },
    {
      key: 'approximateLastSignInDateTime',
      label: 'Last sign-in',
      kind: 'date',
      value: 'approximateLastSignInDateTime',
    },
  ],
  search: ['displayName', 'deviceId'],
  altId: 'deviceId',
};

export const devicesDescriptor: Descriptor = {
  key: 'devices',
  collections: [
    {
      name: 'devices',
      principal: true,
      browse: DEVICES_BROWSE,
      version: 'v1.0',
      path: '/devices',
      select: DEVICE_PROPERTIES,
      pageSize: 999,
      supportsTop: true,
      delta: { path: '/devices/delta', select: DEVICE_PROPERTIES, maxPageSize: 999 },
      restore: {
        phase: RestorePhase.DEVICES,
        // Creating a device is supported with delegated permissions only, and a created object
        // would not be the device's registration (keys, TPM binding and BitLocker keys are gone):
        // https://learn.microsoft.com/graph/api/device-post-devices
        cannotCreate:
          'A deleted device cannot be re-created (device deletion is not recoverable): the device must register again',
        itemPath: (id) => `/devices/${id}`,
        // Only these are writable by an app: https://learn.microsoft.com/graph/api/device-update
        readOnly: DEVICE_PROPERTIES.filter(
          (p) =>
            ![
              'accountEnabled',
              'displayName',
              'extensionAttributes',
              'operatingSystem',
              'operatingSystemVersion',
            ].includes(p),
        ),
        unwritable: (device) =>
          device['onPremisesSyncEnabled'] === true
            ? 'Synchronised from on-premises Active Directory: restore it there'
            : null,
      },
    },
  ],
  permissions: { read: ['Device.Read.All'], write: ['Device.ReadWrite.All'] },
  skipWhen: [],
  secretFields: [],
};
