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
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { MatSnackBar } from '@angular/material/snack-bar';
import {
  DEFAULT_RETENTION_POLICY,
  type PruneFigures,
  type RetentionPolicy,
  type RetentionPreviewResponse,
  retentionPolicySchema,
} from '@entra-backup/common';
import { describeApiError } from '../core/http/api-error';
import { SettingsApi, retentionResource } from './settings.api';

type PolicyField = keyof RetentionPolicy;

const FIELDS: ReadonlyArray<{ key: PolicyField; label: string; unit: string }> = [
  { key: 'keepAllDays', label: 'Keep every snapshot for', unit: 'days' },
  { key: 'dailyDays', label: 'Then one a day for', unit: 'days' },
  { key: 'weeklyWeeks', label: 'One a week for', unit: 'weeks' },
  { key: 'monthlyMonths', label: 'One a month for', unit: 'months' },
  { key: 'logDays', label: 'Keep sign-in and audit logs for', unit: 'days' },
];

/** Bytes as B, KB, MB or GB (1024-based), one decimal above a kilobyte. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/**
 * The tenant's retention policy as a small form, with "Calculate effect" (what saving it would
 * prune now: snapshots, object versions, log entries and bytes) before saving, the legal hold
 * (which suspends pruning) and the last prune.
 */
