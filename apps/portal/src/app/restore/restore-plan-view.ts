import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';
import { type RestoreActionPage, type RestorePlanSummary, objectTypeLabel } from '@entra-backup/common';
import { actionSubject, formatValue, groupActions, writesConditionalAccess } from './restore-format';

/**
 * A restore plan grouped by action (from the recycle bin, re-create, update, links, remove,
 * skip) with counts, what cannot be restored and why, and the Conditional Access warning.
 */
@Component({
  selector: 'eb-restore-plan-view',
  imports: [DecimalPipe, MatIconModule],
  template: `
    @let p = plan();
    @if (p.missingPermissions.length > 0) {
      <div class="notice error" role="alert">
        <mat-icon aria-hidden="true">lock</mat-icon>
        <p>
          The tenant's consent lacks write permission(s) this restore needs:
          <strong>{{ p.missingPermissions.join(', ') }}</strong>. A Global Administrator must grant admin
          consent again (Settings → Grant consent) before it can run.
        </p>
      </div>
    }
    @if (conditionalAccess()) {
      <div class="notice warn ca-warning" role="alert">
        <mat-icon aria-hidden="true">gpp_maybe</mat-icon>
        <p>
          <strong>This restore writes Conditional Access policies.</strong> A policy takes effect as soon as
          it is written and can lock users (you too) out. Policies are written <em>disabled</em> first and
          switched to their snapshot state (possibly <em>enabled</em>) as the very last step. Check the
          policies below before you go on.
        </p>
      </div>
    }
    <p class="summary">
      <strong>{{ p.planned | number }}</strong> {{ p.planned === 1 ? 'action' : 'actions' }} planned.
      @if (p.planned === 0) {
        The tenant already matches the snapshot for this selection: there is nothing to restore.
      }
    </p>
    <ul class="counts" aria-label="Actions by kind">
      @for (group of groups(); track group.kind) {
        <li [attr.data-kind]="group.kind">
          <mat-icon aria-hidden="true">{{ group.icon }}</mat-icon>
          <span class="count">{{ group.count | number }}</span>
          <span>{{ group.label }}</span>
        </li>
      }
    </ul>
    @if (p.unrecoverable.length > 0) {
      <section class="unrecoverable" aria-labelledby="unrecoverable-title">
        <h3 id="unrecoverable-title">
          <mat-icon aria-hidden="true">report</mat-icon>
          Cannot be restored ({{ p.unrecoverable.length | number }})
        </h3>
        <ul>
          @for (u of p.unrecoverable; track u.type + u.id) {
            <li>
              <strong>{{ u.displayName ?? u.id }}</strong>
              <span class="muted"> ({{ typeLabel(u.type) }})</span>: {{ u.reason }}
            </li>
          }
        </ul>
      </section>
    }
    @if (!complete()) {
      <p class="muted cut">
        The list below shows the first {{ shown() | number }} of {{ total() | number }} actions; the counts
        above are for the whole plan.
      </p>
    }
    @for (group of groups(); track group.kind) {
      <details class="group" [attr.data-kind]="group.kind">
        <summary>
          <mat-icon aria-hidden="true">{{ group.icon }}</mat-icon>
          <span class="group-label">{{ group.label }}</span>
          <span class="badge">{{ group.count | number }}</span>
        </summary>
        <p class="muted hint">{{ group.hint }}</p>
        <ul class="items">
          @for (a of group.items; track a.seq) {
            <li>
              <span class="subject">{{ subject(a) }}</span>
              <span class="muted type">{{ typeLabel(a.type) }}</span>
              @if (a.changes; as changes) {
                <dl class="changes">
                  @for (c of changes; track c.property) {
                    <div>
                      <dt>{{ c.property }}</dt>
                      <dd>
                        <span class="from">{{ value(c.from) }}</span>
                        <span class="arrow" aria-hidden="true">→</span><span class="sr-only"> becomes </span>
                        <span class="to">{{ value(c.to) }}</span>
                      </dd>
                    </div>
                  }
                </dl>
              } @else if (a.action === 'update' && a.properties.length > 0) {
                <span class="props">Properties: {{ a.properties.join(', ') }}</span>
              }
              @if (a.reason) {
                <span class="reason">{{ a.reason }}</span>
              }
            </li>
          }
        </ul>
      </details>
    }
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      gap: 12px;
      min-width: 0;
    }
    .notice {
      display: flex;
      gap: 12px;
      padding: 12px 16px;
      border-radius: 12px;
      p {
        margin: 0;
      }
      mat-icon {
        flex: none;
      }
    }
    .notice.error {
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
    .notice.warn {
      background: #fff0c2;
      color: #5c4300;
      border: 2px solid #8a6500;
    }
    .summary {
      margin: 0;
    }
    .counts {
      list-style: none;
      margin: 0;
      padding: 0;
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
      li {
        display: inline-flex;
        align-items: center;
        gap: 6px;
        padding: 4px 12px 4px 8px;
        border-radius: 16px;
        background: var(--mat-sys-surface-container-high);
      }
      .count {
        font-weight: 600;
        font-variant-numeric: tabular-nums;
      }
    }
    h3 {
      display: flex;
      align-items: center;
      gap: 8px;
      font: var(--mat-sys-title-small);
      margin: 0;
    }
    .unrecoverable ul,
    .items {
      margin: 4px 0 0;
      padding-left: 20px;
    }
    .unrecoverable li,
    .items li {
      margin: 4px 0;
      overflow-wrap: anywhere;
    }
    .items li {
      display: flex;
      flex-wrap: wrap;
      gap: 2px 8px;
    }
    .props,
    .reason {
      flex-basis: 100%;
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface-variant);
    }
    .changes {
      flex-basis: 100%;
      margin: 2px 0 0;
      font: var(--mat-sys-body-small);
      div {
        display: flex;
        flex-wrap: wrap;
        gap: 0 6px;
      }
      dt {
        font-weight: 600;
      }
      dt::after {
        content: ':';
      }
      dd {
        margin: 0;
        overflow-wrap: anywhere;
      }
      .from {
        text-decoration: line-through;
        color: var(--mat-sys-on-surface-variant);
      }
      .arrow {
        margin: 0 4px;
      }
    }
    .sr-only {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip: rect(0 0 0 0);
      white-space: nowrap;
    }
    .group {
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: 12px;
      padding: 4px 12px;
    }
    summary {
      display: flex;
      align-items: center;
      gap: 8px;
      cursor: pointer;
      padding: 8px 0;
      font: var(--mat-sys-title-small);
    }
    .group-label {
      flex: 1;
    }
    .badge {
      font-variant-numeric: tabular-nums;
    }
    .hint,
    .cut {
      margin: 0;
    }
    .muted {
      color: var(--mat-sys-on-surface-variant);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RestorePlanView {
  readonly plan = input.required<RestorePlanSummary>();
  /** The first page of the plan's actions (undefined while loading). */
  readonly actions = input<RestoreActionPage | undefined>(undefined);

  private readonly items = computed(() => this.actions()?.items ?? []);
  protected readonly groups = computed(() => groupActions(this.plan().byAction, this.items()));
  protected readonly total = computed(() => this.actions()?.total ?? this.plan().planned);
  protected readonly shown = computed(() => this.items().length);
  protected readonly complete = computed(() => this.actions() === undefined || this.shown() >= this.total());
  protected readonly conditionalAccess = computed(() =>
    writesConditionalAccess(
      this.items(),
      this.plan().selection.types,
      this.actions() !== undefined && this.shown() >= this.total(),
    ),
  );
  protected readonly subject = actionSubject;
  protected readonly typeLabel = objectTypeLabel;
  protected readonly value = formatValue;
}
