import type { Json } from '../../directory/object-collection';
import type { CollectionName } from '../../directory/tenant-generator';
import { GraphHttpError } from '../../shared/graph-error';
import { knownProperties, presentDirectoryObject } from '../directory-objects';
import {
  arraySource,
  contextUrl,
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
  type PageSize,
  type RouteDef,
} from '../graph-core';
import { badRequest, parseSelect } from '../odata';
import type { ResourceType } from '../resource-types';
import { findIn } from './crud';

/**
 * Policies applied to applications and service principals (`/policies/{kind}`), the objects each
 * applies to (`appliesTo`), and their assignment from the application's or service principal's side
 * (`POST /applications/{id}/tokenLifetimePolicies/$ref`). Assignments are stored on the policy as
 * the ids it applies to; `appliesTo` is a navigation property, never part of the policy's own JSON.
 */
type Kind =
  | 'claimsMappingPolicies'
  | 'homeRealmDiscoveryPolicies'
  | 'tokenIssuancePolicies'
  | 'tokenLifetimePolicies'
  | 'appManagementPolicies';
type Holder = 'applications' | 'servicePrincipals';

interface KindSpec {
  readonly entity: string;
  /** Which objects such a policy is assigned to, from their side. */
  readonly holders: readonly Holder[];
  readonly required: readonly string[];
}

const KINDS: Readonly<Record<Kind, KindSpec>> = {
  // https://learn.microsoft.com/graph/api/serviceprincipal-post-claimsmappingpolicies
  claimsMappingPolicies: {
    entity: 'claimsMappingPolicy',
    holders: ['servicePrincipals'],
    required: ['definition', 'displayName'],
  },
  // https://learn.microsoft.com/graph/api/serviceprincipal-post-homerealmdiscoverypolicies
  homeRealmDiscoveryPolicies: {
    entity: 'homeRealmDiscoveryPolicy',
    holders: ['servicePrincipals'],
    required: ['definition', 'displayName'],
  },
  // https://learn.microsoft.com/graph/api/application-post-tokenissuancepolicies
  tokenIssuancePolicies: {
    entity: 'tokenIssuancePolicy',
    holders: ['applications'],
    required: ['definition', 'displayName'],
  },
  // https://learn.microsoft.com/graph/api/application-post-tokenlifetimepolicies,
  // https://learn.microsoft.com/graph/api/serviceprincipal-post-tokenlifetimepolicies
  tokenLifetimePolicies: {
    entity: 'tokenLifetimePolicy',
    holders: ['applications', 'servicePrincipals'],
    required: ['definition', 'displayName'],
  },
  // https://learn.microsoft.com/graph/api/appmanagementpolicy-post-appliesto
  appManagementPolicies: {
    entity: 'appManagementPolicy',
    holders: ['applications', 'servicePrincipals'],
    required: ['displayName', 'restrictions'],
  },
};

/**
 * Reads: Policy.Read.All is the least-privileged permission documented for the four token and
 * sign-in policies (https://learn.microsoft.com/graph/api/tokenlifetimepolicy-list), with
 * Policy.Read.ApplicationConfiguration and Policy.ReadWrite.ApplicationConfiguration as higher ones;
 * app management policies take Policy.Read.ApplicationConfiguration first
 * (https://learn.microsoft.com/graph/api/appmanagementpolicy-list).
 */
const READ = [
  'Policy.Read.All',
  'Policy.Read.ApplicationConfiguration',
  'Policy.ReadWrite.ApplicationConfiguration',
];
const WRITE = ['Policy.ReadWrite.ApplicationConfiguration'];
/** `appliesTo` also needs Application.Read.All: https://learn.microsoft.com/graph/api/tokenlifetimepolicy-list-appliesto */
const APPLIES_TO_ALSO = ['Application.Read.All'];
/**
 * Assigning needs Application.ReadWrite.OwnedBy or .All with Policy.Read.All or
 * Policy.ReadWrite.ApplicationConfiguration (https://learn.microsoft.com/graph/api/application-post-tokenlifetimepolicies);
 * the second half is checked in the handler (the route's `alsoRequires` is all-of).
 */
