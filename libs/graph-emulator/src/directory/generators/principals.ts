import type { GeneratorContext } from './generator-context';
import { group } from './groups.generator';
import { servicePrincipal } from './service-principals.generator';
import { nameParts } from './users.generator';

/** A user, group or service principal that holds a directory role or an app role. */
export interface PrincipalRef {
  collection: 'users' | 'groups' | 'servicePrincipals';
  ordinal: number;
}

export function principalInfo(
  ctx: GeneratorContext,
  ref: PrincipalRef,
): { id: string; displayName: string; type: string } {
  if (ref.collection === 'users') {
    const { first, last } = nameParts(ref.ordinal);
    return { id: ctx.id('users', ref.ordinal), displayName: `${first} ${last}`, type: 'User' };
  }
  if (ref.collection === 'groups')
    return {
      id: ctx.id('groups', ref.ordinal),
      displayName: String(group(ctx, ref.ordinal)['displayName']),
      type: 'Group',
    };
  return {
    id: ctx.id('servicePrincipals', ref.ordinal),
    displayName: String(servicePrincipal(ctx, ref.ordinal)['displayName']),
    type: 'ServicePrincipal',
  };
}
