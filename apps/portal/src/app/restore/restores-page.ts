import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import { StatusChip } from '../backups/status-chip';
import { describeApiError } from '../core/http/api-error';
import { TenantContext } from '../core/tenant/tenant-context';
import { restoreRunPageResource } from './restore.api';
import { countsSummary, restoreActorLabel } from './restore-format';

const PAGE_SIZE = 20;

/** The restore history (`/restores`): every restore of the tenant, newest first. */
@Component({
  selector: 'eb-restores-page',
  imports: [
    DatePipe,
    RouterLink,
    MatButtonModule,
    MatCardModule,
    MatIconModule,
    MatProgressBarModule,
    StatusChip,
  ],
  templateUrl: './restores-page.html',
  styleUrl: './restore-pages.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RestoresPage {
  protected readonly context = inject(TenantContext);

  protected readonly page = signal(1);
  protected readonly restores = restoreRunPageResource(this.context.tenantId, this.page, signal(PAGE_SIZE));
  protected readonly errorMessage = computed(() => {
    const error = this.restores.error();
    return error === undefined ? undefined : describeApiError(error);
  });
  protected readonly pages = computed(() =>
    this.restores.hasValue() ? Math.max(1, Math.ceil((this.restores.value()?.total ?? 0) / PAGE_SIZE)) : 1,
  );
  protected readonly countsSummary = countsSummary;
  protected readonly actorLabel = restoreActorLabel;

  protected goToPage(page: number): void {
    this.page.set(Math.min(Math.max(1, page), this.pages()));
  }

  protected reload(): void {
    this.restores.reload();
  }
}
