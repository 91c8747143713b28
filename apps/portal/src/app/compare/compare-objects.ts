import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  input,
  linkedSignal,
  signal,
} from '@angular/core';
import type { CompareChange, CompareObject, ObjectTypeKey } from '@entra-backup/common';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatIconModule } from '@angular/material/icon';
import { MatPaginatorModule, type PageEvent } from '@angular/material/paginator';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import { describeApiError } from '../core/http/api-error';
import { TenantContext } from '../core/tenant/tenant-context';
import { compareObjectsResource } from './compare.api';
import { CHANGE_LABEL, formatValue, isRestorable, referenceLabel, restoreLink } from './compare-format';

/** One type's differing objects: names, expandable to property-level old → new, selectable for a restore. */
@Component({
  selector: 'eb-compare-objects',
  imports: [
    RouterLink,
    MatButtonModule,
    MatCheckboxModule,
    MatIconModule,
    MatPaginatorModule,
    MatProgressBarModule,
  ],
  templateUrl: './compare-objects.html',
  styleUrl: './compare-objects.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CompareObjects {
  private readonly context = inject(TenantContext);
  readonly tenantId = input.required<string>();
  /** Resolved snapshot ids. */
  readonly from = input.required<string>();
  readonly to = input.required<string>();
  readonly type = input.required<ObjectTypeKey>();
  readonly typeLabel = input.required<string>();

  protected readonly change = linkedSignal<ObjectTypeKey, CompareChange | undefined>({
    source: this.type,
    computation: () => undefined,
  });
  /** 0-based, as mat-paginator counts. */
  protected readonly pageIndex = linkedSignal({
    source: () => ({ type: this.type(), change: this.change(), from: this.from(), to: this.to() }),
    computation: () => 0,
  });
  protected readonly pageSize = signal(25);
  protected readonly objects = compareObjectsResource(
    computed(() => this.tenantId()),
    computed(() => ({
      from: this.from(),
      to: this.to(),
      type: this.type(),
      ...(this.change() === undefined ? {} : { change: this.change() }),
      page: this.pageIndex() + 1,
      pageSize: this.pageSize(),
    })),
  );
  protected readonly items = computed(() =>
    this.objects.hasValue() ? (this.objects.value()?.items ?? []) : [],
  );
  protected readonly total = computed(() =>
    this.objects.hasValue() ? (this.objects.value()?.total ?? 0) : 0,
  );
  protected readonly errorMessage = computed(() => {
    const error = this.objects.error();
    return error === undefined ? undefined : describeApiError(error);
  });

  /** Expanded objects by `collection/id`. */
  protected readonly expanded = signal<ReadonlySet<string>>(new Set());
  /** Objects chosen for a restore (changed or removed ones), by id. */
  protected readonly selected = linkedSignal<ObjectTypeKey, ReadonlySet<string>>({
    source: this.type,
    computation: () => new Set(),
  });
  /** Objects are selected to restore them: not offered to who may not restore. */
  protected readonly canRestore = computed(() => this.context.can('restores:run'));
  protected readonly restore = computed(() => {
    const ids = [...this.selected()];
    return ids.length === 0 ? undefined : restoreLink(this.from(), this.type(), ids);
  });

  protected readonly changes: readonly (CompareChange | undefined)[] = [
    undefined,
    'added',
    'changed',
    'removed',
  ];
  protected readonly changeLabel = CHANGE_LABEL;
  protected readonly formatValue = formatValue;
  protected readonly referenceLabel = referenceLabel;
  protected isRestorable(object: CompareObject): boolean {
    return this.canRestore() && isRestorable(object);
  }

  protected key(object: CompareObject): string {
    return `${object.collection}/${object.id}`;
  }

  protected isExpanded(object: CompareObject): boolean {
    return this.expanded().has(this.key(object));
  }

  protected toggleDetails(object: CompareObject): void {
    const next = new Set(this.expanded());
    const key = this.key(object);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    this.expanded.set(next);
  }

  protected toggleSelected(object: CompareObject, checked: boolean): void {
    const next = new Set(this.selected());
    if (checked) next.add(object.id);
    else next.delete(object.id);
    this.selected.set(next);
  }

  /** The object page shows the object as of the snapshot it exists in. */
  protected objectLink(object: CompareObject) {
    return ['/objects', this.type(), object.collection, object.id];
  }

  protected objectSnapshot(object: CompareObject): string {
    return object.change === 'removed' ? this.from() : this.to();
  }

  protected filterBy(change: CompareChange | undefined): void {
    this.change.set(change);
  }

  protected changePage(event: PageEvent): void {
    this.pageSize.set(event.pageSize);
    this.pageIndex.set(event.pageIndex);
  }
}
