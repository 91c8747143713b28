import type { RouteDef } from '../graph-core';
import { applicationChildrenRoutes } from './application-children.routes';
import { appPolicyRoutes } from './app-policies.routes';
import { directoryRoutes } from './directory.routes';
import { authenticationContextRoutes } from './authentication-contexts.routes';
import { groupPolicyRoutes } from './group-policies.routes';
import { groupRoutes } from './groups.routes';
import { logRoutes } from './logs.routes';
import { permissionClassificationRoutes } from './permission-classifications.routes';
import { pimRoutes } from './pim.routes';
import { tenantPolicyRoutes } from './tenant-policies.routes';
import { policyRoutes } from './policies.routes';
import { roleManagementPolicyRoutes } from './role-management-policies.routes';
import { userAuthenticationRoutes } from './user-authentication.routes';
import { userRoutes } from './users.routes';

export const GRAPH_ROUTES: RouteDef[] = [
  ...userRoutes,
  ...userAuthenticationRoutes,
  ...groupRoutes,
  ...directoryRoutes,
  ...applicationChildrenRoutes,
  ...pimRoutes,
  ...policyRoutes,
  ...appPolicyRoutes,
  ...logRoutes,
  ...groupPolicyRoutes,
  ...authenticationContextRoutes,
  ...tenantPolicyRoutes,
  ...roleManagementPolicyRoutes,
  ...permissionClassificationRoutes,
];
