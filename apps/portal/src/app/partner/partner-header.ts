import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { type IsActiveMatchOptions, RouterLink, RouterLinkActive } from '@angular/router';
import { PARTNER_ROLE_LABELS } from '@entra-backup/common';
import { PARTNER_HOME } from '../core/session/session-guards';
import { TenantContext } from '../core/tenant/tenant-context';

/**
 * The head of every partner page: the partner's name, the signed-in person's role there, and
 * the tabs of the partner portal (those the role may use).
 */
@Component({
  selector: 'eb-partner-header',
  imports: [RouterLink, RouterLinkActive],
  template: `
    <header class="page-header">
      <div>
        <h1>{{ title() }}</h1>
        <p class="subtitle">
          {{ partnerName() }}
          @if (role()) {
            · your role: {{ roleLabel() }}
          }
        </p>
      </div>
      <ng-content />
    </header>
    <nav class="partner-tabs" aria-label="Partner portal">
      <a
        [routerLink]="base()"
        routerLinkActive="active"
        [routerLinkActiveOptions]="customersActive"
        ariaCurrentWhenActive="page"
        >Customers</a
      >
      @if (canOnboard()) {
        <a [routerLink]="[base(), 'onboarding']" routerLinkActive="active" ariaCurrentWhenActive="page"
          >Onboarding</a
        >
      }
      <a [routerLink]="[base(), 'staff']" routerLinkActive="active" ariaCurrentWhenActive="page">Staff</a>
      @if (canManageNotifications()) {
        <a [routerLink]="[base(), 'notifications']" routerLinkActive="active" ariaCurrentWhenActive="page"
          >Notifications</a
        >
      }
      @if (canManageKeys()) {
        <a [routerLink]="[base(), 'api-keys']" routerLinkActive="active" ariaCurrentWhenActive="page"
          >API keys</a
        >
      }
    </nav>
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      gap: 12px;
    }
    .partner-tabs {
      display: flex;
      gap: 4px;
      overflow-x: auto;
      scrollbar-width: none;
      border-bottom: 1px solid var(--mat-sys-outline-variant);

      a {
        flex: none;
        padding: 10px 14px;
        color: var(--mat-sys-on-surface-variant);
        text-decoration: none;
        font: var(--mat-sys-title-small);
        border-bottom: 3px solid transparent;

        &.active {
          color: var(--mat-sys-primary);
          border-bottom-color: var(--mat-sys-primary);
        }

        &:focus-visible {
          outline: 2px solid var(--mat-sys-primary);
          outline-offset: -2px;
        }
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PartnerHeader {
  private readonly context = inject(TenantContext);

  readonly partnerId = input.required<string>();
  /** The page's heading. */
  readonly title = input.required<string>();

  /** The dashboard's address exactly, whatever its filter, search and sort (query parameters). */
  protected readonly customersActive: IsActiveMatchOptions = {
    paths: 'exact',
    queryParams: 'ignored',
    matrixParams: 'ignored',
    fragment: 'ignored',
  };
  protected readonly base = computed(() => `${PARTNER_HOME}/${encodeURIComponent(this.partnerId())}`);
  protected readonly partnerName = computed(
    () => this.context.partners().find((p) => p.partnerId === this.partnerId())?.partnerName ?? '',
  );
  protected readonly role = computed(() => this.context.roleAt(this.partnerId()));
  protected readonly roleLabel = computed(() => {
    const role = this.role();
    return role === undefined ? '' : PARTNER_ROLE_LABELS[role];
  });
  protected readonly canOnboard = computed(() =>
    this.context.canOnPartner(this.partnerId(), 'customers:onboard'),
  );
  protected readonly canManageNotifications = computed(() =>
    this.context.canOnPartner(this.partnerId(), 'settings:write'),
  );
  protected readonly canManageKeys = computed(() =>
    this.context.canOnPartner(this.partnerId(), 'keys:manage'),
  );
}
