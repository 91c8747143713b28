import { GRAPH_DELEGATED_SCOPES } from '../catalog';
import type { Json } from '../object-collection';
import type { CollectionGenerator, GeneratorContext } from './generator-context';

/**
 * The minimum permissions of a basic sign-in, which Microsoft suggests classifying as low impact,
 * classified on Microsoft Graph's service principal (the API that publishes them):
 * https://learn.microsoft.com/entra/identity/enterprise-apps/configure-permission-classifications
 */
export const CLASSIFIED_SIGN_IN_SCOPES = ['openid', 'profile', 'email', 'offline_access'] as const;

export const delegatedPermissionClassificationsGenerator: CollectionGenerator = {
  count: () => CLASSIFIED_SIGN_IN_SCOPES.length,
  generate: (ctx: GeneratorContext, ordinal: number): Json => {
    const value = CLASSIFIED_SIGN_IN_SCOPES[ordinal]!;
    const scope = GRAPH_DELEGATED_SCOPES.find((s) => s.value === value)!;
    return {
      id: ctx.id('delegatedPermissionClassifications', ordinal),
      // Which service principal holds it (Microsoft Graph's is the first one); not part of Graph's
      // representation of a classification.
      servicePrincipalId: ctx.id('servicePrincipals', 0),
      permissionId: scope.id,
      permissionName: scope.value,
      classification: 'low',
    };
  },
};
