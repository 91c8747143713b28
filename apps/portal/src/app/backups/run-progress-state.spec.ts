import { buildRun, buildSummary, buildTypeResult } from '../testing/builders';
import { applyProgressEvent, applyProgressUpdate, fromRun, initialProgress } from './run-progress-state';

describe('run progress state', () => {
  it('lists the run types as waiting, in the product order, when the run starts', () => {
    const state = applyProgressEvent(initialProgress(), {
      kind: 'run-started',
      runId: 'r',
      tenantId: 't',
      mode: 'full',
      types: ['signInLogs', 'users'],
      at: 'x',
    });
    expect(state.types.map((t) => [t.label, t.status])).toEqual([
      ['Users', 'waiting'],
      ['Sign-in logs', 'waiting'],
    ]);
  });

  it('counts what was read while a type runs and records how it ended', () => {
    let state = initialProgress(['users', 'groups']);
    state = applyProgressEvent(state, { kind: 'type-started', runId: 'r', type: 'users', at: 'x' });
    state = applyProgressEvent(state, {
      kind: 'type-progress',
      runId: 'r',
      type: 'users',
      collection: 'users',
      pages: 2,
      read: 120,
      at: 'x',
    });
    expect(state.types[0]).toMatchObject({ status: 'running', read: 120, collection: 'users' });
    expect(state.types[0]!.objects).toBeUndefined();
    expect(state.types[1]).toMatchObject({ status: 'waiting', read: 0 });

    state = applyProgressEvent(state, {
      kind: 'type-finished',
      runId: 'r',
      type: 'groups',
      status: 'skipped',
      reason: 'No premium licence',
      read: 0,
      at: 'x',
    });
    expect(state.types[1]).toMatchObject({ status: 'skipped', reason: 'No premium licence' });
    expect(state.status).toBe('running');
  });

  it('takes the final figures from the summary', () => {
    const summary = buildSummary({
      status: 'partial',
      types: {
        users: buildTypeResult({ objects: 7 }),
        groups: buildTypeResult({ status: 'failed', objects: 0, reason: 'Forbidden' }),
      },
    });
    const state = applyProgressEvent(initialProgress(['users', 'groups']), {
      kind: 'run-finished',
      runId: 'r',
      summary,
      at: 'x',
    });
    expect(state.status).toBe('partial');
    expect(state.types.map((t) => [t.key, t.status, t.objects])).toEqual([
      ['users', 'succeeded', 7],
      ['groups', 'failed', 0],
    ]);
  });

  it('marks unfinished types failed when the run fails', () => {
    let state = initialProgress(['users', 'groups']);
    state = applyProgressEvent(state, {
      kind: 'type-finished',
      runId: 'r',
      type: 'users',
      status: 'succeeded',
      read: 3,
      at: 'x',
    });
    state = applyProgressEvent(state, { kind: 'run-failed', runId: 'r', reason: 'Lease lost', at: 'x' });
    expect(state).toMatchObject({ status: 'failed', reason: 'Lease lost' });
    expect(state.types.map((t) => t.status)).toEqual(['succeeded', 'failed']);
  });

  it('shows a polled run as it was read', () => {
    expect(fromRun(buildRun({ status: 'running', summary: null, types: ['users'] })).types[0]).toMatchObject({
      status: 'waiting',
    });
    expect(
      applyProgressUpdate(initialProgress(), { source: 'poll', run: buildRun() }).types[0],
    ).toMatchObject({ status: 'succeeded', objects: 40 });
    expect(
      fromRun(buildRun({ status: 'interrupted', summary: null, reason: 'Process ended' })),
    ).toMatchObject({
      status: 'interrupted',
      reason: 'Process ended',
    });
  });
});
