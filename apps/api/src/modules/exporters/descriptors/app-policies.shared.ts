import type { CollectionSpec } from '../descriptor';
import { APPLICATION_TARGET, type BrowseSpec, countOf, SERVICE_PRINCIPAL_TARGET } from '../browse-spec';
import type { GraphWrite } from '../restore-spec';
import { deleteWrite, RestorePhase } from './restore.shared';

/**
 * Policies applied to applications and service principals, one tenant-level list per kind under
 * `/policies`. None has a delta query, so each is enumerated on every run (few per tenant).
 * The objects a policy applies to are read from the policy side (`GET /policies/{kind}/{id}/appliesTo`,
 * which needs only read permissions) and embedded as `appliesTo` references; they are written from
 * the application's or service principal's side (`POST /applications/{id}/tokenLifetimePolicies/$ref`),
 * the only way Graph assigns them.
 */
export type AppPolicyKind =
  | 'claimsMappingPolicies'
  | 'homeRealmDiscoveryPolicies'
  | 'tokenIssuancePolicies'
  | 'tokenLifetimePolicies'
  | 'appManagementPolicies';

type Holder = 'applications' | 'servicePrincipals';

interface AppPolicyKindSpec {
  /** How one policy is named on the page of an object it applies to. */
  readonly reverseLabel: string;
  /** The kinds of objects Graph assigns such a policy to, by `@odata.type`. */
  readonly holders: Readonly<Record<string, Holder>>;
}

const APPLICATION = '#microsoft.graph.application';
const SERVICE_PRINCIPAL = '#microsoft.graph.servicePrincipal';

/**
 * Policy.Read.All is the documented least-privileged application permission of the four token and
 * sign-in policy lists (https://learn.microsoft.com/graph/api/tokenlifetimepolicy-list,
 * https://learn.microsoft.com/graph/api/claimsmappingpolicy-list) and is accepted for app management
 * policies too (https://learn.microsoft.com/graph/api/appmanagementpolicy-list); one permission
 * reads all five. `appliesTo` also needs Application.Read.All, the types' own read permission
 * (https://learn.microsoft.com/graph/api/tokenlifetimepolicy-list-appliesto).
 */
const READ = ['Policy.Read.All'];

export const APP_POLICY_KINDS: Readonly<Record<AppPolicyKind, AppPolicyKindSpec>> = {
  // Assigned to service principals only: https://learn.microsoft.com/graph/api/serviceprincipal-post-claimsmappingpolicies
  claimsMappingPolicies: {
    reverseLabel: 'Claims mapping policy',
    holders: { [SERVICE_PRINCIPAL]: 'servicePrincipals' },
  },
  // https://learn.microsoft.com/graph/api/serviceprincipal-post-homerealmdiscoverypolicies
  homeRealmDiscoveryPolicies: {
    reverseLabel: 'Home realm discovery policy',
    holders: { [SERVICE_PRINCIPAL]: 'servicePrincipals' },
  },
  // Assigned to applications: https://learn.microsoft.com/graph/api/application-post-tokenissuancepolicies
  tokenIssuancePolicies: {
    reverseLabel: 'Token issuance policy',
    holders: { [APPLICATION]: 'applications' },
  },
  // One per application or service principal: https://learn.microsoft.com/graph/api/application-post-tokenlifetimepolicies,
  // https://learn.microsoft.com/graph/api/serviceprincipal-post-tokenlifetimepolicies
  tokenLifetimePolicies: {
    reverseLabel: 'Token lifetime policy',
    holders: { [APPLICATION]: 'applications', [SERVICE_PRINCIPAL]: 'servicePrincipals' },
  },
  // https://learn.microsoft.com/graph/api/appmanagementpolicy-post-appliesto
  appManagementPolicies: {
    reverseLabel: 'App management policy',
    holders: { [APPLICATION]: 'applications', [SERVICE_PRINCIPAL]: 'servicePrincipals' },
  },
};

/**
 * Creating, updating and deleting the policies needs Policy.ReadWrite.ApplicationConfiguration
 * (https://learn.microsoft.com/graph/api/tokenlifetimepolicy-post-tokenlifetimepolicies); assigning
 * one needs it (or Policy.Read.All) with Application.ReadWrite.All, the types' own write permission.
 */
