import { BUILT_IN_AUTH_STRENGTHS } from '../catalog';
import type { Json } from '../object-collection';
import { type CollectionGenerator, DAY_MS, type GeneratorContext, iso } from './generator-context';

/** The built-in strengths (under their well-known ids), then one custom strength. */
export const authenticationStrengthPoliciesGenerator: CollectionGenerator = {
  fixedIds: BUILT_IN_AUTH_STRENGTHS.map((s) => s.id),
  count: () => BUILT_IN_AUTH_STRENGTHS.length + 1,
  generate: authenticationStrengthPolicy,
};

export function authenticationStrengthPolicy(ctx: GeneratorContext, ordinal: number): Json {
  const created = iso(ctx.epoch - 900 * DAY_MS);
  if (ordinal < BUILT_IN_AUTH_STRENGTHS.length) {
    const s = BUILT_IN_AUTH_STRENGTHS[ordinal]!;
    return {
      id: s.id,
      createdDateTime: '2021-12-01T00:00:00Z',
      modifiedDateTime: '2021-12-01T00:00:00Z',
      displayName: s.displayName,
      description: s.description,
      policyType: 'builtIn',
      requirementsSatisfied: s.requirementsSatisfied,
      allowedCombinations: [...s.allowedCombinations],
    };
  }
  return {
    id: ctx.id('authenticationStrengthPolicies', ordinal),
    createdDateTime: created,
    modifiedDateTime: created,
    displayName: `${ctx.spec.displayName} FIDO2 or Windows Hello`,
    description: 'Hardware-backed passwordless sign-in for administrators',
    policyType: 'custom',
    requirementsSatisfied: 'mfa',
    allowedCombinations: ['fido2', 'windowsHelloForBusiness'],
  };
}
