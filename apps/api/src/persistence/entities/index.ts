import { AppAuditEventEntity } from './app-audit-event.entity';
import { TenantSettingEntity } from './tenant-setting.entity';
import { TenantEntity } from './tenant.entity';

export { AppAuditEventEntity, TenantEntity, TenantSettingEntity };

/** Every entity of the application. Append new entities here (one line each). */
export const ENTITIES = [TenantEntity, TenantSettingEntity, AppAuditEventEntity];
