import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { RouterLink } from '@angular/router';
import { PARTNER_ROLE_LABELS } from '@entra-backup/common';
import { PARTNER_HOME } from '../core/session/session-guards';
import { TenantContext, tenantQuery } from '../core/tenant/tenant-context';

/** `/partner` for someone working for several partners: which one to look after now. */
@Component({
  selector: 'eb-partner-chooser-page',
  imports: [MatCardModule, MatIconModule, RouterLink],
  template: `
    <header class="page-header">
      <div>
        <h1>Partner portal</h1>
        <p class="subtitle">You work for several partners. Choose whose customers to look after.</p>
      </div>
    </header>
    <ul class="partners" aria-label="Your partners">
      @for (partner of context.partners(); track partner.partnerId) {
        <li>
          <a
            class="partner"
            [routerLink]="[partnerHome, partner.partnerId]"
            [attr.aria-label]="partner.partnerName + ', your role: ' + roleLabels[partner.role]"
          >
            <mat-icon aria-hidden="true">groups</mat-icon>
            <span class="name">{{ partner.partnerName }}</span>
            <span class="muted">{{ roleLabels[partner.role] }}</span>
          </a>
        </li>
      }
    </ul>
    @if (context.ownTenantId(); as own) {
      <p>Or open <a routerLink="/backups" [queryParams]="tenantQuery(own)">your own tenant</a>.</p>
    }
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      gap: 16px;
    }
    .partners {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(260px, 1fr));
      gap: 12px;
    }
    .partner {
      display: flex;
      align-items: center;
      gap: 12px;
      padding: 16px;
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: 12px;
      background: var(--mat-sys-surface);
      color: inherit;
      text-decoration: none;

      &:hover,
      &:focus-visible {
        border-color: var(--mat-sys-primary);
      }
      mat-icon {
        flex: none;
        color: var(--mat-sys-primary);
      }
    }
    .name {
      flex: 1 1 auto;
      min-width: 0;
      overflow-wrap: anywhere;
      font: var(--mat-sys-title-medium);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PartnerChooserPage {
  protected readonly context = inject(TenantContext);
  protected readonly partnerHome = PARTNER_HOME;
  protected readonly roleLabels = PARTNER_ROLE_LABELS;
  protected readonly tenantQuery = tenantQuery;
}
