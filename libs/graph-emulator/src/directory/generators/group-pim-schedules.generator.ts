import type { Json } from '../object-collection';
import {
  type CollectionGenerator,
  DAY_MS,
  type GeneratorContext,
  iso,
  TYPE_CODES,
} from './generator-context';
import { groupMembers } from './groups.generator';

/** Users (by ordinal) with PIM rights on "Tier 0 Administrators" (group 0, role-assignable). */
const ELIGIBLE = [
  { user: 20, accessId: 'member' },
  { user: 21, accessId: 'owner' },
] as const;
/** The active one is a member of the group already (its first member): PIM made the membership time-limited. */
const ACTIVE = [{ user: -1, accessId: 'member' }] as const;

function schedule(
  ctx: GeneratorContext,
  name: 'groupEligibilitySchedules' | 'groupAssignmentSchedules',
  ordinal: number,
  entry: { user: number; accessId: string },
): Json {
  const r = ctx.rng(TYPE_CODES[name], ordinal);
  const start = ctx.epoch - (10 + r.int(60)) * DAY_MS;
  const id = ctx.id(name, ordinal);
  return {
    id,
    accessId: entry.accessId,
    ...(name === 'groupAssignmentSchedules' ? { assignmentType: 'assigned' } : {}),
    createdDateTime: iso(start),
    createdUsing: id,
    groupId: ctx.id('groups', 0),
    memberType: 'direct',
    modifiedDateTime: null,
    principalId: entry.user < 0 ? groupMembers(ctx, 0)[0] : ctx.id('users', entry.user % ctx.counts.users),
    status: 'Provisioned',
    scheduleInfo: {
      startDateTime: iso(start),
      recurrence: null,
      expiration:
        name === 'groupEligibilitySchedules' && ordinal === 0
          ? { type: 'noExpiration', endDateTime: null, duration: null }
          : { type: 'afterDateTime', endDateTime: iso(start + (90 + r.int(180)) * DAY_MS), duration: null },
    },
  };
}

/** PIM for Groups eligibilities (a permanent eligible member, a time-limited eligible owner) in tenants with PIM. */
export const groupEligibilitySchedulesGenerator: CollectionGenerator = {
  count: (ctx) => (ctx.spec.premium ? ELIGIBLE.length : 0),
  generate: (ctx, ordinal) => schedule(ctx, 'groupEligibilitySchedules', ordinal, ELIGIBLE[ordinal]!),
};

/**
 * Time-limited active memberships given through PIM for Groups; the member is in the group's members too.
 * Permanent members' schedules are derived from the membership (group-pim-schedules.ts).
 */
export const groupAssignmentSchedulesGenerator: CollectionGenerator = {
  count: (ctx) => (ctx.spec.premium && groupMembers(ctx, 0).length > 0 ? ACTIVE.length : 0),
  generate: (ctx, ordinal) => schedule(ctx, 'groupAssignmentSchedules', ordinal, ACTIVE[ordinal]!),
};
