import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input, linkedSignal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { Router, RouterLink } from '@angular/router';
import { COMPARE_LIVE, type CompareTypeSummary, type ObjectTypeKey } from '@entra-backup/common';
import { describeApiError } from '../core/http/api-error';
import { TenantContext } from '../core/tenant/tenant-context';
import {
  CompareApi,
  compareDownloadUrl,
  compareSummaryResource,
  snapshotChoicesResource,
} from './compare.api';
import { CompareObjects } from './compare-objects';

interface SnapshotChoice {
  readonly value: string;
  readonly label: string;
}

/**
 * Compare (`/compare?from=&to=&type=`): two snapshots, or a snapshot and the live tenant; the
 * figures per type, then the chosen type's objects with their property-level changes.
 */
@Component({
  selector: 'eb-compare-page',
  imports: [
    DatePipe,
    RouterLink,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    CompareObjects,
  ],
  templateUrl: './compare-page.html',
  styleUrl: './compare-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ComparePage {
  protected readonly context = inject(TenantContext);
  private readonly router = inject(Router);
  private readonly api = inject(CompareApi);

  /** Query parameters: snapshot references (`to` may be `live`) and the type shown. */
  readonly from = input<string>();
  readonly to = input<string>();
  readonly type = input<string>();

  protected readonly live = COMPARE_LIVE;
  protected readonly tenantId = this.context.tenantId;
  protected readonly snapshots = snapshotChoicesResource(this.tenantId);

  /** Snapshots to pick from, newest first, numbered as the CLI's `snapshots` lists them. */
  protected readonly choices = computed<SnapshotChoice[]>(() => {
    const items = this.snapshots.hasValue() ? (this.snapshots.value()?.items ?? []) : [];
    return items.map((snapshot) => ({
      value: snapshot.id,
      label: `#${snapshot.seq} · ${new Date(snapshot.createdAt).toLocaleString()} · ${snapshot.mode}`,
    }));
  });

  /** Reads the live tenant when `to=live`, once per visit of that address. */
  protected readonly liveRead = rxResource({
    params: () => {
      const tenantId = this.tenantId();
      const from = this.from();
      return tenantId !== undefined && this.to() === COMPARE_LIVE && from !== undefined && from !== ''
        ? { tenantId, from }
        : undefined;
    },
    stream: ({ params }) => this.api.readLive(params.tenantId, params.from),
  });
  /** Until the read's run has ended (the stream's first value is the run being under way). */
  protected readonly reading = computed(
    () =>
      this.liveRead.isLoading() || (this.liveRead.hasValue() && this.liveRead.value()?.state === 'reading'),
  );
  protected readonly liveError = computed(() => {
    const error = this.liveRead.error();
    return error === undefined ? undefined : describeApiError(error);
  });

  /** The pair to compare, with `live` resolved to the snapshot the read made. */
  protected readonly pair = computed(() => {
    const from = this.from();
    const to = this.to();
    if (from === undefined || to === undefined || from === '' || to === '') return undefined;
    if (to !== COMPARE_LIVE) return { from, to };
    const read = this.liveRead.hasValue() ? this.liveRead.value() : undefined;
    return read?.state === 'done' ? { from, to: read.snapshotId } : undefined;
  });
  protected readonly summary = compareSummaryResource(this.tenantId, this.pair);
  protected readonly summaryError = computed(() => {
    const error = this.summary.error();
    return error === undefined ? undefined : describeApiError(error);
  });
  protected readonly types = computed<CompareTypeSummary[]>(() =>
    this.summary.hasValue() ? (this.summary.value()?.types ?? []) : [],
  );
  protected readonly selectedType = computed<CompareTypeSummary | undefined>(() => {
    const wanted = this.type();
    const types = this.types();
    return types.find((t) => t.type === wanted) ?? types[0];
  });
  protected readonly downloads = computed(() => {
    const tenantId = this.tenantId();
    const summary = this.summary.hasValue() ? this.summary.value() : undefined;
    if (tenantId === undefined || summary === undefined || !this.context.can('exports:download')) {
      return undefined;
    }
    return {
      csv: compareDownloadUrl(tenantId, 'csv', summary.from.snapshotId, summary.to.snapshotId),
      json: compareDownloadUrl(tenantId, 'json', summary.from.snapshotId, summary.to.snapshotId),
    };
  });

  /** Form state, seeded from the address (and reset when it changes). */
  protected readonly fromChoice = linkedSignal(() => this.from() ?? '');
  protected readonly toChoice = linkedSignal(() => this.to() ?? '');

  /** The choices, plus the current reference when it is not among them (a sequence number, `latest`). */
  protected optionsWith(current: string | undefined): SnapshotChoice[] {
    const choices = this.choices();
    if (current === undefined || current === '' || current === COMPARE_LIVE) return choices;
    if (choices.some((c) => c.value === current)) return choices;
    const label =
      current === 'latest'
        ? 'Latest snapshot'
        : /^#?\d+$/.test(current)
          ? `Snapshot #${current.replace('#', '')}`
          : current;
    return [{ value: current, label }, ...choices];
  }

  protected compare(): void {
    if (this.fromChoice() === '' || this.toChoice() === '') return;
    void this.router.navigate([], {
      queryParams: { from: this.fromChoice(), to: this.toChoice(), type: null },
      queryParamsHandling: 'merge',
    });
  }

  protected showType(type: ObjectTypeKey): void {
    void this.router.navigate([], { queryParams: { type }, queryParamsHandling: 'merge' });
  }

  /** `Users: 1 added, 1 changed; namedLocations: 2 removed`, for screen readers. */
  protected typeSummaryLabel(summary: CompareTypeSummary): string {
    const parts = summary.collections.map((c) => {
      const figures = (['added', 'changed', 'removed'] as const)
        .filter((change) => c[change] > 0)
        .map((change) => `${c[change]} ${change}`)
        .join(', ');
      return c.primary ? figures : `${c.collection}: ${figures}`;
    });
    return `${summary.label}: ${parts.join('; ')}`;
  }

  protected readAgain(): void {
    this.liveRead.reload();
  }

  protected choose(which: 'from' | 'to', event: Event): void {
    const value = (event.target as HTMLSelectElement).value;
    (which === 'from' ? this.fromChoice : this.toChoice).set(value);
  }
}
