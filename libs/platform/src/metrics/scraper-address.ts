import { BlockList, isIPv6 } from 'node:net';

/**
 * Whether the peer may scrape. The socket's address only: internal apps sit behind no proxy, so
 * an `X-Forwarded-For` header is a claim anyone can make and is never read here.
 */
export function isAllowedScraper(remoteAddress: string | undefined, allowed: BlockList): boolean {
  if (!remoteAddress) return false;
  // `::ffff:1.2.3.4` is IPv4 on a dual-stack socket.
  const address =
    remoteAddress.startsWith('::ffff:') && remoteAddress.includes('.') ? remoteAddress.slice(7) : remoteAddress;
  try {
    return allowed.check(address, isIPv6(address) ? 'ipv6' : 'ipv4');
  } catch {
    return false;
  }
}
