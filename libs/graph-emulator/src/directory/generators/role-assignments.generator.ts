import {
  BUILT_IN_ROLES,
  DIRECTORY_READERS,
  FIRST_PARTY_APPS,
  GLOBAL_ADMINISTRATOR,
  HELPDESK_ADMINISTRATOR,
  PRIVILEGED_ROLE_ADMINISTRATOR,
  USER_ADMINISTRATOR,
} from '../catalog';
import type { Json } from '../object-collection';
import { hash32 } from '../prng';
import { type CollectionGenerator, type GeneratorContext, perTenant } from './generator-context';
import { principalInfo, type PrincipalRef } from './principals';

export const roleAssignmentsGenerator: CollectionGenerator = {
  count: (ctx) => roleAssignmentPlan(ctx).length,
  generate: roleAssignment,
};

/**
 * Global, privileged and everyday admins, a role-assignable group, an app, the custom roles, more admins as
 * the tenant grows, and one User Administrator scoped to each administrative unit.
 */
const roleAssignmentPlan = perTenant((ctx) => {
  const u = ctx.counts.users;
  const user = (o: number): PrincipalRef => ({ collection: 'users', ordinal: o % u });
  const plan: Array<{ principal: PrincipalRef; roleDefinitionId: string; scope: string }> = [
    { principal: user(0), roleDefinitionId: GLOBAL_ADMINISTRATOR, scope: '/' },
    { principal: user(1), roleDefinitionId: GLOBAL_ADMINISTRATOR, scope: '/' },
    { principal: user(2), roleDefinitionId: PRIVILEGED_ROLE_ADMINISTRATOR, scope: '/' },
    { principal: user(3), roleDefinitionId: USER_ADMINISTRATOR, scope: '/' },
    { principal: user(4), roleDefinitionId: 'fdd7a751-b60b-444a-984c-02652fe8fa1c', scope: '/' },
    { principal: user(5), roleDefinitionId: HELPDESK_ADMINISTRATOR, scope: '/' },
    { principal: user(6), roleDefinitionId: '194ae4cb-b126-40b2-bd5b-6091b380977d', scope: '/' },
    { principal: user(7), roleDefinitionId: 'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9', scope: '/' },
    { principal: user(8), roleDefinitionId: '3a2c62db-5318-420d-8d74-23affee5d9d5', scope: '/' },
    { principal: user(9), roleDefinitionId: 'f2ef992c-3afb-46b9-b7cf-a126ee74c451', scope: '/' },
    {
      principal: { collection: 'groups', ordinal: 0 },
      roleDefinitionId: HELPDESK_ADMINISTRATOR,
      scope: '/',
    },
    {
      principal: { collection: 'servicePrincipals', ordinal: FIRST_PARTY_APPS.length },
      roleDefinitionId: DIRECTORY_READERS,
      scope: '/',
    },
  ];
  for (let c = 0; c < 3; c++) {
    plan.push({
      principal: user(10 + c),
      roleDefinitionId: ctx.id('roleDefinitions', BUILT_IN_ROLES.length + c),
      scope: '/',
    });
  }
  const common = [
    '4a5d8f65-41da-4de4-8968-e035b65339cf',
    '5d6b6bb7-de71-4623-b4af-96380a352509',
    '966707d0-3269-4727-9be2-8c3a10f19b9d',
    '158c047a-c907-4556-b7ef-446551a6b5f7',
    '4d6ac14f-3453-41d0-bef9-a3e0c569773a',
  ];
  for (let k = 0; k < Math.floor(u / 500); k++) {
    plan.push({
      principal: user(20 + (hash32(ctx.seed, ctx.spec.index, 8, k) % Math.max(1, u - 20))),
      roleDefinitionId: common[k % common.length]!,
      scope: '/',
    });
  }
  for (let a = 0; a < ctx.counts.administrativeUnits; a++) {
    plan.push({
      principal: user(scopedAdminOrdinal(ctx, a)),
      roleDefinitionId: USER_ADMINISTRATOR,
      scope: `/administrativeUnits/${ctx.id('administrativeUnits', a)}`,
    });
  }
  return plan;
});

function scopedAdminOrdinal(ctx: GeneratorContext, auOrdinal: number): number {
  return (13 + auOrdinal) % ctx.counts.users;
}

export function roleAssignment(ctx: GeneratorContext, ordinal: number): Json {
  const item = roleAssignmentPlan(ctx)[ordinal]!;
  return {
    id: ctx.id('roleAssignments', ordinal),
    principalId: principalInfo(ctx, item.principal).id,
    roleDefinitionId: item.roleDefinitionId,
    directoryScopeId: item.scope,
    appScopeId: null,
    condition: null,
  };
}
