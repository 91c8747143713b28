import { Module } from '@nestjs/common';
import { BackupSqlRepository } from '../../persistence/repositories/backup-sql.repository';
import { PartnerDashboardRepository } from '../../persistence/repositories/partner-dashboard.repository';
import { AuditModule } from '../audit/audit.module';
import { ConsentGrantsModule } from '../consent/consent-grants.module';
import { ConsentModule } from '../consent/consent.module';
import { RunsModule } from '../runs/runs.module';
import { SettingsModule } from '../settings/settings.module';
import { TenantsModule } from '../tenants/tenants.module';
import { OnboardingController } from './onboarding.controller';
import { OnboardingService } from './onboarding.service';
import { PartnerBulkService } from './partner-bulk.service';
import { PartnerCustomersService } from './partner-customers.service';
import { PartnerDashboardService } from './partner-dashboard.service';
import { PartnerLinkController } from './partner-link.controller';
import { PartnerStaffController } from './partner-staff.controller';
import { PartnersController } from './partners.controller';
import { PartnersModule } from './partners.module';

/**
 * The partner side over REST (server only): the dashboard, bulk actions, staff, onboarding links
 * and their acceptance, hand-over and release, and the tenant admins' view of their partner link.
 */
@Module({
  imports: [
    PartnersModule,
    AuditModule,
    TenantsModule,
    SettingsModule,
    RunsModule,
    ConsentModule,
    ConsentGrantsModule,
  ],
  controllers: [PartnersController, PartnerStaffController, OnboardingController, PartnerLinkController],
  providers: [
    BackupSqlRepository,
    PartnerDashboardRepository,
    PartnerDashboardService,
    PartnerBulkService,
    PartnerCustomersService,
    OnboardingService,
  ],
})
export class PartnersApiModule {}
