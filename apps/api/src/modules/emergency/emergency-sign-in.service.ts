import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { Clock } from '../../core/clock';
import type { BreakGlassAccountEntity, TenantEntity } from '../../persistence/entities';
import { BreakGlassAccountRepository, TenantRepository } from '../../persistence/repositories';
import { AuditAction } from '../audit/audit-action';
import type { AuditContext } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';
import type { EmergencySessionAccount } from '../auth/principal-resolver.service';
import { PayloadCodec } from '../backup-storage/codec/payload-codec';
import { NotificationService } from '../notifications/notification.service';
import { AttemptLimiter } from './attempt-limiter';
import { DEFAULT_EMERGENCY_LIMITS, EMERGENCY_LIMITS, type EmergencyLimits } from './emergency-limits';
import { EmergencyException } from './emergency.exception';
import { EmergencyService } from './emergency.service';
import { PasswordHasher } from './password-hasher';
import { Totp } from './totp';
import { totpSecretContext } from './totp-context';

export interface EmergencySignInAttempt {
  /** Lower-case tenant id GUID. */
  readonly tenantId: string;
  /** Lower-case. */
  readonly username: string;
  readonly password: string;
  readonly code: string;
}

type RefusalReason =
  'unknown tenant or user name' | 'wrong password' | 'wrong or reused code' | 'locked' | 'rate-limited';

/**
 * Emergency sign-in with a break-glass account: user name, password (scrypt) and TOTP code, all
 * checked here, without any call to Microsoft's identity platform.
 *
 * - The answer to a failure never says what was wrong, and the password hash is computed for an
 *   unknown user name too, so neither the answer nor its timing tells whether the name exists.
 * - Five consecutive failures of a user name lock it for 15 minutes (kept on the account, so every
 *   process sees it; unknown names lock alike in this process, so a lock says nothing either).
 * - Each network address may fail 20 times in 15 minutes, then it is refused for 15 minutes.
 * - A TOTP code is accepted within one step of now, once.
 * - Every success and failure goes into the audit trail; every success is notified to the
 *   tenant's and its partner's contacts.
 */
@Injectable()
export class EmergencySignInService {
  private readonly logger = new Logger(EmergencySignInService.name);
  private readonly byName: AttemptLimiter;
  private readonly byAddress: AttemptLimiter;
  private readonly limits: EmergencyLimits;

  constructor(
    private readonly accounts: BreakGlassAccountRepository,
    private readonly tenants: TenantRepository,
    private readonly emergency: EmergencyService,
    private readonly hasher: PasswordHasher,
    private readonly totp: Totp,
    private readonly codec: PayloadCodec,
    private readonly audit: AuditService,
    private readonly notifications: NotificationService,
    private readonly clock: Clock,
    @Optional() @Inject(EMERGENCY_LIMITS) limits?: EmergencyLimits,
  ) {
    this.limits = limits ?? DEFAULT_EMERGENCY_LIMITS;
    this.byName = new AttemptLimiter(clock, this.limits.perAccount);
    this.byAddress = new AttemptLimiter(clock, this.limits.perAddress);
  }

