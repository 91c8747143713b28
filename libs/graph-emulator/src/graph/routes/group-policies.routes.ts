import {
  SETTING_TEMPLATES,
  type SettingTemplate,
  settingValues,
  templateById,
} from '../../directory/group-setting-templates';
import { groupPolicyState } from '../../directory/group-policy-state';
import type { Json } from '../../directory/object-collection';
import {
  arraySource,
  contextUrl,
  getEntity,
  listCollection,
  noContent,
  notFound,
  ok,
  rejectReadOnly,
  requireBody,
  type GraphRequest,
  type PageSize,
  type RouteDef,
} from '../graph-core';
import { badRequest } from '../odata';
import { RESOURCE_TYPES } from '../resource-types';
import { crudRoutes, findIn } from './crud';

/**
 * Microsoft 365 group settings (tenant-wide and per group), their templates, and group lifecycle
 * (expiration) policies.
 */

/** https://learn.microsoft.com/graph/api/group-list-settings (tenant-wide and group-specific tables). */
const SETTINGS_READ = [
  'GroupSettings.Read.All',
  'GroupSettings.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
  'Group.Read.All',
  'Group.ReadWrite.All',
];
/** https://learn.microsoft.com/graph/api/group-post-settings, https://learn.microsoft.com/graph/api/groupsetting-update */
const SETTINGS_WRITE = ['GroupSettings.ReadWrite.All', 'Directory.ReadWrite.All'];
/** https://learn.microsoft.com/graph/api/groupsettingtemplate-list */
const TEMPLATES_READ = [
  'GroupSettings.Read.All',
  'GroupSettings.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
];
/** https://learn.microsoft.com/graph/api/grouplifecyclepolicy-list and its write pages: Directory.* only. */
const LIFECYCLE_READ = ['Directory.Read.All', 'Directory.ReadWrite.All'];
const LIFECYCLE_WRITE = ['Directory.ReadWrite.All'];
const PAGE: PageSize = { default: 100, max: 100 };
const GROUP_SETTING = RESOURCE_TYPES.groupSetting;
const MANAGED_GROUP_TYPES = ['All', 'Selected', 'None'];
/** "you can add up to 500 groups to the list": https://learn.microsoft.com/graph/api/grouplifecyclepolicy-addgroup */
const SELECTED_MAX = 500;

const stateOf = groupPolicyState;

function isUnified(group: Json): boolean {
  return Array.isArray(group['groupTypes']) && group['groupTypes'].includes('Unified');
}

/** Validates `templateId` and `values` of a create and returns the stored setting. */
function settingFromBody(body: Json, scope: 'tenant' | 'group', id: string): Json {
  rejectReadOnly(body, ['id', 'displayName']);
  const template = templateById(body['templateId']);
  if (template === undefined)
    throw badRequest(`Invalid value specified for property 'templateId' of resource 'GroupSetting'.`);
  if (template.scope !== scope)
    throw badRequest(
      scope === 'tenant'
        ? `Template '${template.displayName}' holds settings of one group: create them under /groups/{id}/settings.`
        : `Only the Group.Unified.Guest template can be used for group-specific settings.`,
    );
  return {
    id,
    displayName: template.displayName,
    templateId: template.id,
    values: settingValues(template, checkedValues(template, body['values'])),
  };
}

function checkedValues(template: SettingTemplate, values: unknown): Array<{ name: string; value: string }> {
  if (values === undefined) return [];
  if (!Array.isArray(values)) throw badRequest(`Property 'values' must be a collection of settingValue.`);
  return (values as Json[]).map((v) => {
    const name = v['name'];
    const value = v['value'];
    const known = template.values.find((t) => t.name === name);
    if (known === undefined || typeof value !== 'string')
      throw badRequest(`Invalid setting value '${String(name)}' for template '${template.displayName}'.`);
    if (known.type === 'System.Boolean' && !/^(true|false)$/i.test(value))
      throw badRequest(`Setting '${known.name}' expects a Boolean value.`);
    return { name: known.name, value };
  });
}

