import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { MatPaginatorModule, type PageEvent } from '@angular/material/paginator';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTableModule } from '@angular/material/table';
import { RouterLink } from '@angular/router';
import { describeApiError } from '../core/http/api-error';
import { SessionStore } from '../core/session/session-store';
import { runPageResource } from './backups.api';
import { formatDuration, runDurationMs, triggerLabel, typeProblems, typeRows } from './run-format';
import { StatusChip } from './status-chip';

/** The tenant's backup runs, newest first, paged. */
@Component({
  selector: 'eb-backups-page',
  imports: [
    DatePipe,
    DecimalPipe,
    RouterLink,
    MatButtonModule,
    MatCardModule,
    MatIconModule,
    MatPaginatorModule,
    MatProgressBarModule,
    MatTableModule,
    StatusChip,
  ],
  templateUrl: './backups-page.html',
  styleUrl: './backups-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BackupsPage {
  private readonly session = inject(SessionStore);
  protected readonly tenantId = this.session.tenantId;
  /** 0-based, as mat-paginator counts; the API counts from 1. */
  protected readonly pageIndex = signal(0);
  protected readonly pageSize = signal(10);
  protected readonly runs = runPageResource(
    this.tenantId,
    computed(() => this.pageIndex() + 1),
    this.pageSize,
  );
  protected readonly columns = ['startedAt', 'status', 'duration', 'objects', 'errors'];
  protected readonly items = computed(() => (this.runs.hasValue() ? this.runs.value().items : []));
  protected readonly total = computed(() => (this.runs.hasValue() ? this.runs.value().total : 0));
  protected readonly errorMessage = computed(() => {
    const error = this.runs.error();
    return error === undefined ? undefined : describeApiError(error);
  });

  protected readonly formatDuration = formatDuration;
  protected readonly runDurationMs = runDurationMs;
  protected readonly typeRows = typeRows;
  protected readonly typeProblems = typeProblems;
  protected readonly triggerLabel = triggerLabel;

  protected changePage(event: PageEvent): void {
    this.pageSize.set(event.pageSize);
    this.pageIndex.set(event.pageIndex);
  }

  protected reload(): void {
    this.runs.reload();
  }
}
