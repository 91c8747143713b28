import { createTenantControlRouter } from '../control/tenant-control.router';
import { createWorld, type EmulatorWorld } from '../directory/world';
import { createGraphRouter } from '../graph/graph-router';
import type { DirectoryFactory } from './start-emulator';

/** The generated tenants and the Graph v1.0/beta API over them: what the CLI and the demo mode run. */
export const generatedDirectory: DirectoryFactory<EmulatorWorld> = (input) => {
  const world = createWorld({
    seed: input.seed,
    tenants: input.tenants,
    usersPerTenant: input.usersPerTenant,
    clock: input.clock,
    nonPremiumTenants: input.nonPremiumTenants,
    softDelete: input.softDelete,
  });
  return {
    world,
    graphRouter: createGraphRouter(world, { baseUrl: input.baseUrl }),
    tenantControlRouter: createTenantControlRouter(world),
  };
};
