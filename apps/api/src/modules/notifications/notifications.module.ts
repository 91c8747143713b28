import { Inject, Module, type OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import {
  AlertConfigRepository,
  NotificationRepository,
  PartnerRepository,
  TenantRepository,
} from '../../persistence/repositories';
import { AuditModule } from '../audit/audit.module';
import { BackupStorageModule } from '../backup-storage/backup-storage.module';
import {
  FetchWebhookClient,
  Mailer,
  SmtpMailer,
  UnconfiguredMailer,
  WebhookClient,
} from './notification-channels';
import { NotificationService } from './notification.service';
import { NotificationsController } from './notifications.controller';
import { RecipientsService } from './recipients.service';

/**
 * Notifications: the durable outbox with retries, mail (when SMTP_URL is configured) and signed
 * webhooks, the recipients of tenants and partners, and the delivery log. Other modules import it
 * to tell people of something.
 */
@Module({
  imports: [AuditModule, BackupStorageModule],
  controllers: [NotificationsController],
  providers: [
    NotificationRepository,
    AlertConfigRepository,
    TenantRepository,
    PartnerRepository,
    {
      provide: Mailer,
      inject: [AppConfig],
      useFactory: (config: AppConfig): Mailer => {
        const { smtpUrl, mailFrom } = config.notifications;
        return smtpUrl === undefined ? new UnconfiguredMailer() : new SmtpMailer(smtpUrl, mailFrom);
      },
    },
    {
      provide: WebhookClient,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new FetchWebhookClient(config.notifications.webhookTimeoutMs),
    },
    NotificationService,
    RecipientsService,
  ],
  exports: [NotificationService, RecipientsService, AlertConfigRepository],
})
export class NotificationsModule implements OnModuleDestroy {
  constructor(@Inject(Mailer) private readonly mailer: Mailer) {}

  onModuleDestroy(): void {
    this.mailer.close();
  }
}
