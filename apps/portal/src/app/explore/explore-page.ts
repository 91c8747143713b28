import { DatePipe, DecimalPipe } from '@angular/common';
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
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatPaginatorModule, type PageEvent } from '@angular/material/paginator';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatSortModule, type Sort } from '@angular/material/sort';
import { MatTableModule } from '@angular/material/table';
import { Router, RouterLink } from '@angular/router';
import type { BrowseColumn, BrowseRow } from '@entra-backup/common';
import { describeApiError } from '../core/http/api-error';
import { TenantContext } from '../core/tenant/tenant-context';
import { formatCell, formatFilter, parseFilter } from './browse-format';
import {
  type ObjectQuery,
  objectPageResource,
  restoreLink,
  snapshotListResource,
  snapshotResource,
} from './explore.api';
import { RevealKeyDialog, type RevealKeyDialogData } from './reveal-key-dialog';

const PAGE_SIZES = [25, 50, 100, 200];

/**
 * Browse a snapshot (`/explore?snapshot=&type=`): its types with counts, and a type's objects as a
 * table paged, sorted, searched and filtered by the server. The URL holds the whole state, so
 * every view is a link and the back button works.
 */
@Component({
  selector: 'eb-explore-page',
  imports: [
    DatePipe,
    DecimalPipe,
    FormsModule,
    RouterLink,
    MatButtonModule,
    MatCardModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatPaginatorModule,
    MatProgressBarModule,
    MatSelectModule,
    MatSortModule,
    MatTableModule,
  ],
  templateUrl: './explore-page.html',
  styleUrl: './explore-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ExplorePage {
  protected readonly context = inject(TenantContext);
  private readonly router = inject(Router);
  private readonly dialog = inject(MatDialog);

  // Query parameters (component input binding).
  readonly snapshot = input<string>();
  readonly type = input<string>();
  readonly collection = input<string>();
  readonly page = input<string>();
  readonly pageSize = input<string>();
  readonly sort = input<string>();
  readonly order = input<string>();
  readonly search = input<string>();
  readonly filter = input<string>();
  readonly from = input<string>();
  readonly to = input<string>();

  protected readonly tenantId = this.context.tenantId;
  protected readonly pageSizes = PAGE_SIZES;
  protected readonly snapshotRef = computed(() => this.snapshot() ?? 'latest');
  protected readonly snapshots = snapshotListResource(this.tenantId);
  protected readonly detail = snapshotResource(this.tenantId, this.snapshotRef);
  protected readonly snapshotId = computed(() =>
    this.detail.hasValue() ? this.detail.value().snapshot.id : undefined,
  );
  protected readonly types = computed(() => (this.detail.hasValue() ? this.detail.value().types : []));
  protected readonly selectedType = computed(() => {
    const requested = this.type();
    if (requested !== undefined) return requested;
    return this.types().find((t) => t.count > 0)?.type ?? this.types()[0]?.type;
  });
  protected readonly typeInfo = computed(() => this.types().find((t) => t.type === this.selectedType()));

  protected readonly query = computed<ObjectQuery | undefined>(() => {
    const snapshot = this.snapshotId();
    const type = this.selectedType();
    if (snapshot === undefined || type === undefined) return undefined;
    const order = this.order();
    return {
      snapshot,
      type,
      ...(this.collection() === undefined ? {} : { collection: this.collection() }),
      page: positive(this.page(), 1),
      pageSize: PAGE_SIZES.includes(positive(this.pageSize(), 50)) ? positive(this.pageSize(), 50) : 50,
      ...(this.sort() === undefined ? {} : { sort: this.sort() }),
      ...(order === 'asc' || order === 'desc' ? { order } : {}),
      ...(this.search() === undefined ? {} : { search: this.search() }),
      ...(this.filter() === undefined ? {} : { filter: this.filter() }),
      ...(this.from() === undefined ? {} : { from: this.from() }),
      ...(this.to() === undefined ? {} : { to: this.to() }),
    };
  });
  protected readonly objects = objectPageResource(this.tenantId, this.query);
  protected readonly result = computed(() => (this.objects.hasValue() ? this.objects.value() : undefined));
  protected readonly columns = computed(() => this.result()?.columns ?? []);
  protected readonly filterColumns = computed(() => this.columns().filter((c) => c.filter !== undefined));
  protected readonly filters = computed(() => parseFilter(this.filter()));
  protected readonly isLog = computed(() => this.result()?.log ?? false);
  protected readonly isBitlocker = computed(() => this.selectedType() === 'bitlockerKeys');
  protected readonly displayedColumns = computed(() => [
    // Rows are selected to restore them: no selection for logs, nor for who may not restore.
    ...(this.isLog() || !this.context.can('restores:run') ? [] : ['select']),
    ...this.columns().map((c) => c.key),
    ...(this.isBitlocker() && this.context.can('secrets:reveal') ? ['reveal'] : []),
  ]);

  protected readonly searchText = linkedSignal(() => this.search() ?? '');
  protected readonly fromText = linkedSignal(() => toLocalInput(this.from()));
  protected readonly toText = linkedSignal(() => toLocalInput(this.to()));
  protected readonly selected = linkedSignal<ObjectQuery | undefined, ReadonlySet<string>>({
    source: () => this.query(),
    computation: () => new Set<string>(),
  });
  protected readonly revealing = signal(false);

  protected readonly errorMessage = computed(() => {
    const error = this.detail.error() ?? this.objects.error();
    return error === undefined ? undefined : describeApiError(error);
  });

  protected readonly restoreSelection = computed(() => {
    const snapshot = this.snapshotId();
    const type = this.selectedType();
    if (snapshot === undefined || type === undefined || !this.context.can('restores:run')) return undefined;
    return restoreLink(snapshot, [type], [...this.selected()]);
  });

  protected cell(column: BrowseColumn, row: BrowseRow): string {
    return formatCell(column, row.values[column.key]);
  }

  protected objectLink(row: BrowseRow): unknown[] {
    const result = this.result();
    return ['/objects', result?.type ?? '', result?.collection ?? '', row.id];
  }

  protected chooseSnapshot(id: string): void {
    this.navigate({ snapshot: id, page: null });
  }

  protected chooseType(type: string): void {
    this.navigate({
      type,
      collection: null,
      page: null,
      sort: null,
      order: null,
      search: null,
      filter: null,
      from: null,
      to: null,
    });
  }

  protected chooseCollection(collection: string): void {
    this.navigate({ collection, page: null, sort: null, order: null, filter: null });
  }

  protected sortBy(sort: Sort): void {
    this.navigate({
      sort: sort.direction === '' ? null : sort.active,
      order: sort.direction || null,
      page: null,
    });
  }

  protected changePage(event: PageEvent): void {
    this.navigate({ page: event.pageIndex + 1, pageSize: event.pageSize });
  }

  protected runSearch(): void {
    const text = this.searchText().trim();
    this.navigate({ search: text === '' ? null : text, page: null });
  }

  protected clearSearch(): void {
    this.searchText.set('');
    this.navigate({ search: null, page: null });
  }

  protected setFilter(column: string, value: string): void {
    const filters = new Map(this.filters());
    if (value === '') filters.delete(column);
    else filters.set(column, value);
    this.navigate({ filter: formatFilter(filters), page: null });
  }

  protected applyRange(): void {
    this.navigate({ from: fromLocalInput(this.fromText()), to: fromLocalInput(this.toText()), page: null });
  }

  protected toggle(id: string, checked: boolean): void {
    const next = new Set(this.selected());
    if (checked) next.add(id);
    else next.delete(id);
    this.selected.set(next);
  }

  protected toggleAll(checked: boolean): void {
    this.selected.set(checked ? new Set(this.result()?.items.map((i) => i.id) ?? []) : new Set());
  }

  protected allSelected(): boolean {
    const items = this.result()?.items ?? [];
    return items.length > 0 && items.every((i) => this.selected().has(i.id));
  }

  protected revealKey(row: BrowseRow): void {
    const tenantId = this.tenantId();
    const snapshot = this.snapshotId();
    if (tenantId === undefined || snapshot === undefined) return;
    const data: RevealKeyDialogData = {
      tenantId,
      snapshot,
      keyId: row.id,
      device: String(row.values['device'] ?? row.id),
    };
    this.dialog.open(RevealKeyDialog, { data, maxWidth: '560px', width: 'calc(100vw - 32px)' });
  }

  protected reload(): void {
    this.detail.reload();
    this.objects.reload();
  }

  private navigate(params: Record<string, string | number | null>): void {
    void this.router.navigate([], { queryParams: params, queryParamsHandling: 'merge' });
  }
}

function positive(text: string | undefined, fallback: number): number {
  const n = Number(text);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/** `2026-12-07T10:00:00.000Z` → the local `YYYY-MM-DDTHH:mm` a datetime-local input shows. */
function toLocalInput(iso: string | undefined): string {
  if (iso === undefined) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

function fromLocalInput(value: string): string | null {
  if (value === '') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
