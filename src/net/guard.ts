/**
 * The address guard: refuses loopback, private, link-local, unique-local and cloud-metadata
 * addresses. It runs inside the undici connector, on the address each connection actually uses,
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

const guardedRanges = new Set([
  'unspecified',
  'broadcast',
  'multicast',
  'linkLocal', // includes the cloud metadata address 169.254.169.254
  'loopback',
  'carrierGradeNat',
  'private',
  'uniqueLocal', // includes the cloud metadata address fd00:ec2::254
]);

/** The default guard: true for loopback, private, link-local, unique-local and similar addresses. */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  if (!ipaddr.isValid(bare)) return false;
  // `process` turns an IPv4-mapped IPv6 address (`::ffff:10.0.0.1`) into its IPv4 form.
  return guardedRanges.has(ipaddr.process(bare).range());
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
