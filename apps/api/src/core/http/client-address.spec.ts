import type { Request } from 'express';
import { clientAddress } from './client-address';

describe(clientAddress.name, () => {
  const requestFrom = (ip: string | undefined) =>
    ({ ip, socket: { remoteAddress: undefined } }) as unknown as Request;

  it('records an IPv4 client of a dual-stack socket as IPv4', () => {
    expect(clientAddress(requestFrom('::ffff:203.0.113.7'))).toBe('203.0.113.7');
  });

  it('keeps IPv6 and IPv4 addresses as they are, and says when there is none', () => {
    expect(clientAddress(requestFrom('2001:db8::1'))).toBe('2001:db8::1');
    expect(clientAddress(requestFrom('::ffff:abcd'))).toBe('::ffff:abcd');
    expect(clientAddress(requestFrom('198.51.100.2'))).toBe('198.51.100.2');
    expect(clientAddress(requestFrom(undefined))).toBeNull();
  });
});
