import type { RestoreProgressEvent } from '@entra-backup/common';
import { buildRestoreRun, RESTORE_RUN } from '../../../api/test/support/restore.factory';
import type { CliIo } from '../cli-io';
import { createRestoreProgressView, LineRestoreProgress, planProgressLines } from './restore-progress';

const AT = '2026-12-07T09:01:00.000Z';

function captured(isTTY: boolean): { io: CliIo; text: () => string } {
  let text = '';
  const stream = { isTTY, columns: 120, write: (chunk: string) => ((text += chunk), true), on: () => stream };
  return { io: { stdout: { write: () => true }, stderr: stream }, text: () => text };
}

function step(name: string, done: number, failed = 0): RestoreProgressEvent {
  return { kind: 'restore-step', restoreId: RESTORE_RUN, step: name, done, failed, planned: 10, at: AT };
}

const events: RestoreProgressEvent[] = [
  { kind: 'restore-started', restoreId: RESTORE_RUN, planned: 10, at: AT },
  step('users', 1),
  step('users', 2),
  step('users', 4, 1),
  step('group members', 6, 1),
  { kind: 'restore-finished', restoreId: RESTORE_RUN, run: buildRestoreRun({ status: 'partial' }), at: AT },
];

describe(LineRestoreProgress.name, () => {
  it('writes a line per step as it begins, then at most one every 5 seconds', () => {
    const { io, text } = captured(false);
    let now = 0;
    const sut = createRestoreProgressView(io, () => now);

    for (const event of events) {
      now += 3_000;
      sut.handle(event);
    }
    sut.stop();

    expect(text().split('\n')).toEqual([
      `restore ${RESTORE_RUN} started: 10 actions`,
      'users: 1 of 10 done, 0 failed',
      // 3 s after the step's first line: too soon; 6 s after it: shown.
      'users: 4 of 10 done, 1 failed',
      'group members: 6 of 10 done, 1 failed',
      `restore ${RESTORE_RUN} partial`,
      '',
    ]);
  });

  it('says why a restore failed', () => {
    const { io, text } = captured(false);
    const sut = createRestoreProgressView(io);

    sut.handle({ kind: 'restore-failed', restoreId: RESTORE_RUN, reason: 'lease lost', at: AT });

    expect(text()).toBe(`restore ${RESTORE_RUN} failed: lease lost\n`);
  });
});

describe('terminal restore progress', () => {
  it('draws one bar with the step and the actions done and failed', () => {
    const { io, text } = captured(true);
    const sut = createRestoreProgressView(io);

    for (const event of events) sut.handle(event);
    sut.stop();

    expect(text()).toMatch(/group members \|[█░]+\| 7\/10 actions, 1 failed/);
  });
});

describe(planProgressLines.name, () => {
  it('writes each step of computing the plan once', () => {
    const { io, text } = captured(false);
    const sut = planProgressLines(io);

    sut({ step: 'reading users' });
    sut({ step: 'reading users' });
    sut({ step: 'comparing' });

    expect(text()).toBe('planning: reading users\nplanning: comparing\n');
  });
});