function updatedValues(existing: Json, body: Json): Json {
  rejectReadOnly(body, ['id', 'displayName', 'templateId']);
  const template = templateById(existing['templateId'])!;
  const current = (existing['values'] as Array<{ name: string; value: string }>) ?? [];
  const given = checkedValues(template, body['values']);
  const byName = new Map(current.map((v) => [v.name, v.value]));
  for (const v of given) byName.set(v.name, v.value);
  return {
    values: template.values.map((t) => ({ name: t.name, value: byName.get(t.name) ?? t.defaultValue })),
  };
}

function templateView(t: SettingTemplate): Json {
  return {
    id: t.id,
    displayName: t.displayName,
    description: t.description,
    values: t.values.map((v) => ({ ...v })),
  };
}

function groupOf(req: GraphRequest, id: string): Json {
  return findIn(req, 'groups', id);
}

function groupSettingsOf(req: GraphRequest, groupId: string): Json[] {
  const group = groupOf(req, groupId);
  return stateOf(req.tenant).groupSettings.get(String(group['id'])) ?? [];
}

/** The lifecycle policy that applies to a group, per its managedGroupTypes. */
function policiesOfGroup(req: GraphRequest, group: Json): Json[] {
  if (!isUnified(group)) return [];
  const selected = stateOf(req.tenant).lifecycleGroups;
  return [...req.tenant.collection('groupLifecyclePolicies').values()].filter(
    (p) =>
      p['managedGroupTypes'] === 'All' ||
      (p['managedGroupTypes'] === 'Selected' && selected.has(String(group['id']))),
  );
}

function lifecycleBody(body: Json, create: boolean): Json {
  rejectReadOnly(body, ['id']);
  for (const name of Object.keys(body))
    if (!['groupLifetimeInDays', 'managedGroupTypes', 'alternateNotificationEmails'].includes(name))
      throw badRequest(`Property '${name}' does not exist on type 'microsoft.graph.groupLifecyclePolicy'.`);
  const days = body['groupLifetimeInDays'];
  if ((create || days !== undefined) && (typeof days !== 'number' || !Number.isInteger(days) || days < 30))
    throw badRequest(
      `Invalid value specified for property 'groupLifetimeInDays' of resource 'GroupLifecyclePolicy'.`,
    );
  const types = body['managedGroupTypes'];
  if ((create || types !== undefined) && !MANAGED_GROUP_TYPES.includes(String(types)))
    throw badRequest(
      `Invalid value specified for property 'managedGroupTypes' of resource 'GroupLifecyclePolicy'.`,
    );
  return body;
}

