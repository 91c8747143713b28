import { DatePipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  inject,
  input,
  signal,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import {
  BREAK_GLASS_PASSWORD_MIN_LENGTH,
  type BreakGlassAccount,
  type CreatedBreakGlassAccount,
  weakPasswordReason,
} from '@entra-backup/common';
import { describeApiError } from '../core/http/api-error';
import {
  EmergencyAccessApi,
  breakGlassAccountsResource,
  emergencyContactsUrl,
  recentNotificationsResource,
} from './emergency-access.api';
import { EmergencyContactsForm } from './emergency-contacts-form';

/**
 * Emergency access of one tenant, set up before it is needed: break-glass accounts (user name,
 * password, authenticator app; the QR code is shown once, right after creating one), the
 * contacts told of every emergency sign-in, and the latest notifications with their delivery.
 */
@Component({
  selector: 'eb-emergency-access-card',
  imports: [
    DatePipe,
    FormsModule,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    EmergencyContactsForm,
  ],
  templateUrl: './emergency-access-card.html',
  styleUrls: ['./settings-cards.scss', './emergency-access-card.scss'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class EmergencyAccessCard {
  private readonly api = inject(EmergencyAccessApi);
  private readonly snackBar = inject(MatSnackBar);
  private readonly destroyRef = inject(DestroyRef);

  readonly tenantId = input.required<string>();

  protected readonly accounts = breakGlassAccountsResource(this.tenantId);
  protected readonly contactsUrl = computed(() => emergencyContactsUrl(this.tenantId()));
  protected readonly notifications = recentNotificationsResource(this.tenantId);
  protected readonly minLength = BREAK_GLASS_PASSWORD_MIN_LENGTH;

  protected readonly username = signal('');
  protected readonly password = signal('');
  protected readonly confirmation = signal('');
  protected readonly creating = signal(false);
  protected readonly createError = signal<string | undefined>(undefined);
  /** The account just created, with its TOTP secret: shown until dismissed, never again. */
  protected readonly created = signal<CreatedBreakGlassAccount | undefined>(undefined);
  /** The account whose deletion waits for a second click. */
  protected readonly confirmingDelete = signal<string | undefined>(undefined);

  protected readonly passwordProblem = computed(() => {
    if (this.password() === '') return undefined;
    const reason = weakPasswordReason(this.password(), this.username());
    if (reason !== undefined) return `Too weak: ${reason}.`;
    if (this.confirmation() !== '' && this.confirmation() !== this.password()) return 'The passwords differ.';
    return undefined;
  });
  protected readonly mayCreate = computed(
    () =>
      /^[A-Za-z0-9._-]{3,64}$/.test(this.username().trim()) &&
      this.password() !== '' &&
      this.password() === this.confirmation() &&
      this.passwordProblem() === undefined &&
      !this.creating(),
  );
  protected readonly accountsError = computed(() => {
    const error = this.accounts.error();
    return error === undefined ? undefined : describeApiError(error);
  });

  protected createAccount(): void {
    if (!this.mayCreate()) return;
    const tenantId = this.tenantId();
    this.creating.set(true);
    this.createError.set(undefined);
    this.api
      .createAccount(tenantId, { username: this.username().trim(), password: this.password() })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (created) => {
          this.creating.set(false);
          this.created.set(created);
          this.username.set('');
          this.password.set('');
          this.confirmation.set('');
          this.accounts.reload();
        },
        error: (error: unknown) => {
          this.creating.set(false);
          this.createError.set(describeApiError(error));
        },
      });
  }

  protected dismissSecret(): void {
    this.created.set(undefined);
  }

  protected deleteAccount(account: BreakGlassAccount): void {
    if (this.confirmingDelete() !== account.accountId) {
      this.confirmingDelete.set(account.accountId);
      return;
    }
    this.confirmingDelete.set(undefined);
    this.api
      .deleteAccount(this.tenantId(), account.accountId)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: () => {
          this.accounts.reload();
          this.snackBar.open(`Break-glass account ${account.username} deleted`, 'Close', { duration: 3000 });
        },
        error: (error: unknown) =>
          this.snackBar.open(`Could not delete ${account.username}: ${describeApiError(error)}`, 'Close', {
            duration: 8000,
            politeness: 'assertive',
          }),
      });
  }
}
