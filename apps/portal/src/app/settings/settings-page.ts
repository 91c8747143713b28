import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { Router, RouterLink } from '@angular/router';
import { describeApiError } from '../core/http/api-error';
import { tenantListResource } from '../tenants/tenants.api';
import { ObjectTypesCard } from './object-types-card';

/**
 * Settings of one tenant. The tenant comes from the URL (`/settings/:tenantId`); with a
 * single registered tenant `/settings` opens that one, with several the admin picks one.
 * Each concern of the tenant's backup is its own card below the tenant header.
 */
@Component({
  selector: 'eb-settings-page',
  imports: [
    RouterLink,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatIconModule,
    MatProgressBarModule,
    MatSelectModule,
    ObjectTypesCard,
  ],
  templateUrl: './settings-page.html',
  styleUrl: './settings-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SettingsPage {
  private readonly router = inject(Router);

  /** Bound from the route parameter; undefined on `/settings`. */
  readonly tenantId = input<string>();

  protected readonly tenants = tenantListResource();

  protected readonly items = computed(() => (this.tenants.hasValue() ? this.tenants.value().items : []));
  protected readonly errorMessage = computed(() => {
    const error = this.tenants.error();
    return error === undefined ? undefined : describeApiError(error);
  });

  /** The tenant being configured, once the list is known; undefined while none is chosen. */
  protected readonly selectedTenant = computed(() => {
    const items = this.items();
    const requested = this.tenantId()?.toLowerCase();
    if (requested !== undefined) return items.find((t) => t.tenantId.toLowerCase() === requested);
    return items.length === 1 ? items[0] : undefined;
  });

  /** Set when the URL names a tenant that is not registered. */
  protected readonly unknownTenantId = computed(() => {
    const requested = this.tenantId();
    return this.tenants.hasValue() && requested !== undefined && this.selectedTenant() === undefined
      ? requested
      : undefined;
  });

  protected readonly selectedTenantId = computed(() => this.selectedTenant()?.tenantId);

  protected async selectTenant(tenantId: string): Promise<void> {
    await this.router.navigate(['/settings', tenantId]);
  }

  protected reloadTenants(): void {
    this.tenants.reload();
  }
}
