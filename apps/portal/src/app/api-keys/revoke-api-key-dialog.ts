import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import type { ApiKey } from '@entra-backup/common';
import { describeApiError } from '../core/http/api-error';
import { ApiKeysApi } from './api-keys.api';
import type { ApiKeyDialogData } from './rotate-api-key-dialog';

/** Asks before revoking a key; closes with the revoked key. */
@Component({
  selector: 'eb-revoke-api-key-dialog',
  imports: [MatButtonModule, MatDialogModule, MatProgressBarModule],
  template: `
    <h2 mat-dialog-title>Revoke {{ data.key.name }}?</h2>
    <mat-dialog-content>
      <p>
        <span class="mono">{{ data.key.prefix }}</span> is refused from its next request on. Scripts using it
        stop working. This cannot be undone.
      </p>
      @if (revoking()) {
        <mat-progress-bar mode="indeterminate" aria-label="Revoking the key" />
      }
      @if (error(); as message) {
        <p class="error-text" role="alert">{{ message }}</p>
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" mat-dialog-close>Cancel</button>
      <button mat-flat-button class="danger" type="button" [disabled]="revoking()" (click)="revokeKey()">
        Revoke key
      </button>
    </mat-dialog-actions>
  `,
  styles: `
    .danger {
      --mat-button-filled-container-color: var(--mat-sys-error);
      --mat-button-filled-label-text-color: var(--mat-sys-on-error);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RevokeApiKeyDialog {
  protected readonly data = inject<ApiKeyDialogData>(MAT_DIALOG_DATA);
  private readonly api = inject(ApiKeysApi);
  private readonly dialogRef = inject<MatDialogRef<RevokeApiKeyDialog, ApiKey>>(MatDialogRef);

  protected readonly revoking = signal(false);
  protected readonly error = signal<string | undefined>(undefined);

  protected revokeKey(): void {
    this.revoking.set(true);
    this.error.set(undefined);
    this.api.revokeKey(this.data.owner, this.data.key.keyId).subscribe({
      next: (key) => this.dialogRef.close(key),
      error: (error: unknown) => {
        this.revoking.set(false);
        this.error.set(describeApiError(error));
      },
    });
  }
}
