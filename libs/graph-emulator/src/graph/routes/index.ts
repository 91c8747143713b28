import type { RouteDef } from '../graph-core';
import { groupRoutes } from './groups.routes';
import { userRoutes } from './users.routes';

export const GRAPH_ROUTES: RouteDef[] = [...userRoutes, ...groupRoutes];
