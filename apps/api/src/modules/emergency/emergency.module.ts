import { Module } from '@nestjs/common';
import { BreakGlassAccountRepository, EmergencyContactRepository } from '../../persistence/repositories';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { BackupStorageModule } from '../backup-storage/backup-storage.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { TenantsModule } from '../tenants/tenants.module';
import { EmergencySignInService } from './emergency-sign-in.service';
import { EmergencyController } from './emergency.controller';
import { EmergencyService } from './emergency.service';
import { PasswordHasher } from './password-hasher';
import { Totp } from './totp';

/**
 * Emergency mode: break-glass accounts and contacts set up ahead of time, and the emergency
 * sign-in that works without Microsoft's identity platform. The access guard turns the session's
 * break-glass account into a principal that may browse and restore its tenant only.
 */
@Module({
  imports: [AuditModule, AuthModule, BackupStorageModule, NotificationsModule, TenantsModule],
  controllers: [EmergencyController],
  providers: [
    BreakGlassAccountRepository,
    EmergencyContactRepository,
    { provide: PasswordHasher, useFactory: () => new PasswordHasher() },
    Totp,
    EmergencyService,
    EmergencySignInService,
  ],
})
export class EmergencyModule {}
