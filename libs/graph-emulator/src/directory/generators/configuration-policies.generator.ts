import type { Json } from '../object-collection';
import { type CollectionGenerator, DAY_MS, type GeneratorContext, iso } from './generator-context';
import { groupTarget } from './intune-group-target';

export const configurationPoliciesGenerator: CollectionGenerator = {
  count: () => 5,
  generate: configurationPolicy,
};

export function configurationPolicy(ctx: GeneratorContext, ordinal: number): Json {
  const id = ctx.id('configurationPolicies', ordinal);
  const created = ctx.createdAt(16, ordinal, 5);
  const policies = [
    {
      name: 'Defender Antivirus baseline',
      platforms: 'windows10',
      technologies: 'mdm,microsoftSense',
      settings: [
        [
          'device_vendor_msft_policy_config_defender_allowrealtimemonitoring',
          'device_vendor_msft_policy_config_defender_allowrealtimemonitoring_1',
        ],
        [
          'device_vendor_msft_policy_config_defender_allowcloudprotection',
          'device_vendor_msft_policy_config_defender_allowcloudprotection_1',
        ],
      ],
    },
    {
      name: 'Edge security settings',
      platforms: 'windows10',
      technologies: 'mdm',
      settings: [
        [
          'device_vendor_msft_policy_config_microsoft_edgev92~policy~microsoft_edge_smartscreenenabled',
          'device_vendor_msft_policy_config_microsoft_edgev92~policy~microsoft_edge_smartscreenenabled_1',
        ],
      ],
    },
    {
      name: 'OneDrive Known Folder Move',
      platforms: 'windows10',
      technologies: 'mdm',
      settings: [
        [
          'device_vendor_msft_policy_config_onedrivengscv2~policy~onedrivengsc_kfmsilentoptin',
          'device_vendor_msft_policy_config_onedrivengscv2~policy~onedrivengsc_kfmsilentoptin_1',
        ],
      ],
    },
    {
      name: 'macOS FileVault',
      platforms: 'macOS',
      technologies: 'mdm,appleRemoteManagement',
      settings: [['com.apple.mcx.filevault2_enable', 'com.apple.mcx.filevault2_enable_0']],
    },
    {
      name: 'Windows LAPS',
      platforms: 'windows10',
      technologies: 'mdm',
      settings: [
        [
          'device_vendor_msft_laps_policies_backupdirectory',
          'device_vendor_msft_laps_policies_backupdirectory_1',
        ],
      ],
    },
  ];
  const p = policies[ordinal % policies.length]!;
  return {
    id,
    createdDateTime: iso(created),
    creationSource: null,
    description: `${p.name} (settings catalog)`,
    lastModifiedDateTime: iso(created + 2 * DAY_MS),
    name: p.name,
    platforms: p.platforms,
    roleScopeTagIds: ['0'],
    settingCount: p.settings.length,
    technologies: p.technologies,
    templateReference: {
      templateId: '',
      templateFamily: 'none',
      templateDisplayName: null,
      templateDisplayVersion: null,
    },
    settings: p.settings.map(([definitionId, value], i) => ({
      id: String(i),
      settingInstance: {
        '@odata.type': '#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance',
        settingDefinitionId: definitionId,
        settingInstanceTemplateReference: null,
        choiceSettingValue: { settingValueTemplateReference: null, value, children: [] },
      },
    })),
    assignments: [
      {
        id: `${id}_${ctx.id('groups', (4 + ordinal) % ctx.counts.groups)}`,
        source: 'direct',
        sourceId: id,
        target: groupTarget(ctx, 4 + ordinal),
      },
    ],
  };
}
