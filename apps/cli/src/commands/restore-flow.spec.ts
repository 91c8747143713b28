import { PassThrough } from 'node:stream';
import type { RestoreAction, RestoreRun } from '@entra-backup/common';
import { strictDouble } from '../../../api/test/support/doubles';
import {
  buildRestoreAction,
  buildRestoreCounts,
  buildRestoreCredential,
  buildRestorePlan,
  buildRestoreRun,
  RESTORE_PLAN,
  RESTORE_RUN,
  RESTORE_TENANT,
} from '../../../api/test/support/restore.factory';
import { RestoreException, RestoreExceptionCode } from '../../../api/src/modules/restore/restore.exception';
import type { RestoreService } from '../../../api/src/modules/restore/restore.service';
import type { RunRestoreOptions } from '../../../api/src/modules/restore/restore.types';
import { CliUsageError } from '../cli-errors';
import type { CliIo } from '../cli-io';
import { RestoreFlow } from './restore-flow';
import { CommandFailedError } from './snapshot-arguments';

const ACTOR = 'cli:tester';

async function* iterate(...actions: RestoreAction[]): AsyncGenerator<RestoreAction> {
  for (const action of actions) yield action;
}

interface Captured {
  io: CliIo;
  stdout: () => string;
  stderr: () => string;
  stdin: PassThrough;
}

function capture(options: { terminal?: boolean } = {}): Captured {
  let stdout = '';
  let stderr = '';
  const stdin = Object.assign(new PassThrough(), { isTTY: options.terminal === true });
  return {
    io: {
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stderr += t) },
      stdin,
    },
    stdout: () => stdout,
    stderr: () => stderr,
    stdin,
  };
}

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.length > 0);
}

