import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { OBJECT_TYPES, type ObjectTypeKey } from '@entra-backup/common';

export interface EnableTypesDialogData {
  /** How many tenants the types are switched on in. */
  readonly tenantCount: number;
}

/**
 * Which object types to switch on in the selected tenants (a bulk action of the partner
 * dashboard). Types not chosen stay as each tenant has them. Closes with the chosen keys.
 */
@Component({
  selector: 'eb-enable-types-dialog',
  imports: [MatButtonModule, MatCheckboxModule, MatDialogModule],
  template: `
    <h2 mat-dialog-title>Enable types</h2>
    <mat-dialog-content>
      <p>
        Switch these types on in {{ data.tenantCount }} {{ data.tenantCount === 1 ? 'tenant' : 'tenants' }}.
        Types you do not choose stay as each tenant has them.
      </p>
      <fieldset>
        <legend class="sr-only">Object types</legend>
        <ul class="types">
          @for (type of types; track type.key) {
            <li>
              <mat-checkbox [checked]="chosen().has(type.key)" (change)="toggle(type.key, $event.checked)">{{
                type.label
              }}</mat-checkbox>
            </li>
          }
        </ul>
      </fieldset>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" mat-dialog-close>Cancel</button>
      <button mat-flat-button type="button" [disabled]="chosen().size === 0" (click)="enable()">
        {{ enableLabel() }}
      </button>
    </mat-dialog-actions>
  `,
  styles: `
    p {
      margin: 0 0 8px;
    }
    fieldset {
      border: 0;
      margin: 0;
      padding: 0;
    }
    .types {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(200px, 1fr));
    }
    .sr-only {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
      white-space: nowrap;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class EnableTypesDialog {
  protected readonly data = inject<EnableTypesDialogData>(MAT_DIALOG_DATA);
  private readonly dialogRef = inject<MatDialogRef<EnableTypesDialog, ObjectTypeKey[]>>(MatDialogRef);

  protected readonly types = OBJECT_TYPES;
  protected readonly chosen = signal<ReadonlySet<ObjectTypeKey>>(new Set());
  protected readonly enableLabel = computed(() => {
    const n = this.chosen().size;
    return n === 0 ? 'Enable' : `Enable ${n} ${n === 1 ? 'type' : 'types'}`;
  });

  protected toggle(key: ObjectTypeKey, checked: boolean): void {
    const next = new Set(this.chosen());
    if (checked) next.add(key);
    else next.delete(key);
    this.chosen.set(next);
  }

  protected enable(): void {
    // In the registry's order, whatever order they were ticked in.
    this.dialogRef.close(this.types.map((t) => t.key).filter((key) => this.chosen().has(key)));
  }
}
