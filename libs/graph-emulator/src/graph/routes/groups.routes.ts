import type { Json } from '../../directory/object-collection';
import { objectConflict, onPremisesMastered } from '../../directory/tenant-directory';
import { GraphHttpError } from '../../shared/graph-error';
import { serveDelta } from '../delta';
import { knownProperties, presentDirectoryObject } from '../directory-objects';
import {
  checkReplicated,
  contextUrl,
  type AuditHint,
  DIRECTORY_PAGE,
  getEntity,
  listCollection,
  noContent,
  notFound,
  ok,
  referencedId,
  rejectReadOnly,
  rejectUnknown,
  requireBody,
  requireProperties,
  type GraphRequest,
  type RouteDef,
} from '../graph-core';
import { badRequest, parseSelect } from '../odata';
import { takeExtensionValues, withExtensionValues, writeExtensionValues } from '../extension-values';
import { RESOURCE_TYPES } from '../resource-types';
import { addRelatedRef, listRelated, removeRelatedRef } from './relations';

export const GROUP_READ = [
  'Group.Read.All',
  'Group.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
] as const;
export const GROUP_MEMBER_READ = [
  'GroupMember.Read.All',
  'Group.Read.All',
  'GroupMember.ReadWrite.All',
  'Group.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
] as const;
export const GROUP_WRITE = ['Group.ReadWrite.All', 'Directory.ReadWrite.All'] as const;
export const GROUP_MEMBER_WRITE = [
  'GroupMember.ReadWrite.All',
  'Group.ReadWrite.All',
  'Directory.ReadWrite.All',
] as const;
/** Properties the group resource documents as read-only: https://learn.microsoft.com/graph/api/resources/group */
const GROUP_READ_ONLY = [
  'id',
  'assignedLicenses',
  'licenseProcessingState',
  'serviceProvisioningErrors',
  'createdDateTime',
  'deletedDateTime',
  'renewedDateTime',
  'expirationDateTime',
  'mail',
  'proxyAddresses',
  'securityIdentifier',
  'onPremisesSyncEnabled',
  'onPremisesLastSyncDateTime',
  'onPremisesSecurityIdentifier',
  'onPremisesSamAccountName',
  'onPremisesDomainName',
  'onPremisesNetBiosName',
  'onPremisesProvisioningErrors',
];

/**
 * Group properties Microsoft Entra Connect synchronizes from Active Directory; membership too (`members@odata.bind`).
 * https://learn.microsoft.com/entra/identity/hybrid/connect/reference-connect-sync-attributes-synchronized
 */
const ON_PREMISES_MASTERED_GROUP = [
  'description',
  'displayName',
  'mail',
  'mailEnabled',
  'mailNickname',
  'members@odata.bind',
  'securityEnabled',
];

function bindIds(value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value))
    throw badRequest('An @odata.bind value must be an array of directoryObject URLs.');
  return value.map((v) => referencedId({ '@odata.id': v }));
}

/**
 * Changing the members of a role-assignable group also needs RoleManagement.ReadWrite.Directory.
 * https://learn.microsoft.com/graph/api/group-post-members
 */
function requireRoleAssignableRights(req: GraphRequest, g: Json): void {
  if (g['isAssignableToRole'] !== true) return;
  const granted = req.ctx.kind === 'app' ? req.ctx.roles : req.ctx.scopes;
  if (!granted.includes('RoleManagement.ReadWrite.Directory'))
    throw new GraphHttpError(
      403,
      'Authorization_RequestDenied',
      'Insufficient privileges to complete the operation.',
    );
}

function group(req: GraphRequest, id: string): Json {
  const g = req.tenant.collection('groups').get(id);
  if (!g) throw notFound(id);
  return g;
}

