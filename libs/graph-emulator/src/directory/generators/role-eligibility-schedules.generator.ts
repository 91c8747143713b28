import { GLOBAL_ADMINISTRATOR, PRIVILEGED_ROLE_ADMINISTRATOR, USER_ADMINISTRATOR } from '../catalog';
import type { Json } from '../object-collection';
import { type CollectionGenerator, DAY_MS, type GeneratorContext, iso } from './generator-context';

export const roleEligibilitySchedulesGenerator: CollectionGenerator = {
  count: (ctx) => 3 + Math.floor(ctx.spec.users / 1000),
  generate: roleEligibilitySchedule,
};

export function roleEligibilitySchedule(ctx: GeneratorContext, ordinal: number): Json {
  const r = ctx.rng(9, ordinal);
  const roles = [
    GLOBAL_ADMINISTRATOR,
    PRIVILEGED_ROLE_ADMINISTRATOR,
    USER_ADMINISTRATOR,
    '194ae4cb-b126-40b2-bd5b-6091b380977d',
    '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3',
  ];
  const start = ctx.epoch - (30 + r.int(300)) * DAY_MS;
  const principalOrdinal = (14 + r.int(Math.max(1, ctx.counts.users - 14))) % ctx.counts.users;
  return {
    id: ctx.id('roleEligibilitySchedules', ordinal),
    appScopeId: null,
    createdDateTime: iso(start),
    createdUsing: ctx.id('roleEligibilitySchedules', ordinal),
    directoryScopeId: '/',
    memberType: 'Direct',
    modifiedDateTime: null,
    principalId: ctx.id('users', principalOrdinal),
    roleDefinitionId: roles[ordinal % roles.length]!,
    status: 'Provisioned',
    scheduleInfo: {
      startDateTime: iso(start),
      recurrence: null,
      expiration:
        ordinal % 2 === 0
          ? { type: 'noExpiration', endDateTime: null, duration: null }
          : { type: 'afterDateTime', endDateTime: iso(start + 365 * DAY_MS), duration: null },
    },
  };
}