describe(RestoreFlow.name, () => {
  let restores: jest.Mocked<RestoreService>;
  let out: Captured;
  let signal: AbortSignal;
  let sut: RestoreFlow;

  beforeEach(() => {
    restores = strictDouble<RestoreService>('RestoreService');
    out = capture();
    signal = new AbortController().signal;
    sut = new RestoreFlow(out.io, restores, ACTOR);
  });

  /** The engine's executePlan: reports a start and a step, then ends with `run`. */
  function executes(run: RestoreRun): void {
    restores.executePlan.mockImplementation(async (_tenantId, _planId, options: RunRestoreOptions) => {
      options.onProgress?.({ kind: 'restore-started', restoreId: run.restoreId, planned: 3, at: 'x' });
      options.onProgress?.({
        kind: 'restore-step',
        restoreId: run.restoreId,
        step: 'users',
        done: 3,
        failed: 0,
        planned: 3,
        at: 'x',
      });
      return run;
    });
  }

  describe('dryRun', () => {
    it('streams one JSON line per action, then the summary, and executes nothing', async () => {
      restores.createPlan.mockResolvedValue(buildRestorePlan());
      restores.planActions.mockReturnValue(
        iterate(
          buildRestoreAction(),
          buildRestoreAction({ seq: 2, action: 'restoreDeleted', properties: [] }),
        ),
      );

      await sut.dryRun(RESTORE_TENANT, { snapshotId: 'latest' }, { json: true, signal });

      const printed = lines(out.stdout()).map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(printed.map((line) => line['action'] ?? 'summary')).toEqual([
        'update',
        'restoreDeleted',
        'summary',
      ]);
      expect(printed[2]).toEqual({
        planned: 3,
        byAction: { restoreDeleted: 1, update: 1, addLink: 1 },
        unrecoverable: [],
      });
      expect(restores.createPlan).toHaveBeenCalledWith(
        RESTORE_TENANT,
        { snapshotId: 'latest' },
        expect.objectContaining({ actor: ACTOR, signal }),
      );
      expect(restores.planActions).toHaveBeenCalledWith(RESTORE_TENANT, RESTORE_PLAN);
      expect(restores.executePlan).not.toHaveBeenCalled();
    });

    it('prints a table and the summary for a person', async () => {
      restores.createPlan.mockResolvedValue(buildRestorePlan());
      restores.planActions.mockReturnValue(iterate(buildRestoreAction()));

      await sut.dryRun(RESTORE_TENANT, { snapshotId: 'latest' }, { json: false, signal });

      expect(lines(out.stdout())).toEqual([
        expect.stringMatching(/^ACTION\s+TYPE\s+ID\s+NAME\s+PROPERTIES\/LINK\s+REASON$/),
        expect.stringMatching(/^update\s+users\s+11111111-\S+\s+Adele Vance\s+jobTitle,department$/),
        expect.stringMatching(/^Plan \S+: .*: 3 actions: restoreDeleted 1, update 1, addLink 1$/),
      ]);
    });

    it('stops reading the plan when interrupted', async () => {
      const abort = new AbortController();
      restores.createPlan.mockResolvedValue(buildRestorePlan());
      restores.planActions.mockReturnValue(
        (async function* () {
          yield buildRestoreAction();
          abort.abort(new Error('cancelled'));
          yield buildRestoreAction({ seq: 2 });
        })(),
      );

      await expect(
        sut.dryRun(RESTORE_TENANT, { snapshotId: 'latest' }, { json: true, signal: abort.signal }),
      ).rejects.toThrow('cancelled');
      expect(lines(out.stdout())).toHaveLength(1);
    });
  });

  describe('restore', () => {
    it('with --yes executes at once and ends stdout with the result line', async () => {
      restores.createPlan.mockResolvedValue(buildRestorePlan());
      executes(buildRestoreRun());

      await sut.restore(RESTORE_TENANT, { snapshotId: 'latest' }, { json: true, yes: true, signal });

      expect(restores.executePlan).toHaveBeenCalledWith(
        RESTORE_TENANT,
        RESTORE_PLAN,
        expect.objectContaining({ actor: ACTOR, signal }),
      );
      expect(lines(out.stdout()).map((line) => JSON.parse(line) as unknown)).toEqual([
        {
          restoreId: RESTORE_RUN,
          status: 'completed',
          counts: buildRestoreCounts({ restoredDeleted: 1, updated: 1, linksAdded: 1 }),
          idMap: {},
        },
      ]);
      expect(out.stderr()).toMatch(/^Plan \S+: .*3 actions/m);
      expect(out.stderr()).toMatch(/^users: 3 of 3 done, 0 failed$/m);
      // Nothing was re-created, so there are no passwords to ask for.
      expect(restores.takeCredentials).not.toHaveBeenCalled();
    });

    it('prints the temporary passwords once, before the result line', async () => {
      const run = buildRestoreRun({ counts: buildRestoreCounts({ recreated: 2 }), idMap: { a: 'b' } });
      restores.createPlan.mockResolvedValue(buildRestorePlan());
      executes(run);
      restores.takeCredentials.mockResolvedValue([
        buildRestoreCredential(),
        buildRestoreCredential({ userPrincipalName: 'megan@contoso.test' }),
      ]);

      await sut.restore(RESTORE_TENANT, { snapshotId: 'latest' }, { json: true, yes: true, signal });

      const printed = lines(out.stdout()).map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(printed.map((line) => Object.keys(line)[0])).toEqual(['credential', 'credential', 'restoreId']);
      expect(restores.takeCredentials).toHaveBeenCalledTimes(1);
      expect(restores.takeCredentials).toHaveBeenCalledWith(RESTORE_TENANT, RESTORE_RUN, ACTOR);
      expect(out.stderr()).not.toContain('Tmp-9f2K!x7Qp');
    });

    it('shows the passwords as a table to a person', async () => {
      restores.createPlan.mockResolvedValue(buildRestorePlan());
      executes(buildRestoreRun({ counts: buildRestoreCounts({ recreated: 1 }) }));
      restores.takeCredentials.mockResolvedValue([buildRestoreCredential()]);

      await sut.restore(RESTORE_TENANT, { snapshotId: 'latest' }, { json: false, yes: true, signal });

      expect(out.stdout()).toMatch(/^Restore \S+ into tenant \S+ completed: /m);
      expect(out.stdout()).toContain(
        'Temporary passwords (shown once; users must change them at next sign-in)',
      );
      expect(out.stdout()).toMatch(/^adele@contoso\.test\s+.*Tmp-9f2K!x7Qp$/m);
    });

    it('takes passwords someone else already took as none', async () => {
      restores.createPlan.mockResolvedValue(buildRestorePlan());
      executes(buildRestoreRun({ counts: buildRestoreCounts({ recreated: 1 }) }));
      restores.takeCredentials.mockRejectedValue(RestoreException.credentialsGone(RESTORE_RUN));

      await sut.restore(RESTORE_TENANT, { snapshotId: 'latest' }, { json: true, yes: true, signal });

      expect(lines(out.stdout())).toHaveLength(1);
    });

    it('lists every failed action on stderr and fails a partial restore', async () => {
      const run = buildRestoreRun({
        status: 'partial',
        counts: buildRestoreCounts({ updated: 499, failed: 2 }),
      });
      restores.createPlan.mockResolvedValue(buildRestorePlan({ planned: 501 }));
      executes(run);
      const failed = (id: string) =>
        buildRestoreAction({
          id,
          state: 'failed',
          error: { code: 'Authorization_RequestDenied', message: 'Denied' },
        });
      restores.listRestoreActions
        .mockResolvedValueOnce({
          items: [
            failed('first'),
            ...Array.from({ length: 499 }, () => buildRestoreAction({ state: 'done' })),
          ],
          total: 501,
          page: 1,
          pageSize: 500,
        })
        .mockResolvedValueOnce({ items: [failed('second')], total: 501, page: 2, pageSize: 500 });

      await expect(
        sut.restore(RESTORE_TENANT, { snapshotId: 'latest' }, { json: true, yes: true, signal }),
      ).rejects.toEqual(new CommandFailedError(`restore ${RESTORE_RUN} partial: 2 actions failed`));

      expect(out.stderr()).toMatch(
        /^users first \(Adele Vance\): update failed: Denied \(Graph code Authorization_RequestDenied\)$/m,
      );
      expect(out.stderr()).toMatch(/^users second .*: update failed: /m);
      expect(restores.listRestoreActions).toHaveBeenLastCalledWith(RESTORE_TENANT, RESTORE_RUN, {
        page: 2,
        pageSize: 500,
      });
      // The result line is still printed: scripts read the counts of a partial restore too.
      expect(JSON.parse(lines(out.stdout())[0]!)).toMatchObject({ status: 'partial' });
    });

    it('refuses a plan the consent cannot execute, before asking or writing', async () => {
      restores.createPlan.mockResolvedValue(
        buildRestorePlan({ missingPermissions: ['Group.ReadWrite.All'] }),
      );

      await expect(
        sut.restore(RESTORE_TENANT, { snapshotId: 'latest' }, { json: false, yes: true, signal }),
      ).rejects.toMatchObject({ code: RestoreExceptionCode.RESTORE_PERMISSION_MISSING });
      expect(restores.executePlan).not.toHaveBeenCalled();
    });

    it('executes nothing when the plan is empty', async () => {
      restores.createPlan.mockResolvedValue(buildRestorePlan({ planned: 0, byAction: {} }));

      await sut.restore(RESTORE_TENANT, { snapshotId: 'latest' }, { json: true, yes: true, signal });

      expect(JSON.parse(out.stdout())).toMatchObject({ restoreId: null, status: 'completed' });
      expect(out.stderr()).toContain('Nothing to restore');
      expect(restores.executePlan).not.toHaveBeenCalled();
    });

    it('asks at a terminal and executes on yes', async () => {
      out = capture({ terminal: true });
      sut = new RestoreFlow(out.io, restores, ACTOR);
      restores.createPlan.mockResolvedValue(buildRestorePlan());
      executes(buildRestoreRun());
      out.stdin.write('y\n');

      await sut.restore(RESTORE_TENANT, { snapshotId: 'latest' }, { json: true, yes: false, signal });

      expect(out.stderr()).toContain(`Restore 3 actions into tenant ${RESTORE_TENANT}? [y/N] `);
      expect(restores.executePlan).toHaveBeenCalledTimes(1);
    });

    it('writes nothing when the answer is no', async () => {
      out = capture({ terminal: true });
      sut = new RestoreFlow(out.io, restores, ACTOR);
      restores.createPlan.mockResolvedValue(buildRestorePlan());
      out.stdin.write('\n');

      await expect(
        sut.restore(RESTORE_TENANT, { snapshotId: 'latest' }, { json: true, yes: false, signal }),
      ).rejects.toEqual(
        new CommandFailedError(`restore cancelled; nothing was written to tenant ${RESTORE_TENANT}`),
      );
      expect(restores.executePlan).not.toHaveBeenCalled();
      expect(out.stdout()).toBe('');
    });

    it('never waits for an answer nobody can give', async () => {
      restores.createPlan.mockResolvedValue(buildRestorePlan());

      await expect(
        sut.restore(RESTORE_TENANT, { snapshotId: 'latest' }, { json: true, yes: false, signal }),
      ).rejects.toBeInstanceOf(CliUsageError);
      expect(restores.executePlan).not.toHaveBeenCalled();
    });

    it('says how to resume a restore stopped by an interrupt', async () => {
      const abort = new AbortController();
      restores.createPlan.mockResolvedValue(buildRestorePlan());
      restores.executePlan.mockImplementation(async (_t, _p, options: RunRestoreOptions) => {
        options.onProgress?.({ kind: 'restore-started', restoreId: RESTORE_RUN, planned: 3, at: 'x' });
        abort.abort(new Error('The restore was cancelled (interrupt signal)'));
        throw new Error('The restore was cancelled (interrupt signal)');
      });

      await expect(
        sut.restore(
          RESTORE_TENANT,
          { snapshotId: 'latest' },
          { json: true, yes: true, signal: abort.signal },
        ),
      ).rejects.toThrow('cancelled');
      expect(out.stderr()).toContain(`carry on with: entra-backup restore-resume ${RESTORE_RUN}`);
    });

    it('fails an interrupted run with the way to resume it', async () => {
      restores.createPlan.mockResolvedValue(buildRestorePlan());
      executes(buildRestoreRun({ status: 'interrupted', finishedAt: null }));

      await expect(
        sut.restore(RESTORE_TENANT, { snapshotId: 'latest' }, { json: true, yes: true, signal }),
      ).rejects.toBeInstanceOf(CommandFailedError);
      expect(out.stderr()).toContain(`entra-backup restore-resume ${RESTORE_RUN}`);
      expect(JSON.parse(out.stdout())).toMatchObject({ status: 'interrupted' });
    });
  });

  describe('resume', () => {
    it('resumes and reports like a restore', async () => {
      restores.resume.mockResolvedValue(buildRestoreRun());

      await sut.resume(RESTORE_RUN, { json: true, yes: true, signal });

      expect(restores.resume).toHaveBeenCalledWith(
        RESTORE_RUN,
        expect.objectContaining({ actor: ACTOR, signal }),
      );
      expect(JSON.parse(out.stdout())).toMatchObject({ restoreId: RESTORE_RUN, status: 'completed' });
    });

    it('lets "not resumable" through', async () => {
      const refused = RestoreException.notResumable(RESTORE_RUN, 'completed');
      restores.resume.mockRejectedValue(refused);

      await expect(sut.resume(RESTORE_RUN, { json: false, yes: true, signal })).rejects.toBe(refused);
    });
  });

  it('lists restores as one JSON object per line', async () => {
    const runs = [buildRestoreRun(), buildRestoreRun({ restoreId: 'older', status: 'failed' })];
    restores.listRestores.mockResolvedValue({ items: runs, total: 2, page: 1, pageSize: 20 });

    await sut.list(RESTORE_TENANT, { json: true, limit: 20 });

    expect(lines(out.stdout()).map((line) => JSON.parse(line) as unknown)).toEqual(runs);
    expect(restores.listRestores).toHaveBeenCalledWith(RESTORE_TENANT, { page: 1, pageSize: 20 });
  });

  describe('restore-credentials', () => {
    it('prints the passwords a stopped restore did not print, once, for the restore found by id', async () => {
      const run = buildRestoreRun({ status: 'completed', counts: buildRestoreCounts({ recreated: 1 }) });
      restores.findRestore.mockResolvedValue(run);
      restores.takeCredentials.mockResolvedValue([buildRestoreCredential()]);

      await sut.credentials(RESTORE_RUN, { json: true });

      expect(restores.takeCredentials).toHaveBeenCalledWith(run.targetTenantId, RESTORE_RUN, ACTOR);
      expect(lines(out.stdout()).map((line) => Object.keys(JSON.parse(line) as object))).toEqual([
        ['credential'],
      ]);
    });

    it('says so, and fails, when the passwords were handed out already', async () => {
      restores.findRestore.mockResolvedValue(buildRestoreRun({ status: 'completed' }));
      restores.takeCredentials.mockRejectedValue(RestoreException.credentialsGone(RESTORE_RUN));

      await expect(sut.credentials(RESTORE_RUN, { json: false })).rejects.toThrow(
        new CommandFailedError(
          `restore ${RESTORE_RUN} has no temporary passwords left: they were handed out already, or it re-created no user`,
        ),
      );
      expect(out.stdout()).toBe('');
    });
  });
});
