import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import { describeApiError } from '../core/http/api-error';
import { scheduleResource } from './settings.api';

/** When the automatic backups of the tenant run. */
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
          <p class="hint">
            @if (s.active) {
              Backups run automatically every {{ s.intervalHours }} hours.
            } @else {
              Automatic backups start once an object type is switched on; then they run every
              {{ s.intervalHours }} hours.
            }
          </p>
          <dl class="schedule">
            <div>
              <dt>Next run</dt>
              <dd>{{ s.nextRunAt ? (s.nextRunAt | date: 'medium') : 'Not scheduled' }}</dd>
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
              <dd>Every {{ s.intervalHours }} hours</dd>
            </div>
            <div>
              <dt>First full backup due by</dt>
              <dd>
                {{
                  s.firstFullBackupDueBy
                    ? (s.firstFullBackupDueBy | date: 'medium')
                    : 'After the first type is switched on'
                }}
              </dd>
            </div>
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
  protected readonly loadError = computed(() => {
    const error = this.schedule.error();
    return error === undefined ? undefined : describeApiError(error);
  });

  reload(): void {
    this.schedule.reload();
  }
}
