/**
 * The directory setting templates of Microsoft 365 groups, with the ids, names, types and default
 * values Microsoft documents: https://learn.microsoft.com/entra/identity/users/groups-settings-cmdlets
 * (template settings table) and https://learn.microsoft.com/graph/api/resources/groupsettingtemplate.
 * `Group.Unified` holds tenant-wide settings, `Group.Unified.Guest` the per-group guest setting.
 */
export interface SettingTemplateValue {
  readonly name: string;
  readonly type: 'System.String' | 'System.Boolean' | 'System.Guid';
  readonly defaultValue: string;
  readonly description: string;
}

export interface SettingTemplate {
  readonly id: string;
  readonly displayName: string;
  readonly description: string;
  /** Tenant-wide (`/groupSettings`) or per group (`/groups/{id}/settings`). */
  readonly scope: 'tenant' | 'group';
  readonly values: readonly SettingTemplateValue[];
}

export const GROUP_UNIFIED_TEMPLATE_ID = '62375ab9-6b52-47ed-826b-58e47e0e304b';
export const GROUP_UNIFIED_GUEST_TEMPLATE_ID = '08d542b9-071f-4e16-94b0-74abb372e3d9';

const s = (name: string, defaultValue: string, description: string): SettingTemplateValue => ({
  name,
  type: 'System.String',
  defaultValue,
  description,
});
const b = (name: string, defaultValue: 'true' | 'false', description: string): SettingTemplateValue => ({
  name,
  type: 'System.Boolean',
  defaultValue,
  description,
});

export const SETTING_TEMPLATES: readonly SettingTemplate[] = [
  {
    id: GROUP_UNIFIED_TEMPLATE_ID,
    displayName: 'Group.Unified',
    description: 'Setting templates define the different settings that can be used for Unified Groups',
    scope: 'tenant',
    values: [
      s(
        'CustomBlockedWordsList',
        '',
        'A comma-delimited list of blocked words for Unified Group displayName and mailNickName.',
      ),
      b(
        'EnableMSStandardBlockedWords',
        'false',
        'A flag indicating whether or not to enable the Microsoft Standard list of blocked words for Unified Group displayName and mailNickName.',
      ),
      s(
        'ClassificationDescriptions',
        '',
        'A comma-delimited list of structured strings describing the classification values in the ClassificationList.',
      ),
      s(
        'DefaultClassification',
        '',
        'The classification value to be used by default for Unified Group creation.',
      ),
      s(
        'PrefixSuffixNamingRequirement',
        '',
        'A structured string describing how a Unified Group displayName and mailNickname should be structured.',
      ),
      b(
        'AllowGuestsToBeGroupOwner',
        'false',
        'Flag indicating if guests are allowed to be owner in any Unified Group.',
      ),
      b(
        'AllowGuestsToAccessGroups',
        'true',
        'Flag indicating if guests are allowed to access any Unified Group resources.',
      ),
      s('GuestUsageGuidelinesUrl', '', 'A link to the Group Usage Guidelines for guests.'),
      {
        name: 'GroupCreationAllowedGroupId',
        type: 'System.Guid',
        defaultValue: '',
        description: 'Guid of the security group that is always allowed to create Unified Groups.',
      },
      b('AllowToAddGuests', 'true', 'Flag indicating if guests are allowed in any Unified Group.'),
      s('UsageGuidelinesUrl', '', 'A link to the Group Usage Guidelines.'),
      s(
        'ClassificationList',
        '',
        'A comma-delimited list of valid classification values that can be applied to Unified Groups.',
      ),
      b('EnableGroupCreation', 'true', 'Flag indicating if group creation feature is on.'),
      b(
        'NewUnifiedGroupWritebackDefault',
        'true',
        'Flag indicating whether new Unified Groups are written back to on-premises by default.',
      ),
      b(
        'EnableMIPLabels',
        'false',
        'Flag indicating whether sensitivity labels assigned in the Microsoft Purview compliance portal can be applied to Microsoft 365 groups.',
      ),
    ],
  },
  {
    id: GROUP_UNIFIED_GUEST_TEMPLATE_ID,
    displayName: 'Group.Unified.Guest',
    description: 'Settings for a specific Unified Group',
    scope: 'group',
    values: [
      b('AllowToAddGuests', 'true', 'Flag indicating if guests are allowed in a specific Unified Group.'),
    ],
  },
];

export function templateById(id: unknown): SettingTemplate | undefined {
  return typeof id === 'string' ? SETTING_TEMPLATES.find((t) => t.id === id.toLowerCase()) : undefined;
}

/** A setting's values: the template's defaults, overridden by the given name/value pairs. */
export function settingValues(
  template: SettingTemplate,
  given: ReadonlyArray<{ name: string; value: string }>,
): Array<{ name: string; value: string }> {
  const byName = new Map(given.map((v) => [v.name, v.value]));
  return template.values.map((v) => ({ name: v.name, value: byName.get(v.name) ?? v.defaultValue }));
}
