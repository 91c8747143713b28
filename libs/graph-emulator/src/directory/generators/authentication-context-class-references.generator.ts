import type { Json } from '../object-collection';
import type { CollectionGenerator, GeneratorContext } from './generator-context';

/**
 * Two authentication contexts; their ids are `c1`..`c99`, chosen by the admin:
 * https://learn.microsoft.com/graph/api/resources/authenticationcontextclassreference
 * The Conditional Access policy "Require trusted device for sensitive actions" names `c1`.
 */
const CONTEXTS = [
  {
    id: 'c1',
    displayName: 'Require trusted device',
    description: 'Actions that need a compliant device',
    isAvailable: true,
  },
  {
    id: 'c2',
    displayName: 'Sensitive apps',
    description: 'Apps holding confidential data',
    isAvailable: false,
  },
];

export const authenticationContextClassReferencesGenerator: CollectionGenerator = {
  fixedIds: CONTEXTS.map((c) => c.id),
  count: () => CONTEXTS.length,
  generate: (_ctx: GeneratorContext, ordinal: number): Json => ({ ...CONTEXTS[ordinal]! }),
};
