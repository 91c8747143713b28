import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { SessionData } from 'express-session';
import { type SessionResponse } from '@entra-backup/common';
import { AppConfig } from '../../config/app-config';
import { AuditAction, userActor } from '../audit/audit-action';
import { AuditService } from '../audit/audit.service';
import { ConsentGrantsService } from '../consent/consent-grants.service';
import { TenantException, TenantExceptionCode } from '../tenants/tenants.exception';
import { TenantsService } from '../tenants/tenants.service';
import { AccessService } from './access.service';
import type { VerifiedIdentity } from './oidc-client';
import type { SessionPrincipal } from './session.types';
import { TenantDirectory } from './tenant-directory';

/** Sign-in bookkeeping: the session answer, the user's tenant record, the audit trail. */
@Injectable()
export class AuthService {
  constructor(
    private readonly config: AppConfig,
    private readonly access: AccessService,
    private readonly tenants: TenantsService,
    private readonly directory: TenantDirectory,
    private readonly grants: ConsentGrantsService,
    private readonly audit: AuditService,
  ) {}

  describeSession(session: Partial<SessionData> | undefined): SessionResponse {
    const user = session?.user;
    const demoMode = this.config.auth.demoMode;
    if (user === undefined) return { authenticated: false, demoMode, csrfToken: null };
    return {
      authenticated: true,
      user: {
        name: user.name,
        upn: user.upn,
        tenantId: user.tenantId,
        objectId: user.objectId,
        roles: [...user.roles],
        hasAccess: this.access.hasAccess(user),
      },
      demoMode,
      csrfToken: session?.csrfToken ?? null,
    };
  }

  /**
   * Turns a validated identity into the session's principal: admin roles checked, the tenant
   * registered on an admin's first sign-in, the outcome audited.
   */
  async completeSignIn(identity: VerifiedIdentity): Promise<SessionPrincipal> {
    const principal = await this.access.principalFor(identity);
    const actor = userActor(principal.upn);
    if (!this.access.hasAccess(principal)) {
      await this.audit.record({
        actor,
        action: AuditAction.SIGN_IN_REFUSED,
        tenantId: principal.tenantId,
        details: { reason: 'no admin role', evidence: principal.evidence },
      });
      return principal;
    }
    await this.ensureTenant(principal, actor);
    await this.audit.record({
      actor,
      action: AuditAction.SIGNED_IN,
      tenantId: principal.tenantId,
      details: { roles: principal.roles, evidence: principal.evidence },
    });
    return principal;
  }

  async recordSignOut(principal: SessionPrincipal): Promise<void> {
    await this.audit.record({
      actor: userActor(principal.upn),
      action: AuditAction.SIGNED_OUT,
      tenantId: principal.tenantId,
      details: {},
    });
  }

  newCsrfToken(): string {
    return randomBytes(32).toString('base64url');
  }

  /**
   * Registers the tenant on an admin's first sign-in. The organization's name needs the app's
   * token (after consent); until then the user's sign-in domain names the tenant. The consent
   * callback renames it; a sign-in after consent renames a tenant still under its placeholder
   * (the organization could not be read when consent was given, or the record predates consent).
   */
  private async ensureTenant(principal: SessionPrincipal, actor: string): Promise<void> {
    const domain = principal.upn.includes('@') ? principal.upn.split('@').pop() : undefined;
    const placeholder = domain ?? principal.tenantId;
    let existing: { displayName: string } | undefined;
    try {
      existing = await this.tenants.get(principal.tenantId);
    } catch (error) {
      if (!(error instanceof TenantException && error.code === TenantExceptionCode.TENANT_NOT_FOUND))
        throw error;
    }
    if (
      existing !== undefined &&
      existing.displayName !== placeholder &&
      existing.displayName !== principal.tenantId
    )
      return;
    const fromGraph = (await this.grants.isGranted(principal.tenantId))
      ? await this.directory.organizationName(principal.tenantId)
      : undefined;
    if (existing !== undefined) {
      if (fromGraph !== undefined) await this.tenants.rename(principal.tenantId, fromGraph, actor);
      return;
    }
    try {
      await this.tenants.create(
        { tenantId: principal.tenantId, displayName: fromGraph ?? placeholder },
        actor,
      );
    } catch (error) {
      // Another sign-in of the same tenant registered it a moment ago.
      if (!(error instanceof TenantException && error.code === TenantExceptionCode.TENANT_EXISTS))
        throw error;
    }
  }
}
