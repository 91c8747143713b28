import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { DatePipe } from '@angular/common';
import { describeApiError } from '../core/http/api-error';
import { BrowserLocation } from '../core/browser-location';
import { SettingsApi, consentStatusResource } from './settings.api';

/**
 * Admin consent of the backup app in the tenant: "Grant admin consent" while it is missing, the
 * result of the last attempt (from the callback's redirect), and the granted permissions.
 */
@Component({
  selector: 'eb-consent-card',
  imports: [DatePipe, MatButtonModule, MatCardModule, MatIconModule, MatProgressBarModule],
  templateUrl: './consent-card.html',
  styleUrl: './settings-cards.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ConsentCard {
  private readonly api = inject(SettingsApi);
  private readonly location = inject(BrowserLocation);

  readonly tenantId = input.required<string>();
  /** `granted` or `failed` after the consent callback. */
  readonly result = input<string>();
  /** The readable reason of a failed consent (Microsoft's `error_description`). */
  readonly resultError = input<string>();
  /**
   * Whether "Grant admin consent" is offered: only a Global Administrator of the tenant, signed
   * in to it, can grant it (partner staff send the customer an onboarding link instead).
   */
  readonly canGrant = input(true);

  protected readonly consent = consentStatusResource(this.tenantId);
  protected readonly starting = signal(false);
  protected readonly startError = signal<string | undefined>(undefined);
  protected readonly loadError = computed(() => {
    const error = this.consent.error();
    return error === undefined ? undefined : describeApiError(error);
  });
  protected readonly granted = computed(() => this.consent.hasValue() && this.consent.value().granted);

  protected grantConsent(): void {
    this.starting.set(true);
    this.startError.set(undefined);
    this.api.startConsent(this.tenantId()).subscribe({
      next: ({ redirectUrl }) => this.location.assign(redirectUrl),
      error: (error: unknown) => {
        this.starting.set(false);
        this.startError.set(describeApiError(error));
      },
    });
  }

  protected reload(): void {
    this.consent.reload();
  }
}
