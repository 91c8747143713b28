import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  type ElementRef,
  Injector,
  afterNextRender,
  computed,
  effect,
  inject,
  input,
  linkedSignal,
  signal,
  viewChild,
} from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import type { RestorePlanRequest, RestorePlanSummary } from '@entra-backup/common';
import { firstValueFrom } from 'rxjs';
import { describeApiError } from '../core/http/api-error';
import { TenantContext } from '../core/tenant/tenant-context';
import { tenantResource } from '../tenants/tenants.api';
import { RestoreApi, planActionsResource, restoreActionsResource, restoreRunResource } from './restore.api';
import { requestFromQuery, typeLabels } from './restore-format';
import { RestorePlanView } from './restore-plan-view';
import { RestoreProgress } from './restore-progress';
import { RestoreResultView } from './restore-result-view';

export type WizardStep = 'select' | 'plan' | 'confirm' | 'run' | 'result';

const STEPS: ReadonlyArray<{ readonly key: WizardStep; readonly label: string }> = [
  { key: 'select', label: 'Selection' },
  { key: 'plan', label: 'Plan' },
  { key: 'confirm', label: 'Confirm' },
  { key: 'run', label: 'Restore' },
  { key: 'result', label: 'Result' },
];

/** Ids listed by name in the selection step; the rest are counted. */
const IDS_SHOWN = 10;

/**
 * The restore wizard (`/restore/new?snapshot=&types=&ids=&properties=`): what is selected and the
 * options → the plan from the API, grouped by action with its warnings → confirmation by typing
 * the tenant's name → live progress → the result.
 */
@Component({
  selector: 'eb-restore-wizard-page',
  imports: [
    FormsModule,
    RouterLink,
    MatButtonModule,
    MatCardModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    RestorePlanView,
    RestoreProgress,
    RestoreResultView,
  ],
  templateUrl: './restore-wizard-page.html',
  styleUrls: ['./restore-pages.scss', './restore-wizard-page.scss'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RestoreWizardPage {
  private readonly api = inject(RestoreApi);
  protected readonly context = inject(TenantContext);
  private readonly injector = inject(Injector);

  // Query parameters (bound by the router), mirroring the API's plan request.
  readonly snapshot = input<string | undefined>();
  readonly types = input<string | undefined>();
  readonly ids = input<string | undefined>();
  readonly properties = input<string | undefined>();
  readonly relationships = input<string | undefined>();
  readonly removeNew = input<string | undefined>();

  protected readonly steps = STEPS;
  protected readonly tenantId = this.context.tenantId;
  protected readonly tenant = tenantResource(this.tenantId);
  protected readonly tenantName = computed(() =>
    this.tenant.hasValue() ? this.tenant.value()?.displayName : undefined,
  );

  protected readonly selection = computed(() =>
    requestFromQuery({
      snapshot: this.snapshot(),
      types: this.types(),
      ids: this.ids(),
      properties: this.properties(),
      relationships: this.relationships(),
      removeNew: this.removeNew(),
    }),
  );
  protected readonly request = computed(() => {
    const selection = this.selection();
    return selection.ok ? selection.request : undefined;
  });
  protected readonly withRelationships = linkedSignal(() => this.request()?.relationships !== false);
  protected readonly withRemoveNew = linkedSignal(() => this.request()?.removeNew === true);
  protected readonly typesText = computed(() => {
    const types = this.request()?.types;
    return types === undefined ? 'Every type the snapshot holds' : typeLabels(types);
  });
  protected readonly idsShown = computed(() => this.request()?.ids?.slice(0, IDS_SHOWN) ?? []);
  protected readonly idsMore = computed(() => Math.max(0, (this.request()?.ids?.length ?? 0) - IDS_SHOWN));

  protected readonly step = signal<WizardStep>('select');
  protected readonly stepIndex = computed(() => STEPS.findIndex((s) => s.key === this.step()));

  // Step 2: the plan.
  protected readonly planning = signal(false);
  protected readonly planSeconds = signal(0);
  protected readonly planError = signal<string | undefined>(undefined);
  protected readonly plan = signal<RestorePlanSummary | undefined>(undefined);
  protected readonly planActions = planActionsResource(
    this.tenantId,
    computed(() => this.plan()?.planId),
  );
  protected readonly planRunnable = computed(() => {
    const plan = this.plan();
    return plan !== undefined && plan.missingPermissions.length === 0 && plan.planned > 0;
  });

  // Step 3: the typed confirmation.
  protected readonly confirmation = signal('');
  protected readonly confirmed = computed(() => {
    const name = this.tenantName();
    return name !== undefined && this.confirmation() === name;
  });
  protected readonly starting = signal(false);
  protected readonly startError = signal<string | undefined>(undefined);

  // Steps 4 and 5: the restore.
  protected readonly restoreId = signal<string | undefined>(undefined);
  private readonly resultId = signal<string | undefined>(undefined);
  protected readonly result = restoreRunResource(this.tenantId, this.resultId);
  protected readonly resultActions = restoreActionsResource(this.tenantId, this.resultId);

  private readonly stepHeading = viewChild<ElementRef<HTMLElement>>('stepHeading');

  constructor() {
    let timer: ReturnType<typeof setInterval> | undefined;
    inject(DestroyRef).onDestroy(() => clearInterval(timer));
    effect(() => {
      if (this.planning()) {
        this.planSeconds.set(0);
        timer = setInterval(() => this.planSeconds.update((s) => s + 1), 1000);
      } else {
        clearInterval(timer);
      }
    });
  }

  protected async computePlan(): Promise<void> {
    const tenantId = this.tenantId();
    const base = this.request();
    if (tenantId === undefined || base === undefined) return;
    const request: RestorePlanRequest = {
      ...base,
      relationships: this.withRelationships(),
      removeNew: this.withRemoveNew(),
    };
    this.plan.set(undefined);
    this.planError.set(undefined);
    this.planning.set(true);
    this.goTo('plan');
    try {
      this.plan.set(await firstValueFrom(this.api.createPlan(tenantId, request)));
    } catch (error) {
      this.planError.set(describeApiError(error));
    } finally {
      this.planning.set(false);
    }
  }

  protected goTo(step: WizardStep): void {
    if (step === 'confirm') this.confirmation.set('');
    this.step.set(step);
    // Move focus to the new step's heading so keyboard and screen-reader users land on it.
    afterNextRender(() => this.stepHeading()?.nativeElement.focus(), { injector: this.injector });
  }

  protected async startRestore(): Promise<void> {
    const tenantId = this.tenantId();
    const plan = this.plan();
    if (tenantId === undefined || plan === undefined || !this.confirmed()) return;
    this.starting.set(true);
    this.startError.set(undefined);
    try {
      const started = await firstValueFrom(this.api.startRestore(tenantId, plan.planId));
      this.restoreId.set(started.restoreId);
      this.goTo('run');
    } catch (error) {
      this.startError.set(describeApiError(error));
    } finally {
      this.starting.set(false);
    }
  }

  protected showResult(): void {
    this.resultId.set(this.restoreId());
    this.goTo('result');
  }
}
