import { Inject, Module, type OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { NotificationRepository } from '../../persistence/repositories';
import {
  FetchWebhookClient,
  Mailer,
  SmtpMailer,
  UnconfiguredMailer,
  WebhookClient,
} from './notification-channels';
import { NotificationService } from './notification.service';
import { NotificationsController } from './notifications.controller';

/**
 * Notifications: the outbox, mail (when SMTP_URL is configured) and webhooks, and the tenant's
 * notification list. Other modules import it to tell people of something.
 */
@Module({
  controllers: [NotificationsController],
  providers: [
    NotificationRepository,
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
  ],
  exports: [NotificationService],
})
export class NotificationsModule implements OnModuleDestroy {
  constructor(@Inject(Mailer) private readonly mailer: Mailer) {}

  onModuleDestroy(): void {
    this.mailer.close();
  }
}
