import { DatePipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  inject,
  input,
  linkedSignal,
  signal,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { Observable } from 'rxjs';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatChipsModule } from '@angular/material/chips';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatMenuModule } from '@angular/material/menu';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { MatTooltipModule } from '@angular/material/tooltip';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import {
  type BulkResult,
  type ObjectTypeKey,
  type PartnerTenantFilter,
  type PartnerTenantRow,
  STALE_BACKUP_HOURS,
  formatBytes,
  objectTypeLabel,
  partnerTenantFilterSchema,
} from '@entra-backup/common';
import { StatusChip } from '../backups/status-chip';
import { describeApiError } from '../core/http/api-error';
import { TenantContext, tenantQuery } from '../core/tenant/tenant-context';
import { confirmAction } from '../core/confirm-dialog';
import { EnableTypesDialog, type EnableTypesDialogData } from './enable-types-dialog';
import { HandOverDialog, type HandOverDialogData } from './hand-over-dialog';
import {
  PartnerApi,
  type PartnerTenantListQuery,
  type PartnerTenantSort,
  partnerTenantPageResource,
} from './partner.api';
import { consentLook, formatAge, isStale } from './partner-format';
import { PartnerHeader } from './partner-header';

const FILTERS: readonly { value: PartnerTenantFilter | undefined; label: string }[] = [
  { value: undefined, label: 'All' },
  { value: 'failing', label: 'Failing' },
  { value: 'stale', label: `Stale (> ${STALE_BACKUP_HOURS} h)` },
  { value: 'no-consent', label: 'No consent' },
];

const SORTS: readonly { value: PartnerTenantSort; label: string }[] = [
  { value: 'name', label: 'Name' },
  { value: 'lastBackup', label: 'Last backup' },
  { value: 'storage', label: 'Storage' },
];

/** The outcome of a bulk action, as the page reports it. */
interface BulkReport {
  readonly action: string;
  /** "Backups started in 3 tenants." */
  readonly summary: string;
  readonly failures: readonly { tenantId: string; name: string; message: string }[];
}

/**
 * `/partner/:partnerId`: every customer tenant of the partner in one table — consent health, last
 * and next backup, failing types, storage — with filters, search, "Load more" (server-side
 * cursor), and bulk actions on the selected tenants. A tenant's name opens its pages.
 * Filter, search and sort are in the URL, so the back button and shared links keep them.
 */
