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
import { MatProgressBarModule } from '@angular/material/progress-bar';
import type { RestoreRun } from '@entra-backup/common';
import type { Subscription } from 'rxjs';
import { describeApiError } from '../core/http/api-error';
import { RestoreApi, type RestoreProgressUpdate } from './restore.api';

/** What the progress shows: the step being written and how far the restore has got. */
export interface RestoreProgressState {
  readonly status: 'running' | 'finished' | 'failed';
  readonly step: string | undefined;
  readonly done: number;
  readonly planned: number | undefined;
  readonly run: RestoreRun | undefined;
  readonly reason: string | undefined;
}

export function initialRestoreProgress(): RestoreProgressState {
  return {
    status: 'running',
    step: undefined,
    done: 0,
    planned: undefined,
    run: undefined,
    reason: undefined,
  };
}

/** Folds one update (an event, or a polled restore) into the progress shown. */
export function applyRestoreUpdate(
  state: RestoreProgressState,
  update: RestoreProgressUpdate,
): RestoreProgressState {
  if (update.source === 'poll') {
    const run = update.run;
    if (run.status === 'running') return state;
    return run.status === 'failed' || run.status === 'interrupted'
      ? { ...state, status: 'failed', run, reason: run.reason ?? `The restore is ${run.status}` }
      : { ...state, status: 'finished', run };
  }
  const event = update.event;
  switch (event.kind) {
    case 'restore-started':
      return { ...state, planned: event.planned };
    case 'restore-step':
      return { ...state, step: event.step, done: event.done, planned: event.planned };
    case 'restore-finished':
      return { ...state, status: 'finished', run: event.run, done: state.planned ?? state.done };
    case 'restore-failed':
      return { ...state, status: 'failed', reason: event.reason };
  }
}

/** Live progress of one restore (server-sent events, polling otherwise); emits `finished` at its end. */
@Component({
  selector: 'eb-restore-progress',
  imports: [DecimalPipe, MatProgressBarModule],
  template: `
    <div class="progress" aria-live="polite">
      @if (state().status === 'running') {
        @if (percent(); as value) {
          <mat-progress-bar mode="determinate" [value]="value" aria-label="Restore progress" />
        } @else {
          <mat-progress-bar mode="indeterminate" aria-label="Restore starting" />
        }
        <p class="step">
          @if (state().step; as step) {
            Writing {{ step }}…
          } @else {
            Backing up the tenant before the first write (so this restore can be undone)…
          }
        </p>
        @if (state().planned !== undefined) {
          <p class="figures">{{ state().done | number }} of {{ state().planned | number }} actions done</p>
        }
      } @else if (state().status === 'finished') {
        <p class="step">The restore has finished.</p>
      }
      @if (state().reason; as reason) {
        <p class="error-text" role="alert">{{ reason }}</p>
      }
      @if (error(); as message) {
        <p class="error-text" role="alert">Progress is unavailable: {{ message }}</p>
      }
    </div>
  `,
  styles: `
    .progress {
      display: flex;
      flex-direction: column;
      gap: 8px;
    }
    p {
      margin: 0;
    }
    .figures {
      font-variant-numeric: tabular-nums;
      color: var(--mat-sys-on-surface-variant);
    }
    .error-text {
      color: var(--mat-sys-error);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RestoreProgress {
  private readonly api = inject(RestoreApi);

  readonly tenantId = input.required<string>();
  readonly restoreId = input.required<string>();
  readonly finished = output<RestoreProgressState>();

  protected readonly state = signal<RestoreProgressState>(initialRestoreProgress());
  protected readonly error = signal<string | undefined>(undefined);
  protected readonly percent = computed(() => {
    const { done, planned } = this.state();
    return planned === undefined || planned === 0 || done === 0
      ? undefined
      : Math.min(100, (100 * done) / planned);
  });

  constructor() {
    let subscription: Subscription | undefined;
    inject(DestroyRef).onDestroy(() => subscription?.unsubscribe());
    effect(() => {
      const tenantId = this.tenantId();
      const restoreId = this.restoreId();
      untracked(() => {
        subscription?.unsubscribe();
        this.state.set(initialRestoreProgress());
        this.error.set(undefined);
        subscription = this.api.progress(tenantId, restoreId).subscribe({
          next: (update) => this.state.update((state) => applyRestoreUpdate(state, update)),
          error: (error: unknown) => this.error.set(describeApiError(error)),
          complete: () => this.finished.emit(this.state()),
        });
      });
    });
  }
}
