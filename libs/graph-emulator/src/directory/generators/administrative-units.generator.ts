import { LOCATIONS } from '../catalog';
import type { Json } from '../object-collection';
import type { CollectionGenerator, GeneratorContext } from './generator-context';

export const administrativeUnitsGenerator: CollectionGenerator = {
  count: (ctx) => Math.min(50, Math.max(2, Math.round(ctx.spec.users / 2000))),
  generate: administrativeUnit,
};

export function administrativeUnit(ctx: GeneratorContext, ordinal: number): Json {
  const loc = LOCATIONS[ordinal % LOCATIONS.length]!;
  const round = Math.floor(ordinal / LOCATIONS.length);
  return {
    id: ctx.id('administrativeUnits', ordinal),
    deletedDateTime: null,
    description: `Users and devices managed by the ${loc.city} IT team`,
    displayName: `${loc.city} Office${round > 0 ? ` ${round + 1}` : ''}`,
    isMemberManagementRestricted: null,
    membershipRule: null,
    membershipRuleProcessingState: null,
    membershipType: null,
    visibility: ordinal % 5 === 4 ? 'HiddenMembership' : null,
  };
}

export function administrativeUnitMembers(ctx: GeneratorContext, ordinal: number): string[] {
  const r = ctx.rng(6, ordinal, 1);
  const ids = new Set<string>();
  const size = Math.min(ctx.counts.users, 5 + r.int(36));
  while (ids.size < size) ids.add(ctx.id('users', r.int(ctx.counts.users)));
  if (r.chance(0.5)) ids.add(ctx.id('groups', 1 + r.int(ctx.counts.groups - 1)));
  if (r.chance(0.5)) ids.add(ctx.id('devices', r.int(ctx.counts.devices)));
  return [...ids];
}