const ASSIGN = ['Application.ReadWrite.OwnedBy', 'Application.ReadWrite.All'];
const ASSIGN_POLICY = [
  'Policy.Read.All',
  'Policy.ReadWrite.ApplicationConfiguration',
  'Policy.Read.ApplicationConfiguration',
];
const PAGE: PageSize = { default: 100, max: 999 };
const READ_ONLY = ['id', 'deletedDateTime', 'appliesTo'];

function resourceType(kind: Kind): ResourceType {
  const entity = KINDS[kind].entity;
  return {
    name: `microsoft.graph.${entity}`,
    odataType: `#microsoft.graph.${entity}`,
    label: entity.charAt(0).toUpperCase() + entity.slice(1),
    navigation: ['appliesTo'],
  };
}

function appliesToIds(policy: Json): string[] {
  return Array.isArray(policy['appliesTo']) ? (policy['appliesTo'] as string[]) : [];
}

/** What a policy applies to now: deleted applications and service principals drop out (and return with a restore). */
function liveAppliesTo(req: GraphRequest, policy: Json): string[] {
  return appliesToIds(policy).filter((id) => req.tenant.exists(id));
}

function policyRoutes(kind: Kind): RouteDef[] {
  const spec = KINDS[kind];
  const type = resourceType(kind);
  const collection = kind as CollectionName;
  const path = `/policies/${kind}`;
  const entitySet = `policies/${kind}`;
  const known = (req: GraphRequest) => knownProperties(req.tenant, collection);
  const validate = (req: GraphRequest, body: Json) => {
    rejectReadOnly(body, READ_ONLY);
    rejectUnknown(body, known(req), type.name);
    if (
      'definition' in body &&
      !(Array.isArray(body['definition']) && body['definition'].every((d) => typeof d === 'string'))
    )
      throw badRequest(`Invalid value specified for property 'definition' of resource '${type.label}'.`);
  };
  return [
    {
      method: 'GET',
      path,
      permissions: READ,
      handle: (req) =>
        listCollection(req, {
          entitySet,
          type,
          source: req.tenant.collection(collection),
          page: PAGE,
          filters: { id: ['eq'], displayName: ['eq'] },
          known: known(req),
        }),
    },
    {
      method: 'GET',
      path: `${path}/{id}`,
      permissions: READ,
      handle: (req, { id }) =>
        getEntity(req, findIn(req, collection, id!), id!, type, entitySet, { known: known(req) }),
    },
    {
      method: 'GET',
      path: `${path}/{id}/appliesTo`,
      permissions: READ,
      alsoRequires: APPLIES_TO_ALSO,
      handle: (req, { id }) => {
        const policy = findIn(req, collection, id!);
        const select = parseSelect(req.query.get('$select'));
        const items = liveAppliesTo(req, policy).flatMap((target) => {
          const presented = presentDirectoryObject(req.tenant, target, select);
          return presented ? [presented] : [];
        });
        return listCollection(req, {
          entitySet: `${entitySet}('${String(policy['id'])}')/appliesTo`,
          type: { ...type, name: 'microsoft.graph.directoryObject', polymorphic: true },
          source: arraySource(items),
          page: PAGE,
          present: (o) => o,
        });
      },
    },
    {
      method: 'POST',
      path,
      permissions: WRITE,
      handle: (req) => {
        const body = requireBody(req);
        validate(req, body);
        requireProperties(body, spec.required, type.label);
        const created = req.tenant.create(collection, {
          deletedDateTime: null,
          ...(kind === 'appManagementPolicies' ? { isEnabled: true } : { isOrganizationDefault: false }),
          description: null,
          ...body,
          appliesTo: [],
        });
        const { appliesTo: _hidden, ...shown } = created;
        return ok({ '@odata.context': contextUrl(req, `${entitySet}/$entity`), ...shown }, 201);
      },
    },
    {
      method: 'PATCH',
      path: `${path}/{id}`,
      permissions: WRITE,
      handle: (req, { id }) => {
        const policy = findIn(req, collection, id!);
        const body = requireBody(req);
        validate(req, body);
        req.tenant.update(collection, String(policy['id']), body);
        return noContent();
      },
    },
    {
      method: 'DELETE',
      path: `${path}/{id}`,
      permissions: WRITE,
      handle: (req, { id }) => {
        const policy = findIn(req, collection, id!);
        req.tenant.remove(collection, String(policy['id']));
        return noContent();
      },
    },
  ];
}

