import type {
  RestoreCredential,
  RestorePlanRequest,
  RestorePlanSummary,
  RestoreRun,
} from '@entra-backup/common';
import type { Actor } from '../../../api/src/modules/audit/audit-action';
import { RestoreException, RestoreExceptionCode } from '../../../api/src/modules/restore/restore.exception';
import type { RestoreService } from '../../../api/src/modules/restore/restore.service';
import type { RunRestoreOptions } from '../../../api/src/modules/restore/restore.types';
import { canAsk, type CliIo, writeOut } from '../cli-io';
import { confirm } from '../cli-prompt';
import { assertConfirmable } from './restore-arguments';
import {
  credentialLine,
  dryRunActionLine,
  dryRunSummaryLine,
  failedActionLine,
  nothingToRestoreLine,
  planSummaryText,
  planTableHeader,
  planTableRow,
  renderCredentials,
  renderRestoreRuns,
  restoreResultLine,
  restoreResultText,
  restoreRunLine,
} from './restore-output';
import { createRestoreProgressView, planProgressLines } from './restore-progress';
import { CommandFailedError } from './snapshot-arguments';

export interface RestoreRunOptions {
  readonly json: boolean;
  readonly yes: boolean;
  /** Aborted by SIGINT/SIGTERM: the engine stops between actions and the restore can be resumed. */
  readonly signal: AbortSignal;
}

const FAILURE_PAGE_SIZE = 500;

/**
 * What `restore`, `restore-resume` and `restores` do, apart from parsing arguments: stdout carries
 * results (tables or JSON lines), stderr the plan summary, questions, progress and failures.
 */
export class RestoreFlow {
  constructor(
    private readonly io: CliIo,
    private readonly restores: RestoreService,
    private readonly actor: Actor,
  ) {}

  /** `restore --dry-run`: computes the plan and prints it action by action; writes nothing. */
  async dryRun(
    tenantId: string,
    request: RestorePlanRequest,
    options: Pick<RestoreRunOptions, 'json' | 'signal'>,
  ): Promise<void> {
    const plan = await this.plan(tenantId, request, options.signal);
    if (options.json) {
      for await (const action of this.restores.planActions(plan.tenantId, plan.planId)) {
        options.signal.throwIfAborted();
        await writeOut(this.io, dryRunActionLine(action));
      }
      await writeOut(this.io, dryRunSummaryLine(plan));
      if (plan.missingPermissions.length > 0) this.io.stderr.write(planSummaryText(plan));
      return;
    }
    await writeOut(this.io, planTableHeader());
    for await (const action of this.restores.planActions(plan.tenantId, plan.planId)) {
      options.signal.throwIfAborted();
      await writeOut(this.io, planTableRow(action));
    }
    await writeOut(this.io, planSummaryText(plan));
  }

  /** `restore`: computes the plan, shows its summary, asks (unless `--yes`) and executes it. */
  async restore(tenantId: string, request: RestorePlanRequest, options: RestoreRunOptions): Promise<void> {
    const plan = await this.plan(tenantId, request, options.signal);
    this.io.stderr.write(planSummaryText(plan));
    if (plan.missingPermissions.length > 0) {
      throw RestoreException.permissionMissing(plan.targetTenantId, plan.missingPermissions);
    }
    if (plan.planned === 0) {
      this.io.stderr.write(
        `Nothing to restore: tenant ${plan.targetTenantId} already matches the selection\n`,
      );
      if (options.json) await writeOut(this.io, nothingToRestoreLine());
      return;
    }
    await this.confirmOrStop(
      options.yes,
      `Restore ${plan.planned} actions into tenant ${plan.targetTenantId}? [y/N]`,
      `nothing was written to tenant ${plan.targetTenantId}`,
    );
    const run = await this.follow(options.signal, (run) =>
      this.restores.executePlan(plan.tenantId, plan.planId, run),
    );
    await this.report(run, options.json);
  }

  /** `restore-resume`: carries on with an interrupted restore from its next pending action. */
  async resume(restoreId: string, options: RestoreRunOptions): Promise<void> {
    await this.confirmOrStop(options.yes, `Resume restore ${restoreId}? [y/N]`, 'nothing more was written');
    const run = await this.follow(options.signal, (run) => this.restores.resume(restoreId, run));
    await this.report(run, options.json);
  }

