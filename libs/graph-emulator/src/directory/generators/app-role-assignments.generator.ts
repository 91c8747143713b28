import { FIRST_PARTY_APPS, GRAPH_APP_ROLES } from '../catalog';
import type { Json } from '../object-collection';
import { appHasRoles, appRoles } from './applications.generator';
import { type CollectionGenerator, type GeneratorContext, iso, perTenant } from './generator-context';
import { principalInfo, type PrincipalRef } from './principals';
import { servicePrincipal } from './service-principals.generator';

export const appRoleAssignmentsGenerator: CollectionGenerator = {
  count: (ctx) => appRoleAssignmentPlan(ctx).length,
  generate: appRoleAssignment,
};

/** Graph app roles held by generated apps, and users and groups assigned to apps that define roles. */
const appRoleAssignmentPlan = perTenant((ctx) => {
  const plan: Array<{ principal: PrincipalRef; resourceOrdinal: number; appRoleId: string }> = [];
  for (let a = 0; a < ctx.counts.applications; a++) {
    const sp = FIRST_PARTY_APPS.length + a;
    if (a % 3 === 0) {
      plan.push({
        principal: { collection: 'servicePrincipals', ordinal: sp },
        resourceOrdinal: 0,
        appRoleId: GRAPH_APP_ROLES[0]!.id,
      });
      plan.push({
        principal: { collection: 'servicePrincipals', ordinal: sp },
        resourceOrdinal: 0,
        appRoleId: GRAPH_APP_ROLES[2]!.id,
      });
    }
    if (appHasRoles(a)) {
      const r = ctx.rng(10, a);
      const roleIds = appRoles(ctx, a).map((role) => String(role['id']));
      plan.push({
        principal: { collection: 'users', ordinal: r.int(ctx.counts.users) },
        resourceOrdinal: sp,
        appRoleId: roleIds[0]!,
      });
      plan.push({
        principal: { collection: 'users', ordinal: r.int(ctx.counts.users) },
        resourceOrdinal: sp,
        appRoleId: roleIds[1]!,
      });
      plan.push({
        principal: { collection: 'groups', ordinal: 1 + r.int(ctx.counts.groups - 1) },
        resourceOrdinal: sp,
        appRoleId: roleIds[0]!,
      });
    }
  }
  return plan;
});

export function appRoleAssignment(ctx: GeneratorContext, ordinal: number): Json {
  const item = appRoleAssignmentPlan(ctx)[ordinal]!;
  const principal = principalInfo(ctx, item.principal);
  const resource = servicePrincipal(ctx, item.resourceOrdinal);
  return {
    id: ctx.id('appRoleAssignments', ordinal),
    appRoleId: item.appRoleId,
    createdDateTime: iso(ctx.createdAt(10, ordinal, ctx.counts.appRoleAssignments)),
    deletedDateTime: null,
    principalDisplayName: principal.displayName,
    principalId: principal.id,
    principalType: principal.type,
    resourceDisplayName: resource['displayName'],
    resourceId: resource['id'],
  };
}
