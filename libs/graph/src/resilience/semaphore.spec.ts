import { settle } from '../../test/support/manual-clock';
import { Semaphore } from './semaphore';

describe(Semaphore.name, () => {
  it('admits at most `limit` holders and hands slots over in arrival order', async () => {
    const sut = new Semaphore(2);
    const order: number[] = [];
    const first = await sut.acquire();
    const second = await sut.acquire();
    const third = sut.acquire().then((release) => {
      order.push(3);
      return release;
    });
    const fourth = sut.acquire().then((release) => {
      order.push(4);
      return release;
    });
    await settle();
    expect(sut.inUse).toBe(2);
    expect(order).toEqual([]);
    first();
    first();
    await settle();
    expect(order).toEqual([3]);
    second();
    await settle();
    expect(order).toEqual([3, 4]);
    (await third)();
    (await fourth)();
    expect(sut.inUse).toBe(0);
  });

  it('drops a waiter whose signal aborts', async () => {
    const sut = new Semaphore(1);
    const release = await sut.acquire();
    const controller = new AbortController();
    const waiting = sut.acquire(controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    release();
    expect(sut.inUse).toBe(0);
  });

  it('rejects a non-positive limit', () => {
    expect(() => new Semaphore(0)).toThrow('positive integer');
  });
});
