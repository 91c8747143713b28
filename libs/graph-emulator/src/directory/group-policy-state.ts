import { generatedGroupPolicyState } from './generators/group-policies.generator';
import type { Json } from './object-collection';
import type { TenantDirectory } from './tenant-directory';

/**
 * Per-tenant state beyond the collections: each Microsoft 365 group's own settings
 * (`/groups/{id}/settings`) and the groups a "Selected" lifecycle policy applies to. Starts from
 * the generated tenant on first use.
 */
export interface GroupPolicyState {
  readonly groupSettings: Map<string, Json[]>;
  readonly lifecycleGroups: Set<string>;
}

const STATE = new WeakMap<TenantDirectory, GroupPolicyState>();

export function groupPolicyState(tenant: TenantDirectory): GroupPolicyState {
  let state = STATE.get(tenant);
  if (state === undefined) {
    const generated = generatedGroupPolicyState(tenant.gen);
    state = {
      groupSettings: new Map(generated.groupSettings.map((g) => [g.groupId, [g.setting]])),
      lifecycleGroups: new Set(generated.lifecycleGroups),
    };
    STATE.set(tenant, state);
  }
  return state;
}
