// Platform layer: HTTPS server, identity platform, front door, throttling, faults, control API.
export { startEmulator } from './server/start-emulator';
export type {
  DirectoryFactory,
  DirectoryFactoryInput,
  EmulatorDirectory,
  RunningEmulator,
  StartEmulatorOptions,
} from './server/start-emulator';
export { ensureEmulatorCertificates } from './server/certificates';
export type { EmulatorTlsMaterial } from './server/certificates';
export type { RegisteredApp, RegisteredAppView } from './identity/app-registry';
export type { ConsentRecord } from './identity/consent-log';
export { GLOBAL_ADMINISTRATOR_TEMPLATE_ID, GRAPH_APP_ID, GRAPH_RESOURCE } from './identity/token-service';
export { FaultInjector, faultConfigSchema } from './platform/fault-injector';
export type { FaultConfig, FaultConfigInput, FaultState } from './platform/fault-injector';
export type { CountersSnapshot, RouteCounter } from './platform/request-counters';
export { RequestCounters } from './platform/request-counters';
export { isReadOnlyAction, RequestLog } from './platform/request-log';
export type { LoggedRequest, RequestLogQuery } from './platform/request-log';
export type { PlatformRequestHooks, SubRequestAdmission } from './platform/platform-hooks';
export { GRAPH_JSON_CONTENT_TYPE } from './platform/graph-front-door';

// Seam shared by both layers.
export type {
  GraphRequestContext,
  DirectoryUserSummary,
  EmulatedTenantSummary,
} from './shared/graph-context';
export { AdjustableClock } from './shared/world-port';
export type {
  EmulatorClock,
  EmulatorWorldPort,
  SignInEventInput,
  AuditEventInput,
} from './shared/world-port';
export { GraphHttpError, graphErrorBody } from './shared/graph-error';
export type { GraphErrorBody } from './shared/graph-error';

// Graph layer: generated tenants, Microsoft Graph v1.0/beta over them, tenant control.
export { createWorld } from './directory/world';
export type { CreateWorldOptions, EmulatorWorld, TenantSpec } from './directory/world';
export { SOFT_DELETE_TYPES } from './directory/soft-delete';
export type { SoftDeleteOptions, SoftDeleteType } from './directory/soft-delete';
export { TenantDirectory } from './directory/tenant-directory';
export { createGraphRouter, GRAPH_PERMISSIONS } from './graph/graph-router';
export type { BatchSubRequestInfo, GraphRouterOptions } from './graph/graph-router';
export { BUILT_IN_ROLES, GRAPH_APP_ROLES } from './directory/catalog';
export { createTenantControlRouter } from './control/tenant-control.router';
