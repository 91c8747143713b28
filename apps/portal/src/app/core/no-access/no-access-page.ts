import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { Router } from '@angular/router';
import { PORTAL_ADMIN_ROLES, PORTAL_PATHS } from '@entra-backup/common';
import { describeApiError } from '../http/api-error';
import { SessionStore } from '../session/session-store';

/** For signed-in users without an admin role: why they cannot use the backup, and a way out. */
@Component({
  selector: 'eb-no-access-page',
  imports: [MatButtonModule, MatCardModule, MatIconModule],
  template: `
    <mat-card appearance="outlined" class="card">
      <mat-card-content>
        <div class="state">
          <mat-icon class="icon" aria-hidden="true">lock</mat-icon>
          <div>
            <h1>No access</h1>
            @if (session.user(); as user) {
              <p>
                You are signed in as <strong>{{ user.name }}</strong> ({{ user.upn }}), who does not hold a
                role that may use Entra Backup.
              </p>
            }
            <p>
              Only a {{ roles }} of the tenant may back it up. Ask one of them for access, or sign in as
              another user.
            </p>
            @if (error(); as message) {
              <p class="error" role="alert">{{ message }}</p>
            }
            <button mat-flat-button type="button" [disabled]="signingOut()" (click)="signOut()">
              Sign out
            </button>
          </div>
        </div>
      </mat-card-content>
    </mat-card>
  `,
  styles: `
    .card {
      max-width: 640px;
      margin: 32px auto 0;
    }
    .state {
      display: flex;
      gap: 16px;
      padding: 8px;
    }
    .icon {
      font-size: 40px;
      width: 40px;
      height: 40px;
      color: var(--mat-sys-error);
    }
    h1 {
      font: var(--mat-sys-headline-small);
      margin: 0 0 12px;
    }
    p {
      margin: 0 0 12px;
    }
    .error {
      color: var(--mat-sys-error);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NoAccessPage {
  private readonly router = inject(Router);
  protected readonly session = inject(SessionStore);
  protected readonly roles = PORTAL_ADMIN_ROLES.map((r) => r.name).join(' or ');
  protected readonly signingOut = signal(false);
  protected readonly error = signal<string | undefined>(undefined);

  protected async signOut(): Promise<void> {
    this.signingOut.set(true);
    try {
      await this.session.signOut();
      await this.router.navigateByUrl(PORTAL_PATHS.home);
    } catch (error) {
      this.error.set(`Could not sign out: ${describeApiError(error)}`);
    } finally {
      this.signingOut.set(false);
    }
  }
}