function validateGroup(req: GraphRequest, body: Json, creating: boolean): void {
  rejectReadOnly(body, GROUP_READ_ONLY);
  rejectUnknown(body, knownProperties(req.tenant, 'groups'), 'microsoft.graph.group');
  if (creating) requireProperties(body, ['displayName', 'mailNickname'], 'Group');
  if (
    creating &&
    (typeof body['mailEnabled'] !== 'boolean' || typeof body['securityEnabled'] !== 'boolean')
  ) {
    throw badRequest("Invalid value specified for property 'mailEnabled' of resource 'Group'.");
  }
  const types = body['groupTypes'];
  if (
    types !== undefined &&
    (!Array.isArray(types) || types.some((t) => t !== 'Unified' && t !== 'DynamicMembership'))
  ) {
    throw badRequest("Invalid value specified for property 'groupTypes' of resource 'Group'.");
  }
  if (
    Array.isArray(types) &&
    types.includes('DynamicMembership') &&
    typeof body['membershipRule'] !== 'string'
  ) {
    throw badRequest("Invalid value specified for property 'membershipRule' of resource 'Group'.");
  }
  if (!creating && 'isAssignableToRole' in body)
    throw badRequest("Property 'isAssignableToRole' can only be set when the group is created.");
}

export const groupRoutes: RouteDef[] = [
  {
    method: 'GET',
    path: '/groups',
    permissions: GROUP_READ,
    handle: (req) =>
      listCollection(req, {
        entitySet: 'groups',
        type: RESOURCE_TYPES.group,
        source: req.tenant.collection('groups'),
        page: DIRECTORY_PAGE,
        filters: {
          id: ['eq'],
          displayName: ['eq'],
          mailNickname: ['eq'],
          securityEnabled: ['eq'],
          mailEnabled: ['eq'],
          createdDateTime: ['ge', 'le'],
        },
        known: knownProperties(req.tenant, 'groups'),
        present: (obj) =>
          withExtensionValues(req.tenant, 'groups', obj, parseSelect(req.query.get('$select'))),
        expand: {
          // $expand returns at most 20 related objects: https://learn.microsoft.com/graph/query-parameters#expand
          members: (obj) =>
            req.tenant
              .related('members', 'groups', String(obj['id']))
              .slice(0, 20)
              .map((id) => presentDirectoryObject(req.tenant, id)),
          owners: (obj) =>
            req.tenant
              .related('owners', 'groups', String(obj['id']))
              .slice(0, 20)
              .map((id) => presentDirectoryObject(req.tenant, id)),
        },
      }),
  },
  {
    method: 'GET',
    path: '/groups/$count',
    permissions: GROUP_READ,
    handle: (req) => {
      if ((req.headers['consistencylevel'] ?? '').toLowerCase() !== 'eventual')
        throw badRequest('Count is not currently supported.');
      return { status: 200, text: String(req.tenant.collection('groups').count()) };
    },
  },
  {
    method: 'GET',
    path: '/groups/delta',
    permissions: GROUP_MEMBER_READ,
    handle: (req) => serveDelta(req, 'groups', 'groups'),
  },
  {
    method: 'GET',
    path: '/groups/microsoft.graph.delta',
    permissions: GROUP_MEMBER_READ,
    handle: (req) => serveDelta(req, 'groups', 'groups'),
  },
  {
    method: 'GET',
    path: '/groups/{id}',
    permissions: GROUP_READ,
    handle: (req, { id }) =>
      getEntity(req, req.tenant.collection('groups').get(id!), id!, RESOURCE_TYPES.group, 'groups', {
        known: knownProperties(req.tenant, 'groups'),
        present: (obj) =>
          withExtensionValues(req.tenant, 'groups', obj, parseSelect(req.query.get('$select'))),
      }),
  },
  {
    method: 'GET',
    path: '/groups/{id}/members',
    permissions: GROUP_MEMBER_READ,
    handle: (req, { id }) => listRelated(req, 'members', 'groups', id!, 'directoryObjects'),
  },
  {
    // Type-cast segment: only members of one type, e.g. /groups/{id}/members/microsoft.graph.user
    method: 'GET',
    path: '/groups/{id}/members/{cast}',
    permissions: GROUP_MEMBER_READ,
    handle: (req, { id, cast }) => {
      const types: Record<string, string> = {
        'microsoft.graph.user': 'users',
        'microsoft.graph.group': 'groups',
        'microsoft.graph.device': 'devices',
        'microsoft.graph.serviceprincipal': 'servicePrincipals',
      };
      const collection = types[cast!.toLowerCase()];
      if (!collection) throw badRequest(`Resource not found for the segment '${cast!}'.`, 'BadRequest');
      return listRelated(req, 'members', 'groups', id!, `directoryObjects/${cast!}`, (memberId) =>
        req.tenant.collection(collection as 'users').has(memberId),
      );
    },
  },
  {
    method: 'GET',
    path: '/groups/{id}/owners',
    permissions: GROUP_READ,
    handle: (req, { id }) => listRelated(req, 'owners', 'groups', id!, 'directoryObjects'),
  },
  {
    method: 'POST',
    path: '/groups/{id}/members/$ref',
    permissions: GROUP_MEMBER_WRITE,
    handle: (req, { id }) => {
      const g = group(req, id!);
      requireRoleAssignableRights(req, g);
      return addRelatedRef(req, 'members', 'groups', String(g['id']));
    },
  },
  {
    method: 'DELETE',
    path: '/groups/{id}/members/{memberId}/$ref',
    permissions: GROUP_MEMBER_WRITE,
    handle: (req, { id, memberId }) => {
      const g = group(req, id!);
      requireRoleAssignableRights(req, g);
      return removeRelatedRef(req, 'members', 'groups', String(g['id']), memberId!);
    },
  },
  {
    method: 'POST',
    path: '/groups/{id}/owners/$ref',
    permissions: GROUP_WRITE,
    handle: (req, { id }) => addRelatedRef(req, 'owners', 'groups', group(req, id!)['id'] as string),
  },
  {
    method: 'DELETE',
    path: '/groups/{id}/owners/{ownerId}/$ref',
    permissions: GROUP_WRITE,
    handle: (req, { id, ownerId }) =>
      removeRelatedRef(req, 'owners', 'groups', group(req, id!)['id'] as string, ownerId!),
  },
  {
    method: 'POST',
    path: '/groups',
    permissions: GROUP_WRITE,
    handle: (req) => {
      const body = requireBody(req);
      const extensions = takeExtensionValues(req.tenant, 'groups', body);
      validateGroup(req, body, true);
      const unified =
        Array.isArray(body['groupTypes']) && (body['groupTypes'] as string[]).includes('Unified');
      const nick = String(body['mailNickname']);
      if (unified) {
        // A Microsoft 365 group's alias becomes its SMTP address, unique in the directory.
        const holder = req.tenant.addressHolder(`${nick}@${req.tenant.spec.domain}`);
        if (holder) throw objectConflict(holder.collection === 'groups' ? 'mailNickname' : 'proxyAddresses');
      }
      // Members and owners can be bound at creation: https://learn.microsoft.com/graph/api/group-post-groups
      const binds = {
        members: bindIds(body['members@odata.bind']),
        owners: bindIds(body['owners@odata.bind']),
      };
      if (binds.members.length + binds.owners.length > 20)
        throw badRequest('At most 20 members and owners can be added in the same request.');
      for (const id of [...binds.members, ...binds.owners]) if (!req.tenant.exists(id)) throw notFound(id);
      checkReplicated(req, ...binds.members, ...binds.owners);
      for (const [relation, ids] of Object.entries(binds))
        if (new Set(ids).size !== ids.length)
          throw badRequest(
            `One or more added object references already exist for the following modified properties: '${relation}'.`,
          );
      // A dynamic group's rule decides its members. https://learn.microsoft.com/entra/identity/users/groups-dynamic-membership
      if (
        binds.members.length > 0 &&
        Array.isArray(body['groupTypes']) &&
        body['groupTypes'].includes('DynamicMembership')
      )
        throw new GraphHttpError(
          403,
          'Authorization_RequestDenied',
          'Insufficient privileges to complete the operation.',
        );
      if (binds.members.length > 0 && body['isAssignableToRole'] === true)
        requireRoleAssignableRights(req, body);
      const fields = Object.fromEntries(Object.entries(body).filter(([k]) => !k.includes('@odata.bind')));
      const created = req.tenant.create('groups', {
        ...Object.fromEntries(Object.keys(req.tenant.gen.group(1)).map((k) => [k, null])),
        groupTypes: [],
        proxyAddresses: unified ? [`SMTP:${nick}@${req.tenant.spec.domain}`] : [],
        onPremisesProvisioningErrors: [],
        serviceProvisioningErrors: [],
        assignedLabels: [],
        assignedLicenses: [],
        resourceBehaviorOptions: [],
        resourceProvisioningOptions: [],
        ...fields,
        mail: unified ? `${nick}@${req.tenant.spec.domain}` : null,
        createdDateTime: req.tenant.nowIso(),
        renewedDateTime: req.tenant.nowIso(),
        deletedDateTime: null,
      });
      writeExtensionValues(req.tenant, 'groups', String(created['id']), extensions);
      if (binds.members.length > 0)
        req.tenant.addRelated('members', 'groups', String(created['id']), binds.members);
      if (binds.owners.length > 0)
        req.tenant.addRelated('owners', 'groups', String(created['id']), binds.owners);
      return ok({ '@odata.context': contextUrl(req, 'groups/$entity'), ...created }, 201);
    },
  },
  {
    // Up to 20 members can be added with `members@odata.bind`; an error adds none of them.
    // https://learn.microsoft.com/graph/api/group-post-members#example-2-add-multiple-members-to-a-group-in-a-single-request
    method: 'PATCH',
    path: '/groups/{id}',
    permissions: GROUP_WRITE,
    handle: (req, { id }) => {
      const g = group(req, id!);
      const body = requireBody(req);
      const extensions = takeExtensionValues(req.tenant, 'groups', body);
      validateGroup(req, body, false);
      if (
        g['onPremisesSyncEnabled'] === true &&
        Object.keys(body).some((p) => ON_PREMISES_MASTERED_GROUP.includes(p))
      )
        throw onPremisesMastered();
      const binds = Object.keys(body).filter((k) => k.includes('@odata.bind'));
      for (const key of binds)
        if (key !== 'members@odata.bind')
          throw badRequest(`Property '${key}' is not supported when updating a group.`);
      const members = bindIds(body['members@odata.bind']);
      if (members.length > 20) throw badRequest('At most 20 members can be added in the same request.');
      if (members.length > 0) requireRoleAssignableRights(req, g);
      if (members.length > 0) checkReplicated(req, String(g['id']), ...members);
      const { 'members@odata.bind': _members, ...fields } = body;
      writeExtensionValues(req.tenant, 'groups', String(g['id']), extensions);
      // A change of extension values alone is a change of the group (reported by delta).
      if (Object.keys(fields).length > 0 || Object.keys(extensions).length > 0)
        req.tenant.update('groups', String(g['id']), fields);
      if (members.length > 0) req.tenant.addRelated('members', 'groups', String(g['id']), members);
      const groupId = String(g['id']);
      const audit: AuditHint[] = [
        ...(Object.keys(fields).length > 0
          ? [{ category: 'GroupManagement', activity: 'Update group', type: 'Group', targetId: groupId }]
          : []),
        ...members.map(() => ({
          category: 'GroupManagement',
          activity: 'Add member to group',
          type: 'Group',
          targetId: groupId,
        })),
      ];
      return { ...noContent(), audit };
    },
  },
  {
    method: 'DELETE',
    path: '/groups/{id}',
    permissions: GROUP_WRITE,
    handle: (req, { id }) => {
      req.tenant.remove('groups', String(group(req, id!)['id']));
      return noContent();
    },
  },
];
