import type { Descriptor } from '../descriptor';
import { type BrowseSpec, namedSpec } from '../browse-spec';
import {
  INTUNE_BROWSE,
  INTUNE_PERMISSIONS,
  INTUNE_READ_ONLY,
  INTUNE_SKIP_RULES,
  intuneRestore,
} from './intune.shared';

const SETTINGS_CATALOG_BROWSE: BrowseSpec = namedSpec([
  { key: 'platforms', label: 'Platform', kind: 'enum', value: 'platforms' },
  { key: 'technologies', label: 'Technologies', kind: 'text', value: 'technologies' },
  { key: 'lastModifiedDateTime', label: 'Modified', kind: 'date', value: 'lastModifiedDateTime' },
]);

export const deviceConfigurationsDescriptor: Descriptor = {
  key: 'deviceConfigurations',
  collections: [
    {
      // Classic profiles are polymorphic (`@odata.type` per platform): no $select.
      name: 'deviceConfigurations',
      browse: INTUNE_BROWSE,
      version: 'v1.0',
      path: '/deviceManagement/deviceConfigurations',
      expand: 'assignments',
      pageSize: 1000,
      supportsTop: false,
      restore: intuneRestore('/deviceManagement/deviceConfigurations', 'displayName'),
    },
    {
      // Settings-catalog policies exist only in beta. `$expand=settings` makes pages tiny on large
      // tenants, so policies are listed bare and their settings and assignments batch-read:
      // https://learn.microsoft.com/graph/api/resources/intune-deviceconfigv2-devicemanagementconfigurationpolicy?view=graph-rest-beta
      name: 'configurationPolicies',
      browse: SETTINGS_CATALOG_BROWSE,
      version: 'beta',
      path: '/deviceManagement/configurationPolicies',
      // Listed without $top; Graph's own pages are small (25 assumed for the minimum figure).
      pageSize: 25,
      supportsTop: false,
      children: [
        { name: 'settings', path: (id) => `/deviceManagement/configurationPolicies/${id}/settings` },
        { name: 'assignments', path: (id) => `/deviceManagement/configurationPolicies/${id}/assignments` },
      ],
      // Settings travel in the policy's create and update bodies:
      // https://learn.microsoft.com/graph/api/intune-deviceconfigv2-devicemanagementconfigurationpolicy-create?view=graph-rest-beta
      restore: intuneRestore('/deviceManagement/configurationPolicies', 'name', {
        readOnly: [...INTUNE_READ_ONLY, 'settingCount', 'creationSource', 'isAssigned', 'priorityMetaData'],
        childProperties: ['settings', 'assignments'],
      }),
    },
  ],
  permissions: { read: [...INTUNE_PERMISSIONS.read], write: [...INTUNE_PERMISSIONS.write] },
  skipWhen: INTUNE_SKIP_RULES,
  secretFields: [],
};