  /**
   * `restore-credentials`: the temporary passwords a restore did not get to print (its process
   * stopped after the writes), handed out once like any other time.
   */
  async credentials(restoreId: string, options: { readonly json: boolean }): Promise<void> {
    const run = await this.restores.findRestore(restoreId);
    let credentials: RestoreCredential[];
    try {
      credentials = await this.restores.takeCredentials(run.targetTenantId, restoreId, this.actor);
    } catch (error) {
      if (error instanceof RestoreException && error.code === RestoreExceptionCode.RESTORE_CREDENTIALS_GONE)
        throw new CommandFailedError(
          `restore ${restoreId} has no temporary passwords left: they were handed out already, or it re-created no user`,
        );
      throw error;
    }
    if (options.json) {
      for (const credential of credentials) await writeOut(this.io, credentialLine(credential));
    } else {
      await writeOut(this.io, renderCredentials(credentials));
    }
  }

  /** `restores`: the tenant's restores, newest first. */
  async list(tenantId: string, options: { readonly json: boolean; readonly limit: number }): Promise<void> {
    const page = await this.restores.listRestores(tenantId, { page: 1, pageSize: options.limit });
    if (!options.json) {
      await writeOut(this.io, renderRestoreRuns(tenantId, page.items));
      return;
    }
    for (const run of page.items) await writeOut(this.io, restoreRunLine(run));
  }

  private plan(
    tenantId: string,
    request: RestorePlanRequest,
    signal: AbortSignal,
  ): Promise<RestorePlanSummary> {
    return this.restores.createPlan(tenantId, request, {
      actor: this.actor,
      onProgress: planProgressLines(this.io),
      signal,
    });
  }

  private async confirmOrStop(yes: boolean, question: string, declined: string): Promise<void> {
    if (yes) return;
    assertConfirmable({ yes }, canAsk(this.io), 'A restore');
    if (!(await confirm(this.io, question))) throw new CommandFailedError(`restore cancelled; ${declined}`);
  }

  /** Runs the restore with its progress on stderr; says how to resume when it is interrupted. */
  private async follow(
    signal: AbortSignal,
    execute: (options: RunRestoreOptions) => Promise<RestoreRun>,
  ): Promise<RestoreRun> {
    const progress = createRestoreProgressView(this.io);
    let restoreId: string | undefined;
    try {
      return await execute({
        actor: this.actor,
        signal,
        onProgress: (event) => {
          restoreId = event.restoreId;
          progress.handle(event);
        },
      });
    } catch (error) {
      progress.stop(); // before the hint, so the bar does not overwrite it
      if (signal.aborted && restoreId !== undefined) this.io.stderr.write(resumeHint(restoreId));
      throw error;
    } finally {
      progress.stop();
    }
  }

  /**
   * The result on stdout (with the temporary passwords, shown only now), then, unless it
   * completed, each failed action on stderr and exit code 1.
   */
  private async report(run: RestoreRun, json: boolean): Promise<void> {
    const credentials = await this.takeCredentials(run);
    if (json) {
      for (const credential of credentials) await writeOut(this.io, credentialLine(credential));
      await writeOut(this.io, restoreResultLine(run));
    } else {
      await writeOut(this.io, restoreResultText(run));
      if (credentials.length > 0) await writeOut(this.io, renderCredentials(credentials));
    }
    if (run.status === 'completed') return;
    await this.printFailures(run);
    if (run.status === 'interrupted' || run.status === 'running') {
      this.io.stderr.write(resumeHint(run.restoreId));
      throw new CommandFailedError(`restore ${run.restoreId} was interrupted before all actions ran`);
    }
    throw new CommandFailedError(
      `restore ${run.restoreId} ${run.status}: ${run.counts.failed} ${run.counts.failed === 1 ? 'action' : 'actions'} failed` +
        (run.reason === null ? '' : ` (${run.reason})`),
    );
  }

  /** Only a restore that re-created objects can have passwords; "none" is not an error here. */
  private async takeCredentials(run: RestoreRun): Promise<RestoreCredential[]> {
    if (run.counts.recreated === 0) return [];
    try {
      return await this.restores.takeCredentials(run.tenantId, run.restoreId, this.actor);
    } catch (error) {
      if (error instanceof RestoreException && error.code === RestoreExceptionCode.RESTORE_CREDENTIALS_GONE) {
        return [];
      }
      throw error;
    }
  }

  private async printFailures(run: RestoreRun): Promise<void> {
    if (run.counts.failed === 0) return;
    for (let page = 1; ; page++) {
      const actions = await this.restores.listRestoreActions(run.tenantId, run.restoreId, {
        page,
        pageSize: FAILURE_PAGE_SIZE,
      });
      for (const action of actions.items) {
        if (action.state === 'failed') this.io.stderr.write(failedActionLine(action));
      }
      if (actions.items.length < FAILURE_PAGE_SIZE || page * FAILURE_PAGE_SIZE >= actions.total) return;
    }
  }
}

function resumeHint(restoreId: string): string {
  return `restore ${restoreId} stopped between actions; carry on with: entra-backup restore-resume ${restoreId}\n`;
}
