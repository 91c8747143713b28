import type {
  BulkBackupRequest,
  BulkResult,
  BulkSettingsRequest,
  ObjectTypeKey,
  Permission,
} from '@entra-backup/common';
import { Injectable, Logger } from '@nestjs/common';
import { DomainException } from '../../core/errors/domain.exception';
import { CommonErrorCode } from '../../core/errors/error-code';
import { TenantRepository } from '../../persistence/repositories';
import { allowsOnTenant } from '../auth/access-policy';
import { AuthException } from '../auth/auth.exception';
import type { Principal } from '../auth/principal';
import { RunsService } from '../runs/runs.service';
import { SettingsService } from '../settings/settings.service';
import { PartnersService } from './partners.service';

type BulkItem = BulkResult['items'][number];

/**
 * A partner's bulk actions over its customer tenants. The access guard checks the permission on
 * the partner only; each tenant here must be the partner's and allowed to the caller (a key may
 * be limited to some tenants), else that item alone fails with TENANT_FORBIDDEN. Each item runs
 * through the same service as the single-tenant route, so the same rules and audit apply, and
 * one tenant's failure never stops the others.
 */
@Injectable()
export class PartnerBulkService {
  private readonly logger = new Logger(PartnerBulkService.name);

  constructor(
    private readonly partners: PartnersService,
    private readonly tenants: TenantRepository,
    private readonly runs: RunsService,
    private readonly settings: SettingsService,
  ) {}

  /** @throws PartnerException PARTNER_NOT_FOUND */
  startBackups(partnerId: string, request: BulkBackupRequest, principal: Principal): Promise<BulkResult> {
    return this.forEachTenant(partnerId, request.tenantIds, principal, 'backups:start', async (tenantId) => {
      const { runId } = await this.runs.startBackup(tenantId, {}, principal.actor);
      return { runId };
    });
  }

  /** Switches the given types on (others keep their setting). @throws PartnerException PARTNER_NOT_FOUND */
  enableTypes(partnerId: string, request: BulkSettingsRequest, principal: Principal): Promise<BulkResult> {
    const changes = Object.fromEntries(request.enableTypes.map((key: ObjectTypeKey) => [key, true]));
    return this.forEachTenant(partnerId, request.tenantIds, principal, 'settings:write', async (tenantId) => {
      await this.settings.update(tenantId, changes, principal.actor);
      return {};
    });
  }

  private async forEachTenant(
    partnerId: string,
    tenantIds: readonly string[],
    principal: Principal,
    permission: Permission,
    act: (tenantId: string) => Promise<Omit<BulkItem, 'tenantId' | 'ok'>>,
  ): Promise<BulkResult> {
    const partner = await this.partners.get(partnerId);
    const customers = new Set((await this.tenants.listByPartner(partner.id)).map((t) => t.id));
    const items: BulkItem[] = [];
    for (const tenantId of [...new Set(tenantIds.map((id) => id.toLowerCase()))]) {
      const ref = { id: tenantId, partnerId: customers.has(tenantId) ? partner.id : null };
      if (!customers.has(tenantId) || !allowsOnTenant(principal, permission, ref)) {
        items.push(failed(tenantId, AuthException.tenantForbidden(tenantId)));
        continue;
      }
      try {
        items.push({ tenantId, ok: true, ...(await act(tenantId)) });
      } catch (error) {
        if (!(error instanceof DomainException)) {
          this.logger.error(
            { tenantId, reason: error instanceof Error ? error.message : String(error) },
            'Bulk action failed unexpectedly for one tenant',
          );
        }
        items.push(failed(tenantId, error));
      }
    }
    return { items };
  }
}

function failed(tenantId: string, error: unknown): BulkItem {
  if (error instanceof DomainException)
    return { tenantId, ok: false, code: error.code, message: error.message };
  return {
    tenantId,
    ok: false,
    code: CommonErrorCode.INTERNAL_ERROR,
    message: 'An unexpected error occurred for this tenant',
  };
}
