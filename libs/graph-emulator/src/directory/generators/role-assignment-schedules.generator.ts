import type { Json } from '../object-collection';
import {
  type CollectionGenerator,
  DAY_MS,
  type GeneratorContext,
  iso,
  TYPE_CODES,
} from './generator-context';
import { roleAssignment } from './role-assignments.generator';

/** Role assignments (by ordinal in the role assignment plan: everyday admins) that are time-limited. */
const TIME_LIMITED = [5, 6, 7] as const;

/**
 * The schedules of time-limited active role assignments in tenants with PIM (Entra ID P2). Only these are
 * stored: the schedule of a permanent assignment is derived from the assignment itself (pim.routes.ts), as
 * Graph lists a schedule for every active assignment, direct or made through PIM.
 */
export const roleAssignmentSchedulesGenerator: CollectionGenerator = {
  count: (ctx) => (ctx.spec.premium ? Math.min(TIME_LIMITED.length, ctx.counts.roleAssignments) : 0),
  generate: roleAssignmentSchedule,
};

export function roleAssignmentSchedule(ctx: GeneratorContext, ordinal: number): Json {
  const assignment = roleAssignment(ctx, TIME_LIMITED[ordinal]!);
  const r = ctx.rng(TYPE_CODES.roleAssignmentSchedules, ordinal);
  const start = ctx.epoch - (10 + r.int(60)) * DAY_MS;
  const id = ctx.id('roleAssignmentSchedules', ordinal);
  return {
    id,
    appScopeId: null,
    assignmentType: 'Assigned',
    createdDateTime: iso(start),
    createdUsing: id,
    directoryScopeId: assignment['directoryScopeId'],
    memberType: 'Direct',
    modifiedDateTime: null,
    principalId: assignment['principalId'],
    roleDefinitionId: assignment['roleDefinitionId'],
    status: 'Provisioned',
    scheduleInfo: {
      startDateTime: iso(start),
      recurrence: null,
      expiration: {
        type: 'afterDateTime',
        endDateTime: iso(start + (90 + r.int(180)) * DAY_MS),
        duration: null,
      },
    },
  };
}
