import { createHash, randomBytes } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { type ConsentStatusResponse, type PermissionStatus, PORTAL_PATHS } from '@entra-backup/common';
import { AppConfig } from '../../config/app-config';
import { Clock } from '../../core/clock';
import { ConsentStateRepository } from '../../persistence/repositories/consent-state.repository';
import { AuditAction, userActor } from '../audit/audit-action';
import type { AuditContext } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';
import type { SessionPrincipal } from '../auth/session.types';
import { describeIdentityError } from '../auth/sign-in-errors';
import { TenantDirectory } from '../auth/tenant-directory';
import { TenantsService } from '../tenants/tenants.service';
import { ConsentException } from './consent.exception';
import { ConsentGrantsService } from './consent-grants.service';
import { requiredReadPermissions, requiredWritePermissions } from './consent-permissions';

/** How long the admin has to complete Microsoft's consent page. */
export const CONSENT_STATE_TTL_MS = 10 * 60_000;
const GRAPH_DEFAULT_SCOPE = 'https://graph.microsoft.com/.default';

/** The query of Microsoft's redirect to our consent callback. */
export interface ConsentCallbackQuery {
  readonly state?: string;
  readonly admin_consent?: string;
  readonly tenant?: string;
  readonly scope?: string;
  readonly error?: string;
  readonly error_description?: string;
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/**
 * Admin consent with the v2.0 endpoint: a single-use, expiring `state` bound to the session,
 * kept server-side as a hash; the grant verified by acquiring an app token for the session's
 * tenant (never the callback's `tenant` parameter, which anyone can forge) and reading its
 * `roles`. https://learn.microsoft.com/entra/identity-platform/v2-admin-consent
 */
@Injectable()
export class ConsentService {
  private readonly logger = new Logger(ConsentService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly states: ConsentStateRepository,
    private readonly grants: ConsentGrantsService,
    private readonly directory: TenantDirectory,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly tenants: TenantsService,
  ) {}

  /** Names the tenant after its organization, read with the app's new token (best effort). */
  async nameTenantFromDirectory(tenantId: string, upn: string): Promise<void> {
    const name = await this.directory.organizationName(tenantId);
    if (name !== undefined) await this.tenants.rename(tenantId, name, userActor(upn));
  }

  get redirectUri(): string {
    return `${this.config.auth.publicUrl}/api/consent/callback`;
  }

  async status(tenantId: string): Promise<ConsentStatusResponse> {
    const grant = await this.grants.find(tenantId);
    const granted = new Set(grant?.grantedRoles ?? []);
    const statusOf = (permission: string): PermissionStatus => ({
      permission,
      granted: granted.has(permission),
    });
    const readPermissions = requiredReadPermissions().map(statusOf);
    const writePermissions = requiredWritePermissions().map(statusOf);
    return {
      tenantId: tenantId.toLowerCase(),
      granted: grant !== null,
      ...(grant === null ? {} : { grantedAt: grant.grantedAt.toISOString(), grantedBy: grant.grantedBy }),
      readPermissions,
      writePermissions,
      missing: [
        ...new Set(
          [...readPermissions, ...writePermissions].filter((p) => !p.granted).map((p) => p.permission),
        ),
      ].sort(),
    };
  }

  /** The URL of Microsoft's admin-consent page for the user's tenant, with a fresh state. */
  async start(
    tenantId: string,
    sessionId: string,
    principal: SessionPrincipal,
    address: string | null = null,
  ): Promise<{ redirectUrl: string }> {
    const { clientId } = this.config.graph;
    if (clientId === undefined) throw new Error('AZURE_CLIENT_ID is not configured');
    const state = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    await this.states.insert({
      stateHash: sha256(state),
      tenantId: tenantId.toLowerCase(),
      sessionHash: sha256(sessionId),
      requestedBy: principal.upn,
      createdAt: now,
      expiresAt: new Date(now.getTime() + CONSENT_STATE_TTL_MS),
    });
    await this.audit.record({
      actor: { actor: userActor(principal.upn), principalKind: 'person', address },
      action: AuditAction.CONSENT_REQUESTED,
      tenantId: tenantId.toLowerCase(),
      details: {},
    });
    const url = new URL(`${this.config.graph.loginBaseUrl}/${tenantId.toLowerCase()}/v2.0/adminconsent`);
    url.searchParams.set('client_id', clientId);
    url.searchParams.set('scope', GRAPH_DEFAULT_SCOPE);
    url.searchParams.set('redirect_uri', this.redirectUri);
    url.searchParams.set('state', state);
    return { redirectUrl: url.toString() };
  }

