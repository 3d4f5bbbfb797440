import type { IncomingMessage } from 'node:http';
import { BlockList, isIPv6 } from 'node:net';

/**
 * The real client address. `X-Forwarded-For` is believed only hop by hop from the right, and
 * only while each hop is a configured trusted proxy (GATEWAY_TRUSTED_PROXIES): otherwise any
 * client could name any address and escape its per-IP rate limit.
 */
export function clientIp(req: IncomingMessage, trustedProxies: BlockList): string {
  let address = normalize(req.socket.remoteAddress ?? '');
  if (!trustsAnyProxy(trustedProxies) || !isTrusted(address, trustedProxies)) return address;
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((h) => normalize(h.trim()))
    .filter(Boolean);
  while (hops.length > 0 && isTrusted(address, trustedProxies)) address = hops.pop() as string;
  return address;
}

const HAS_RULES = new WeakMap<BlockList, boolean>();

/** Most gateways trust no proxy: then the socket address is the answer, with no list look-up. */
function trustsAnyProxy(list: BlockList): boolean {
  let any = HAS_RULES.get(list);
  if (any === undefined) HAS_RULES.set(list, (any = list.rules.length > 0));
  return any;
}

function isTrusted(address: string, trusted: BlockList): boolean {
  try {
    return trusted.check(address, isIPv6(address) ? 'ipv6' : 'ipv4');
  } catch {
    return false;
  }
}

/** `::ffff:1.2.3.4` (IPv4 on a dual-stack socket) is 1.2.3.4. */
function normalize(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

export function isAllowedAddress(address: string, list: BlockList): boolean {
  return isTrusted(address, list);
}
