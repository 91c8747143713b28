import express from 'express';
import { randomUUID } from 'node:crypto';
import type { SoftDeleteOptions } from '../../src/directory/soft-delete';
import { createWorld, type EmulatorWorld } from '../../src/directory/world';
import { createGraphRouter, type GraphRouterOptions } from '../../src/graph/graph-router';
import type { PlatformRequestHooks } from '../../src/platform/platform-hooks';
import type { GraphRequestContext } from '../../src/shared/graph-context';
import { AdjustableClock } from '../../src/shared/world-port';

/** Every application permission the backup product requests, plus the write ones restore needs. */
export const ALL_ROLES = [
  'User.Read.All',
  'User.ReadWrite.All',
  'Group.Read.All',
  'Group.ReadWrite.All',
  'GroupMember.Read.All',
  'Application.Read.All',
  'Application.ReadWrite.All',
  'AppRoleAssignment.ReadWrite.All',
  'DelegatedPermissionGrant.ReadWrite.All',
  'RoleManagement.Read.Directory',
  'RoleManagement.ReadWrite.Directory',
  'Policy.Read.All',
  'Policy.ReadWrite.ConditionalAccess',
  'Policy.Read.AuthenticationMethod',
  'Device.Read.All',
  'Device.ReadWrite.All',
  'DeviceManagementConfiguration.Read.All',
  'DeviceManagementConfiguration.ReadWrite.All',
  'AdministrativeUnit.Read.All',
  'AdministrativeUnit.ReadWrite.All',
  'AuditLog.Read.All',
  'BitlockerKey.ReadBasic.All',
  'BitlockerKey.Read.All',
  'Organization.Read.All',
  'UserAuthenticationMethod.Read.All',
  'UserAuthenticationMethod.ReadWrite.All',
];

export interface TestGraph {
  app: express.Express;
  world: EmulatorWorld;
  clock: AdjustableClock;
  tenantId: string;
  /** Roles the next requests carry (scopes when `signedInUserId` is set); tests replace it to check permission errors. */
  roles: string[];
  /** When set, requests are delegated on behalf of this user instead of app-only. */
  signedInUserId?: string;
  tenant: string;
}

/**
 * The Graph router on a plain Express app with a test-only middleware in place of the platform's
 * token validation: it sets `res.locals.graph` from the test's current roles and tenant.
 */
export function buildTestGraph(
  options: {
    users?: number;
    tenants?: number;
    nonPremiumTenants?: number[];
    softDelete?: Partial<SoftDeleteOptions>;
    router?: GraphRouterOptions;
    /** Platform hooks set on every request (e.g. replication-delay faults from a FaultInjector). */
    platform?: PlatformRequestHooks;
  } = {},
): TestGraph {
  const clock = new AdjustableClock();
  clock.set(Date.UTC(2026, 10, 20, 12, 0, 0));
  const world = createWorld({
    seed: 42,
    tenants: options.tenants ?? 2,
    usersPerTenant: options.users ?? 250,
    clock,
    nonPremiumTenants: options.nonPremiumTenants ?? [1],
    softDelete: options.softDelete,
  });
  const tenantId = world.listTenants()[0]!.tenantId;
  const state: TestGraph = {
    app: express(),
    world,
    clock,
    tenantId,
    roles: [...ALL_ROLES],
    tenant: tenantId,
  };
  const mount = (version: 'v1.0' | 'beta') => {
    state.app.use(
      `/${version}`,
      (req, res, next) => {
        const ctx: GraphRequestContext = {
          tenantId: state.tenant,
          appId: '11111111-2222-3333-4444-555555555555',
          kind: state.signedInUserId ? 'delegated' : 'app',
          roles: state.signedInUserId ? [] : state.roles,
          scopes: state.signedInUserId ? state.roles : [],
          ...(state.signedInUserId ? { userId: state.signedInUserId } : {}),
          requestId: randomUUID(),
          clientRequestId: req.header('client-request-id') ?? undefined,
          version,
        };
        res.locals['graph'] = ctx;
        if (options.platform) res.locals['platform'] = options.platform;
        next();
      },
      createGraphRouter(world, options.router),
    );
  };
  mount('v1.0');
  mount('beta');
  return state;
}
