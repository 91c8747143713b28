import type { Json } from '../object-collection';
import type { GeneratorContext } from './generator-context';

/** The assignment target of an Intune policy assigned to a group (wrapping around the tenant's groups). */
export function groupTarget(ctx: GeneratorContext, groupOrdinal: number): Json {
  return {
    '@odata.type': '#microsoft.graph.groupAssignmentTarget',
    deviceAndAppManagementAssignmentFilterId: null,
    deviceAndAppManagementAssignmentFilterType: 'none',
    groupId: ctx.id('groups', groupOrdinal % ctx.counts.groups),
  };
}
