import type { IncomingMessage } from 'node:http';
import { BlockList } from 'node:net';
import { clientIp } from './client-ip';

const req = (remoteAddress: string, xff?: string) =>
  ({ socket: { remoteAddress }, headers: xff ? { 'x-forwarded-for': xff } : {} }) as unknown as IncomingMessage;

describe('clientIp', () => {
  const trusted = new BlockList();
  trusted.addSubnet('10.0.0.0', 8, 'ipv4');

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', () => {
    expect(clientIp(req('203.0.113.9', '1.2.3.4'), trusted)).toBe('203.0.113.9');
    expect(clientIp(req('::ffff:203.0.113.9', '1.2.3.4'), new BlockList())).toBe('203.0.113.9');
  });

  it('walks from the right through trusted proxies only', () => {
    expect(clientIp(req('10.0.0.1', '6.6.6.6, 198.51.100.7, 10.0.0.2'), trusted)).toBe('198.51.100.7');
    expect(clientIp(req('10.0.0.1', '10.0.0.3'), trusted)).toBe('10.0.0.3');
    expect(clientIp(req('10.0.0.1', 'garbage'), trusted)).toBe('garbage');
  });
});
