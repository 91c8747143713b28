import {
  GROUP_UNIFIED_GUEST_TEMPLATE_ID,
  GROUP_UNIFIED_TEMPLATE_ID,
  settingValues,
  templateById,
} from '../group-setting-templates';
import type { Json } from '../object-collection';
import { groupKind } from './groups.generator';
import type { CollectionGenerator, GeneratorContext } from './generator-context';

/**
 * The tenant-wide Microsoft 365 group settings: a naming policy (prefix, suffix and blocked
 * words), guests kept from owning groups, creation limited to the first security group.
 */
export const groupSettingsGenerator: CollectionGenerator = {
  count: () => 1,
  generate: (ctx: GeneratorContext, ordinal: number): Json => {
    const template = templateById(GROUP_UNIFIED_TEMPLATE_ID)!;
    return {
      id: ctx.id('groupSettings', ordinal),
      displayName: template.displayName,
      templateId: template.id,
      values: settingValues(template, [
        { name: 'PrefixSuffixNamingRequirement', value: 'GRP_[GroupName]_[Department]' },
        { name: 'CustomBlockedWordsList', value: 'CEO,Payroll,HR' },
        { name: 'EnableMSStandardBlockedWords', value: 'true' },
        { name: 'AllowGuestsToBeGroupOwner', value: 'false' },
        { name: 'EnableGroupCreation', value: 'false' },
        { name: 'GroupCreationAllowedGroupId', value: ctx.id('groups', 0) },
      ]),
    };
  },
};

/** The one group expiration policy: 180 days, for selected Microsoft 365 groups. */
export const groupLifecyclePoliciesGenerator: CollectionGenerator = {
  count: () => 1,
  generate: (ctx: GeneratorContext, ordinal: number): Json => ({
    id: ctx.id('groupLifecyclePolicies', ordinal),
    groupLifetimeInDays: 180,
    managedGroupTypes: 'Selected',
    alternateNotificationEmails: `groups-admin@${ctx.spec.domain}`,
  }),
};

/** The part of a tenant's generator the initial group policy state derives from. */
export interface GroupIds {
  readonly counts: { readonly groups: number };
  id(name: 'groups' | 'groupSettings', ordinal: number): string;
}

/**
 * What the generated tenant starts with beyond the collections: the groups the "Selected"
 * lifecycle policy applies to (the first three Microsoft 365 groups) and the one group whose
 * per-group setting keeps guests out (the first Microsoft 365 group). Cheap: stops at the third.
 */
export function generatedGroupPolicyState(gen: GroupIds): {
  lifecycleGroups: string[];
  groupSettings: Array<{ groupId: string; setting: Json }>;
} {
  const unified: string[] = [];
  for (let ordinal = 0; ordinal < gen.counts.groups && unified.length < 3; ordinal++)
    if (groupKind(ordinal) === 'unified') unified.push(gen.id('groups', ordinal));
  const first = unified[0];
  return {
    lifecycleGroups: unified,
    groupSettings:
      first === undefined
        ? []
        : [
            {
              groupId: first,
              setting: {
                // Past the tenant-wide settings' ordinals, so the ids never collide.
                id: gen.id('groupSettings', 1000),
                displayName: 'Group.Unified.Guest',
                templateId: GROUP_UNIFIED_GUEST_TEMPLATE_ID,
                values: [{ name: 'AllowToAddGuests', value: 'false' }],
              },
            },
          ],
  };
}
