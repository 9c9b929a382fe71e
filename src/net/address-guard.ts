// Where this service may connect when a URL comes from someone else (a document source, an SNS
// certificate or subscription URL): only to public unicast addresses. A host is resolved once, every
// address it resolves to is checked, and the connection is pinned to those vetted addresses (the
// `lookup` handed to the request answers with them), so a second DNS answer can never redirect it.
// The ranges are Node's own `net.BlockList`; nothing here parses addresses by hand.
import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP, type LookupFunction } from 'node:net';

export interface ResolvedAddress {
  address: string;
  /** 4 or 6. */
  family: number;
}

/** Every address of a host name (DNS, /etc/hosts). Tests inject one instead of using real DNS. */
export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>;

export interface AddressPolicy {
  /** Loopback (127.0.0.0/8, ::1 and their IPv6 forms) accepted too: tests and ONBOARDING_ENV=local only, never a default. */
  allowLoopback?: boolean;
  /** Default: the system resolver (`dns.lookup`, every address). */
  resolve?: HostResolver;
}

/** The host may not be connected to: it resolved to a non-public address, or did not resolve at all. */
export class AddressNotAllowed extends Error {
  override readonly name = 'AddressNotAllowed';
  readonly code = 'EADDRNOTALLOWED';
}

// IPv4 ranges that are not public unicast (IANA special-purpose registry, RFC 6890 and successors).
const IPV4_NOT_PUBLIC: [string, number][] = [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8], // private (RFC 1918)
  ['100.64.0.0', 10], // shared address space, CGNAT (RFC 6598)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata services
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation (TEST-NET-1)
  ['192.31.196.0', 24], // AS112-v4
  ['192.52.193.0', 24], // AMT
  ['192.88.99.0', 24], // 6to4 relay anycast (deprecated)
  ['192.168.0.0', 16], // private
  ['192.175.48.0', 24], // AS112 direct delegation
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation (TEST-NET-2)
  ['203.0.113.0', 24], // documentation (TEST-NET-3)
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and 255.255.255.255 (broadcast)
];

// IPv6 outside global unicast is refused whole (see below); these are the parts of 2000::/3 that are
// not public either.
const IPV6_NOT_PUBLIC: [string, number][] = [
  ['2001::', 23], // IETF protocol assignments: Teredo, benchmarking, ORCHID...
  ['2001:db8::', 32], // documentation
  ['3fff::', 20], // documentation (RFC 9637)
];

// IPv6 forms that carry an IPv4 address are judged by that address: IPv4-mapped (::ffff:127.0.0.1, also
// written ::ffff:7f00:1), the NAT64 well-known prefix 64:ff9b::/96 and 6to4 (2002::/16, inside 2000::/3).
// Every other IPv6 outside global unicast (::/96 "IPv4-compatible", ::1, fc00::/7, fe80::/10, ff00::/8,
// 64:ff9b:1::/48, 100::/64, ...) is refused whole.

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');
LOOPBACK.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');

/** Public IPv6: global unicast (2000::/3), or a mapped/NAT64/6to4 form (the embedded IPv4 is checked). */
const IPV6_CANDIDATES = new BlockList();
IPV6_CANDIDATES.addSubnet('2000::', 3, 'ipv6');
IPV6_CANDIDATES.addSubnet('::ffff:0:0', 96, 'ipv6');
IPV6_CANDIDATES.addSubnet('64:ff9b::', 96, 'ipv6');

const NOT_PUBLIC = new BlockList();
for (const [net, bits] of IPV4_NOT_PUBLIC) {
  NOT_PUBLIC.addSubnet(net, bits, 'ipv4');
  const [a, b, c, d] = net.split('.').map(Number) as [number, number, number, number];
  const high = ((a << 8) | b).toString(16);
  const low = ((c << 8) | d).toString(16);
  NOT_PUBLIC.addSubnet(`::ffff:${net}`, 96 + bits, 'ipv6'); // IPv4-mapped
  NOT_PUBLIC.addSubnet(`64:ff9b::${net}`, 96 + bits, 'ipv6'); // NAT64
  NOT_PUBLIC.addSubnet(`2002:${high}:${low}::`, 16 + bits, 'ipv6'); // 6to4 (2002:AABB:CCDD::/48)
}
for (const [net, bits] of IPV6_NOT_PUBLIC) NOT_PUBLIC.addSubnet(net, bits, 'ipv6');

/** True for a public unicast address; false for anything else, including text that is not an address. */
export function isPublicAddress(address: string): boolean {
  switch (isIP(address)) {
    case 4:
      return !NOT_PUBLIC.check(address, 'ipv4');
    case 6:
      return IPV6_CANDIDATES.check(address, 'ipv6') && !NOT_PUBLIC.check(address, 'ipv6');
    default:
      return false;
  }
}

export function isLoopbackAddress(address: string): boolean {
  const family = isIP(address);
  return family !== 0 && LOOPBACK.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

const systemResolver: HostResolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** A host whose addresses were checked, and the `lookup` that connects to exactly those. */
export interface VettedHost {
  addresses: ResolvedAddress[];
  /** For `http(s).request` / axios `lookup`: answers with the vetted addresses, never asks DNS again. */
  lookup: LookupFunction;
}

/**
 * Resolves `hostname` (as `URL.hostname` gives it: IPv6 in brackets) once and checks every address.
 * Throws AddressNotAllowed when any address is not public (loopback too unless allowed), when the name
 * does not resolve, or when `signal` aborts first: one error, whatever the reason, so callers can answer
 * the same for all of them.
 */
export async function vetHost(
  hostname: string,
  policy: AddressPolicy = {},
  signal?: AbortSignal,
): Promise<VettedHost> {
  const host = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  const family = isIP(host);
  let addresses: ResolvedAddress[];
  if (family !== 0) addresses = [{ address: host, family }];
  else {
    try {
      addresses = await abortable((policy.resolve ?? systemResolver)(host), signal);
    } catch (err) {
      throw new AddressNotAllowed(`${host} did not resolve`, { cause: err });
    }
  }
  const allowed = (a: ResolvedAddress) =>
    isPublicAddress(a.address) || (policy.allowLoopback === true && isLoopbackAddress(a.address));
  if (addresses.length === 0 || !addresses.every(allowed)) {
    throw new AddressNotAllowed(`${host} resolves to an address that is not public`);
  }
  const vetted = addresses.map(({ address, family }) => ({ address, family }));
  return { addresses: vetted, lookup: pinnedLookup(host, vetted) };
}

function pinnedLookup(host: string, addresses: ResolvedAddress[]): LookupFunction {
  return ((hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (hostname !== host) {
      callback(new AddressNotAllowed(`${hostname} was not vetted`));
      return;
    }
    if (options.all) callback(null, addresses);
    else callback(null, addresses[0]!.address, addresses[0]!.family);
  }) as LookupFunction;
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
