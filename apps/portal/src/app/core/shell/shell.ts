import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatMenuModule } from '@angular/material/menu';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatToolbarModule } from '@angular/material/toolbar';
import { MatTooltipModule } from '@angular/material/tooltip';
import { Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { PORTAL_PATHS } from '@entra-backup/common';
import { describeApiError } from '../http/api-error';
import { SessionStore } from '../session/session-store';

/**
 * The frame around every page: the product menu (top left), the demo-mode notice, the signed-in
 * user with "Sign out", and Settings (top right); under emergency access, a banner saying so.
 */
@Component({
  selector: 'eb-shell',
  imports: [
    MatToolbarModule,
    MatButtonModule,
    MatIconModule,
    MatMenuModule,
    MatTooltipModule,
    RouterLink,
    RouterLinkActive,
    RouterOutlet,
  ],
  templateUrl: './shell.html',
  styleUrl: './shell.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Shell {
  private readonly router = inject(Router);
  private readonly snackBar = inject(MatSnackBar);
  protected readonly session = inject(SessionStore);
  protected readonly signingOut = signal(false);
  /** Signed in with a break-glass account (emergency sign-in): browse and restore only. */
  protected readonly emergency = computed(() => this.session.user()?.kind === 'emergency');

  protected async signOut(): Promise<void> {
    this.signingOut.set(true);
    try {
      await this.session.signOut();
      await this.router.navigateByUrl(PORTAL_PATHS.home);
    } catch (error) {
      this.snackBar.open(`Could not sign out: ${describeApiError(error)}`, 'Close', {
        politeness: 'assertive',
      });
    } finally {
      this.signingOut.set(false);
    }
  }
}