@Component({
  selector: 'eb-retention-card',
  imports: [
    DatePipe,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    MatSlideToggleModule,
  ],
  template: `
    <mat-card appearance="outlined">
      <mat-card-header>
        <mat-card-title><h2>Retention</h2></mat-card-title>
        <mat-card-subtitle>How long snapshots and logs are kept</mat-card-subtitle>
      </mat-card-header>
      @if (retention.isLoading() || busy()) {
        <mat-progress-bar mode="indeterminate" aria-label="Working on retention" />
      }
      <mat-card-content>
        @if (loadError(); as message) {
          <div class="state error" role="alert">
            <mat-icon aria-hidden="true">error_outline</mat-icon>
            <div>
              <p class="state-title">The retention policy could not be loaded.</p>
              <p>{{ message }}</p>
              <button mat-stroked-button type="button" (click)="retention.reload()">Try again</button>
            </div>
          </div>
        } @else if (retention.hasValue()) {
          @let r = retention.value();
          @if (r.legalHold) {
            <div class="notice" role="note">
              <mat-icon aria-hidden="true">gavel</mat-icon>
              <p>
                A legal hold is in force{{ r.legalHoldReason ? ' (' + r.legalHoldReason + ')' : '' }}: nothing
                is pruned until it is released.
              </p>
            </div>
          }
          <p class="hint">
            Older snapshots thin out: every snapshot is kept for a while, then the newest of each day, week
            and month. The newest snapshot and those an unfinished restore needs are always kept. Deleted
            objects stay restorable while a kept snapshot holds them.
            @if (r.isDefault) {
              These are the defaults.
            }
          </p>
          <div class="policy" role="group" aria-label="Retention policy">
            @for (field of fields; track field.key) {
              <mat-form-field appearance="outline">
                <mat-label>{{ field.label }}</mat-label>
                <input
                  matInput
                  type="number"
                  min="0"
                  [name]="field.key"
                  [value]="draft()[field.key]"
                  [disabled]="readOnly() || busy()"
                  (input)="setField(field.key, $any($event.target).value)"
                />
                <span matTextSuffix>{{ field.unit }}</span>
              </mat-form-field>
            }
          </div>
          @if (invalid(); as message) {
            <p class="error-text" role="alert">{{ message }}</p>
          }
          @if (preview(); as p) {
            <div class="preview" role="status" aria-live="polite">
              <p>
                <strong>{{ p.snapshotsPruned.length }}</strong> of
                {{ p.snapshotsPruned.length + p.snapshotsKept }} snapshots would be pruned now, freeing
                {{ freedText(p.freed) }}.
                @if (p.legalHold) {
                  The legal hold keeps them until it is released.
                }
              </p>
              @if (p.snapshotsPruned.length > 0) {
                <p class="hint">
                  Oldest: {{ p.snapshotsPruned[0]!.createdAt | date: 'mediumDate' }}, newest:
                  {{ p.snapshotsPruned[p.snapshotsPruned.length - 1]!.createdAt | date: 'mediumDate' }}.
                </p>
              }
            </div>
          }
          <p class="hint last-prune">
            @if (r.lastPrune; as last) {
              Last prune {{ last.startedAt | date: 'medium' }}: {{ last.status }}
              @if (last.status === 'completed') {
                — {{ last.freed.snapshots }} snapshots, {{ freedText(last.freed) }} freed.
              } @else if (last.reason) {
                — {{ last.reason }}
              }
            } @else {
              Not pruned yet; pruning runs once a day.
            }
          </p>
          @if (!readOnly()) {
            <div class="legal-hold">
              <mat-slide-toggle
                [checked]="r.legalHold"
                [disabled]="busy()"
                (change)="setLegalHold($event.checked)"
                >Legal hold</mat-slide-toggle
              >
              @if (!r.legalHold) {
                <mat-form-field appearance="outline" class="reason">
                  <mat-label>Reason (optional)</mat-label>
                  <input
                    matInput
                    name="legalHoldReason"
                    maxlength="500"
                    [value]="holdReason()"
                    (input)="holdReason.set($any($event.target).value)"
                  />
                </mat-form-field>
              }
            </div>
          }
        }
      </mat-card-content>
      @if (retention.hasValue() && !readOnly()) {
        <mat-card-actions>
          <button
            mat-stroked-button
            type="button"
            [disabled]="busy() || !!invalid()"
            (click)="calculateEffect()"
          >
            <mat-icon aria-hidden="true">calculate</mat-icon>
            Calculate effect
          </button>
          <button
            mat-flat-button
            type="button"
            [disabled]="busy() || !!invalid() || !dirty()"
            (click)="save()"
          >
            Save
          </button>
        </mat-card-actions>
      }
    </mat-card>
  `,
  styles: `
    .policy {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(220px, 1fr));
      gap: 0 16px;
    }
    .legal-hold {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px 24px;
    }
    .reason {
      flex: 1 1 240px;
    }
    .error-text {
      color: var(--mat-sys-error);
    }
    .preview {
      margin: 0 0 8px;
    }
  `,
  styleUrl: './settings-cards.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RetentionCard {
  private readonly api = inject(SettingsApi);
  private readonly snackBar = inject(MatSnackBar);
  private readonly destroyRef = inject(DestroyRef);

  readonly tenantId = input.required<string>();
  /** The principal may see the policy but not change it. */
  readonly readOnly = input(false);

  protected readonly fields = FIELDS;
  protected readonly retention = retentionResource(this.tenantId);

  /** The form: the saved policy, reset whenever it (re)loads. */
  protected readonly draft = linkedSignal<Record<PolicyField, number | string>>(() =>
    this.retention.hasValue() ? this.retention.value().policy : DEFAULT_RETENTION_POLICY,
  );
  /** The effect of the draft as last calculated; cleared when the draft or the tenant changes. */
  protected readonly preview = linkedSignal<unknown, RetentionPreviewResponse | undefined>({
    source: () => [this.draft(), this.tenantId()],
    computation: () => undefined,
  });
  protected readonly holdReason = signal('');
  protected readonly busy = signal(false);

  private readonly parsed = computed(() => {
    const values = Object.fromEntries(
      Object.entries(this.draft()).map(([key, value]) => [key, value === '' ? Number.NaN : Number(value)]),
    );
    return retentionPolicySchema.safeParse(values);
  });
  protected readonly invalid = computed(() => {
    const result = this.parsed();
    if (result.success) return undefined;
    const issue = result.error.issues[0];
    const field = FIELDS.find((f) => f.key === issue?.path[0]);
    return `${field ? `${field.label} ${field.unit}` : 'The policy'}: ${issue?.message ?? 'invalid'}`;
  });
  protected readonly dirty = computed(() => {
    const result = this.parsed();
    return (
      this.retention.hasValue() &&
      result.success &&
      (this.retention.value().isDefault ||
        JSON.stringify(result.data) !== JSON.stringify(this.retention.value().policy))
    );
  });
  protected readonly loadError = computed(() => {
    const error = this.retention.error();
    return error === undefined ? undefined : describeApiError(error);
  });

  protected setField(key: PolicyField, value: string): void {
    this.draft.update((draft) => ({ ...draft, [key]: value }));
  }

  protected freedText(freed: PruneFigures): string {
    return (
      `${freed.objectVersions} object versions, ${freed.logEntries} log entries and ` +
      `${formatBytes(freed.bytes)} of storage`
    );
  }

  protected calculateEffect(): void {
    const result = this.parsed();
    if (!result.success) return;
    this.busy.set(true);
    this.api
      .previewRetention(this.tenantId(), result.data)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (preview) => {
          this.busy.set(false);
          this.preview.set(preview);
        },
        error: (error: unknown) => this.fail('Could not calculate the effect', error),
      });
  }

  protected save(): void {
    const result = this.parsed();
    if (!result.success) return;
    this.write({ policy: result.data }, 'Retention policy saved');
  }

  protected setLegalHold(legalHold: boolean): void {
    const reason = this.holdReason().trim();
    this.write(
      legalHold ? { legalHold, ...(reason === '' ? {} : { legalHoldReason: reason }) } : { legalHold },
      legalHold ? 'Legal hold placed: pruning is suspended' : 'Legal hold released',
    );
  }

  private write(body: Parameters<SettingsApi['updateRetention']>[1], done: string): void {
    this.busy.set(true);
    this.api
      .updateRetention(this.tenantId(), body)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (saved) => {
          this.busy.set(false);
          this.holdReason.set('');
          this.retention.set(saved);
          this.snackBar.open(done, 'Close', { duration: 3000 });
        },
        error: (error: unknown) => {
          this.fail('Could not save', error);
          this.retention.reload();
        },
      });
  }

  private fail(what: string, error: unknown): void {
    this.busy.set(false);
    this.snackBar.open(`${what}: ${describeApiError(error)}`, 'Close', {
      duration: 8000,
      politeness: 'assertive',
    });
  }
}
