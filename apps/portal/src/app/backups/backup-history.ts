import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { describeApiError } from '../core/http/api-error';
import { TenantContext } from '../core/tenant/tenant-context';
import { historyResource } from './backups.api';
import { HistoryChart } from './history-chart';
import { objectsFigure, runsFigure, storageFigure } from './history-figures';

/** The periods people pick from, in days. */
export const HISTORY_PERIODS = [7, 30, 90] as const;

/** The tenant's backup history at a glance: objects per type, run duration and requests, storage. */
@Component({
  selector: 'eb-backup-history',
  imports: [HistoryChart, MatButtonToggleModule, MatProgressBarModule],
  template: `
    <div class="toolbar">
      <h2 id="history-title">History</h2>
      <mat-button-toggle-group
        aria-label="Period of the history"
        hideSingleSelectionIndicator
        [value]="days()"
        (change)="days.set($event.value)"
      >
        @for (period of periods; track period) {
          <mat-button-toggle [value]="period">{{ period }} days</mat-button-toggle>
        }
      </mat-button-toggle-group>
    </div>
    @if (history.isLoading()) {
      <mat-progress-bar mode="indeterminate" aria-label="Loading the backup history" />
    }
    @if (errorMessage(); as message) {
      <p class="error" role="alert">The history could not be loaded: {{ message }}</p>
    } @else if (history.hasValue()) {
      @if (points().length === 0) {
        <p class="muted">No snapshots in the last {{ days() }} days.</p>
      } @else {
        <div class="charts">
          @for (figure of figures(); track figure.heading) {
            <eb-history-chart
              [heading]="figure.heading"
              [summary]="figure.summary"
              [config]="figure.config"
              [table]="figure.table"
            />
          }
        </div>
      }
    }
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      gap: 12px;
      min-width: 0;
    }
    .toolbar {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: space-between;
      gap: 8px;
    }
    h2 {
      margin: 0;
      font: var(--mat-sys-title-medium);
    }
    .charts {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(min(100%, 320px), 1fr));
      gap: 24px;
    }
    .muted {
      margin: 0;
      color: var(--mat-sys-on-surface-variant);
    }
    .error {
      margin: 0;
      color: var(--mat-sys-error);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BackupHistory {
  protected readonly context = inject(TenantContext);
  protected readonly periods = HISTORY_PERIODS;
  protected readonly days = signal<number>(30);
  protected readonly history = historyResource(this.context.tenantId, this.days);
  protected readonly points = computed(() => (this.history.hasValue() ? this.history.value().points : []));
  protected readonly figures = computed(() => {
    const points = this.points();
    return [objectsFigure(points), runsFigure(points), storageFigure(points)];
  });
  protected readonly errorMessage = computed(() => {
    const error = this.history.error();
    return error === undefined ? undefined : describeApiError(error);
  });
}
