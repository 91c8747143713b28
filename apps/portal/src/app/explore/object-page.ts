import { JsonPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTooltipModule } from '@angular/material/tooltip';
import { RouterLink } from '@angular/router';
import { isObjectTypeKey, MASKED_VALUE, type ObjectDetail, objectTypeLabel } from '@entra-backup/common';
import { describeApiError } from '../core/http/api-error';
import { TenantContext } from '../core/tenant/tenant-context';
import { formatCell, formatScalar, propertyLabel } from './browse-format';
import { objectDetailResource, restoreLink } from './explore.api';

export interface PropertyRow {
  readonly name: string;
  readonly label: string;
  readonly text: string;
  /** Lists and deeper objects keep their JSON. */
  readonly json?: unknown;
  readonly masked: boolean;
}

export interface PropertyGroup {
  readonly title: string;
  /** The top-level property the group shows (restorable on its own), or null for the general group. */
  readonly property: string | null;
  readonly rows: readonly PropertyRow[];
}

/**
 * One object as of a snapshot (`/objects/:type/:collection/:objectId?snapshot=`): its table
 * columns, its properties grouped and readable, its relationships by name with links, the raw
 * JSON with secrets masked, and the ways to restore it.
 */
@Component({
  selector: 'eb-object-page',
  imports: [
    JsonPipe,
    RouterLink,
    MatButtonModule,
    MatCardModule,
    MatIconModule,
    MatProgressBarModule,
    MatTooltipModule,
  ],
  templateUrl: './object-page.html',
  styleUrl: './object-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ObjectPage {
  protected readonly context = inject(TenantContext);
  readonly type = input.required<string>();
  readonly collection = input.required<string>();
  readonly objectId = input.required<string>();
  readonly snapshot = input<string>();

  protected readonly tenantId = this.context.tenantId;
  protected readonly ref = computed(() => ({
    snapshot: this.snapshot() ?? 'latest',
    type: this.type(),
    collection: this.collection(),
    objectId: this.objectId(),
  }));
  protected readonly detail = objectDetailResource(this.tenantId, this.ref);
  protected readonly object = computed(() => (this.detail.hasValue() ? this.detail.value() : undefined));
  protected readonly typeLabel = computed(() => {
    const type = this.type();
    return isObjectTypeKey(type) ? objectTypeLabel(type) : type;
  });
  protected readonly overview = computed(() => {
    const o = this.object();
    return o === undefined
      ? []
      : o.columns.map((c) => ({ label: c.label, text: formatCell(c, o.values[c.key]) }));
  });
  protected readonly groups = computed(() => {
    const o = this.object();
    return o === undefined ? [] : propertyGroups(o);
  });
  protected readonly relations = computed(() =>
    (this.object()?.relations ?? []).filter((r) => r.items.length > 0 || r.direction === 'outgoing'),
  );
  protected readonly canRestore = computed(() => this.context.can('restores:run'));
  protected readonly restoreObject = computed(() => {
    const o = this.object();
    return o === undefined || !this.canRestore() ? undefined : restoreLink(o.snapshot.id, [o.type], [o.id]);
  });
  protected readonly errorMessage = computed(() => {
    const error = this.detail.error();
    return error === undefined ? undefined : describeApiError(error);
  });

  protected restoreProperty(property: string): { path: string; queryParams: Record<string, string> } {
    const o = this.object()!;
    return restoreLink(o.snapshot.id, [o.type], [o.id], [property]);
  }

  protected objectLink(item: { type: string | null; collection: string | null; id: string }): unknown[] {
    return ['/objects', item.type ?? '', item.collection ?? '', item.id];
  }

  protected reload(): void {
    this.detail.reload();
  }
}

/** Scalars and dates in the general group; each nested object and list in a group of its own. */
export function propertyGroups(detail: ObjectDetail): PropertyGroup[] {
  const relationPaths = new Set(detail.relations.map((r) => r.key));
  const general: PropertyRow[] = [];
  const dates: PropertyRow[] = [];
  const nested: PropertyGroup[] = [];
  for (const [name, value] of Object.entries(detail.object).sort(([a], [b]) => a.localeCompare(b))) {
    const masked = detail.maskedFields.includes(name);
    if (Array.isArray(value)) {
      if (value.length === 0) {
        general.push({ name, label: propertyLabel(name), text: 'None', masked });
      } else if (value.every((v) => typeof v !== 'object' || v === null)) {
        general.push({
          name,
          label: propertyLabel(name),
          text: value.map((v) => formatScalar(v)).join(', '),
          masked,
        });
      } else if (!relationPaths.has(name)) {
        nested.push({
          title: `${propertyLabel(name)} (${value.length})`,
          property: name,
          rows: value.map((item, index) => ({
            name: `${name}[${index}]`,
            label: `${index + 1}`,
            text: '',
            json: item,
            masked: false,
          })),
        });
      }
      continue;
    }
    if (typeof value === 'object' && value !== null) {
      nested.push({
        title: propertyLabel(name),
        property: name,
        rows: Object.entries(value as Record<string, unknown>).map(([inner, innerValue]) =>
          typeof innerValue === 'object' && innerValue !== null
            ? { name: inner, label: propertyLabel(inner), text: '', json: innerValue, masked: false }
            : {
                name: inner,
                label: propertyLabel(inner),
                text: formatScalar(innerValue),
                masked: innerValue === MASKED_VALUE,
              },
        ),
      });
      continue;
    }
    const row = { name, label: propertyLabel(name), text: masked ? 'Hidden' : formatScalar(value), masked };
    if (typeof value === 'string' && name.endsWith('DateTime')) dates.push(row);
    else general.push(row);
  }
  return [
    { title: 'Properties', property: null, rows: general },
    ...(dates.length === 0 ? [] : [{ title: 'Dates', property: null, rows: dates }]),
    ...nested,
  ];
}
