import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';

export interface HandOverDialogData {
  /** The customer tenant's name. */
  readonly tenantName: string;
}

const PARTNER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Which partner takes a customer tenant over: its partner id, which the receiving partner's Owner
 * reads from their partner portal's address (`/partner/<id>`). Closes with that id.
 */
@Component({
  selector: 'eb-hand-over-dialog',
  imports: [FormsModule, MatButtonModule, MatDialogModule, MatFormFieldModule, MatInputModule],
  template: `
    <h2 mat-dialog-title>Hand over {{ data.tenantName }}</h2>
    <form (submit)="$event.preventDefault(); handOver()">
      <mat-dialog-content>
        <p>
          Another partner takes over this customer: your staff and keys lose access to it at once, and the
          receiving partner's staff gain it. The customer's backups stay as they are.
        </p>
        <mat-form-field class="wide">
          <mat-label>Partner id of the receiving partner</mat-label>
          <input
            matInput
            name="toPartnerId"
            required
            autocomplete="off"
            [ngModel]="partnerId()"
            (ngModelChange)="partnerId.set($event.trim())"
          />
          <mat-hint>Its Owner finds it in their partner portal's address: /partner/&lt;id&gt;</mat-hint>
          @if (partnerId() !== '' && !valid()) {
            <mat-error>A partner id looks like 5d1c6c8e-3f7a-4a7e-b1d9-0e2f4a6b8c10</mat-error>
          }
        </mat-form-field>
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>Cancel</button>
        <button mat-flat-button type="submit" [disabled]="!valid()">Hand over</button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    p {
      margin: 0 0 16px;
    }
    .wide {
      width: 100%;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class HandOverDialog {
  protected readonly data = inject<HandOverDialogData>(MAT_DIALOG_DATA);
  private readonly ref = inject<MatDialogRef<HandOverDialog, string>>(MatDialogRef);
  protected readonly partnerId = signal('');
  protected readonly valid = computed(() => PARTNER_ID.test(this.partnerId()));

  protected handOver(): void {
    if (this.valid()) this.ref.close(this.partnerId().toLowerCase());
  }
}
