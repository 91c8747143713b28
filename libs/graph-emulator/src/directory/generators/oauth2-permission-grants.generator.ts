import { FIRST_PARTY_APPS } from '../catalog';
import type { Json } from '../object-collection';
import { hash32 } from '../prng';
import { type CollectionGenerator, type GeneratorContext, perTenant } from './generator-context';

export const oauth2PermissionGrantsGenerator: CollectionGenerator = {
  count: (ctx) => grantPlan(ctx).length,
  generate: oauth2PermissionGrant,
};

/** Tenant-wide consent for every other app, and one user's consent for every tenth. */
const grantPlan = perTenant((ctx) => {
  const plan: Array<{ clientOrdinal: number; principalOrdinal: number | null; scope: string }> = [];
  for (let a = 0; a < ctx.counts.applications; a++) {
    const sp = FIRST_PARTY_APPS.length + a;
    if (a % 2 === 0)
      plan.push({
        clientOrdinal: sp,
        principalOrdinal: null,
        scope: 'User.Read openid profile offline_access',
      });
    if (a % 10 === 5)
      plan.push({
        clientOrdinal: sp,
        principalOrdinal: hash32(ctx.seed, ctx.spec.index, 11, a) % ctx.counts.users,
        scope: 'User.Read Group.Read.All',
      });
  }
  return plan;
});

export function oauth2PermissionGrant(ctx: GeneratorContext, ordinal: number): Json {
  const item = grantPlan(ctx)[ordinal]!;
  return {
    id: ctx.id('oauth2PermissionGrants', ordinal),
    clientId: ctx.id('servicePrincipals', item.clientOrdinal),
    consentType: item.principalOrdinal === null ? 'AllPrincipals' : 'Principal',
    principalId: item.principalOrdinal === null ? null : ctx.id('users', item.principalOrdinal),
    resourceId: ctx.id('servicePrincipals', 0),
    scope: item.scope,
  };
}
