import { BlockList, isIP } from 'node:net';
import { ConfigValidationError, Env, isProduction, readOptional, readString, refuseDevelopmentSecret } from '@zt/platform';

/** Readers the platform does not have; each failure is one line naming the variable. */

export function readList(env: Env, name: string, devDefault?: string): string[] {
  const raw = devDefault === undefined ? (readOptional(env, name) ?? '') : readString(env, name, devDefault);
  return raw.split(',').map((item) => item.trim()).filter(Boolean);
}

export function readInt(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigValidationError(name, `must be an integer from ${min} to ${max} (got "${raw}")`);
  }
  return Number(raw);
}

export function readBoolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigValidationError(name, `must be true or false (got "${raw}")`);
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
      throw new ConfigValidationError(name, `must be a comma-separated list of origins like https://bank.example (bad entry "${item}")`);
    }
    return url.origin;
  });
}

/** IP addresses and CIDR ranges, as a BlockList (node:net) for fast membership checks. */
export function readAddressList(env: Env, name: string, devDefault?: string): BlockList {
  const list = new BlockList();
  for (const item of readList(env, name, devDefault)) {
    const [address, prefix] = item.split('/');
    const family = isIP(address);
    const bits = prefix === undefined ? undefined : Number(prefix);
    const maxBits = family === 6 ? 128 : 32;
    if (!family || (bits !== undefined && (!/^\d+$/.test(prefix) || bits > maxBits))) {
      throw new ConfigValidationError(name, `must be a comma-separated list of IP addresses or CIDR ranges (bad entry "${item}")`);
    }
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, bits, type);
  }
  return list;
}

/**
 * A base64 key of exactly `bytes` bytes; the value itself never appears in the error. In
 * production the development key is refused, even when copied into the environment.
 */
export function readKey(env: Env, name: string, bytes: number, devDefault: string): Buffer {
  const raw = readString(env, name, devDefault);
  if (isProduction(env)) refuseDevelopmentSecret(name, raw, devDefault, 0);
  const key = Buffer.from(raw, 'base64');
  if (key.length !== bytes || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(raw)) {
    throw new ConfigValidationError(name, `must be ${bytes} random bytes in base64 (e.g. openssl rand -base64 ${bytes})`);
  }
  return key;
}
