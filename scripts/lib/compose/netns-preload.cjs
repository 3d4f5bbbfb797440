// Loaded into every Node process of the compose deployment (NODE_OPTIONS=--require) by
// scripts/compose.mjs, in place of the network namespace Docker would give each container:
// - the compose service names resolve to the loopback address the runner gave each service,
//   as Docker's embedded DNS does (dns.lookup, dns.promises.lookup and net connects);
// - "localhost", 127.0.0.1 and ::1 mean the container itself, i.e. this service's own address,
//   so a setting that only works on the host (e.g. an issuer URL on localhost) fails here as it
//   would in a container;
// - a listen on every interface (0.0.0.0, ::, no host) binds this service's own address only.
// The runner's settings come from the file named by COMPOSE_NETNS_FILE; nothing here is a
// compose setting. This is the runner's stand-in for a network namespace, not platform code.
'use strict';
const dns = require('node:dns');
const net = require('node:net');
const { readFileSync } = require('node:fs');

const { self, hosts } = JSON.parse(readFileSync(process.env.COMPOSE_NETNS_FILE, 'utf8'));
const own = hosts[self];
const LOCAL = new Set(['localhost', '127.0.0.1', '::1', '[::1]', '::ffff:127.0.0.1']);
const ANY = new Set(['0.0.0.0', '::', '[::]', '']);

/** The address a host name or IP means inside this service's namespace; undefined: leave it alone. */
function resolve(host) {
  if (typeof host !== 'string') return undefined;
  const name = host.toLowerCase().replace(/\.$/, '');
  if (LOCAL.has(name)) return own;
  return Object.hasOwn(hosts, name) ? hosts[name] : undefined;
}

function answer(address, options) {
  const all = typeof options === 'object' && options?.all;
  return all ? [{ address, family: 4 }] : { address, family: 4 };
}

const originalLookup = dns.lookup;
dns.lookup = function lookup(hostname, options, callback) {
  const address = resolve(hostname);
  if (address === undefined) return originalLookup.apply(this, arguments);
  const cb = typeof options === 'function' ? options : callback;
  const result = answer(address, options);
  process.nextTick(() => (Array.isArray(result) ? cb(null, result) : cb(null, result.address, result.family)));
  return {};
};

const originalPromisesLookup = dns.promises.lookup;
dns.promises.lookup = async function lookup(hostname, options) {
  const address = resolve(hostname);
  if (address === undefined) return originalPromisesLookup.call(this, hostname, options);
  return answer(address, options);
};

// net.connect with an IP literal never asks dns.lookup: map those here as well.
const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function connect(...args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (first && typeof first === 'object' && first.path === undefined) {
    const address = resolve(first.host ?? 'localhost');
    if (address !== undefined) {
      const options = { ...first, host: address };
      delete options.lookup;
      if (Array.isArray(args[0])) {
        // net.connect() passes its normalized arguments as an array tagged with a symbol: keep it.
        const normalized = [options, ...args[0].slice(1)];
        for (const symbol of Object.getOwnPropertySymbols(args[0])) normalized[symbol] = args[0][symbol];
        args[0] = normalized;
      } else {
        args[0] = options;
      }
    }
  } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    const address = resolve(typeof args[1] === 'string' ? args[1] : 'localhost');
    if (address !== undefined) {
      if (typeof args[1] === 'string') args[1] = address;
      else args.splice(1, 0, address);
    }
  }
  return originalConnect.apply(this, args);
};

// A listen on every interface is a listen on the container's own interface.
const originalListen = net.Server.prototype.listen;
net.Server.prototype.listen = function listen(...args) {
  const first = args[0];
  if (
    first &&
    typeof first === 'object' &&
    !(first instanceof net.Server) &&
    first.path === undefined &&
    first.handle === undefined &&
    first.fd === undefined
  ) {
    if (first.host === undefined || ANY.has(first.host)) args[0] = { ...first, host: own, ipv6Only: false };
  } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    if (typeof args[1] !== 'string') args.splice(1, 0, own);
    else if (ANY.has(args[1])) args[1] = own;
  }
  return originalListen.apply(this, args);
};
