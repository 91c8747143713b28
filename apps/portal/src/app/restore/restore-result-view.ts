import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';
import { type RestoreActionPage, type RestoreRun, objectTypeLabel } from '@entra-backup/common';
import { TenantContext } from '../core/tenant/tenant-context';
import { RestoreCredentials } from './restore-credentials';
import { ACTION_LOOK, actionSubject, countsSummary, recreatedUsers, restoreOutcome } from './restore-format';

/**
 * What a restore did: its counts, the objects re-created with new ids (old → new), what was
 * skipped and why, what failed with Graph's message, and the temporary passwords of re-created users.
 */
@Component({
  selector: 'eb-restore-result-view',
  imports: [MatIconModule, RestoreCredentials],
  template: `
    @let r = run();
    <p class="counts">{{ summary() }}</p>
    @if (r.reason) {
      <p class="muted">{{ r.reason }}</p>
    }
    @if (actions(); as page) {
      @if (page.items.length < page.total) {
        <p class="muted">Listed below: the first {{ page.items.length }} of {{ page.total }} actions.</p>
      }
    }
    @if (outcome().restored.length > 0) {
      <details class="restored">
        <summary>Restored ({{ outcome().restored.length }})</summary>
        <ul class="items">
          @for (a of outcome().restored; track a.seq) {
            <li>
              <strong>{{ subject(a) }}</strong> <span class="muted">({{ typeLabel(a.type) }})</span>
              <span class="detail"
                >{{ look[a.action].label
                }}{{ a.action === 'update' ? ': ' + a.properties.join(', ') : '' }}</span
              >
            </li>
          }
        </ul>
      </details>
    }
    @if (outcome().recreated.length > 0) {
      <section aria-labelledby="recreated-title">
        <h3 id="recreated-title">Re-created with new ids ({{ outcome().recreated.length }})</h3>
        <div class="table-wrap">
          <table class="list">
            <thead>
              <tr>
                <th scope="col">Object</th>
                <th scope="col">Old id → new id</th>
              </tr>
            </thead>
            <tbody>
              @for (item of outcome().recreated; track item.action.seq) {
                <tr>
                  <td>
                    {{ item.action.displayName ?? item.action.id }}
                    <div class="muted">{{ typeLabel(item.action.type) }}</div>
                  </td>
                  <td class="mono">{{ item.action.id }} → {{ item.newId }}</td>
                </tr>
              }
            </tbody>
          </table>
        </div>
      </section>
    }
    @if (outcome().failed.length > 0) {
      <section aria-labelledby="failed-title">
        <h3 id="failed-title" class="error-text">
          <mat-icon aria-hidden="true">error</mat-icon> Failed ({{ outcome().failed.length }})
        </h3>
        <ul class="items">
          @for (a of outcome().failed; track a.seq) {
            <li>
              <strong>{{ subject(a) }}</strong> <span class="muted">({{ typeLabel(a.type) }})</span>
              @if (a.error; as e) {
                <span class="detail"
                  >{{ e.message }} <span class="mono">({{ e.code }})</span></span
                >
              }
            </li>
          }
        </ul>
      </section>
    }
    @if (outcome().skipped.length > 0) {
      <section aria-labelledby="skipped-title">
        <h3 id="skipped-title">Skipped ({{ outcome().skipped.length }})</h3>
        <ul class="items">
          @for (a of outcome().skipped; track a.seq) {
            <li>
              <strong>{{ subject(a) }}</strong> <span class="muted">({{ typeLabel(a.type) }})</span>
              <span class="detail">{{ a.reason ?? 'Skipped' }}</span>
            </li>
          }
        </ul>
      </section>
    }
    @if (hasUsers() && context.can('restores:run')) {
      <eb-restore-credentials [tenantId]="tenantId()" [restoreId]="r.restoreId" />
    }
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      gap: 12px;
      min-width: 0;
    }
    p {
      margin: 0;
    }
    .counts {
      font: var(--mat-sys-title-medium);
    }
    h3 {
      display: flex;
      align-items: center;
      gap: 6px;
      font: var(--mat-sys-title-small);
      margin: 0 0 4px;
    }
    .table-wrap {
      overflow-x: auto;
    }
    .list {
      width: 100%;
      border-collapse: collapse;
      th,
      td {
        text-align: left;
        padding: 8px;
        border-bottom: 1px solid var(--mat-sys-outline-variant);
        overflow-wrap: anywhere;
      }
    }
    .items {
      margin: 0;
      padding-left: 20px;
      li {
        margin: 4px 0;
        overflow-wrap: anywhere;
      }
    }
    summary {
      cursor: pointer;
      font: var(--mat-sys-title-small);
      padding: 4px 0;
    }
    .detail {
      display: block;
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface-variant);
    }
    .muted {
      color: var(--mat-sys-on-surface-variant);
    }
    .mono {
      font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
      font-size: 0.9em;
      overflow-wrap: anywhere;
    }
    .error-text {
      color: var(--mat-sys-error);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RestoreResultView {
  protected readonly context = inject(TenantContext);
  /** The signed-in admin's tenant (the API path the restore is read under). */
  readonly tenantId = input.required<string>();
  readonly run = input.required<RestoreRun>();
  readonly actions = input<RestoreActionPage | undefined>(undefined);

  private readonly items = computed(() => this.actions()?.items ?? []);
  protected readonly summary = computed(() => countsSummary(this.run().counts));
  protected readonly outcome = computed(() => restoreOutcome(this.run(), this.items()));
  protected readonly hasUsers = computed(() => recreatedUsers(this.run(), this.items()));
  protected readonly subject = actionSubject;
  protected readonly typeLabel = objectTypeLabel;
  protected readonly look = ACTION_LOOK;
}
