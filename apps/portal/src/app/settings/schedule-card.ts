import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import { SCHEDULE_INTERVAL_HOURS } from '@entra-backup/common';
import { describeApiError } from '../core/http/api-error';
import { scheduleResource } from './settings.api';

/**
 * When the automatic backups of the tenant run: every 12 hours at the tenant's two times of day
 * (so "Next run" is always one of them), except the first full backup, due minutes after the first
 * type is switched on unless a full backup was taken by hand before.
 */
@Component({
  selector: 'eb-schedule-card',
  imports: [DatePipe, MatButtonModule, MatCardModule, MatIconModule, MatProgressBarModule, RouterLink],
  template: `
    <mat-card appearance="outlined">
      <mat-card-header>
        <mat-card-title><h2>Schedule</h2></mat-card-title>
      </mat-card-header>
      @if (schedule.isLoading()) {
        <mat-progress-bar mode="indeterminate" aria-label="Loading schedule" />
      }
      <mat-card-content>
        @if (loadError(); as message) {
          <div class="state error" role="alert">
            <mat-icon aria-hidden="true">error_outline</mat-icon>
            <div>
              <p class="state-title">The schedule could not be loaded.</p>
              <p>{{ message }}</p>
              <button mat-stroked-button type="button" (click)="reload()">Try again</button>
            </div>
          </div>
        } @else if (schedule.hasValue()) {
          @let s = schedule.value();
          @let slots = slotTimes();
          @let firstFullPending = s.active && !s.lastFullBackupAt;
          <p class="hint">
            @if (!s.active) {
              Automatic backups start once an object type is switched on; then they run every
              {{ s.intervalHours }} hours.
            } @else if (firstFullPending && s.nextRunAt) {
              The first full backup runs at {{ s.nextRunAt | date: 'medium' }}; after that, backups run every
              {{ s.intervalHours }} hours, at {{ slots[0] | date: 'shortTime' }} and
              {{ slots[1] | date: 'shortTime' }}.
            } @else {
              Backups run automatically every {{ s.intervalHours }} hours, at
              {{ slots[0] | date: 'shortTime' }} and {{ slots[1] | date: 'shortTime' }}.
            }
          </p>
          <dl class="schedule">
            <div>
              <dt>Next run</dt>
              <dd>
                @if (s.nextRunAt) {
                  {{ s.nextRunAt | date: 'medium' }}
                  @if (firstFullPending) {
                    (the first full backup)
                  }
                } @else {
                  Not scheduled
                }
              </dd>
            </div>
            <div>
              <dt>Last automatic run</dt>
              <dd>
                @if (s.lastRunAt) {
                  @if (s.lastRunId) {
                    <a [routerLink]="['/backups', s.lastRunId]">{{ s.lastRunAt | date: 'medium' }}</a>
                  } @else {
                    {{ s.lastRunAt | date: 'medium' }}
                  }
                } @else {
                  None yet
                }
              </dd>
            </div>
            <div>
              <dt>Interval</dt>
              <dd>
                Every {{ s.intervalHours }} hours, at {{ slots[0] | date: 'shortTime' }} and
                {{ slots[1] | date: 'shortTime' }}
              </dd>
            </div>
            @if (s.lastFullBackupAt) {
              <div>
                <dt>Last full backup</dt>
                <dd>{{ s.lastFullBackupAt | date: 'medium' }}</dd>
              </div>
            } @else if (s.firstFullBackupDueBy) {
              <div>
                <dt>First full backup due by</dt>
                <dd>{{ s.firstFullBackupDueBy | date: 'medium' }}</dd>
              </div>
            } @else {
              <div>
                <dt>First full backup</dt>
                <dd>After the first type is switched on</dd>
              </div>
            }
          </dl>
          @if (s.lastError; as lastError) {
            <p class="error-text" role="alert">The last automatic run did not start: {{ lastError }}</p>
          }
        }
      </mat-card-content>
    </mat-card>
  `,
  styleUrl: './settings-cards.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ScheduleCard {
  readonly tenantId = input.required<string>();
  protected readonly schedule = scheduleResource(this.tenantId);
  /**
   * The tenant's two times of day (its offset after midnight UTC, and 12 hours later), as dates
   * to format in the viewer's time zone, earlier time of day first.
   */
  protected readonly slotTimes = computed(() => {
    const offsetMinutes = this.schedule.hasValue() ? this.schedule.value().offsetMinutes : 0;
    const first = Date.UTC(2026, 0, 1) + offsetMinutes * 60_000;
    const slots = [new Date(first), new Date(first + SCHEDULE_INTERVAL_HOURS * 3600_000)];
    const minuteOfDay = (d: Date) => d.getHours() * 60 + d.getMinutes();
    return slots.sort((a, b) => minuteOfDay(a) - minuteOfDay(b));
  });
  protected readonly loadError = computed(() => {
    const error = this.schedule.error();
    return error === undefined ? undefined : describeApiError(error);
  });

  reload(): void {
    this.schedule.reload();
  }
}
