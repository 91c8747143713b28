import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { type BackupRunListItem, explainBackupFailure, formatBytes } from '@entra-backup/common';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { MatPaginatorModule, type PageEvent } from '@angular/material/paginator';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import { describeApiError } from '../core/http/api-error';
import { TenantContext } from '../core/tenant/tenant-context';
import { BackupHistory } from './backup-history';
import { runPageResource } from './backups.api';
import { RunFailures } from './run-failures';
import { formatDuration, runDurationMs, runTotals, triggerLabel } from './run-format';
import { RunResults } from './run-results';
import { StatusChip } from './status-chip';

/** The tenant's backups: history charts, then the runs newest first, one line each, expandable. */
@Component({
  selector: 'eb-backups-page',
  imports: [
    BackupHistory,
    DatePipe,
    DecimalPipe,
    RouterLink,
    MatButtonModule,
    MatCardModule,
    MatIconModule,
    MatPaginatorModule,
    MatProgressBarModule,
    RunFailures,
    RunResults,
    StatusChip,
  ],
  templateUrl: './backups-page.html',
  styleUrl: './backups-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BackupsPage {
  protected readonly context = inject(TenantContext);
  protected readonly tenantId = this.context.tenantId;
  /** 0-based, as mat-paginator counts; the API counts from 1. */
  protected readonly pageIndex = signal(0);
  protected readonly pageSize = signal(10);
  protected readonly runs = runPageResource(
    this.tenantId,
    computed(() => this.pageIndex() + 1),
    this.pageSize,
  );
  protected readonly items = computed(() =>
    (this.runs.hasValue() ? this.runs.value().items : []).map((run) => ({
      run,
      duration: formatDuration(runDurationMs(run)),
      totals: runTotals(run),
      problems: Object.values(run.summary?.types ?? {}).filter(
        (t) => t !== undefined && t.status !== 'succeeded',
      ).length,
      reason: run.reason === null ? undefined : explainBackupFailure(run.reason).cause,
    })),
  );
  protected readonly total = computed(() => (this.runs.hasValue() ? this.runs.value().total : 0));
  protected readonly errorMessage = computed(() => {
    const error = this.runs.error();
    return error === undefined ? undefined : describeApiError(error);
  });
  /** Runs whose per-type figures are shown. */
  protected readonly expanded = signal<ReadonlySet<string>>(new Set());

  protected readonly triggerLabel = triggerLabel;
  protected readonly formatBytes = formatBytes;

  protected toggleRun(run: BackupRunListItem): void {
    this.expanded.update((open) => {
      const next = new Set(open);
      if (!next.delete(run.runId)) next.add(run.runId);
      return next;
    });
  }

  protected changePage(event: PageEvent): void {
    this.pageSize.set(event.pageSize);
    this.pageIndex.set(event.pageIndex);
  }

  protected reload(): void {
    this.runs.reload();
  }
}