  /**
   * The account to put in the session.
   * @throws EmergencyException EMERGENCY_SIGN_IN_FAILED, EMERGENCY_ACCOUNT_LOCKED (423, with
   *   Retry-After seconds), EMERGENCY_RATE_LIMITED (429, with Retry-After seconds)
   */
  async signIn(attempt: EmergencySignInAttempt, address: string | null): Promise<EmergencySessionAccount> {
    const { tenantId, username } = attempt;
    const nameKey = `${tenantId}/${username}`;
    const addressKey = address ?? 'unknown';
    const by: AuditContext = { actor: `emergency:${username}`, principalKind: 'emergency', address };
    const tenant = await this.tenants.findById(tenantId);
    // Attempts on a tenant this installation does not know are recorded without a tenant.
    const auditTenantId = tenant === null ? null : tenant.id;

    const addressBlockedMs = this.byAddress.blockedForMs(addressKey);
    if (addressBlockedMs > 0) {
      // Reported once per block: a flood from one address must not flood the trail.
      if (this.byAddress.firstRefusalInBlock(addressKey))
        await this.refused(by, auditTenantId, username, 'rate-limited');
      throw EmergencyException.rateLimited(seconds(addressBlockedMs));
    }

    const account = tenant === null ? null : await this.accounts.findByUsername(tenant.id, username);
    const now = this.clock.now();
    const lockedMs = Math.max(
      this.byName.blockedForMs(nameKey),
      account?.lockedUntil == null ? 0 : account.lockedUntil.getTime() - now.getTime(),
    );
    if (lockedMs > 0) {
      this.byAddress.recordFailure(addressKey);
      await this.refused(by, auditTenantId, username, 'locked');
      throw EmergencyException.locked(seconds(lockedMs));
    }

    const step = await this.check(attempt, account, now, address);
    if (account === null || typeof step !== 'number') {
      this.byAddress.recordFailure(addressKey);
      const lockedNow = this.byName.recordFailure(nameKey);
      const failure =
        account === null
          ? undefined
          : await this.accounts.recordFailure(
              account.id,
              now,
              this.limits.perAccount.maxFailures,
              this.limits.perAccount.blockMs,
            );
      await this.refused(
        by,
        auditTenantId,
        username,
        typeof step === 'string' ? step : 'wrong or reused code',
        {
          ...(failure === undefined ? {} : { consecutiveFailures: failure.failedAttempts }),
          ...(lockedNow || (failure?.lockedUntil ?? null) !== null
            ? { lockedFor: `${this.lockMinutes()} minutes` }
            : {}),
        },
      );
      throw EmergencyException.signInFailed();
    }

    this.byName.reset(nameKey);
    await this.audit.record({
      actor: by,
      action: AuditAction.EMERGENCY_SIGNED_IN,
      tenantId: account.tenantId,
      details: { accountId: account.id, username: account.username },
    });
    if (tenant !== null) await this.notifyUse(tenant, account, address, now);
    return { accountId: account.id, tenantId: account.tenantId, username: account.username };
  }

  /** The accepted TOTP time step, or why the attempt fails. */
  private async check(
    attempt: EmergencySignInAttempt,
    account: BreakGlassAccountEntity | null,
    now: Date,
    address: string | null,
  ): Promise<number | RefusalReason> {
    // Hashed even for an unknown name, so a refusal takes as long either way.
    const passwordMatches = await this.hasher.verify(
      attempt.password,
      account?.passwordHash ?? (await this.hasher.dummyHash()),
    );
    if (account === null) return 'unknown tenant or user name';
    if (!passwordMatches) return 'wrong password';
    const secret = this.codec.openText(
      Buffer.from(account.totpSecretSealed, 'base64'),
      totpSecretContext(account.id),
    );
    const step = await this.totp.check(secret, attempt.code, account.lastUsedStep);
    if (step === null) return 'wrong or reused code';
    // Another request (of any process) may have used the same code a moment ago: one wins.
    if (!(await this.accounts.recordSuccess(account.id, step, now, address))) return 'wrong or reused code';
    return step;
  }

  private async refused(
    by: AuditContext,
    tenantId: string | null,
    username: string,
    reason: RefusalReason,
    extra: Record<string, unknown> = {},
  ): Promise<void> {
    await this.audit.record({
      actor: by,
      action: AuditAction.EMERGENCY_SIGN_IN_REFUSED,
      outcome: 'refused',
      tenantId,
      details: { username, reason, ...extra },
    });
  }

  /** Tells the tenant's and its partner's contacts; a failure to tell never fails the sign-in. */
  private async notifyUse(
    tenant: TenantEntity,
    account: BreakGlassAccountEntity,
    address: string | null,
    at: Date,
  ): Promise<void> {
    try {
      const targets = await this.emergency.notificationTargets(tenant.id, tenant.partnerId);
      const from = address === null ? '' : ` from ${address}`;
      await this.notifications.notify(
        {
          kind: 'emergency.sign-in',
          tenantId: tenant.id,
          partnerId: tenant.partnerId,
          subject: `Emergency sign-in to ${tenant.displayName}`,
          body:
            `The break-glass account "${account.username}" signed in to Entra Backup for ${tenant.displayName} ` +
            `(tenant ${tenant.id}) at ${at.toISOString()}${from}. It can browse the backups and restore ` +
            'objects of this tenant until it signs out. If nobody expected this, delete the account in ' +
            "the tenant's Settings and review the audit log.",
          data: {
            tenantName: tenant.displayName,
            accountId: account.id,
            username: account.username,
            address,
            at: at.toISOString(),
          },
        },
        targets,
      );
    } catch (error) {
      this.logger.error(
        `Could not record the notification of emergency sign-in ${account.id}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  private lockMinutes(): number {
    return Math.round(this.limits.perAccount.blockMs / 60_000);
  }
}

function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
