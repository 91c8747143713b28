import { DatePipe } from '@angular/common';
import { HttpErrorResponse } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import { StatusChip } from '../backups/status-chip';
import { describeApiError } from '../core/http/api-error';
import { TenantContext } from '../core/tenant/tenant-context';
import { restoreActionsResource, restoreRunResource, restoreUndoResource } from './restore.api';
import { queryFromRequest, restoreActorLabel } from './restore-format';
import { RestoreProgress } from './restore-progress';
import { RestoreResultView } from './restore-result-view';

/** One restore (`/restores/:restoreId`): its facts, live progress or result, and "Undo restore". */
@Component({
  selector: 'eb-restore-detail-page',
  imports: [
    DatePipe,
    RouterLink,
    MatButtonModule,
    MatCardModule,
    MatIconModule,
    MatProgressBarModule,
    RestoreProgress,
    RestoreResultView,
    StatusChip,
  ],
  templateUrl: './restore-detail-page.html',
  styleUrl: './restore-pages.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RestoreDetailPage {
  protected readonly context = inject(TenantContext);
  readonly restoreId = input.required<string>();

  protected readonly tenantId = this.context.tenantId;
  private readonly id = computed(() => this.restoreId());
  protected readonly run = restoreRunResource(this.tenantId, this.id);
  private readonly finishedId = computed(() =>
    this.run.hasValue() && this.run.value()?.status !== 'running' ? this.restoreId() : undefined,
  );
  protected readonly actions = restoreActionsResource(this.tenantId, this.finishedId);
  protected readonly undo = restoreUndoResource(this.tenantId, this.finishedId);

  protected readonly errorMessage = computed(() => {
    const error = this.run.error();
    return error === undefined ? undefined : describeApiError(error);
  });
  protected readonly undoQuery = computed(() => {
    const undo = this.undo.hasValue() ? this.undo.value() : undefined;
    return undo === undefined ? undefined : queryFromRequest(undo.request);
  });
  /** Why the restore cannot be undone (the API's 409), if it cannot. */
  protected readonly undoUnavailable = computed(() => {
    const error = this.undo.error();
    return error instanceof HttpErrorResponse && error.status === 409 ? describeApiError(error) : undefined;
  });
  protected readonly actorLabel = restoreActorLabel;

  protected reload(): void {
    this.run.reload();
  }
}
