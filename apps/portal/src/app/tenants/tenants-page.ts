import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { RouterLink } from '@angular/router';
import type { TenantResponse } from '@entra-backup/common';
import { describeApiError } from '../core/http/api-error';
import { AddTenantForm } from './add-tenant-form';
import { tenantListResource } from './tenants.api';

/** The home page: the registered tenants and a form to add one. */
@Component({
  selector: 'eb-tenants-page',
  imports: [
    DatePipe,
    RouterLink,
    MatButtonModule,
    MatCardModule,
    MatIconModule,
    MatProgressBarModule,
    MatTableModule,
    AddTenantForm,
  ],
  templateUrl: './tenants-page.html',
  styleUrl: './tenants-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TenantsPage {
  private readonly snackBar = inject(MatSnackBar);

  protected readonly tenants = tenantListResource();
  protected readonly columns = ['displayName', 'tenantId', 'createdAt'] as const;
  protected readonly cliExample = 'npx entra-backup tenant add <tenantId> --name <name>';

  protected readonly items = computed(() => (this.tenants.hasValue() ? this.tenants.value().items : []));
  protected readonly errorMessage = computed(() => {
    const error = this.tenants.error();
    return error === undefined ? undefined : describeApiError(error);
  });

  protected showAddedTenant(tenant: TenantResponse): void {
    this.snackBar.open(`Added ${tenant.displayName}`, 'Close', { duration: 4000 });
    this.tenants.reload();
  }

  protected reloadTenants(): void {
    this.tenants.reload();
  }
}
