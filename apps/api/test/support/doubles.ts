import { Clock } from '../../src/core/clock';

/**
 * A strict typed double of one of our classes: every method is a `jest.fn()` that throws
 * until the test gives it a behaviour, so an unexpected call fails loudly instead of
 * returning undefined.
 */
export function strictDouble<T extends object>(name: string): jest.Mocked<T> {
  const methods = new Map<PropertyKey, jest.Mock>();
  return new Proxy({} as jest.Mocked<T>, {
    get(_target, property) {
      // Let `await double` and Jest's own inspection see a plain object, not a thenable.
      if (property === 'then' || typeof property === 'symbol' || property === 'asymmetricMatch')
        return undefined;
      let method = methods.get(property);
      if (method === undefined) {
        method = jest.fn(() => {
          throw new Error(`Unexpected call to ${name}.${String(property)}()`);
        });
        methods.set(property, method);
      }
      return method;
    },
  });
}

/** A clock that stands still until the test moves it. */
export class FixedClock extends Clock {
  constructor(private current: Date = new Date('2026-11-26T08:00:00.000Z')) {
    super();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(at: Date): void {
    this.current = at;
  }
}
