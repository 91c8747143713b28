import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { SessionData } from 'express-session';
import { type PartnerMembership, partnerRoleSchema, type SessionResponse } from '@entra-backup/common';
import { PartnerRepository } from '../../persistence/repositories';
import { AppConfig } from '../../config/app-config';
import { AuditAction, userActor } from '../audit/audit-action';
import type { AuditContext } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';
import { ConsentGrantsService } from '../consent/consent-grants.service';
import { TenantException, TenantExceptionCode } from '../tenants/tenants.exception';
import { TenantsService } from '../tenants/tenants.service';
import { AccessService } from './access.service';
import type { VerifiedIdentity } from './oidc-client';
import type { Principal } from './principal';
import type { EmergencySessionAccount } from './principal-resolver.service';
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
    private readonly partners: PartnerRepository,
  ) {}

  /** The session answer for the request's principal (resolved by the access guard), if any. */
  describeSession(
    session: Partial<SessionData> | undefined,
    principal: Principal | undefined,
  ): SessionResponse {
    const demoMode = this.config.auth.demoMode;
    const csrfToken = session?.csrfToken ?? null;
    if (principal?.kind === 'emergency' && session?.emergency !== undefined) {
      const account = session.emergency;
      return {
        authenticated: true,
        user: {
          name: account.username,
          upn: account.username,
          tenantId: account.tenantId,
          objectId: account.accountId,
          roles: [],
          hasAccess: true,
          kind: 'emergency',
          tenantAdmin: false,
          partners: [],
        },
        demoMode,
        csrfToken,
      };
    }
    const user = principal?.user;
    if (user === undefined) return { authenticated: false, demoMode, csrfToken: null };
    const partners: PartnerMembership[] = [];
    for (const grant of principal?.grants ?? []) {
      if (grant.source.kind === 'partner') {
        const { partnerId, partnerName, role } = grant.source;
        partners.push({ partnerId, partnerName, role });
      }
    }
    return {
      authenticated: true,
      user: {
        name: user.name,
        upn: user.upn,
        tenantId: user.tenantId,
        objectId: user.objectId,
        roles: [...user.roles],
        hasAccess: (principal?.grants.length ?? 0) > 0,
        kind: 'person',
        tenantAdmin: this.access.hasAccess(user),
        partners,
      },
      demoMode,
      csrfToken,
    };
  }

  /**
   * Turns a validated identity into the session's principal: admin roles checked, partner staff
   * memberships bound to the person's tenant on first sign-in, the tenant registered on an admin's
   * first sign-in, the outcome audited. `hasAccess`: an admin of their tenant or on a partner's staff.
   */
  async completeSignIn(
    identity: VerifiedIdentity,
    address: string | null = null,
  ): Promise<{ principal: SessionPrincipal; hasAccess: boolean }> {
    const principal = await this.access.principalFor(identity);
    const actor: AuditContext = { actor: userActor(principal.upn), principalKind: 'person', address };
    const memberships = (await this.partners.membershipsOf(principal.upn)).filter(
      (m) =>
        (m.homeTenantId === null || m.homeTenantId === principal.tenantId) &&
        partnerRoleSchema.safeParse(m.role).success,
    );
    for (const membership of memberships) {
      if (membership.homeTenantId === null) {
        await this.partners.bindMemberHome(
          membership.partnerId,
          principal.upn,
          principal.tenantId,
          principal.objectId,
        );
      }
    }
    const tenantAdmin = this.access.hasAccess(principal);
    if (!tenantAdmin && memberships.length === 0) {
      await this.audit.record({
        actor,
        action: AuditAction.SIGN_IN_REFUSED,
        outcome: 'refused',
        tenantId: principal.tenantId,
        details: { reason: 'no admin role and no partner role', evidence: principal.evidence },
      });
      return { principal, hasAccess: false };
    }
    if (tenantAdmin) await this.ensureTenant(principal, actor.actor);
    await this.audit.record({
      actor,
      action: AuditAction.SIGNED_IN,
      tenantId: tenantAdmin ? principal.tenantId : null,
      // Staff sign-ins show in their partner's log (the first partner when they work for several).
      partnerId: memberships[0]?.partnerId ?? null,
      details: {
        roles: principal.roles,
        evidence: principal.evidence,
        partners: memberships.map((m) => ({ partnerId: m.partnerId, role: m.role })),
      },
    });
    return { principal, hasAccess: true };
  }

  async recordSignOut(principal: SessionPrincipal, address: string | null = null): Promise<void> {
    await this.audit.record({
      actor: { actor: userActor(principal.upn), principalKind: 'person', address },
      action: AuditAction.SIGNED_OUT,
      tenantId: principal.tenantId,
      details: {},
    });
  }

  async recordEmergencySignOut(
    account: EmergencySessionAccount,
    address: string | null = null,
  ): Promise<void> {
    await this.audit.record({
      actor: { actor: `emergency:${account.username}`, principalKind: 'emergency', address },
      action: AuditAction.SIGNED_OUT,
      tenantId: account.tenantId,
      details: { emergency: true },
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
