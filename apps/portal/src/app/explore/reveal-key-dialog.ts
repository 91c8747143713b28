import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { describeApiError } from '../core/http/api-error';
import { ExploreApi } from './explore.api';

export interface RevealKeyDialogData {
  readonly tenantId: string;
  readonly snapshot: string;
  readonly keyId: string;
  readonly device: string;
}

/** Confirms, then reveals one BitLocker recovery key; the service records who revealed it. */
@Component({
  selector: 'eb-reveal-key-dialog',
  imports: [MatButtonModule, MatDialogModule, MatIconModule, MatProgressBarModule],
  template: `
    <h2 mat-dialog-title>{{ key() ? 'Recovery key' : 'Reveal recovery key?' }}</h2>
    <mat-dialog-content>
      @if (key(); as value) {
        <p>Recovery key of {{ data.device }}:</p>
        <!-- Wraps only between the key's groups of digits, never inside one (no spaces added). -->
        <!-- prettier-ignore -->
        <p class="key mono" aria-label="Recovery key">@for (group of keyGroups(value); track $index) {{{ group }}@if (!$last) {<wbr />}}</p>
        <p class="muted">This reveal was recorded in the audit trail.</p>
      } @else {
        <p>
          The recovery key of <strong>{{ data.device }}</strong> unlocks its drive. Revealing it is recorded
          in the audit trail with your name.
        </p>
        @if (revealing()) {
          <mat-progress-bar mode="indeterminate" aria-label="Revealing the key" />
        }
        @if (error(); as message) {
          <p class="error" role="alert">{{ message }}</p>
        }
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      @if (key()) {
        <button mat-flat-button type="button" mat-dialog-close>Done</button>
      } @else {
        <button mat-button type="button" mat-dialog-close>Cancel</button>
        <button mat-flat-button type="button" [disabled]="revealing()" (click)="revealKey()">
          Reveal key
        </button>
      }
    </mat-dialog-actions>
  `,
  styles: `
    .key {
      font-size: 1.1rem;
    }
    .error {
      color: var(--mat-sys-error);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RevealKeyDialog {
  protected readonly data = inject<RevealKeyDialogData>(MAT_DIALOG_DATA);
  private readonly api = inject(ExploreApi);
  protected readonly key = signal<string | undefined>(undefined);
  protected readonly revealing = signal(false);
  protected readonly error = signal<string | undefined>(undefined);

  /** The key cut after each hyphen ("123456-", "654321-", …, "111111"). */
  protected keyGroups(key: string): string[] {
    return key.split(/(?<=-)/);
  }

  protected revealKey(): void {
    this.revealing.set(true);
    this.error.set(undefined);
    this.api.revealKey(this.data.tenantId, this.data.snapshot, this.data.keyId).subscribe({
      next: (answer) => {
        this.revealing.set(false);
        this.key.set(answer.key);
      },
      error: (error: unknown) => {
        this.revealing.set(false);
        this.error.set(describeApiError(error));
      },
    });
  }
}
