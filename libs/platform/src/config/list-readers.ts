import { BlockList, isIP } from 'node:net';
import { ConfigValidationError } from './config-validation.error';
import { type Env, readOptional, readString } from './env-readers';

/**
 * Readers of comma-separated settings. Each checks every entry and names the bad one (never a
 * secret: none of these lists holds one), so start-up fails on one line that says what to fix.
 */

/** Comma-separated items, trimmed, empty ones dropped; unset is an empty list unless a development default is given. */
export function readList(env: Env, name: string, devDefault?: string): string[] {
  const raw = devDefault === undefined ? (readOptional(env, name) ?? '') : readString(env, name, devDefault);
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** Comma-separated host:port pairs, such as KAFKA_BROKERS. */
export function readHostPortList(env: Env, name: string, devDefault?: string): string[] {
  const raw = readString(env, name, devDefault);
  const items = raw
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  for (const item of items) {
    const match = /^([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\]):(\d{1,5})$/.exec(item);
    if (!match || Number(match[2]) < 1 || Number(match[2]) > 65535) {
      throw new ConfigValidationError(name, `must be a comma-separated list of host:port (bad entry "${item}")`);
    }
  }
  if (items.length === 0) throw new ConfigValidationError(name, 'must list at least one host:port');
  return items;
}

/** Exact origins (scheme://host[:port]) such as a browser sends in `Origin`. */
export function readOrigins(env: Env, name: string, devDefault: string): string[] {
  return readList(env, name, devDefault).map((item) => {
    let url: URL | undefined;
    try {
      url = new URL(item);
    } catch {
      url = undefined;
    }
    if (!url || !['http:', 'https:'].includes(url.protocol) || url.origin !== item.replace(/\/$/, '')) {
      throw new ConfigValidationError(
        name,
        `must be a comma-separated list of origins like https://bank.example (bad entry "${item}")`,
      );
    }
    return url.origin;
  });
}

/** IP addresses and CIDR ranges, as a BlockList (node:net) for fast membership checks. */
export function readAddressList(env: Env, name: string, devDefault?: string): BlockList {
  const list = new BlockList();
  for (const item of readList(env, name, devDefault)) {
    const [address = '', prefix] = item.split('/'); // split() always yields a first element
    const family = isIP(address);
    const bits = prefix === undefined ? undefined : Number(prefix);
    const maxBits = family === 6 ? 128 : 32;
    if (!family || (prefix !== undefined && (!/^\d+$/.test(prefix) || Number(prefix) > maxBits))) {
      throw new ConfigValidationError(
        name,
        `must be a comma-separated list of IP addresses or CIDR ranges (bad entry "${item}")`,
      );
    }
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, bits, type);
  }
  return list;
}
