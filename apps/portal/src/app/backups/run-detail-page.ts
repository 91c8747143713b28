import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { explainBackupFailure, formatBytes } from '@entra-backup/common';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import { describeApiError } from '../core/http/api-error';
import { TenantContext } from '../core/tenant/tenant-context';
import { runResource } from './backups.api';
import { RunDrift } from './run-drift';
import { RunProgress } from './run-progress';
import { RunFailures } from './run-failures';
import { actorLabel, formatDuration, runDurationMs, triggerLabel } from './run-format';
import { RunResults } from './run-results';
import { StatusChip } from './status-chip';

/** One run (`/backups/:runId`): its figures and per-type results, or its live progress while it runs. */
@Component({
  selector: 'eb-run-detail-page',
  imports: [
    DatePipe,
    DecimalPipe,
    RouterLink,
    MatButtonModule,
    MatCardModule,
    MatIconModule,
    MatProgressBarModule,
    RunDrift,
    RunFailures,
    RunProgress,
    RunResults,
    StatusChip,
  ],
  templateUrl: './run-detail-page.html',
  styleUrl: './backups-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RunDetailPage {
  protected readonly context = inject(TenantContext);
  readonly runId = input.required<string>();

  protected readonly tenantId = this.context.tenantId;
  protected readonly run = runResource(
    this.tenantId,
    computed(() => this.runId()),
  );
  protected readonly errorMessage = computed(() => {
    const error = this.run.error();
    return error === undefined ? undefined : describeApiError(error);
  });
  protected readonly hasProblems = computed(() => {
    const summary = this.run.hasValue() ? this.run.value().summary : null;
    return (
      summary !== null &&
      Object.values(summary.types).some((t) => t !== undefined && t.status !== 'succeeded')
    );
  });
  /** Why a run ended without a result, explained (a run that failed as a whole). */
  protected readonly reason = computed(() => {
    const reason = this.run.hasValue() ? this.run.value().reason : null;
    return reason === null ? undefined : explainBackupFailure(reason);
  });
  protected readonly duration = computed(() =>
    this.run.hasValue() ? formatDuration(runDurationMs(this.run.value())) : '—',
  );
  protected readonly triggerLabel = triggerLabel;
  protected readonly actorLabel = actorLabel;
  protected readonly formatBytes = formatBytes;

  protected reload(): void {
    this.run.reload();
  }
}