export const groupPolicyRoutes: RouteDef[] = [
  {
    method: 'GET',
    path: '/groupSettingTemplates',
    permissions: TEMPLATES_READ,
    handle: (req) =>
      listCollection(req, {
        entitySet: 'groupSettingTemplates',
        type: RESOURCE_TYPES.groupSettingTemplate,
        source: arraySource(SETTING_TEMPLATES.map(templateView)),
        page: PAGE,
      }),
  },
  {
    method: 'GET',
    path: '/groupSettingTemplates/{id}',
    permissions: TEMPLATES_READ,
    handle: (req, { id }) => {
      const template = templateById(id);
      if (template === undefined) throw notFound(id!);
      return getEntity(
        req,
        templateView(template),
        id!,
        RESOURCE_TYPES.groupSettingTemplate,
        'groupSettingTemplates',
      );
    },
  },
  // Tenant-wide settings: one per template ("A conflicting object ..." on a second).
  ...crudRoutes({
    path: '/groupSettings',
    collection: 'groupSettings',
    type: GROUP_SETTING,
    entitySet: 'groupSettings',
    read: SETTINGS_READ,
    page: PAGE,
  }),
  {
    method: 'POST',
    path: '/groupSettings',
    permissions: SETTINGS_WRITE,
    handle: (req) => {
      const body = requireBody(req);
      const setting = settingFromBody(body, 'tenant', crypto.randomUUID());
      for (const existing of req.tenant.collection('groupSettings').values())
        if (existing['templateId'] === setting['templateId'])
          throw badRequest(
            'A conflicting object with one or more of the specified property values is present in the directory.',
          );
      const created = req.tenant.create('groupSettings', setting);
      return ok({ '@odata.context': contextUrl(req, 'groupSettings/$entity'), ...created }, 201);
    },
  },
  {
    method: 'PATCH',
    path: '/groupSettings/{id}',
    permissions: SETTINGS_WRITE,
    handle: (req, { id }) => {
      const existing = findIn(req, 'groupSettings', id!);
      req.tenant.update('groupSettings', String(existing['id']), updatedValues(existing, requireBody(req)));
      return noContent();
    },
  },
  {
    method: 'DELETE',
    path: '/groupSettings/{id}',
    permissions: SETTINGS_WRITE,
    handle: (req, { id }) => {
      const existing = findIn(req, 'groupSettings', id!);
      req.tenant.remove('groupSettings', String(existing['id']));
      return noContent();
    },
  },
  // Per-group settings: only Group.Unified.Guest, only on Microsoft 365 groups ("Group-specific
  // settings apply to only Microsoft 365 groups": https://learn.microsoft.com/graph/api/resources/groupsetting).
  {
    method: 'GET',
    path: '/groups/{id}/settings',
    permissions: SETTINGS_READ,
    handle: (req, { id }) =>
      listCollection(req, {
        entitySet: `groups('${id!}')/settings`,
        type: GROUP_SETTING,
        source: arraySource(groupSettingsOf(req, id!)),
        page: PAGE,
      }),
  },
  {
    method: 'GET',
    path: '/groups/{id}/settings/{settingId}',
    permissions: SETTINGS_READ,
    handle: (req, { id, settingId }) => {
      const setting = groupSettingsOf(req, id!).find((s) => s['id'] === settingId!.toLowerCase());
      if (setting === undefined) throw notFound(settingId!);
      return getEntity(req, setting, settingId!, GROUP_SETTING, `groups('${id!}')/settings`);
    },
  },
  {
    method: 'POST',
    path: '/groups/{id}/settings',
    permissions: SETTINGS_WRITE,
    handle: (req, { id }) => {
      const group = groupOf(req, id!);
      if (!isUnified(group))
        throw badRequest('Group-specific settings can only be created on Microsoft 365 (Unified) groups.');
      const setting = settingFromBody(requireBody(req), 'group', crypto.randomUUID());
      const state = stateOf(req.tenant);
      const list = state.groupSettings.get(String(group['id'])) ?? [];
      if (list.some((s) => s['templateId'] === setting['templateId']))
        throw badRequest(
          'A conflicting object with one or more of the specified property values is present in the directory.',
        );
      state.groupSettings.set(String(group['id']), [...list, setting]);
      return ok({ '@odata.context': contextUrl(req, `groups('${id!}')/settings/$entity`), ...setting }, 201);
    },
  },
  {
    method: 'PATCH',
    path: '/groups/{id}/settings/{settingId}',
    permissions: SETTINGS_WRITE,
    handle: (req, { id, settingId }) => {
      const list = groupSettingsOf(req, id!);
      const index = list.findIndex((s) => s['id'] === settingId!.toLowerCase());
      if (index < 0) throw notFound(settingId!);
      list[index] = { ...list[index]!, ...updatedValues(list[index]!, requireBody(req)) };
      return noContent();
    },
  },
  {
    method: 'DELETE',
    path: '/groups/{id}/settings/{settingId}',
    permissions: SETTINGS_WRITE,
    handle: (req, { id, settingId }) => {
      const group = groupOf(req, id!);
      const state = stateOf(req.tenant);
      const list = state.groupSettings.get(String(group['id'])) ?? [];
      const rest = list.filter((s) => s['id'] !== settingId!.toLowerCase());
      if (rest.length === list.length) throw notFound(settingId!);
      state.groupSettings.set(String(group['id']), rest);
      return noContent();
    },
  },
  // Lifecycle policies: "Only one policy exists in the tenant":
  // https://learn.microsoft.com/graph/api/grouplifecyclepolicy-post-grouplifecyclepolicies
  ...crudRoutes({
    path: '/groupLifecyclePolicies',
    collection: 'groupLifecyclePolicies',
    type: RESOURCE_TYPES.groupLifecyclePolicy,
    entitySet: 'groupLifecyclePolicies',
    read: LIFECYCLE_READ,
    page: PAGE,
  }),
  {
    method: 'POST',
    path: '/groupLifecyclePolicies',
    permissions: LIFECYCLE_WRITE,
    handle: (req) => {
      const body = lifecycleBody(requireBody(req), true);
      if (req.tenant.collection('groupLifecyclePolicies').count() > 0)
        throw badRequest('Only one group lifecycle policy can exist in the tenant.');
      const created = req.tenant.create('groupLifecyclePolicies', {
        alternateNotificationEmails: '',
        ...body,
      });
      return ok({ '@odata.context': contextUrl(req, 'groupLifecyclePolicies/$entity'), ...created }, 201);
    },
  },
  {
    method: 'PATCH',
    path: '/groupLifecyclePolicies/{id}',
    permissions: LIFECYCLE_WRITE,
    handle: (req, { id }) => {
      const existing = findIn(req, 'groupLifecyclePolicies', id!);
      const updated = req.tenant.update(
        'groupLifecyclePolicies',
        String(existing['id']),
        lifecycleBody(requireBody(req), false),
      );
      // The update answers with the policy: https://learn.microsoft.com/graph/api/grouplifecyclepolicy-update
      return ok({ '@odata.context': contextUrl(req, 'groupLifecyclePolicies/$entity'), ...updated });
    },
  },
  {
    method: 'DELETE',
    path: '/groupLifecyclePolicies/{id}',
    permissions: LIFECYCLE_WRITE,
    handle: (req, { id }) => {
      const existing = findIn(req, 'groupLifecyclePolicies', id!);
      req.tenant.remove('groupLifecyclePolicies', String(existing['id']));
      stateOf(req.tenant).lifecycleGroups.clear();
      return noContent();
    },
  },
  ...(['addGroup', 'removeGroup'] as const).map((action): RouteDef => ({
    method: 'POST',
    path: `/groupLifecyclePolicies/{id}/${action}`,
    permissions: LIFECYCLE_WRITE,
    handle: (req, { id }) => {
      const policy = findIn(req, 'groupLifecyclePolicies', id!);
      const groupId = requireBody(req)['groupId'];
      if (typeof groupId !== 'string') throw badRequest(`The request body must contain a 'groupId'.`);
      // "This action is supported only if the managedGroupTypes property of the policy is set to Selected."
      if (policy['managedGroupTypes'] !== 'Selected')
        throw badRequest(`${action} is supported only when managedGroupTypes is 'Selected'.`);
      const group = groupOf(req, groupId);
      const selected = stateOf(req.tenant).lifecycleGroups;
      const key = String(group['id']);
      if (action === 'addGroup' && !selected.has(key) && selected.size >= SELECTED_MAX)
        throw badRequest(
          `A lifecycle policy with managedGroupTypes 'Selected' applies to at most ${SELECTED_MAX} groups.`,
        );
      const changed = isUnified(group) && (action === 'addGroup' ? !selected.has(key) : selected.has(key));
      if (changed) {
        if (action === 'addGroup') selected.add(key);
        else selected.delete(key);
      }
      // "If the group is added to the policy, a true value is returned ... Otherwise, a false value".
      return ok({ '@odata.context': contextUrl(req, 'Edm.Boolean'), value: changed });
    },
  })),
  // The policies a group is under: https://learn.microsoft.com/graph/api/group-list-grouplifecyclepolicies
  {
    method: 'GET',
    path: '/groups/{id}/groupLifecyclePolicies',
    permissions: LIFECYCLE_READ,
    handle: (req, { id }) =>
      listCollection(req, {
        entitySet: 'groupLifecyclePolicies',
        type: RESOURCE_TYPES.groupLifecyclePolicy,
        source: arraySource(policiesOfGroup(req, groupOf(req, id!))),
        page: PAGE,
      }),
  },
];
