import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatRadioModule } from '@angular/material/radio';
import type { ApiKey, CreatedApiKey } from '@entra-backup/common';
import { describeApiError } from '../core/http/api-error';
import { ApiKeySecret } from './api-key-secret';
import { type ApiKeyOwner, ApiKeysApi } from './api-keys.api';

export interface ApiKeyDialogData {
  readonly owner: ApiKeyOwner;
  readonly key: ApiKey;
}

/** How long the old key keeps working after a rotation. */
const GRACE_CHOICES = [
  { minutes: 0, label: 'Stop the old key now' },
  { minutes: 60, label: 'Keep the old key working for an hour' },
  { minutes: 1440, label: 'Keep the old key working for a day' },
] as const;

/** Rotates a key (a new secret, same name and scopes), then shows the new key once. */
@Component({
  selector: 'eb-rotate-api-key-dialog',
  imports: [
    FormsModule,
    MatButtonModule,
    MatDialogModule,
    MatProgressBarModule,
    MatRadioModule,
    ApiKeySecret,
  ],
  template: `
    <h2 mat-dialog-title>{{ rotated() ? 'Key rotated' : 'Rotate ' + data.key.name + '?' }}</h2>
    <mat-dialog-content>
      @if (rotated(); as key) {
        <p>
          The new key for <strong>{{ key.name }}</strong> is <span class="mono">{{ key.prefix }}</span>.
        </p>
        <eb-api-key-secret [value]="key.key" />
      } @else {
        <p>
          <span class="mono">{{ data.key.prefix }}</span> gets a new secret with the same name, scopes and
          tenants. Scripts must switch to the new key.
        </p>
        <mat-radio-group
          class="grace"
          aria-label="What happens to the old key"
          [ngModel]="graceMinutes()"
          (ngModelChange)="graceMinutes.set($event)"
        >
          @for (choice of graceChoices; track choice.minutes) {
            <mat-radio-button [value]="choice.minutes">{{ choice.label }}</mat-radio-button>
          }
        </mat-radio-group>
        @if (rotating()) {
          <mat-progress-bar mode="indeterminate" aria-label="Rotating the key" />
        }
        @if (error(); as message) {
          <p class="error-text" role="alert">{{ message }}</p>
        }
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      @if (rotated(); as key) {
        <button mat-flat-button type="button" [mat-dialog-close]="key">Done</button>
      } @else {
        <button mat-button type="button" mat-dialog-close>Cancel</button>
        <button mat-flat-button type="button" [disabled]="rotating()" (click)="rotateKey()">
          Rotate key
        </button>
      }
    </mat-dialog-actions>
  `,
  styles: `
    .grace {
      display: flex;
      flex-direction: column;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RotateApiKeyDialog {
  protected readonly data = inject<ApiKeyDialogData>(MAT_DIALOG_DATA);
  private readonly api = inject(ApiKeysApi);

  protected readonly graceChoices = GRACE_CHOICES;
  protected readonly graceMinutes = signal<number>(0);
  protected readonly rotating = signal(false);
  protected readonly error = signal<string | undefined>(undefined);
  protected readonly rotated = signal<CreatedApiKey | undefined>(undefined);

  protected rotateKey(): void {
    this.rotating.set(true);
    this.error.set(undefined);
    this.api
      .rotateKey(this.data.owner, this.data.key.keyId, { graceMinutes: this.graceMinutes() })
      .subscribe({
        next: (key) => {
          this.rotating.set(false);
          this.rotated.set(key);
        },
        error: (error: unknown) => {
          this.rotating.set(false);
          this.error.set(describeApiError(error));
        },
      });
  }
}
