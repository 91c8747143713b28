import { DecimalPipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  effect,
  inject,
  input,
  output,
  signal,
  untracked,
} from '@angular/core';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { explainBackupFailure } from '@entra-backup/common';
import type { Subscription } from 'rxjs';
import { describeApiError } from '../core/http/api-error';
import { BackupsApi } from './backups.api';
import { type RunProgressState, applyProgressUpdate, initialProgress } from './run-progress-state';
import { RunFailures } from './run-failures';
import { StatusChip } from './status-chip';

/**
 * Live progress of one run, per type: server-sent events while they work, polling otherwise.
 * Emits `finished` with the final state once the run has ended.
 */
@Component({
  selector: 'eb-run-progress',
  imports: [DecimalPipe, MatIconModule, MatProgressBarModule, RunFailures, StatusChip],
  template: `
    <div class="progress" aria-live="polite">
      @if (state().status === 'running') {
        <mat-progress-bar mode="indeterminate" aria-label="Backup running" />
      }
      @if (error(); as message) {
        <p class="error" role="alert">Progress is unavailable: {{ message }}</p>
      }
      @if (state().reason; as reason) {
        <p class="error" role="alert">{{ reason }}</p>
      }
      <ul class="types" aria-label="Progress per object type">
        @for (type of state().types; track type.key) {
          <li [attr.data-type]="type.key">
            <span class="label">{{ type.label }}</span>
            <span class="objects">
              @if (type.objects !== undefined) {
                {{ type.objects | number }} {{ type.objects === 1 ? 'object' : 'objects' }}
                @if (type.related; as related) {
                  <span class="collection">+ {{ related }}</span>
                }
              } @else if (type.status === 'running') {
                <!-- What Graph sent so far, all collections: not the snapshot's count (issue #10). -->
                {{ type.read | number }} read so far
                @if (type.collection; as collection) {
                  <span class="collection">· reading {{ collection }}</span>
                }
              } @else if (type.status !== 'waiting') {
                {{ type.read | number }} read
              }
            </span>
            <eb-status-chip [status]="type.status" />
            @if (type.reason; as reason) {
              <!-- The short cause: Graph's full message is shown once, in the failures below. -->
              <span class="reason">{{ shortCause(reason) }}</span>
            }
          </li>
        } @empty {
          <li class="muted">Starting…</li>
        }
      </ul>
      @if (state().summary; as summary) {
        <eb-run-failures [summary]="summary" />
      }
    </div>
  `,
  styles: `
    .progress {
      display: flex;
      flex-direction: column;
      gap: 8px;
    }
    .types {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      gap: 4px;
    }
    li {
      display: grid;
      /* No minimum widths: on a phone the columns shrink and wrap instead of scrolling the page. */
      grid-template-columns: minmax(0, 1.2fr) minmax(0, 1fr) auto;
      align-items: center;
      gap: 4px 16px;
      padding: 6px 0;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    .label {
      font: var(--mat-sys-title-small);
    }
    .objects {
      font-variant-numeric: tabular-nums;
    }
    .collection,
    .muted {
      color: var(--mat-sys-on-surface-variant);
    }
    .reason {
      grid-column: 1 / -1;
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-small);
    }
    .error {
      margin: 0;
      color: var(--mat-sys-error);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RunProgress {
  private readonly api = inject(BackupsApi);

  readonly tenantId = input.required<string>();
  readonly runId = input.required<string>();
  readonly finished = output<RunProgressState>();

  protected readonly state = signal<RunProgressState>(initialProgress());
  protected readonly error = signal<string | undefined>(undefined);
  protected readonly running = computed(() => this.state().status === 'running');

  protected shortCause(reason: string): string {
    return explainBackupFailure(reason).cause;
  }

  constructor() {
    let subscription: Subscription | undefined;
    inject(DestroyRef).onDestroy(() => subscription?.unsubscribe());
    effect(() => {
      const tenantId = this.tenantId();
      const runId = this.runId();
      untracked(() => {
        subscription?.unsubscribe();
        this.state.set(initialProgress());
        this.error.set(undefined);
        subscription = this.api.progress(tenantId, runId).subscribe({
          next: (update) => this.state.update((state) => applyProgressUpdate(state, update)),
          error: (error: unknown) => this.error.set(describeApiError(error)),
          complete: () => this.finished.emit(this.state()),
        });
      });
    });
  }
}
