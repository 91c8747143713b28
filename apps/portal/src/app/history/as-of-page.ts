import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { Router, RouterLink } from '@angular/router';
import { type AsOfRelatedObject, isObjectTypeKey, objectTypeLabel } from '@entra-backup/common';
import { describeApiError } from '../core/http/api-error';
import { TenantContext } from '../core/tenant/tenant-context';
import { type ObjectKey, asOfResource, objectPageCommands } from './history.api';

const RELATION_NOUNS: Record<string, string> = {
  members: 'member',
  owners: 'owner',
  manager: 'manager',
  memberOf: 'group',
  roles: 'directory role',
  adminUnits: 'administrative unit',
};

/** `2026-12-07T09:30:00.000Z` → `2026-12-07T10:30` in the browser's zone, for a datetime-local field. */
export function toLocalInput(iso: string | undefined): string {
  if (iso === undefined) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(
    date.getMinutes(),
  )}`;
}

/** A datetime-local value (browser zone) as an ISO instant, or undefined when empty or invalid. */
export function fromLocalInput(value: string): string | undefined {
  if (value.trim() === '') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/**
 * Membership time travel (`/objects/:type/:collection/:objectId/as-of?date=…&until=…`): a group's
 * members and owners, or a user's groups, directory roles and administrative units, as the
 * snapshot valid at a date holds them, and what changed between then and a second date or now.
 */
@Component({
  selector: 'eb-as-of-page',
  imports: [
    DatePipe,
    RouterLink,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
  ],
  templateUrl: './as-of-page.html',
  styleUrl: './as-of-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AsOfPage {
  protected readonly context = inject(TenantContext);
  private readonly router = inject(Router);
  readonly type = input.required<string>();
  readonly collection = input.required<string>();
  readonly objectId = input.required<string>();
  /** Query parameters: the date to look at and, optionally, the date to compare with. */
  readonly date = input<string | undefined>();
  readonly until = input<string | undefined>();

  protected readonly key = computed<ObjectKey>(() => ({
    type: this.type(),
    collection: this.collection(),
    objectId: this.objectId(),
  }));
  protected readonly asOf = asOfResource(this.context.tenantId, this.key, this.date, this.until);
  protected readonly errorMessage = computed(() => {
    const error = this.asOf.error();
    return error === undefined ? undefined : describeApiError(error);
  });
  protected readonly typeLabel = computed(() => {
    const type = this.type();
    return isObjectTypeKey(type) ? objectTypeLabel(type) : type;
  });
  protected readonly objectPage = computed(() => objectPageCommands(this.key()));
  protected readonly historyPage = computed(() => [...this.objectPage(), 'history']);
  protected readonly dateValue = computed(() => toLocalInput(this.date()));
  protected readonly untilValue = computed(() => toLocalInput(this.until()));
  protected readonly invalidDate = computed(() => {
    const date = this.date();
    return date !== undefined && Number.isNaN(Date.parse(date));
  });

  /** "Added member: ", the name follows. */
  protected changeLabel(relation: string, action: 'added' | 'removed'): string {
    return `${action === 'added' ? 'Added' : 'Removed'} ${RELATION_NOUNS[relation] ?? relation}: `;
  }

  protected link(item: AsOfRelatedObject): string[] | null {
    return item.type === null || item.collection === null
      ? null
      : ['/objects', item.type, item.collection, item.id];
  }

  protected show(event: Event, date: string, until: string): void {
    event.preventDefault();
    const at = fromLocalInput(date);
    if (at === undefined) return;
    void this.router.navigate([], {
      queryParams: { date: at, until: fromLocalInput(until) ?? null },
      queryParamsHandling: 'merge',
    });
  }

  protected reload(): void {
    this.asOf.reload();
  }
}