@Component({
  selector: 'eb-partner-dashboard-page',
  imports: [
    DatePipe,
    FormsModule,
    MatButtonModule,
    MatCardModule,
    MatCheckboxModule,
    MatChipsModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatMenuModule,
    MatProgressBarModule,
    MatSelectModule,
    MatTableModule,
    MatTooltipModule,
    PartnerHeader,
    RouterLink,
    StatusChip,
  ],
  templateUrl: './partner-dashboard-page.html',
  styleUrl: './partner-dashboard-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PartnerDashboardPage {
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  private readonly api = inject(PartnerApi);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly destroyRef = inject(DestroyRef);
  private readonly context = inject(TenantContext);

  /** Bound from the route. */
  readonly partnerId = input.required<string>();
  /** Query parameters. */
  readonly filter = input<string>();
  readonly search = input<string>();
  readonly sort = input<string>();

  protected readonly filters = FILTERS;
  protected readonly sorts = SORTS;
  protected readonly activeFilter = computed(() => partnerTenantFilterSchema.safeParse(this.filter()).data);
  protected readonly activeSort = computed<PartnerTenantSort>(
    () => SORTS.find((s) => s.value === this.sort())?.value ?? 'name',
  );
  protected readonly query = computed<PartnerTenantListQuery>(() => {
    const search = this.search()?.trim();
    const filter = this.activeFilter();
    return {
      partnerId: this.partnerId(),
      sort: this.activeSort(),
      ...(filter === undefined ? {} : { filter }),
      ...(search ? { search } : {}),
    };
  });

  protected readonly firstPage = partnerTenantPageResource(this.query);
  /** Pages after the first ("Load more"), dropped when the query changes. */
  private readonly more = linkedSignal<
    PartnerTenantListQuery,
    { items: PartnerTenantRow[]; nextCursor: string | null } | undefined
  >({ source: this.query, computation: () => undefined });
  protected readonly loadingMore = signal(false);

  protected readonly rows = computed<PartnerTenantRow[]>(() =>
    this.firstPage.hasValue() ? [...this.firstPage.value().items, ...(this.more()?.items ?? [])] : [],
  );
  protected readonly total = computed(() => (this.firstPage.hasValue() ? this.firstPage.value().total : 0));
  private readonly nextCursor = computed(() => {
    const more = this.more();
    if (more !== undefined) return more.nextCursor;
    return this.firstPage.hasValue() ? this.firstPage.value().nextCursor : null;
  });
  protected readonly hasMore = computed(() => this.nextCursor() !== null);
  protected readonly errorMessage = computed(() => {
    const error = this.firstPage.error();
    return error === undefined ? undefined : describeApiError(error);
  });

  protected readonly searchText = linkedSignal(() => this.search() ?? '');

  protected readonly canBackUp = computed(() => this.context.canOnPartner(this.partnerId(), 'backups:start'));
  protected readonly canEnableTypes = computed(() =>
    this.context.canOnPartner(this.partnerId(), 'settings:write'),
  );
  protected readonly canSelect = computed(() => this.canBackUp() || this.canEnableTypes());
  /** Owners hand customers over to another partner or release them. */
  protected readonly canManageCustomers = computed(() =>
    this.context.canOnPartner(this.partnerId(), 'customers:manage'),
  );
  protected readonly columns = computed(() => [
    ...(this.canSelect() ? ['select'] : []),
    'tenant',
    'consent',
    'lastBackup',
    'nextBackup',
    'failing',
    'storage',
    ...(this.canManageCustomers() ? ['actions'] : []),
  ]);

  /** Selected tenants by id; cleared when the query changes. */
  protected readonly selected = linkedSignal<PartnerTenantListQuery, ReadonlySet<string>>({
    source: this.query,
    computation: () => new Set<string>(),
  });
  protected readonly allSelected = computed(() => {
    const rows = this.rows();
    return rows.length > 0 && rows.every((r) => this.selected().has(r.tenantId));
  });
  protected readonly someSelected = computed(() => this.selected().size > 0 && !this.allSelected());
  protected readonly running = signal<string | undefined>(undefined);
  protected readonly report = signal<BulkReport | undefined>(undefined);

  protected readonly consentLook = consentLook;
  protected readonly formatAge = formatAge;
  protected readonly formatBytes = formatBytes;
  protected readonly isStale = isStale;
  protected readonly tenantQuery = tenantQuery;

  protected failingLabels(row: PartnerTenantRow): string {
    return row.failingTypes.map((t) => objectTypeLabel(t)).join(', ');
  }

  protected chooseFilter(filter: PartnerTenantFilter | undefined): void {
    this.navigate({ filter: filter ?? null });
  }

  protected chooseSort(sort: PartnerTenantSort): void {
    this.navigate({ sort: sort === 'name' ? null : sort });
  }

  protected runSearch(): void {
    const text = this.searchText().trim();
    this.navigate({ search: text === '' ? null : text });
  }

  protected clearSearch(): void {
    this.searchText.set('');
    this.navigate({ search: null });
  }

  protected toggle(tenantId: string, checked: boolean): void {
    const next = new Set(this.selected());
    if (checked) next.add(tenantId);
    else next.delete(tenantId);
    this.selected.set(next);
  }

  protected toggleAll(checked: boolean): void {
    this.selected.set(checked ? new Set(this.rows().map((r) => r.tenantId)) : new Set());
  }

  /** The tenant is opened through this partner (its role counts there). */
  protected openTenant(row: PartnerTenantRow): void {
    this.context.open(row.tenantId, this.partnerId());
  }

  protected loadMore(): void {
    const query = this.query();
    const cursor = this.nextCursor();
    if (cursor === null || this.loadingMore()) return;
    this.loadingMore.set(true);
    this.api
      .tenantPage(query, cursor)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (page) => {
          this.loadingMore.set(false);
          // The filter or search changed meanwhile: this page belongs to the old list.
          if (this.query() !== query) return;
          this.more.update((more) => ({
            items: [...(more?.items ?? []), ...page.items],
            nextCursor: page.nextCursor,
          }));
        },
        error: (error: unknown) => {
          this.loadingMore.set(false);
          this.snackBar.open(`Could not load more tenants: ${describeApiError(error)}`, 'Close', {
            duration: 8000,
            politeness: 'assertive',
          });
        },
      });
  }

  protected backUpNow(): void {
    const tenantIds = [...this.selected()];
    if (tenantIds.length === 0) return;
    this.runBulk('Back up now', 'Backups started in', this.api.backUpNow(this.partnerId(), tenantIds));
  }

  protected chooseTypes(): void {
    const tenantIds = [...this.selected()];
    if (tenantIds.length === 0) return;
    this.dialog
      .open<EnableTypesDialog, EnableTypesDialogData, ObjectTypeKey[]>(EnableTypesDialog, {
        data: { tenantCount: tenantIds.length },
        width: '560px',
        maxWidth: '95vw',
      })
      .afterClosed()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe((types) => {
        if (types === undefined || types.length === 0) return;
        this.runBulk(
          'Enable types',
          'Types switched on in',
          this.api.enableTypes(this.partnerId(), tenantIds, types),
        );
      });
  }

  protected release(row: PartnerTenantRow): void {
    confirmAction(this.dialog, {
      title: `Release ${row.displayName}?`,
      message:
        'Your staff and API keys lose access to this customer at once. Its backups stay; its own ' +
        'administrators keep them, and you can onboard it again with a new link.',
      confirm: 'Release',
    })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe((confirmed) => {
        if (!confirmed) return;
        this.api
          .release(this.partnerId(), row.tenantId)
          .pipe(takeUntilDestroyed(this.destroyRef))
          .subscribe(this.customerChange(`${row.displayName} was released.`, 'Release'));
      });
  }

  protected handOver(row: PartnerTenantRow): void {
    this.dialog
      .open<HandOverDialog, HandOverDialogData, string>(HandOverDialog, {
        data: { tenantName: row.displayName },
        width: '520px',
        maxWidth: '95vw',
      })
      .afterClosed()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe((toPartnerId) => {
        if (toPartnerId === undefined) return;
        this.api
          .handOver(this.partnerId(), row.tenantId, toPartnerId)
          .pipe(takeUntilDestroyed(this.destroyRef))
          .subscribe(this.customerChange(`${row.displayName} was handed over.`, 'Hand-over'));
      });
  }

  private customerChange(done: string, action: string) {
    return {
      next: () => {
        this.snackBar.open(done, 'Close', { duration: 6000 });
        this.reload();
      },
      error: (error: unknown) => {
        this.snackBar.open(`${action} failed: ${describeApiError(error)}`, 'Close', {
          duration: 8000,
          politeness: 'assertive' as const,
        });
      },
    };
  }

  protected reload(): void {
    this.more.set(undefined);
    this.firstPage.reload();
  }

  private runBulk(action: string, done: string, request: Observable<BulkResult>): void {
    this.running.set(action);
    this.report.set(undefined);
    const names = new Map(this.rows().map((r) => [r.tenantId, r.displayName]));
    request.pipe(takeUntilDestroyed(this.destroyRef)).subscribe({
      next: (result: BulkResult) => {
        this.running.set(undefined);
        const succeeded = result.items.filter((i) => i.ok).length;
        this.report.set({
          action,
          summary: `${done} ${succeeded} ${succeeded === 1 ? 'tenant' : 'tenants'}.`,
          failures: result.items
            .filter((i) => !i.ok)
            .map((i) => ({
              tenantId: i.tenantId,
              name: names.get(i.tenantId) ?? i.tenantId,
              message: i.message ?? i.code ?? 'Failed',
            })),
        });
        this.selected.set(new Set());
        this.reload();
      },
      error: (error: unknown) => {
        this.running.set(undefined);
        this.snackBar.open(`${action} failed: ${describeApiError(error)}`, 'Close', {
          duration: 8000,
          politeness: 'assertive',
        });
      },
    });
  }

  private navigate(params: Record<string, string | null>): void {
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: params,
      queryParamsHandling: 'merge',
    });
  }
}
