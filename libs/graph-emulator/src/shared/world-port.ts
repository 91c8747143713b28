import type { DirectoryUserSummary, EmulatedTenantSummary } from './graph-context';

/**
 * What the platform layer (identity platform, control API) needs from the emulated
 * directory. Implemented by the Graph layer's world; the platform layer depends only on this.
 */
export interface EmulatorWorldPort {
  listTenants(): EmulatedTenantSummary[];
  getTenant(tenantId: string): EmulatedTenantSummary | undefined;
  /** Users offered on the demo sign-in page: a bounded list, directory administrators first. */
  listSignInUsers(tenantId: string, limit: number): DirectoryUserSummary[];
  /** A user by object id or userPrincipalName (case-insensitive), with role template ids. */
  findUser(tenantId: string, idOrUpn: string): DirectoryUserSummary | undefined;
  /** Appends an interactive sign-in to the tenant's sign-in log. */
  recordSignIn(tenantId: string, event: SignInEventInput): void;
  /** Appends an entry to the tenant's directory audit log. */
  recordAudit(tenantId: string, event: AuditEventInput): void;
  /**
   * Admin consent to an application's permissions creates (or updates) its service principal in the
   * tenant and one appRoleAssignment per granted application permission on Microsoft Graph's
   * service principal, as the real service does.
   */
  applyAdminConsent(tenantId: string, app: { appId: string; displayName: string }, appRoles: string[]): void;
  /** Application permissions an app currently holds in a tenant (from its appRoleAssignments). */
  grantedAppRoles(tenantId: string, appId: string): string[];
  /** Back to the freshly generated state. */
  reset(): void;
}

export interface SignInEventInput {
  userId: string;
  appId: string;
  appDisplayName: string;
  ipAddress: string;
  /** 0 = success; otherwise an AADSTS error code. */
  errorCode: number;
  failureReason?: string;
}

export interface AuditEventInput {
  category: string;
  activityDisplayName: string;
  operationType: 'Add' | 'Update' | 'Delete' | 'Assign' | 'Unassign' | 'Read' | string;
  result: 'success' | 'failure';
  loggedByService: string;
  initiatedBy: {
    user?: { id: string; userPrincipalName: string };
    app?: { appId: string; displayName: string };
  };
  targetResources: Array<{
    id: string;
    displayName?: string | null;
    type: string;
    /** Set when `type` is `User`. */
    userPrincipalName?: string | null;
    /** Set when `type` is `Group`: `unifiedGroups` or `azureAD`. */
    groupType?: string | null;
    /** Each changed attribute, old and new value as JSON text (`["Sales"]`), as Entra records them. */
    modifiedProperties?: Array<{ displayName: string; oldValue: string | null; newValue: string | null }>;
  }>;
  additionalDetails?: Array<{ key: string; value: string }>;
}

/** The emulator's clock. Tests and the control API move it to exercise expiry and schedules. */
export interface EmulatorClock {
  now(): number;
  advance(ms: number): void;
  set(epochMs: number): void;
}

export class AdjustableClock implements EmulatorClock {
  private offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
  set(epochMs: number): void {
    this.offsetMs = epochMs - Date.now();
  }
}
