import type { Json } from '../object-collection';
import { type CollectionGenerator, type GeneratorContext, iso } from './generator-context';

/** Two IP ranges (one trusted) and two country lists, referenced by the Conditional Access policies. */
export const namedLocationsGenerator: CollectionGenerator = {
  count: () => 4,
  generate: namedLocation,
};

export function namedLocation(ctx: GeneratorContext, ordinal: number): Json {
  const id = ctx.id('namedLocations', ordinal);
  const created = iso(ctx.createdAt(13, ordinal, 4));
  const base = { id, createdDateTime: created, modifiedDateTime: created };
  switch (ordinal) {
    case 0:
      return {
        '@odata.type': '#microsoft.graph.ipNamedLocation',
        ...base,
        displayName: 'Headquarters',
        isTrusted: true,
        ipRanges: [
          {
            '@odata.type': '#microsoft.graph.iPv4CidrRange',
            cidrAddress: `52.160.${ctx.spec.index % 250}.0/24`,
          },
          { '@odata.type': '#microsoft.graph.iPv6CidrRange', cidrAddress: '2001:db8:1234::/48' },
        ],
      };
    case 1:
      return {
        '@odata.type': '#microsoft.graph.ipNamedLocation',
        ...base,
        displayName: 'Branch offices',
        isTrusted: false,
        ipRanges: [
          { '@odata.type': '#microsoft.graph.iPv4CidrRange', cidrAddress: '51.140.12.0/24' },
          { '@odata.type': '#microsoft.graph.iPv4CidrRange', cidrAddress: '20.52.80.0/22' },
        ],
      };
    case 2:
      return {
        '@odata.type': '#microsoft.graph.countryNamedLocation',
        ...base,
        displayName: 'Blocked countries',
        countriesAndRegions: ['KP', 'IR', 'RU'],
        countryLookupMethod: 'clientIpAddress',
        includeUnknownCountriesAndRegions: true,
      };
    default:
      return {
        '@odata.type': '#microsoft.graph.countryNamedLocation',
        ...base,
        displayName: 'Business travel countries',
        countriesAndRegions: ['US', 'GB', 'DE', 'FR', 'NL', 'CA', 'AU'],
        countryLookupMethod: 'clientIpAddress',
        includeUnknownCountriesAndRegions: false,
      };
  }
}
