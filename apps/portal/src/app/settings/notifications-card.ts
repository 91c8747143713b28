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
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { MatSnackBar } from '@angular/material/snack-bar';
import { type AlertSettings, DEFAULT_ALERT_SETTINGS, alertSettingsSchema } from '@entra-backup/common';
import { describeApiError } from '../core/http/api-error';
import { NotificationRecipients } from './notification-recipients';
import { NotificationsApi, alertSettingsResource, tenantNotificationUrls } from './notifications.api';

/**
 * Settings → Notifications: who is told of the tenant's alerts (backup failures, stale backups,
 * consent, restores, pruning, and identity alerts from each backup's diff), the thresholds of the
 * identity alerts, and one daily digest instead of single messages.
 */
@Component({
  selector: 'eb-notifications-card',
  imports: [
    FormsModule,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    MatSlideToggleModule,
    NotificationRecipients,
  ],
  template: `
    <mat-card appearance="outlined">
      <mat-card-header>
        <mat-card-title><h2>Notifications</h2></mat-card-title>
      </mat-card-header>
      @if (settings.isLoading()) {
        <mat-progress-bar mode="indeterminate" aria-label="Loading the notification settings" />
      }
      <mat-card-content>
        <p class="hint">
          Mail and webhooks are told when a backup fails or is partial, when there was no successful backup
          for 24 hours, when admin consent is revoked or a permission is missing, when a restore finishes and
          when pruning fails — and of risky changes in the tenant found in each backup: mass deletions,
          Conditional Access policies switched off or deleted, new Global or Privileged Role Administrators,
          new app credentials and many BitLocker keys read. Each alert links to the comparison that shows it.
        </p>

        <h3>Thresholds</h3>
        <form class="thresholds" aria-label="Alert thresholds" (ngSubmit)="saveSettings()">
          <mat-form-field appearance="outline">
            <mat-label>Mass deletion: more than</mat-label>
            <input
              matInput
              type="number"
              min="1"
              name="massDeletionThreshold"
              [ngModel]="draft().massDeletionThreshold"
              (ngModelChange)="setDraft('massDeletionThreshold', $event)"
            />
            <span matTextSuffix>objects of a type</span>
          </mat-form-field>
          <mat-form-field appearance="outline">
            <mat-label>BitLocker keys read: more than</mat-label>
            <input
              matInput
              type="number"
              min="1"
              name="bitlockerReadThreshold"
              [ngModel]="draft().bitlockerReadThreshold"
              (ngModelChange)="setDraft('bitlockerReadThreshold', $event)"
            />
            <span matTextSuffix>between backups</span>
          </mat-form-field>
          <mat-slide-toggle
            name="dailyDigest"
            [ngModel]="draft().dailyDigest"
            (ngModelChange)="setDraft('dailyDigest', $event)"
            >One daily digest instead of a message per alert</mat-slide-toggle
          >
          <button mat-stroked-button type="submit" [disabled]="saving() || !changed()">
            {{ saving() ? 'Saving…' : 'Save' }}
          </button>
        </form>
        @if (settingsError(); as message) {
          <p class="error" role="alert">{{ message }}</p>
        }

        <eb-notification-recipients [urls]="urls()" />
      </mat-card-content>
    </mat-card>
  `,
  styleUrl: './settings-cards.scss',
  styles: `
    .thresholds {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0 16px;
    }
    .error {
      color: var(--mat-sys-error);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NotificationsCard {
  private readonly api = inject(NotificationsApi);
  private readonly snackBar = inject(MatSnackBar);
  private readonly destroyRef = inject(DestroyRef);

  readonly tenantId = input.required<string>();

  protected readonly urls = computed(() => tenantNotificationUrls(this.tenantId()));
  protected readonly settings = alertSettingsResource(this.tenantId);
  private readonly saved = computed<AlertSettings>(() =>
    this.settings.hasValue() ? this.settings.value() : DEFAULT_ALERT_SETTINGS,
  );
  /** The form's values: the server's, plus what was typed; reset whenever the settings (re)load. */
  protected readonly draft = linkedSignal<AlertSettings>(() => this.saved());
  protected readonly changed = computed(() => JSON.stringify(this.draft()) !== JSON.stringify(this.saved()));
  protected readonly saving = signal(false);
  private readonly saveError = signal<string | undefined>(undefined);
  protected readonly settingsError = computed(() => {
    const error = this.settings.error();
    return error !== undefined
      ? `The alert settings could not be loaded: ${describeApiError(error)}`
      : this.saveError();
  });

  protected setDraft<K extends keyof AlertSettings>(key: K, value: AlertSettings[K]): void {
    this.draft.update((d) => ({ ...d, [key]: typeof d[key] === 'number' ? Number(value) : value }));
  }

  protected saveSettings(): void {
    const parsed = alertSettingsSchema.safeParse(this.draft());
    if (!parsed.success) {
      this.saveError.set('Thresholds are whole numbers of 1 or more');
      return;
    }
    this.saving.set(true);
    this.saveError.set(undefined);
    this.api
      .saveAlertSettings(this.tenantId(), parsed.data)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (value) => {
          this.saving.set(false);
          this.settings.set(value);
          this.snackBar.open('Alert settings saved', 'Close', { duration: 3000 });
        },
        error: (error: unknown) => {
          this.saving.set(false);
          this.saveError.set(`The alert settings were not saved: ${describeApiError(error)}`);
        },
      });
  }
}
