import { lastValueFrom, of, toArray } from 'rxjs';
import { toServerSentEvents } from './server-sent-events';

describe(toServerSentEvents.name, () => {
  it('frames events as numbered server-sent events', async () => {
    const a = { kind: 'type-started', type: 'users' };
    const b = { kind: 'type-started', type: 'groups' };
    await expect(lastValueFrom(toServerSentEvents(of(a, b)).pipe(toArray()))).resolves.toEqual([
      { data: a, id: '1' },
      { data: b, id: '2' },
    ]);
  });

  it('numbers each subscription from 1', async () => {
    const framed = toServerSentEvents(of('x'));
    await lastValueFrom(framed);
    await expect(lastValueFrom(framed)).resolves.toEqual({ data: 'x', id: '1' });
  });
});
