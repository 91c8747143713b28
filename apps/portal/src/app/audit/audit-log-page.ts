import { DatePipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  inject,
  linkedSignal,
  signal,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import {
  AUDIT_ACTION_CATEGORIES,
  AUDIT_PRINCIPAL_KIND_LABELS,
  type AuditEvent,
  type AuditPage,
} from '@entra-backup/common';
import { describeApiError } from '../core/http/api-error';
import { TenantContext } from '../core/tenant/tenant-context';
import {
  AuditApi,
  type AuditFilterForm,
  EMPTY_AUDIT_FILTER,
  auditDownloadUrl,
  auditFirstPageResource,
} from './audit.api';

/**
 * The tenant's audit log (`/audit`): who did what, from where, with what outcome, newest first.
 * Filters by kind of action, actor, outcome and days; "Load more" follows the API's cursor; the
 * filtered log downloads as CSV or JSON (the download is itself audited).
 */
@Component({
  selector: 'eb-audit-log-page',
  imports: [
    DatePipe,
    FormsModule,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
  ],
  templateUrl: './audit-log-page.html',
  styleUrl: './audit-log-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AuditLogPage {
  private readonly context = inject(TenantContext);
  private readonly api = inject(AuditApi);
  private readonly destroyRef = inject(DestroyRef);

  /** The tenant whose log is shown: the one place it is looked up. */
  protected readonly tenantId = this.context.tenantId;

  protected readonly categories = AUDIT_ACTION_CATEGORIES;
  protected readonly kindLabels = AUDIT_PRINCIPAL_KIND_LABELS;
  /** What the form shows; applied on "Apply". */
  protected readonly draft = signal<AuditFilterForm>(EMPTY_AUDIT_FILTER);
  protected readonly filter = signal<AuditFilterForm>(EMPTY_AUDIT_FILTER);
  protected readonly firstPage = auditFirstPageResource(this.tenantId, this.filter);

  /** Pages loaded with "Load more", after the first; reset when the first page reloads. */
  private readonly morePages = linkedSignal<AuditPage | undefined, AuditPage[]>({
    source: () => (this.firstPage.hasValue() ? this.firstPage.value() : undefined),
    computation: () => [],
  });
  protected readonly loadingMore = signal(false);
  protected readonly moreError = signal<string | undefined>(undefined);

  protected readonly events = computed<AuditEvent[]>(() => {
    const first = this.firstPage.hasValue() ? (this.firstPage.value()?.items ?? []) : [];
    return [...first, ...this.morePages().flatMap((page) => page.items)];
  });
  protected readonly nextCursor = computed(() => {
    const more = this.morePages();
    if (more.length > 0) return more[more.length - 1]!.nextCursor;
    return this.firstPage.hasValue() ? (this.firstPage.value()?.nextCursor ?? null) : null;
  });
  protected readonly errorMessage = computed(() => {
    const error = this.firstPage.error();
    return error === undefined ? undefined : describeApiError(error);
  });
  /** Break-glass accounts browse and restore only: no downloads. */
  protected readonly mayDownload = computed(() => this.context.can('exports:download'));
  protected readonly downloads = computed(() => {
    const tenantId = this.tenantId();
    if (tenantId === undefined) return undefined;
    return {
      csv: auditDownloadUrl(tenantId, 'csv', this.filter()),
      json: auditDownloadUrl(tenantId, 'json', this.filter()),
    };
  });

  protected updateDraft<K extends keyof AuditFilterForm>(key: K, value: AuditFilterForm[K]): void {
    this.draft.update((draft) => ({ ...draft, [key]: value }));
  }

  protected applyFilter(): void {
    this.moreError.set(undefined);
    this.filter.set({ ...this.draft() });
  }

  protected clearFilter(): void {
    this.draft.set(EMPTY_AUDIT_FILTER);
    this.applyFilter();
  }

  protected reload(): void {
    this.firstPage.reload();
  }

  protected loadMore(): void {
    const tenantId = this.tenantId();
    const cursor = this.nextCursor();
    if (tenantId === undefined || cursor === null || this.loadingMore()) return;
    const filter = this.filter();
    this.loadingMore.set(true);
    this.moreError.set(undefined);
    this.api
      .nextPage(tenantId, filter, cursor)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (page) => {
          this.loadingMore.set(false);
          // The filter may have changed meanwhile: that page belongs to the old one.
          if (filter === this.filter()) this.morePages.update((pages) => [...pages, page]);
        },
        error: (error: unknown) => {
          this.loadingMore.set(false);
          this.moreError.set(describeApiError(error));
        },
      });
  }

  /** The facts of an event on one line (`runId: …, trigger: schedule`). */
  protected detailsOf(event: AuditEvent): string {
    return Object.entries(event.details)
      .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
      .join(' · ');
  }
}
