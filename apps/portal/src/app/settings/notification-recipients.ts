import { DatePipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  inject,
  input,
  linkedSignal,
  signal,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import {
  type CreatedNotificationRecipient,
  type Notification,
  type NotificationRecipient,
  type RecipientChannel,
  createNotificationRecipientSchema,
} from '@entra-backup/common';
import { describeApiError } from '../core/http/api-error';
import {
  type NotificationOwnerUrls,
  NotificationsApi,
  deliveriesResource,
  recipientsResource,
} from './notifications.api';

/**
 * Who is told of alerts (mail addresses and signed webhooks) of a tenant or a partner, with a
 * test message per recipient and the delivery log: every message, its attempts and their outcome.
 * A webhook's signing secret is shown once, when it is added.
 */
@Component({
  selector: 'eb-notification-recipients',
  imports: [
    DatePipe,
    FormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatSelectModule,
  ],
  templateUrl: './notification-recipients.html',
  styleUrl: './notification-recipients.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NotificationRecipients {
  private readonly api = inject(NotificationsApi);
  private readonly snackBar = inject(MatSnackBar);
  private readonly destroyRef = inject(DestroyRef);

  readonly urls = input.required<NotificationOwnerUrls>();

  protected readonly recipients = recipientsResource(this.urls);
  protected readonly deliveries = deliveriesResource(this.urls);
  protected readonly recipientsError = computed(() => {
    const error = this.recipients.error();
    return error === undefined ? undefined : describeApiError(error);
  });

  protected readonly channel = signal<RecipientChannel>('email');
  protected readonly address = signal('');
  protected readonly adding = signal(false);
  protected readonly addError = signal<string | undefined>(undefined);
  /** The webhook just added, with its secret (shown this once). Cleared when the owner changes. */
  protected readonly created = linkedSignal<NotificationOwnerUrls, CreatedNotificationRecipient | undefined>({
    source: this.urls,
    computation: () => undefined,
  });
  protected readonly confirmingRemove = signal<string | undefined>(undefined);

  protected addRecipient(): void {
    const parsed = createNotificationRecipientSchema.safeParse({
      channel: this.channel(),
      address: this.address(),
    });
    if (!parsed.success) {
      this.addError.set(parsed.error.issues[0]?.message ?? 'Check the address');
      return;
    }
    this.adding.set(true);
    this.addError.set(undefined);
    this.api
      .addRecipient(this.urls(), parsed.data)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (recipient) => {
          this.adding.set(false);
          this.address.set('');
          if (recipient.secret !== null) this.created.set(recipient);
          else this.snackBar.open(`${recipient.address} will be told of alerts`, 'Close', { duration: 4000 });
          this.recipients.reload();
        },
        error: (error: unknown) => {
          this.adding.set(false);
          this.addError.set(describeApiError(error));
        },
      });
  }

  protected dismissSecret(): void {
    this.created.set(undefined);
  }

  protected removeRecipient(recipient: NotificationRecipient): void {
    if (this.confirmingRemove() !== recipient.id) {
      this.confirmingRemove.set(recipient.id);
      return;
    }
    this.confirmingRemove.set(undefined);
    this.api
      .removeRecipient(this.urls(), recipient.id)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: () => {
          this.snackBar.open(`${recipient.address} will no longer be told`, 'Close', { duration: 4000 });
          this.recipients.reload();
        },
        error: (error: unknown) =>
          this.snackBar.open(`Could not remove ${recipient.address}: ${describeApiError(error)}`, 'Close', {
            duration: 8000,
            politeness: 'assertive',
          }),
      });
  }

  protected sendTest(recipient: NotificationRecipient): void {
    this.api
      .sendTest(this.urls(), recipient.id)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: () => {
          this.snackBar.open(`Test sent to ${recipient.address}: see the delivery log`, 'Close', {
            duration: 4000,
          });
          this.deliveries.reload();
        },
        error: (error: unknown) =>
          this.snackBar.open(`The test was not sent: ${describeApiError(error)}`, 'Close', {
            duration: 8000,
            politeness: 'assertive',
          }),
      });
  }

  protected reloadLog(): void {
    this.deliveries.reload();
  }

  /** "attempt 1 failed (the webhook answered HTTP 500) · attempt 2 sent". */
  protected attemptsText(notification: Notification): string {
    return notification.attemptLog
      .map((a) => `attempt ${a.attempt} ${a.outcome}${a.detail ? ` (${a.detail})` : ''}`)
      .join(' · ');
  }
}
