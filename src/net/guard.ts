/**
 * The address guard: refuses every address that is not globally reachable (loopback, private,
 * link-local, unique-local, cloud metadata, documentation, reserved, multicast and the rest of the
 * IANA special-purpose registries), also when it is embedded in an IPv6 address. It runs inside the undici connector, on the address each connection actually uses,
 * so a public name that resolves to `10.x` and a redirect to `127.0.0.1` are both caught.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { buildConnector } from 'undici';
import type { IsPrivate, Lookup, LookupAddress } from './types.js';

/** Raised instead of connecting to a guarded address. */
export class PrivateAddressError extends Error {
  override readonly name = 'PrivateAddressError';

  /** Creates the error for `address`, reached through `hostname`. */
  constructor(
    readonly hostname: string,
    readonly address: string,
  ) {
    super(`Refusing to connect to private address ${address} of ${hostname}`);
  }
}

/**
 * Special-purpose blocks that are not globally reachable (the IANA IPv4 and IPv6 special-purpose
 * address registries, "Globally Reachable: False"), plus multicast, which no web page lives on.
 * Blocks that embed an IPv4 address (IPv4-mapped, -translated and -compatible, NAT64, 6to4,
 * Teredo) are classified by the embedded address instead; see {@link isPrivateAddress}.
 */
const guardedV4 = [
  '0.0.0.0/8', // "this network"
  '10.0.0.0/8', // private
  '100.64.0.0/10', // shared address space (carrier-grade NAT)
  '127.0.0.0/8', // loopback
  '169.254.0.0/16', // link-local, includes the cloud metadata address 169.254.169.254
  '172.16.0.0/12', // private
  '192.0.0.0/24', // IETF protocol assignments (but see the exceptions below)
  '192.0.2.0/24', // documentation (TEST-NET-1)
  '192.88.99.0/24', // deprecated 6to4 relay anycast
  '192.168.0.0/16', // private
  '198.18.0.0/15', // benchmarking
  '198.51.100.0/24', // documentation (TEST-NET-2)
  '203.0.113.0/24', // documentation (TEST-NET-3)
  '224.0.0.0/4', // multicast
  '240.0.0.0/4', // reserved, includes the limited broadcast address 255.255.255.255
].map((cidr) => ipaddr.IPv4.parseCIDR(cidr));

/** Globally reachable single addresses inside a guarded IPv4 block. */
const reachableV4 = ['192.0.0.9/32', '192.0.0.10/32'].map((cidr) => ipaddr.IPv4.parseCIDR(cidr));

const guardedV6 = [
  '::/128', // unspecified
  '::1/128', // loopback
  '64:ff9b:1::/48', // local-use IPv4/IPv6 translation
  '100::/64', // discard-only
  '100:0:0:1::/64', // dummy IPv6 prefix
  '2001::/23', // IETF protocol assignments (but see the exceptions below)
  '2001:db8::/32', // documentation
  '3fff::/20', // documentation
  '5f00::/16', // segment routing SIDs
  'fc00::/7', // unique local, includes the cloud metadata address fd00:ec2::254
  'fe80::/10', // link-local
  'fec0::/10', // deprecated site-local
  'ff00::/8', // multicast
].map((cidr) => ipaddr.IPv6.parseCIDR(cidr));

/** Globally reachable blocks inside `2001::/23`. */
const reachableV6 = [
  '2001:1::1/128', // port control protocol anycast
  '2001:1::2/128', // traversal using relays around NAT anycast
  '2001:1::3/128', // DNS-SD service registration protocol anycast
  '2001:3::/32', // AMT
  '2001:4:112::/48', // AS112-v6
  '2001:20::/28', // ORCHIDv2
  '2001:30::/28', // drone remote ID protocol entity tags
].map((cidr) => ipaddr.IPv6.parseCIDR(cidr));

type Cidr<T> = [T, number];

function within<T extends ipaddr.IPv4 | ipaddr.IPv6>(address: T, blocks: readonly Cidr<T>[]): boolean {
  return blocks.some((block) => address.match(block));
}

function v4From(high: number, low: number): ipaddr.IPv4 {
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}

function isGuardedV4(address: ipaddr.IPv4): boolean {
  return within(address, guardedV4) && !within(address, reachableV4);
}