const WRITE = ['Policy.ReadWrite.ApplicationConfiguration'];

/** `@odata.id` of a policy, as the `$ref` assignment takes it. */
export function policyUrl(kind: AppPolicyKind, id: string): string {
  return `https://graph.microsoft.com/v1.0/policies/${kind}/${id}`;
}

/** The assignment (`add`) or removal of a policy on the object it applies to. */
export function assignmentWrite(
  kind: AppPolicyKind,
  mode: 'add' | 'remove',
  policyId: string,
  targetId: string,
  targetType: string | null,
): GraphWrite {
  const holder = APP_POLICY_KINDS[kind].holders[targetType ?? ''];
  if (holder === undefined)
    throw new Error(`A ${kind} policy cannot be assigned to ${targetType ?? 'an object of unknown type'}`);
  const base = `/${holder}/${targetId}/${kind}`;
  return mode === 'add'
    ? { method: 'POST', path: `${base}/$ref`, body: { '@odata.id': policyUrl(kind, policyId) } }
    : deleteWrite(`${base}/${policyId}/$ref`);
}

function browseOf(kind: AppPolicyKind): BrowseSpec {
  const spec = APP_POLICY_KINDS[kind];
  const targets = Object.values(spec.holders).map((h) =>
    h === 'applications' ? APPLICATION_TARGET : SERVICE_PRINCIPAL_TARGET,
  );
  return {
    columns: [
      { key: 'displayName', label: 'Name', kind: 'text', value: 'displayName' },
      kind === 'appManagementPolicies'
        ? {
            key: 'isEnabled',
            label: 'Enabled',
            kind: 'boolean',
            value: 'isEnabled',
            filter: [
              { value: 'true', label: 'Enabled' },
              { value: 'false', label: 'Disabled' },
            ],
          }
        : {
            key: 'isOrganizationDefault',
            label: 'Organization default',
            kind: 'boolean',
            value: 'isOrganizationDefault',
          },
      { key: 'appliesTo', label: 'Applied to', kind: 'number', value: countOf('appliesTo') },
      { key: 'description', label: 'Description', kind: 'text', value: 'description' },
    ],
    search: ['displayName', 'description'],
    relations: [
      {
        key: 'appliesTo',
        label: 'Applies to',
        path: 'appliesTo',
        targets,
        reverseLabel: spec.reverseLabel,
      },
    ],
  };
}

/** One kind of policy: a tenant-level list with the objects each applies to, restorable. */
export function appPolicyCollection(kind: AppPolicyKind): CollectionSpec {
  return {
    name: kind,
    version: 'v1.0',
    path: `/policies/${kind}`,
    // Few per tenant; listed without `$top`, Graph pages them itself (100 assumed for the minimum figure).
    pageSize: 100,
    supportsTop: false,
    children: [
      {
        name: 'appliesTo',
        path: (id) => `/policies/${kind}/${id}/appliesTo`,
        select: ['id'],
        reference: true,
      },
    ],
    permissions: { read: READ, write: WRITE },
    browse: browseOf(kind),
    restore: {
      // Before the applications and service principals: a re-created one can then be assigned its
      // policy as soon as it exists.
      phase: RestorePhase.APPLICATION_POLICIES,
      createPath: `/policies/${kind}`,
      itemPath: (id) => `/policies/${kind}/${id}`,
      // Policies have no recycle bin: a deleted one is created again under a new id.
      // https://learn.microsoft.com/graph/api/directory-deleteditems-list
      readOnly: ['id', 'deletedDateTime'],
      links: [
        {
          relation: 'appliesTo',
          phase: RestorePhase.APPLICATION_POLICY_LINKS,
          refPath: (id) => `/policies/${kind}/${id}/appliesTo`,
          writeFromTarget: (mode, policyId, targetId, targetType) =>
            assignmentWrite(kind, mode, policyId, targetId, targetType),
        },
      ],
      // The lists take no `$filter` on displayName for every kind: a resumed restore matches by name
      // and definition, so a policy is not created twice.
      matchCreated: (body) => (candidate) =>
        candidate['displayName'] === body['displayName'] &&
        JSON.stringify(candidate['definition'] ?? null) === JSON.stringify(body['definition'] ?? null),
    },
  };
}
