import { formatDate } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  LOCALE_ID,
  computed,
  inject,
  input,
  signal,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatSnackBar } from '@angular/material/snack-bar';
import { confirmAction } from '../core/confirm-dialog';
import { describeApiError } from '../core/http/api-error';
import { SettingsApi, partnerLinkResource } from './settings.api';

/**
 * "Managed by partner", for the tenant's own admins: which partner looks after the tenant and
 * since when, and "Revoke partner access" (after a confirmation). Nothing shows while no
 * partner manages the tenant.
 */
@Component({
  selector: 'eb-partner-link-card',
  imports: [MatButtonModule, MatCardModule, MatIconModule],
  template: `
    @if (loadError(); as message) {
      <mat-card appearance="outlined">
        <mat-card-header>
          <mat-card-title><h2>Managed by partner</h2></mat-card-title>
        </mat-card-header>
        <mat-card-content>
          <div class="state error" role="alert">
            <mat-icon aria-hidden="true">error_outline</mat-icon>
            <div>
              <p class="state-title">The partner link could not be loaded.</p>
              <p>{{ message }}</p>
              <button mat-stroked-button type="button" (click)="reload()">Try again</button>
            </div>
          </div>
        </mat-card-content>
      </mat-card>
    } @else if (partner(); as p) {
      <mat-card appearance="outlined">
        <mat-card-header>
          <mat-card-title><h2>Managed by partner</h2></mat-card-title>
        </mat-card-header>
        <mat-card-content>
          <p class="status-line">
            <mat-icon aria-hidden="true">handshake</mat-icon>
            <span>
              <strong>{{ p.name }}</strong> looks after this tenant's backups{{ since() }}. Its staff see the
              backups and, as their roles allow, change settings, back up and restore.
            </span>
          </p>
          <p class="hint">
            Revoking ends the partner's access at once; your own access and the backups stay as they are.
          </p>
          @if (revokeError(); as message) {
            <p class="error-text" role="alert">Could not revoke the partner's access: {{ message }}</p>
          }
        </mat-card-content>
        <mat-card-actions>
          <button mat-stroked-button type="button" [disabled]="revoking()" (click)="revoke(p.name)">
            <mat-icon aria-hidden="true">link_off</mat-icon>
            Revoke partner access
          </button>
        </mat-card-actions>
      </mat-card>
    }
  `,
  styleUrl: './settings-cards.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PartnerLinkCard {
  private readonly api = inject(SettingsApi);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly destroyRef = inject(DestroyRef);
  private readonly locale = inject(LOCALE_ID);

  readonly tenantId = input.required<string>();

  protected readonly link = partnerLinkResource(this.tenantId);
  protected readonly partner = computed(() => (this.link.hasValue() ? this.link.value().partner : null));
  /** " since Nov 1, 2026", or nothing when the date is not known. */
  protected readonly since = computed(() => {
    const linkedAt = this.link.hasValue() ? this.link.value().linkedAt : null;
    return linkedAt === null ? '' : ` since ${formatDate(linkedAt, 'mediumDate', this.locale)}`;
  });
  protected readonly loadError = computed(() => {
    const error = this.link.error();
    return error === undefined ? undefined : describeApiError(error);
  });
  protected readonly revoking = signal(false);
  protected readonly revokeError = signal<string | undefined>(undefined);

  protected revoke(partnerName: string): void {
    const tenantId = this.tenantId();
    confirmAction(this.dialog, {
      title: `Revoke ${partnerName}'s access?`,
      message:
        `${partnerName} will no longer see or manage this tenant's backups. ` +
        'To give it access again, accept a new onboarding link from it.',
      confirm: 'Revoke access',
    })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe((confirmed) => {
        if (!confirmed) return;
        this.revoking.set(true);
        this.revokeError.set(undefined);
        this.api
          .revokePartnerLink(tenantId)
          .pipe(takeUntilDestroyed(this.destroyRef))
          .subscribe({
            next: () => {
              this.revoking.set(false);
              this.snackBar.open(`${partnerName} no longer has access to this tenant`, 'Close', {
                duration: 5000,
              });
              this.link.reload();
            },
            error: (error: unknown) => {
              this.revoking.set(false);
              this.revokeError.set(describeApiError(error));
            },
          });
      });
  }

  protected reload(): void {
    this.link.reload();
  }
}
