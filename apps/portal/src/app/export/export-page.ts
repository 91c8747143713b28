import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  input,
  linkedSignal,
  signal,
} from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { OBJECT_TYPES, type ObjectTypeKey, snapshotExportPath } from '@entra-backup/common';
import { TenantContext } from '../core/tenant/tenant-context';

/**
 * Download a snapshot as a zip of the export format (`/export?snapshot=<ref>`): all types or
 * chosen ones; BitLocker recovery keys only when asked for and confirmed (the API records it in
 * the audit trail). The download is a plain link: the browser streams the zip to disk.
 */
@Component({
  selector: 'eb-export-page',
  imports: [
    FormsModule,
    MatButtonModule,
    MatCardModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
  ],
  templateUrl: './export-page.html',
  styleUrl: './export-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ExportPage {
  protected readonly context = inject(TenantContext);

  /** Query parameter: a snapshot id, sequence number or `latest`. */
  readonly snapshot = input<string | undefined>();

  protected readonly types = OBJECT_TYPES;
  protected readonly snapshotRef = linkedSignal(() => this.snapshot()?.trim() || 'latest');
  protected readonly allTypes = signal(true);
  protected readonly chosen = signal<ReadonlySet<ObjectTypeKey>>(new Set());
  protected readonly keysWanted = signal(false);
  protected readonly keysConfirmed = signal(false);

  protected readonly exportsKeys = computed(() => this.allTypes() || this.chosen().has('bitlockerKeys'));
  protected readonly problem = computed(() => {
    if (this.snapshotRef().trim() === '') return 'Name a snapshot (an id, a number or “latest”).';
    if (!this.allTypes() && this.chosen().size === 0) return 'Choose at least one object type.';
    if (this.keysWanted() && !this.keysConfirmed())
      return 'Confirm that the download may hold recovery keys.';
    return undefined;
  });
  protected readonly downloadUrl = computed(() => {
    const tenantId = this.context.tenantId();
    if (tenantId === undefined || this.problem() !== undefined) return undefined;
    const types = this.allTypes()
      ? undefined
      : OBJECT_TYPES.map((t) => t.key).filter((k) => this.chosen().has(k));
    return `/api${snapshotExportPath(tenantId, this.snapshotRef().trim(), {
      ...(types === undefined ? {} : { types }),
      bitlockerKeys: this.keysWanted() && this.exportsKeys(),
    })}`;
  });

  protected setAllTypes(all: boolean): void {
    this.allTypes.set(all);
  }

  protected toggleType(key: ObjectTypeKey, on: boolean): void {
    this.chosen.update((set) => {
      const next = new Set(set);
      if (on) next.add(key);
      else next.delete(key);
      return next;
    });
  }

  protected setKeysWanted(wanted: boolean): void {
    this.keysWanted.set(wanted);
    if (!wanted) this.keysConfirmed.set(false);
  }
}
