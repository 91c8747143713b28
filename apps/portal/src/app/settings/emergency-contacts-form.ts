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
import { MatInputModule } from '@angular/material/input';
import { MatSnackBar } from '@angular/material/snack-bar';
import { describeApiError } from '../core/http/api-error';
import { EmergencyAccessApi, emergencyContactsResource } from './emergency-access.api';

/**
 * Who is told of every emergency sign-in: email addresses (one per line) and an optional webhook.
 * The same form for a tenant's contacts (its Settings) and a partner's (its Staff page); `url` is
 * the contacts resource of either.
 */
@Component({
  selector: 'eb-emergency-contacts-form',
  imports: [FormsModule, MatButtonModule, MatFormFieldModule, MatInputModule],
  template: `
    @if (contacts.error()) {
      <p class="error" role="alert">The contacts could not be loaded: {{ loadError() }}</p>
    }
    <form class="contacts" [attr.aria-label]="label()" (ngSubmit)="save()">
      <mat-form-field appearance="outline">
        <mat-label>Email addresses</mat-label>
        <textarea
          matInput
          name="emails"
          rows="3"
          [placeholder]="emailExample()"
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
          [placeholder]="webhookExample()"
          [ngModel]="webhookUrl()"
          (ngModelChange)="webhookUrl.set($event)"
        />
      </mat-form-field>
      <button mat-stroked-button type="submit" [disabled]="saving()">Save contacts</button>
    </form>
    @if (saveError(); as message) {
      <p class="error" role="alert">The contacts were not saved: {{ message }}</p>
    }
  `,
  styles: `
    .contacts {
      display: flex;
      flex-wrap: wrap;
      gap: 0 12px;
      align-items: baseline;

      mat-form-field {
        min-width: 220px;
      }
    }
    .error {
      color: var(--mat-sys-error);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class EmergencyContactsForm {
  private readonly api = inject(EmergencyAccessApi);
  private readonly snackBar = inject(MatSnackBar);
  private readonly destroyRef = inject(DestroyRef);

  /** The contacts resource: `tenants/:id/emergency-contacts` or `partners/:id/emergency-contacts`. */
  readonly url = input.required<string>();
  /** The form's accessible name. */
  readonly label = input('Emergency contacts');
  readonly emailExample = input('soc@contoso.com');
  readonly webhookExample = input('https://hooks.contoso.com/…');

  protected readonly contacts = emergencyContactsResource(computed(() => this.url()));
  /** The form, reset from the server whenever the contacts (re)load. */
  protected readonly emails = linkedSignal(() =>
    this.contacts.hasValue() ? (this.contacts.value()?.emails ?? []).join('\n') : '',
  );
  protected readonly webhookUrl = linkedSignal(() =>
    this.contacts.hasValue() ? (this.contacts.value()?.webhookUrl ?? '') : '',
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
    this.saving.set(true);
    this.saveError.set(undefined);
    this.api
      .saveContacts(this.url(), { emails, webhookUrl: webhookUrl === '' ? null : webhookUrl })
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
