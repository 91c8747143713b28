import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import {
  type BackupFailureGroup,
  type BackupRunSummary,
  groupBackupFailures,
  objectTypeLabel,
} from '@entra-backup/common';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { RouterLink } from '@angular/router';

/**
 * A run's failed and skipped types, identical failures once: a short cause, the types it hit,
 * the action to take (a link to Settings for consent), and Graph's full message on demand.
 */
@Component({
  selector: 'eb-run-failures',
  imports: [MatButtonModule, MatIconModule, RouterLink],
  template: `
    @for (group of groups(); track $index) {
      <div class="failure" [class.skipped]="group.status === 'skipped'">
        <mat-icon aria-hidden="true">{{ group.status === 'failed' ? 'error_outline' : 'info' }}</mat-icon>
        <div class="body">
          <p class="cause">{{ group.cause }}</p>
          <p class="types">{{ group.status === 'failed' ? 'Failed' : 'Skipped' }}: {{ typeLabels(group) }}</p>
          @if (group.action === 'grant-consent') {
            <a mat-stroked-button routerLink="/settings">{{ group.actionText }}</a>
          } @else if (group.actionText; as action) {
            <p class="action">{{ action }}.</p>
          }
          <details>
            <summary>Details</summary>
            @if (group.code; as code) {
              <p>
                Code <span class="mono">{{ code }}</span>
              </p>
            }
            <p class="detail">{{ group.detail }}</p>
            @for (requestId of group.requestIds; track requestId) {
              <p>
                Request ID <span class="mono">{{ requestId }}</span>
              </p>
            }
          </details>
        </div>
      </div>
    }
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      gap: 12px;
    }
    .failure {
      display: flex;
      gap: 12px;
      align-items: flex-start;
      padding: 12px;
      border-radius: 8px;
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
    .failure.skipped {
      background: var(--mat-sys-surface-container-high);
      color: var(--mat-sys-on-surface);
    }
    .body {
      min-width: 0;
      display: flex;
      flex-direction: column;
      align-items: flex-start;
      gap: 6px;
    }
    p {
      margin: 0;
    }
    .cause {
      font: var(--mat-sys-title-small);
    }
    summary {
      cursor: pointer;
    }
    .detail,
    .mono {
      overflow-wrap: anywhere;
      white-space: pre-wrap;
      font: var(--mat-sys-body-small);
    }
    .mono {
      font-family: monospace;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RunFailures {
  readonly summary = input.required<BackupRunSummary>();
  protected readonly groups = computed(() => groupBackupFailures(this.summary().types));

  protected typeLabels(group: BackupFailureGroup): string {
    return group.types.map(objectTypeLabel).join(', ');
  }
}
