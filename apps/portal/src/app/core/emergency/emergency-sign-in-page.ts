import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { Router, RouterLink } from '@angular/router';
import { GUID_PATTERN } from '@entra-backup/common';
import { describeApiError } from '../http/api-error';
import { SessionStore } from '../session/session-store';
import { EmergencyApi } from './emergency.api';

/**
 * Emergency sign-in (`/emergency`): a break-glass account's tenant id, user name, password and
 * the 6-digit code of its authenticator app. Works while Microsoft sign-in does not; the session
 * may then browse the tenant's backups and restore, nothing else.
 */
@Component({
  selector: 'eb-emergency-sign-in-page',
  imports: [
    FormsModule,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    RouterLink,
  ],
  templateUrl: './emergency-sign-in-page.html',
  styleUrl: './emergency-sign-in-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class EmergencySignInPage {
  private readonly api = inject(EmergencyApi);
  private readonly session = inject(SessionStore);
  private readonly router = inject(Router);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly tenantId = signal('');
  protected readonly username = signal('');
  protected readonly password = signal('');
  protected readonly code = signal('');
  protected readonly signingIn = signal(false);
  protected readonly error = signal<string | undefined>(undefined);

  protected readonly problem = computed(() => {
    if (!GUID_PATTERN.test(this.tenantId().trim())) return 'Enter the tenant id (a GUID).';
    if (this.username().trim() === '') return 'Enter the user name.';
    if (this.password() === '') return 'Enter the password.';
    if (!/^\d{6}$/.test(this.code().trim())) return 'Enter the 6-digit code of the authenticator app.';
    return undefined;
  });

  protected signIn(): void {
    if (this.problem() !== undefined || this.signingIn()) return;
    this.signingIn.set(true);
    this.error.set(undefined);
    this.api
      .signIn({
        tenantId: this.tenantId().trim(),
        username: this.username().trim(),
        password: this.password(),
        code: this.code().trim(),
      })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: () => void this.openBackups(),
        error: (error: unknown) => {
          this.signingIn.set(false);
          // A code is single-use: the next try needs the next one.
          this.code.set('');
          this.error.set(describeApiError(error));
        },
      });
  }

  /** The session now holds the break-glass account: load it, then open the backups. */
  private async openBackups(): Promise<void> {
    await this.session.load();
    this.signingIn.set(false);
    await this.router.navigateByUrl('/backups');
  }
}
