import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  inject,
  input,
  linkedSignal,
  signal,
} from '@angular/core';
import { HttpClient, httpResource } from '@angular/common/http';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSnackBar } from '@angular/material/snack-bar';
import { type UpdateEmergencyContactsRequest, emergencyContactsSchema } from '@entra-backup/common';
import { describeApiError } from '../core/http/api-error';
import { partnerUrl } from './partner.api';

export const partnerContactsUrl = (partnerId: string) => `${partnerUrl(partnerId)}/emergency-contacts`;

/**
 * The partner's contacts, told (beside each customer's own) of every emergency sign-in into one of
 * its customers' tenants: email addresses and an optional webhook. For the partner's Owners.
 */
@Component({
  selector: 'eb-partner-contacts-card',
  imports: [FormsModule, MatButtonModule, MatCardModule, MatFormFieldModule, MatInputModule],
  template: `
    <mat-card appearance="outlined">
      <mat-card-header>
        <mat-card-title><h2>Emergency contacts</h2></mat-card-title>
        <mat-card-subtitle
          >Told of every emergency sign-in into one of your customers' tenants</mat-card-subtitle
        >
      </mat-card-header>
      <mat-card-content>
        @if (contacts.error()) {
          <p class="error" role="alert">The contacts could not be loaded: {{ loadError() }}</p>
        }
        <form class="contacts" aria-label="Partner emergency contacts" (ngSubmit)="save()">
          <mat-form-field appearance="outline">
            <mat-label>Email addresses</mat-label>
            <textarea
              matInput
              name="emails"
              rows="3"
              placeholder="soc@northwind-it.com"
              [ngModel]="emails()"
              (ngModelChange)="emails.set($event)"
            ></textarea>
            <mat-hint>One per line</mat-hint>
          </mat-form-field>
          <mat-form-field appearance="outline">
            <mat-label>Webhook URL (optional)</mat-label>
            <input
              matInput
              name="webhookUrl"
              placeholder="https://hooks.northwind-it.com/…"
              [ngModel]="webhookUrl()"
              (ngModelChange)="webhookUrl.set($event)"
            />
          </mat-form-field>
          <div>
            <button mat-stroked-button type="submit" [disabled]="saving() || !contacts.hasValue()">
              Save contacts
            </button>
          </div>
        </form>
        @if (saveError(); as message) {
          <p class="error" role="alert">The contacts were not saved: {{ message }}</p>
        }
      </mat-card-content>
    </mat-card>
  `,
  styles: `
    .contacts {
      display: flex;
      flex-direction: column;
      gap: 8px;
      max-width: 560px;
    }
    .error {
      color: var(--mat-sys-error);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PartnerContactsCard {
  private readonly http = inject(HttpClient);
  private readonly snackBar = inject(MatSnackBar);
  private readonly destroyRef = inject(DestroyRef);

  readonly partnerId = input.required<string>();

  protected readonly contacts = httpResource(() => partnerContactsUrl(this.partnerId()), {
    parse: (raw) => emergencyContactsSchema.parse(raw),
  });
  /** The form, reset from the server whenever the contacts (re)load. */
  protected readonly emails = linkedSignal(() =>
    this.contacts.hasValue() ? this.contacts.value().emails.join('\n') : '',
  );
  protected readonly webhookUrl = linkedSignal(() =>
    this.contacts.hasValue() ? (this.contacts.value().webhookUrl ?? '') : '',
  );
  protected readonly saving = signal(false);
  protected readonly saveError = signal<string | undefined>(undefined);

  protected loadError(): string {
    return describeApiError(this.contacts.error());
  }

  protected save(): void {
    const emails = this.emails()
      .split(/[\s,;]+/)
      .map((e) => e.trim())
      .filter((e) => e !== '');
    const webhookUrl = this.webhookUrl().trim();
    const body: UpdateEmergencyContactsRequest = {
      emails,
      webhookUrl: webhookUrl === '' ? null : webhookUrl,
    };
    this.saving.set(true);
    this.saveError.set(undefined);
    this.http
      .put<unknown>(partnerContactsUrl(this.partnerId()), body)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: () => {
          this.saving.set(false);
          this.contacts.reload();
          this.snackBar.open('Emergency contacts saved', 'Close', { duration: 3000 });
        },
        error: (error: unknown) => {
          this.saving.set(false);
          this.saveError.set(describeApiError(error));
        },
      });
  }
}
