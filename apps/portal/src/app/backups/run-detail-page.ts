import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import type { ObjectTypeKey } from '@entra-backup/common';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import { describeApiError } from '../core/http/api-error';
import { SessionStore } from '../core/session/session-store';
import { runResource } from './backups.api';
import { RunProgress } from './run-progress';
import { actorLabel, formatDuration, runDurationMs, triggerLabel, typeRows } from './run-format';
import { StatusChip } from './status-chip';

/**
 * Append-only types: a run only adds entries to them, so their row reads "N new entries" and
 * shows "—" for changed and removed, which are always 0 for them. (The shared contract in
 * `libs/common` does not say which types are logs yet; the key type catches a misspelt key.)
 */
const LOG_TYPES: ReadonlySet<ObjectTypeKey> = new Set<ObjectTypeKey>(['signInLogs', 'auditLogs']);

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
    RunProgress,
    StatusChip,
  ],
  templateUrl: './run-detail-page.html',
  styleUrl: './backups-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RunDetailPage {
  private readonly session = inject(SessionStore);
  readonly runId = input.required<string>();

  protected readonly tenantId = this.session.tenantId;
  protected readonly run = runResource(
    this.tenantId,
    computed(() => this.runId()),
  );
  protected readonly errorMessage = computed(() => {
    const error = this.run.error();
    return error === undefined ? undefined : describeApiError(error);
  });
  protected readonly rows = computed(() =>
    this.run.hasValue()
      ? typeRows(this.run.value()).map((row) => ({ ...row, appendOnly: LOG_TYPES.has(row.key) }))
      : [],
  );
  protected readonly duration = computed(() =>
    this.run.hasValue() ? formatDuration(runDurationMs(this.run.value())) : '—',
  );
  protected readonly triggerLabel = triggerLabel;
  protected readonly actorLabel = actorLabel;

  protected reload(): void {
    this.run.reload();
  }
}
