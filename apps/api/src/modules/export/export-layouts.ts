import { Injectable } from '@nestjs/common';
import type { ObjectTypeKey } from '@entra-backup/common';
import type { TypeExportLayout } from './export-layout';

/**
 * The primary Graph collection of every type (the collection the type is named after in Graph)
 * and the properties that hold secrets. Kept in step with the exporter descriptors, which store
 * each type's objects under these collection names.
 */
const LAYOUTS: Record<ObjectTypeKey, TypeExportLayout> = {
  users: { primaryCollection: 'users', secretProperties: {} },
  groups: { primaryCollection: 'groups', secretProperties: {} },
  builtInRoles: { primaryCollection: 'roleDefinitions', secretProperties: {} },
  customRoles: { primaryCollection: 'roleDefinitions', secretProperties: {} },
  appRegistrations: { primaryCollection: 'applications', secretProperties: {} },
  enterpriseApps: { primaryCollection: 'servicePrincipals', secretProperties: {} },
  conditionalAccessPolicies: { primaryCollection: 'policies', secretProperties: {} },
  devices: { primaryCollection: 'devices', secretProperties: {} },
  deviceConfigurations: { primaryCollection: 'deviceConfigurations', secretProperties: {} },
  deviceCompliancePolicies: { primaryCollection: 'deviceCompliancePolicies', secretProperties: {} },
  adminUnits: { primaryCollection: 'administrativeUnits', secretProperties: {} },
  signInLogs: { primaryCollection: 'signIns', secretProperties: {} },
  auditLogs: { primaryCollection: 'directoryAudits', secretProperties: {} },
  bitlockerKeys: { primaryCollection: 'recoveryKeys', secretProperties: { recoveryKeys: ['key'] } },
};

/** Where the export service learns each type's file layout. */
@Injectable()
export class ExportLayouts {
  of(type: ObjectTypeKey): TypeExportLayout {
    return LAYOUTS[type];
  }
}
