import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { MatCardModule } from '@angular/material/card';
import { TenantContext } from '../core/tenant/tenant-context';
import { NotificationRecipients } from '../settings/notification-recipients';
import { partnerNotificationUrls } from '../settings/notifications.api';
import { PartnerHeader } from './partner-header';

/**
 * `/partner/:partnerId/notifications`: the partner's mail addresses and webhooks, told of every
 * customer's alerts, with their delivery log.
 */
@Component({
  selector: 'eb-partner-notifications-page',
  imports: [MatCardModule, NotificationRecipients, PartnerHeader],
  template: `
    <eb-partner-header [partnerId]="partnerId()" title="Notifications" />
    @if (canManage()) {
      <mat-card appearance="outlined">
        <mat-card-content>
          <p class="hint">
            These recipients hear of the alerts of every customer tenant: failed and partial backups, no
            successful backup for 24 hours, revoked consent or missing permissions, finished restores, failed
            pruning, and identity alerts found in each backup. Each customer's own recipients are set in its
            Settings.
          </p>
          <eb-notification-recipients [urls]="urls()" />
        </mat-card-content>
      </mat-card>
    } @else {
      <p class="hint">Only the partner's owners and admins manage its notifications.</p>
    }
  `,
  styleUrl: './partner-pages.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PartnerNotificationsPage {
  private readonly context = inject(TenantContext);

  /** Bound from the route. */
  readonly partnerId = input.required<string>();

  protected readonly urls = computed(() => partnerNotificationUrls(this.partnerId()));
  protected readonly canManage = computed(() =>
    this.context.canOnPartner(this.partnerId(), 'settings:write'),
  );
}
