import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { type BackupRunListItem, explainBackupFailure } from '@entra-backup/common';
import { collectionRowLabel, LOG_TYPES, typeRows } from './run-format';
import { StatusChip } from './status-chip';

/**
 * A finished run's figures per type. Objects, added, changed and removed count the type's primary
 * collection (users, role definitions, policies), so they add up; the type's other collections
 * (role assignments, named locations, ...) follow on their own rows, and so do collections the
 * run did not read for lack of consent, with the reason. Failures show their short
 * cause here; the full messages are in the run's failures.
 */
@Component({
  selector: 'eb-run-results',
  imports: [DecimalPipe, StatusChip],
  template: `
    <div class="table-wrap" tabindex="0" role="region" [attr.aria-label]="caption()">
      <table class="results">
        <caption class="visually-hidden">
          {{
            caption()
          }}
        </caption>
        <thead>
          <tr>
            <th scope="col">Type</th>
            <th scope="col">Status</th>
            <th scope="col" class="num">Objects</th>
            <th scope="col" class="num">Added</th>
            <th scope="col" class="num">Changed</th>
            <th scope="col" class="num">Removed</th>
            <th scope="col" class="num">Requests</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          @for (row of rows(); track row.key) {
            <tr [attr.data-type]="row.key">
              <th scope="row">{{ row.label }}</th>
              @if (row.result; as result) {
                <td><eb-status-chip [status]="result.status" /></td>
                <td class="num">{{ result.objects | number }}</td>
                @if (row.appendOnly) {
                  <td class="num">
                    {{ result.added | number }} new {{ result.added === 1 ? 'entry' : 'entries' }}
                  </td>
                  <td class="num muted" title="Log entries are never changed">—</td>
                  <td class="num muted" title="Log entries are never removed">—</td>
                } @else {
                  <td class="num">{{ result.added | number }}</td>
                  <td class="num">{{ result.changed | number }}</td>
                  <td class="num">{{ result.removed | number }}</td>
                }
                <td class="num">{{ result.requests | number }}</td>
                <td class="details">
                  @if (row.cause; as cause) {
                    {{ cause }}
                  }
                  @if (result.bitlockerKeyReads !== undefined) {
                    <div class="muted">{{ result.bitlockerKeyReads }} key reads (audited in the tenant)</div>
                  }
                </td>
              } @else {
                <td colspan="7" class="muted">No result: the run ended before this type finished.</td>
              }
            </tr>
            @for (related of row.result?.related ?? []; track related.collection) {
              <tr class="related" [attr.data-type]="row.key + '/' + related.collection">
                <th scope="row">{{ collectionRowLabel(related.collection) }}</th>
                <td></td>
                <td class="num">{{ related.objects | number }}</td>
                <td class="num">{{ related.added | number }}</td>
                <td class="num">{{ related.changed | number }}</td>
                <td class="num">{{ related.removed | number }}</td>
                <td></td>
                <td class="muted">Also backed up with {{ row.label }}</td>
              </tr>
            }
            @for (skipped of row.result?.skippedCollections ?? []; track skipped.collection) {
              <tr class="related skipped" [attr.data-type]="row.key + '/' + skipped.collection">
                <th scope="row">{{ collectionRowLabel(skipped.collection) }}</th>
                <td><eb-status-chip status="skipped" /></td>
                <td colspan="5" class="muted">Not captured in this snapshot: its previous state is kept</td>
                <td class="details">{{ skipped.reason }}</td>
              </tr>
            }
          }
        </tbody>
      </table>
    </div>
  `,
  styles: `
    .table-wrap {
      overflow-x: auto;
    }
    .table-wrap:focus-visible {
      outline: 2px solid var(--mat-sys-primary);
    }
    .results {
      width: 100%;
      border-collapse: collapse;
    }
    th,
    td {
      text-align: left;
      padding: 8px 12px;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
      vertical-align: top;
    }
    thead th {
      font: var(--mat-sys-label-large);
      color: var(--mat-sys-on-surface-variant);
    }
    tbody th {
      font: var(--mat-sys-title-small);
      white-space: nowrap;
    }
    tr.related th {
      font: var(--mat-sys-body-medium);
      padding-left: 28px;
    }
    .num {
      text-align: right;
      font-variant-numeric: tabular-nums;
      white-space: nowrap;
    }
    .details {
      min-width: 180px;
    }
    .muted {
      color: var(--mat-sys-on-surface-variant);
    }
    .visually-hidden {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip: rect(0 0 0 0);
      white-space: nowrap;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RunResults {
  readonly run = input.required<BackupRunListItem>();
  readonly caption = input('Results per object type');

  protected readonly rows = computed(() =>
    typeRows(this.run()).map((row) => ({
      ...row,
      appendOnly: LOG_TYPES.has(row.key),
      cause:
        row.result !== undefined && row.result.status !== 'succeeded'
          ? explainBackupFailure(row.result.reason ?? 'No reason given', row.result.graphCode).cause
          : undefined,
    })),
  );
  protected readonly collectionRowLabel = collectionRowLabel;
}