function requirePolicyPermission(req: GraphRequest): void {
  const granted = req.ctx.kind === 'app' ? req.ctx.roles : req.ctx.scopes;
  if (!ASSIGN_POLICY.some((p) => granted.includes(p)))
    throw new GraphHttpError(
      403,
      'Authorization_RequestDenied',
      'Insufficient privileges to complete the operation.',
    );
}

/** `GET|POST /{holder}/{id}/{kind}[/$ref]` and `DELETE /{holder}/{id}/{kind}/{policyId}/$ref`. */
function holderRoutes(kind: Kind, holder: Holder): RouteDef[] {
  const type = resourceType(kind);
  const collection = kind as CollectionName;
  const base = `/${holder}/{id}/${kind}`;
  const assigned = (req: GraphRequest, holderId: string) =>
    [...req.tenant.collection(collection).values()].filter((p) => appliesToIds(p).includes(holderId));
  return [
    {
      method: 'GET',
      path: base,
      permissions: ASSIGN,
      handle: (req, { id }) => {
        requirePolicyPermission(req);
        const target = findIn(req, holder, id!);
        return listCollection(req, {
          entitySet: `${holder}('${String(target['id'])}')/${kind}`,
          type,
          source: arraySource(assigned(req, String(target['id']))),
          page: PAGE,
          known: knownProperties(req.tenant, collection),
        });
      },
    },
    {
      method: 'POST',
      path: `${base}/$ref`,
      permissions: ASSIGN,
      handle: (req, { id }) => {
        requirePolicyPermission(req);
        const target = findIn(req, holder, id!);
        const targetId = String(target['id']);
        const policyId = referencedId(requireBody(req));
        const policy = req.tenant.collection(collection).get(policyId);
        if (!policy) throw notFound(policyId);
        const current = assigned(req, targetId);
        if (current.some((p) => p['id'] === policy['id']))
          throw badRequest(
            `One or more added object references already exist for the following modified properties: '${kind}'.`,
          );
        // One policy of a kind per object; a second one is refused as a uniqueness violation
        // (https://github.com/microsoftgraph/microsoft-graph-docs-contrib/issues/1114).
        if (current.length > 0)
          throw badRequest(
            'Request contains property changes that would result in property-uniqueness violation(s). Please retry your request with corrected values.',
            'Request_MultipleObjectsWithSameKeyValue',
          );
        req.tenant.update(collection, String(policy['id']), {
          appliesTo: [...appliesToIds(policy).filter((t) => req.tenant.exists(t)), targetId],
        });
        return noContent();
      },
    },
    {
      method: 'DELETE',
      path: `${base}/{policyId}/$ref`,
      permissions: ASSIGN,
      handle: (req, { id, policyId }) => {
        requirePolicyPermission(req);
        const target = findIn(req, holder, id!);
        const targetId = String(target['id']);
        const policy = req.tenant.collection(collection).get(policyId!.toLowerCase());
        if (!policy || !appliesToIds(policy).includes(targetId)) throw notFound(policyId!);
        req.tenant.update(collection, String(policy['id']), {
          appliesTo: appliesToIds(policy).filter((t) => t !== targetId),
        });
        return noContent();
      },
    },
  ];
}

const ALL_KINDS = Object.keys(KINDS) as Kind[];

export const appPolicyRoutes: RouteDef[] = [
  ...ALL_KINDS.flatMap(policyRoutes),
  ...ALL_KINDS.flatMap((kind) => KINDS[kind].holders.flatMap((holder) => holderRoutes(kind, holder))),
];
