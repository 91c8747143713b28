import type { BackupProgressEvent } from '@entra-backup/common';
import type { CliIo } from '../cli-io';
import { createProgressView, LineProgress } from './backup-progress';

const RUN = 'run-1';
const AT = '2026-11-26T08:00:00.000Z';

function captured(isTTY: boolean): { io: CliIo; text: () => string } {
  let text = '';
  const stream = { isTTY, columns: 120, write: (chunk: string) => ((text += chunk), true), on: () => stream };
  return { io: { stdout: { write: () => true }, stderr: stream }, text: () => text };
}

const events: BackupProgressEvent[] = [
  { kind: 'run-started', runId: RUN, tenantId: 't', mode: 'full', types: ['users', 'groups'], at: AT },
  { kind: 'type-started', runId: RUN, type: 'users', at: AT },
  { kind: 'type-progress', runId: RUN, type: 'users', collection: 'users', pages: 1, objects: 999, at: AT },
  { kind: 'type-progress', runId: RUN, type: 'users', collection: 'users', pages: 2, objects: 1500, at: AT },
  { kind: 'type-finished', runId: RUN, type: 'users', status: 'succeeded', objects: 1500, at: AT },
  {
    kind: 'type-finished',
    runId: RUN,
    type: 'groups',
    status: 'skipped',
    reason: 'No licence',
    objects: 0,
    at: AT,
  },
];

describe(LineProgress.name, () => {
  it('writes a line per start and finish, and at most one progress line per type every 5 seconds', () => {
    const { io, text } = captured(false);
    let now = 0;
    const sut = createProgressView(io, {}, () => now);

    for (const event of events) {
      now += 3_000;
      sut.handle(event);
    }
    sut.stop();

    expect(text().split('\n')).toEqual([
      'backup run-1 (full) started: users, groups',
      'users: started',
      // 3 s after the start: too soon; 6 s after it: shown.
      'users: 1500 objects, 2 pages (users)',
      'users: succeeded, 1500 objects',
      'groups: skipped, 0 objects (No licence)',
      '',
    ]);
  });
});

describe('terminal progress', () => {
  it('draws one bar per type with its object count and state', () => {
    const { io, text } = captured(true);
    const sut = createProgressView(io, { users: 1000 });

    for (const event of events) sut.handle(event);
    sut.stop();

    const screen = text();
    expect(screen).toMatch(/users\s+\|[█░]+\| 1500 objects succeeded/);
    expect(screen).toMatch(/groups\s*\|[█░]+\| 0 objects skipped/);
  });
});
