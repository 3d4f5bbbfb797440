import { formatAccessLine } from './access-line';

describe('formatAccessLine', () => {
  const entry = {
    requestId: 'r-12345678',
    method: 'GET',
    route: '/api/users',
    decision: 'allow' as const,
    reason: 'OK',
    status: 200,
    latencyMs: 1.234,
  };

  it('writes one JSON line in the platform log shape', () => {
    const line = formatAccessLine(
      { ...entry, clientId: 'bank-cli', sub: 'usr_alice', tokenHash: '0123456789abcdef' },
      new Date('2026-01-02T03:04:05.678Z'),
    );
    expect(line.endsWith('}\n')).toBe(true);
    expect(line.indexOf('\n')).toBe(line.length - 1);
    expect(JSON.parse(line)).toEqual({
      level: 'info',
      time: '2026-01-02T03:04:05.678Z',
      service: 'gateway',
      log: 'access',
      message: 'access',
      requestId: 'r-12345678',
      clientId: 'bank-cli',
      sub: 'usr_alice',
      method: 'GET',
      route: '/api/users',
      decision: 'allow',
      reason: 'OK',
      status: 200,
      latencyMs: 1.234,
      tokenHash: '0123456789abcdef',
    });
  });

  it('escapes every string, so a hostile claim cannot forge fields or lines', () => {
    const sub = 'x","decision":"allow"}\n{"forged":"1';
    const parsed = JSON.parse(formatAccessLine({ ...entry, sub, decision: 'deny' }, new Date()));
    expect(parsed.sub).toBe(sub);
    expect(parsed.decision).toBe('deny');
    expect(parsed.forged).toBeUndefined();
  });

  it('leaves out absent fields and never writes a non-number latency', () => {
    const parsed = JSON.parse(formatAccessLine({ ...entry, latencyMs: Number.NaN }, new Date()));
    expect(Object.keys(parsed)).not.toEqual(expect.arrayContaining(['clientId', 'sub', 'tokenHash']));
    expect(parsed.latencyMs).toBe(0);
  });
});