/** The IPv4 addresses an IPv6 address carries and is classified by, when it carries any. */
function embeddedV4(address: ipaddr.IPv6): ipaddr.IPv4[] | undefined {
  const p = address.parts;
  const last = v4From(p[6] ?? 0, p[7] ?? 0);
  const zeroUntil = (n: number): boolean => p.slice(0, n).every((part) => part === 0);
  // IPv4-mapped ::ffff:a.b.c.d and IPv4-translated ::ffff:0:a.b.c.d
  if (zeroUntil(5) && p[5] === 0xffff) return [last];
  if (zeroUntil(4) && p[4] === 0xffff && p[5] === 0) return [last];
  // Deprecated IPv4-compatible ::a.b.c.d (`::` and `::1` have their own entries)
  if (zeroUntil(6) && ((p[6] ?? 0) !== 0 || (p[7] ?? 0) > 1)) return [last];
  // NAT64 well-known prefix 64:ff9b::/96
  if (p[0] === 0x64 && p[1] === 0xff9b && p.slice(2, 6).every((part) => part === 0)) return [last];
  // 6to4 2002:a.b.c.d::/48
  if (p[0] === 0x2002) return [v4From(p[1] ?? 0, p[2] ?? 0)];
  // Teredo 2001:0:<server v4>:<flags>:<port>:<client v4 xor 0xffffffff>
  if (p[0] === 0x2001 && p[1] === 0) {
    return [v4From(p[2] ?? 0, p[3] ?? 0), v4From((p[6] ?? 0) ^ 0xffff, (p[7] ?? 0) ^ 0xffff)];
  }
  return undefined;
}

/**
 * The default guard: true for every address that is not globally reachable (loopback, private,
 * link-local, unique-local, shared, documentation, benchmarking, reserved, multicast, broadcast),
 * including such an IPv4 address embedded in an IPv6 one (`::ffff:10.0.0.1`, `[::7f00:1]`,
 * `64:ff9b::a00:1`, `2002:c0a8:1::`). Accepts brackets; false for anything that is not an address.
 */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (!ipaddr.isValid(bare)) return false;
  const parsed = ipaddr.parse(bare);
  if (parsed.kind() === 'ipv4') return isGuardedV4(parsed as ipaddr.IPv4);
  const v6 = parsed as ipaddr.IPv6;
  const embedded = embeddedV4(v6);
  if (embedded !== undefined) return embedded.some(isGuardedV4);
  return within(v6, guardedV6) && !within(v6, reachableV6);
}

/** Resolves through the system resolver, every address. */
export const systemLookup: Lookup = async (hostname) => {
  const addresses = await dnsLookup(hostname, { all: true, verbatim: true });
  return addresses.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
};

/** What the guarded connector needs. */
export interface ConnectorOptions {
  readonly connectTimeout: number;
  readonly insecure: boolean;
  readonly allowPrivate: boolean;
  readonly lookup: Lookup;
  readonly isPrivate: IsPrivate;
}

/** Adapts a promise-based {@link Lookup} to Node's callback `lookup`, dropping guarded addresses. */
function guardedLookup(options: ConnectorOptions): LookupFunction {
  return (hostname, lookupOptions, callback) => {
    options.lookup(hostname).then(
      (found) => {
        const allowed = options.allowPrivate ? found : found.filter(({ address }) => !options.isPrivate(address));
        const first: LookupAddress | undefined = allowed[0];
        if (first === undefined) {
          const error =
            found[0] === undefined
              ? Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname })
              : new PrivateAddressError(hostname, found[0].address);
          callback(error, '', 4);
        } else if (lookupOptions.all === true) {
          // Node's typings describe only the single-address form of the callback.
          (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, [...allowed]);
        } else {
          callback(null, first.address, first.family);
        }
      },
      (error: unknown) => callback(error as NodeJS.ErrnoException, '', 4),
    );
  };
}

/**
 * Builds an undici connector that resolves names through the injected lookup and never connects
 * to a guarded address, unless `allowPrivate` is set.
 */
export function createGuardedConnector(options: ConnectorOptions): buildConnector.connector {
  const base = buildConnector({
    timeout: options.connectTimeout,
    rejectUnauthorized: !options.insecure,
    lookup: guardedLookup(options),
  });
  if (options.allowPrivate) return base;
  return (connectOptions, callback) => {
    const hostname = connectOptions.hostname.replace(/^\[|\]$/g, '');
    // Node skips `lookup` for IP literals, so check those before connecting.
    if (isIP(hostname) !== 0 && options.isPrivate(hostname)) {
      callback(new PrivateAddressError(hostname, hostname), null);
      return;
    }
    base(connectOptions, (...args) => {
      const [error, socket] = args;
      const remote = socket?.remoteAddress;
      if (error === null && remote !== undefined && options.isPrivate(remote)) {
        // A second look at the address the socket really reached.
        socket.destroy();
        callback(new PrivateAddressError(hostname, remote), null);
        return;
      }
      callback(...args);
    });
  };
}
