import { DatePipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  inject,
  input,
  linkedSignal,
  signal,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MAX_RECONCILE_EVERY_DAYS } from '@entra-backup/common';
import { describeApiError } from '../core/http/api-error';
import { ReconciliationApi, reconciliationResource } from './reconciliation.api';

/**
 * How often the tenant's backup is a full read instead of replaying changes (weekly by default).
 * Such a reconciliation corrects whatever the incremental backups got wrong and reports it as drift
 * on its run.
 */
@Component({
  selector: 'eb-reconciliation-card',
  imports: [
    DatePipe,
    FormsModule,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
  ],
  template: `
    <mat-card appearance="outlined">
      <mat-card-header>
        <mat-card-title><h2>Full reconciliation</h2></mat-card-title>
      </mat-card-header>
      @if (policy.isLoading()) {
        <mat-progress-bar mode="indeterminate" aria-label="Loading the reconciliation interval" />
      }
      <mat-card-content>
        @if (loadError(); as message) {
          <div class="state error" role="alert">
            <mat-icon aria-hidden="true">error_outline</mat-icon>
            <div>
              <p class="state-title">The reconciliation interval could not be loaded.</p>
              <p>{{ message }}</p>
              <button mat-stroked-button type="button" (click)="policy.reload()">Try again</button>
            </div>
          </div>
        } @else if (policy.hasValue()) {
          @let p = policy.value();
          <p class="hint">
            Backups between reconciliations replay only what changed. Every {{ p.everyDays }}
            {{ p.everyDays === 1 ? 'day' : 'days' }} a backup reads the whole tenant instead and reports any
            drift: objects or links the backups in between got wrong (expected: none).
            @if (!p.isDefault && p.updatedAt) {
              Changed {{ p.updatedAt | date: 'medium' }}.
            }
          </p>
          @if (readOnly()) {
            <p>Every {{ p.everyDays }} {{ p.everyDays === 1 ? 'day' : 'days' }}</p>
          } @else {
            <form class="interval" aria-label="Reconciliation interval" (ngSubmit)="save()">
              <mat-form-field appearance="outline">
                <mat-label>Every (days)</mat-label>
                <input
                  matInput
                  name="everyDays"
                  type="number"
                  min="1"
                  [max]="maxDays"
                  step="1"
                  required
                  [ngModel]="everyDays()"
                  (ngModelChange)="everyDays.set($event)"
                />
                <mat-hint>1 to {{ maxDays }} days; 7 by default</mat-hint>
              </mat-form-field>
              <button mat-stroked-button type="submit" [disabled]="saving() || !valid()">
                Save interval
              </button>
            </form>
          }
        }
      </mat-card-content>
    </mat-card>
  `,
  styleUrl: './settings-cards.scss',
  styles: `
    .interval {
      display: flex;
      gap: 12px;
      align-items: baseline;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ReconciliationCard {
  private readonly api = inject(ReconciliationApi);
  private readonly snackBar = inject(MatSnackBar);
  private readonly destroyRef = inject(DestroyRef);

  readonly tenantId = input.required<string>();
  /** The principal may see the interval but not change it. */
  readonly readOnly = input(false);

  protected readonly maxDays = MAX_RECONCILE_EVERY_DAYS;
  protected readonly policy = reconciliationResource(this.tenantId);
  /** The field's value: the server's interval until the admin types another. */
  protected readonly everyDays = linkedSignal<number | null>(() =>
    this.policy.hasValue() ? this.policy.value().everyDays : null,
  );
  protected readonly saving = signal(false);
  protected readonly valid = computed(() => {
    const days = Number(this.everyDays());
    return Number.isInteger(days) && days >= 1 && days <= MAX_RECONCILE_EVERY_DAYS;
  });
  protected readonly loadError = computed(() => {
    const error = this.policy.error();
    return error === undefined ? undefined : describeApiError(error);
  });

  protected save(): void {
    if (!this.valid()) return;
    const tenantId = this.tenantId();
    this.saving.set(true);
    this.api
      .setEveryDays(tenantId, Number(this.everyDays()))
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (saved) => {
          this.saving.set(false);
          if (tenantId === this.tenantId()) this.policy.set(saved);
          this.snackBar.open(`Full reconciliation every ${saved.everyDays} day(s)`, 'Close', {
            duration: 3000,
          });
        },
        error: (error: unknown) => {
          this.saving.set(false);
          this.snackBar.open(`Could not save the interval: ${describeApiError(error)}`, 'Close', {
            duration: 8000,
            politeness: 'assertive',
          });
        },
      });
  }
}
