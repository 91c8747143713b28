import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  input,
  signal,
  viewChild,
} from '@angular/core';
import { HttpErrorResponse } from '@angular/common/http';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { MatTooltipModule } from '@angular/material/tooltip';
import { RouterLink } from '@angular/router';
import { errorBodySchema, mayManageApiKeys } from '@entra-backup/common';
import { BackupsApi, runPageResource } from '../backups/backups.api';
import { RunProgress } from '../backups/run-progress';
import type { RunProgressState } from '../backups/run-progress-state';
import { StatusChip } from '../backups/status-chip';
import { describeApiError } from '../core/http/api-error';
import { SessionStore } from '../core/session/session-store';
import { TenantContext } from '../core/tenant/tenant-context';
import { tenantResource } from '../tenants/tenants.api';
import { ConsentCard } from './consent-card';
import { PartnerLinkCard } from './partner-link-card';
import { EmergencyAccessCard } from './emergency-access-card';
import { NotificationsCard } from './notifications-card';
import { ObjectTypesCard } from './object-types-card';
import { ReconciliationCard } from './reconciliation-card';
import { RetentionCard } from './retention-card';
import { ScheduleCard } from './schedule-card';

/**
 * Settings of the active tenant (`/settings/:tenantId`): admin consent, what to back up, the
 * schedule, the partner managing the tenant, and "Back up now" (top right) with the run's live
 * progress. Actions the principal may not take are not offered (`TenantContext.can`).
 */
@Component({
  selector: 'eb-settings-page',
  imports: [
    RouterLink,
    MatButtonModule,
    MatCardModule,
    MatIconModule,
    MatProgressSpinnerModule,
    MatTooltipModule,
    ConsentCard,
    PartnerLinkCard,
    EmergencyAccessCard,
    NotificationsCard,
    ObjectTypesCard,
    ReconciliationCard,
    ScheduleCard,
    RetentionCard,
    RunProgress,
    StatusChip,
  ],
  templateUrl: './settings-page.html',
  styleUrl: './settings-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SettingsPage {
  protected readonly context = inject(TenantContext);
  private readonly session = inject(SessionStore);
  private readonly backups = inject(BackupsApi);

  /** Bound from the route parameter. */
  readonly tenantId = input<string>();
  /** Query parameters of the consent callback's redirect. */
  readonly consent = input<string>();
  readonly consentError = input<string>();

  /** The tenant shown: the URL's, when it is the active tenant (partner staff open it through the URL). */
  protected readonly shownTenantId = computed(() => {
    const requested = this.tenantId()?.toLowerCase();
    const active = this.context.tenantId();
    return requested !== undefined && requested === active ? active : undefined;
  });
  protected readonly foreignTenantId = computed(() =>
    this.shownTenantId() === undefined ? this.tenantId() : undefined,
  );
  /** The tenant's admins manage its API keys on a page of their own. */
  protected readonly mayManageKeys = computed(() => {
    const user = this.session.user();
    const tenantId = this.shownTenantId();
    return user !== undefined && tenantId !== undefined && mayManageApiKeys(user, { tenantId });
  });
  protected readonly activeTenantId = this.context.tenantId;
  protected readonly tenant = tenantResource(this.shownTenantId);

  protected readonly starting = signal(false);
  protected readonly triggerMessage = signal<{ text: string; tone: 'error' | 'info' } | undefined>(undefined);
  /** The run started here. */
  private readonly startedRunId = signal<string | undefined>(undefined);
  /** The newest run of the tenant: one already going (the schedule's, the command line's) is followed too. */
  private readonly latestRun = runPageResource(this.shownTenantId, signal(1), signal(1));
  protected readonly runId = computed(() => {
    const started = this.startedRunId();
    if (started !== undefined) return started;
    const latest = this.latestRun.hasValue() ? this.latestRun.value().items[0] : undefined;
    return latest?.status === 'running' ? latest.runId : undefined;
  });
  protected readonly finished = signal<RunProgressState | undefined>(undefined);
  protected readonly running = computed(() => this.runId() !== undefined && this.finished() === undefined);

  private readonly scheduleCard = viewChild(ScheduleCard);

  protected startBackup(): void {
    const tenantId = this.shownTenantId();
    if (tenantId === undefined || this.starting()) return;
    this.starting.set(true);
    this.triggerMessage.set(undefined);
    this.backups.startBackup(tenantId).subscribe({
      next: ({ runId }) => {
        this.starting.set(false);
        this.finished.set(undefined);
        this.startedRunId.set(runId);
      },
      error: (error: unknown) => {
        this.starting.set(false);
        // Follow the run that is in the way, if this process can see it.
        if (isAlreadyRunning(error)) this.latestRun.reload();
        this.triggerMessage.set(
          isAlreadyRunning(error)
            ? {
                text: 'A backup is already running for this tenant. Try again when it has finished.',
                tone: 'info',
              }
            : { text: `The backup could not be started: ${describeApiError(error)}`, tone: 'error' },
        );
      },
    });
  }

  protected runFinished(state: RunProgressState): void {
    this.finished.set(state);
    this.scheduleCard()?.reload();
  }

  protected settingsChanged(): void {
    this.scheduleCard()?.reload();
  }
}

function isAlreadyRunning(error: unknown): boolean {
  return (
    error instanceof HttpErrorResponse &&
    error.status === 409 &&
    errorBodySchema.safeParse(error.error).data?.code === 'BACKUP_ALREADY_RUNNING'
  );
}
