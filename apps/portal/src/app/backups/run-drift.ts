import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';
import { type BackupDrift, type ObjectTypeKey, objectTypeLabel } from '@entra-backup/common';

const KIND_LABELS = {
  missing: 'Missing from the incremental state',
  stale: 'Gone from the tenant, still held',
  changed: 'Held with other values',
} as const;

/**
 * What a reconciliation (a full read after incremental runs) found the incremental state had
 * wrong: objects and relationship links per type, each drifted object with the links that
 * differed. Expected: none.
 */
@Component({
  selector: 'eb-run-drift',
  imports: [DecimalPipe, MatIconModule],
  template: `
    @let d = drift();
    @if (d.objects === 0) {
      <p class="status-line">
        <mat-icon aria-hidden="true" class="ok-icon">check_circle</mat-icon>
        <span>Drift 0: the full read found exactly what the incremental backups before it held.</span>
      </p>
    } @else {
      <p class="status-line">
        <mat-icon aria-hidden="true" class="warn-icon">warning</mat-icon>
        <span>
          Drift: {{ d.objects | number }} {{ d.objects === 1 ? 'object' : 'objects' }} and
          {{ d.links | number }} {{ d.links === 1 ? 'link' : 'links' }} differed from the incremental state.
          This backup holds what the full read found.
        </span>
      </p>
      <table class="drift-types" aria-label="Drift per type">
        <thead>
          <tr>
            <th scope="col">Type</th>
            <th scope="col">Objects</th>
            <th scope="col">Links</th>
          </tr>
        </thead>
        <tbody>
          @for (row of perType(); track row.type) {
            <tr>
              <td>{{ row.label }}</td>
              <td>{{ row.objects | number }}</td>
              <td>{{ row.links | number }}</td>
            </tr>
          }
        </tbody>
      </table>
      <ul class="drift-items" aria-label="Drifted objects">
        @for (item of d.items; track item.type + item.collection + item.objectId) {
          <li>
            <p>
              <strong>{{ item.name ?? item.objectId }}</strong> · {{ typeLabel(item.type) }}
              <span class="mono">{{ item.objectId }}</span> · {{ kindLabel(item.kind) }}
            </p>
            @for (link of item.links; track link.relation) {
              <p class="links">
                {{ link.relation }}:
                @if (link.added.length > 0) {
                  added <span class="mono">{{ link.added.join(', ') }}</span>
                }
                @if (link.removed.length > 0) {
                  dropped <span class="mono">{{ link.removed.join(', ') }}</span>
                }
              </p>
            }
          </li>
        }
      </ul>
      @if (d.truncated) {
        <p class="hint">The first {{ d.items.length }} objects are listed; the server log names every one.</p>
      }
    }
  `,
  styles: `
    .status-line {
      display: flex;
      gap: 8px;
      align-items: flex-start;
    }
    .ok-icon {
      color: #1e7b3a;
    }
    .warn-icon {
      color: #8a6100;
    }
    .drift-types {
      border-collapse: collapse;
      th,
      td {
        text-align: left;
        padding: 4px 16px 4px 0;
      }
    }
    .drift-items p {
      margin: 4px 0;
    }
    .links {
      color: var(--mat-sys-on-surface-variant);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RunDrift {
  readonly drift = input.required<BackupDrift>();

  protected readonly perType = computed(() =>
    Object.entries(this.drift().types).map(([type, figures]) => ({
      type,
      label: objectTypeLabel(type as ObjectTypeKey),
      objects: figures?.objects ?? 0,
      links: figures?.links ?? 0,
    })),
  );

  protected typeLabel(type: ObjectTypeKey): string {
    return objectTypeLabel(type);
  }

  protected kindLabel(kind: keyof typeof KIND_LABELS): string {
    return KIND_LABELS[kind];
  }
}
