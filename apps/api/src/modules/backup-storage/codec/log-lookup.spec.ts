import { logLookupOf } from './log-lookup';

describe(logLookupOf.name, () => {
  it("keeps a directory audit's time and the ids of its targets, lower-cased and once each", () => {
    const sut = logLookupOf({
      id: 'Directory_1',
      activityDateTime: '2026-11-02T10:00:00Z',
      targetResources: [
        { id: 'AAAA-1', type: 'User' },
        { id: 'aaaa-1', type: 'User' },
        { id: 'g-1', type: 'Group' },
        { id: '', type: 'Other' },
        { type: 'NoId' },
      ],
    });

    expect(sut).toEqual({ activityAt: '2026-11-02T10:00:00.000Z', targetIds: ['aaaa-1', 'g-1'] });
  });

  it("uses a sign-in's createdDateTime and has no targets; no time gives an empty one", () => {
    expect(logLookupOf({ id: 's', createdDateTime: '2026-11-02T10:00:00.5+01:00' })).toEqual({
      activityAt: '2026-11-02T09:00:00.500Z',
      targetIds: [],
    });
    expect(logLookupOf({ id: 'x', activityDateTime: 'not a time' })).toEqual({
      activityAt: '',
      targetIds: [],
    });
  });
});
