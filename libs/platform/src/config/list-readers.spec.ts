import { configFailure as failure } from '../testing/config-failure';
import { readAddressList, readHostPortList, readList, readOrigins } from './list-readers';

describe('readList', () => {
  it('trims the items and drops empty ones', () => {
    expect(readList({ L: ' a, b ,,c ' }, 'L')).toEqual(['a', 'b', 'c']);
  });

  it('is empty when unset without a default, and needs the value in production when a development default exists', () => {
    expect(readList({}, 'L')).toEqual([]);
    expect(readList({ NODE_ENV: 'development' }, 'L', 'x,y')).toEqual(['x', 'y']);
    expect(failure(() => readList({ NODE_ENV: 'production' }, 'L', 'x,y')).message).toBe(
      'Invalid configuration: L is required in production mode',
    );
  });
});

describe('readHostPortList', () => {
  it('accepts host names, IPv4 and bracketed IPv6 with a port', () => {
    expect(readHostPortList({ B: 'kafka:9092, 10.0.0.1:29092,[::1]:9092' }, 'B')).toEqual([
      'kafka:9092',
      '10.0.0.1:29092',
      '[::1]:9092',
    ]);
  });

  it.each(['kafka', 'kafka:0', 'kafka:65536', 'http://kafka:9092'])('refuses %j naming the entry', (entry) => {
    expect(failure(() => readHostPortList({ B: entry }, 'B')).message).toBe(
      `Invalid configuration: B must be a comma-separated list of host:port (bad entry "${entry}")`,
    );
  });

  it('refuses a list with no entry', () => {
    expect(failure(() => readHostPortList({ B: ' , ' }, 'B')).message).toBe(
      'Invalid configuration: B must list at least one host:port',
    );
  });
});

describe('readOrigins', () => {
  it('keeps exact origins (a trailing slash is tolerated)', () => {
    expect(readOrigins({ O: 'https://bank.example/, http://127.0.0.1:8080' }, 'O', '')).toEqual([
      'https://bank.example',
      'http://127.0.0.1:8080',
    ]);
  });

  it.each(['https://bank.example/app', 'ftp://bank.example', 'bank.example'])(
    'refuses %j, which is no origin',
    (entry) => {
      expect(failure(() => readOrigins({ O: entry }, 'O', '')).message).toBe(
        `Invalid configuration: O must be a comma-separated list of origins like https://bank.example (bad entry "${entry}")`,
      );
    },
  );
});

describe('readAddressList', () => {
  it('matches single addresses and CIDR ranges of both families', () => {
    const list = readAddressList({ A: '127.0.0.1, 10.0.0.0/8, ::1, fd00::/8' }, 'A');
    expect(list.check('127.0.0.1', 'ipv4')).toBe(true);
    expect(list.check('10.1.2.3', 'ipv4')).toBe(true);
    expect(list.check('11.0.0.1', 'ipv4')).toBe(false);
    expect(list.check('::1', 'ipv6')).toBe(true);
    expect(list.check('fd12::1', 'ipv6')).toBe(true);
    expect(list.check('fe80::1', 'ipv6')).toBe(false);
  });

  it.each(['localhost', '10.0.0.0/33', '::1/129', '10.0.0.0/x'])('refuses %j naming the entry', (entry) => {
    expect(failure(() => readAddressList({ A: entry }, 'A')).message).toBe(
      `Invalid configuration: A must be a comma-separated list of IP addresses or CIDR ranges (bad entry "${entry}")`,
    );
  });
});
