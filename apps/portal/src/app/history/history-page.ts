import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import {
  type HistoryEvent,
  type HistoryEventKind,
  isObjectTypeKey,
  objectTypeLabel,
} from '@entra-backup/common';
import { describeApiError } from '../core/http/api-error';
import { TenantContext } from '../core/tenant/tenant-context';
import {
  type ObjectKey,
  formatAuditValue,
  formatValue,
  historyResource,
  objectPageCommands,
  restoreQuery,
} from './history.api';

const KIND_LABELS: Record<HistoryEventKind, { label: string; icon: string }> = {
  created: { label: 'Created', icon: 'add_circle' },
  changed: { label: 'Changed', icon: 'edit' },
  deleted: { label: 'Deleted', icon: 'delete' },
  restored: { label: 'Restored', icon: 'restore' },
};

const RELATION_LABELS: Record<string, { added: string; removed: string }> = {
  members: { added: 'Member added', removed: 'Member removed' },
  owners: { added: 'Owner added', removed: 'Owner removed' },
  manager: { added: 'Manager set', removed: 'Manager removed' },
};

/**
 * Version history of one object (`/objects/:type/:collection/:objectId/history`): created, each
 * change with its properties old → new and its members added or removed, deletions, and under
 * each change the directory audit entries that match it ("who changed it").
 */
@Component({
  selector: 'eb-history-page',
  imports: [DatePipe, RouterLink, MatButtonModule, MatCardModule, MatIconModule, MatProgressBarModule],
  templateUrl: './history-page.html',
  styleUrl: './history-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class HistoryPage {
  protected readonly context = inject(TenantContext);
  readonly type = input.required<string>();
  readonly collection = input.required<string>();
  readonly objectId = input.required<string>();

  protected readonly key = computed<ObjectKey>(() => ({
    type: this.type(),
    collection: this.collection(),
    objectId: this.objectId(),
  }));
  protected readonly history = historyResource(this.context.tenantId, this.key);
  protected readonly errorMessage = computed(() => {
    const error = this.history.error();
    return error === undefined ? undefined : describeApiError(error);
  });
  protected readonly typeLabel = computed(() => {
    const type = this.type();
    return isObjectTypeKey(type) ? objectTypeLabel(type) : type;
  });
  protected readonly objectPage = computed(() => objectPageCommands(this.key()));
  protected readonly asOfPage = computed(() => [...this.objectPage(), 'as-of']);

  protected readonly kindLabels = KIND_LABELS;
  protected readonly formatValue = formatValue;
  protected readonly formatAuditValue = formatAuditValue;

  protected restoreQuery(event: HistoryEvent, property?: string): Record<string, string> | null {
    if (!this.context.can('restores:run')) return null;
    return restoreQuery(event, this.key(), property);
  }

  protected relationLabel(relation: string, action: 'added' | 'removed'): string {
    return `${RELATION_LABELS[relation]?.[action] ?? `${relation} ${action}`}: `;
  }

  /** The top-level properties of an event's changes, each once (what a restore of single properties names). */
  protected changedProperties(event: HistoryEvent): string[] {
    return [...new Set(event.changes.map((c) => c.property))];
  }

  protected reload(): void {
    this.history.reload();
  }
}