  /**
   * Checks the callback's state and, on success, verifies and records the grant. Returns the
   * portal path to send the browser to.
   * @throws ConsentException CONSENT_STATE_INVALID for a missing, forged, expired, replayed or
   *   foreign (other session's) state
   */
  async complete(
    query: ConsentCallbackQuery,
    sessionId: string | undefined,
    principal: SessionPrincipal | undefined,
    address: string | null = null,
  ): Promise<{ tenantId: string; redirectTo: string; granted: boolean }> {
    const now = this.clock.now();
    if (typeof query.state !== 'string' || query.state === '') {
      throw ConsentException.stateInvalid('the state parameter is missing');
    }
    const stateHash = sha256(query.state);
    const pending = await this.states.find(stateHash);
    if (pending === null) throw ConsentException.stateInvalid('the state was not issued by this service');
    if (pending.usedAt !== null) throw ConsentException.stateInvalid('the state was already used');
    if (pending.expiresAt.getTime() <= now.getTime()) {
      throw ConsentException.stateInvalid('the state expired (consent must be completed within 10 minutes)');
    }
    if (sessionId === undefined || principal === undefined || sha256(sessionId) !== pending.sessionHash) {
      throw ConsentException.stateInvalid('it belongs to another sign-in session');
    }
    if (principal.tenantId !== pending.tenantId) {
      throw ConsentException.stateInvalid('it belongs to another tenant than the one you are signed in to');
    }
    if (!(await this.states.consume(stateHash, now)))
      throw ConsentException.stateInvalid('the state was already used');

    const tenantId = pending.tenantId;
    const actor: AuditContext = { actor: userActor(principal.upn), principalKind: 'person', address };
    const settings = PORTAL_PATHS.settings(tenantId);
    if (typeof query.error === 'string' && query.error !== '') {
      const message = describeIdentityError(query.error, query.error_description);
      await this.audit.record({
        actor,
        action: AuditAction.CONSENT_FAILED,
        outcome: 'failed',
        tenantId,
        details: { error: query.error, message },
      });
      return { tenantId, granted: false, redirectTo: failedPath(settings, message) };
    }

    let roles: string[];
    try {
      roles = await this.directory.grantedAppRoles(tenantId);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.warn({ tenantId, reason }, 'Admin consent could not be verified');
      const message = `Microsoft reported success, but the app still cannot get a token for your tenant: ${firstLine(reason)}`;
      await this.audit.record({
        actor,
        action: AuditAction.CONSENT_FAILED,
        outcome: 'failed',
        tenantId,
        details: { error: 'verification_failed', message },
      });
      return { tenantId, granted: false, redirectTo: failedPath(settings, message) };
    }
    if (roles.length === 0) {
      const message = 'Consent was recorded, but no application permission was granted to the app';
      await this.audit.record({
        actor,
        action: AuditAction.CONSENT_FAILED,
        outcome: 'failed',
        tenantId,
        details: { error: 'no_permissions', message },
      });
      return { tenantId, granted: false, redirectTo: failedPath(settings, message) };
    }
    await this.grants.save({
      tenantId,
      grantedRoles: roles,
      grantedBy: principal.upn,
      grantedAt: now,
      verifiedAt: now,
    });
    const status = await this.status(tenantId);
    await this.audit.record({
      actor,
      action: AuditAction.CONSENT_GRANTED,
      tenantId,
      details: { grantedPermissions: [...roles].sort(), missing: status.missing },
    });
    return { tenantId, granted: true, redirectTo: `${settings}?${PORTAL_PATHS.consentResultParam}=granted` };
  }

  /** Forgets expired consent states. */
  sweep(): Promise<number> {
    return this.states.deleteExpired(this.clock.now());
  }
}

function failedPath(settings: string, message: string): string {
  return `${settings}?${PORTAL_PATHS.consentResultParam}=failed&${PORTAL_PATHS.consentErrorParam}=${encodeURIComponent(message)}`;
}

function firstLine(text: string): string {
  return (text.split(/\r?\n/)[0] ?? text).trim();
}
