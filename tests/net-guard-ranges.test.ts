/**
 * The address guard against every block of the IANA IPv4 and IPv6 special-purpose address
 * registries (https://www.iana.org/assignments/iana-ipv4-special-registry and
 * iana-ipv6-special-registry), by their "Globally Reachable" column, and against IPv4 addresses
 * embedded in IPv6 ones.
 */
import ipaddr from 'ipaddr.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUrlChecker, isPrivateAddress } from '../src/net/index.js';
import { testNetConfig } from './helpers/net-config.js';
import { startServer, type TestServer } from './helpers/server.js';

/** [block, globally reachable] as the registries list them. */
const ipv4Registry: readonly [string, boolean][] = [
  ['0.0.0.0/8', false], // "this network"
  ['0.0.0.0/32', false], // "this host"
  ['10.0.0.0/8', false], // private-use
  ['100.64.0.0/10', false], // shared address space
  ['127.0.0.0/8', false], // loopback
  ['169.254.0.0/16', false], // link local
  ['172.16.0.0/12', false], // private-use
  ['192.0.0.0/24', false], // IETF protocol assignments
  ['192.0.0.0/29', false], // IPv4 service continuity prefix
  ['192.0.0.8/32', false], // IPv4 dummy address
  ['192.0.0.9/32', true], // port control protocol anycast
  ['192.0.0.10/32', true], // traversal using relays around NAT anycast
  ['192.0.0.170/32', false], // NAT64/DNS64 discovery
  ['192.0.0.171/32', false], // NAT64/DNS64 discovery
  ['192.0.2.0/24', false], // documentation (TEST-NET-1)
  ['192.31.196.0/24', true], // AS112-v4
  ['192.52.193.0/24', true], // AMT
  ['192.88.99.0/24', false], // deprecated 6to4 relay anycast
  ['192.168.0.0/16', false], // private-use
  ['192.175.48.0/24', true], // direct delegation AS112 service
  ['198.18.0.0/15', false], // benchmarking
  ['198.51.100.0/24', false], // documentation (TEST-NET-2)
  ['203.0.113.0/24', false], // documentation (TEST-NET-3)
  ['240.0.0.0/4', false], // reserved
  ['255.255.255.255/32', false], // limited broadcast
  ['224.0.0.0/4', false], // multicast (its own registry; never a web page)
];

const ipv6Registry: readonly [string, boolean][] = [
  ['::1/128', false], // loopback
  ['::/128', false], // unspecified
  ['::ffff:0:0/96', false], // IPv4-mapped (classified by the embedded address; see below)
  ['64:ff9b:1::/48', false], // local-use IPv4/IPv6 translation
  ['100::/64', false], // discard-only
  ['100:0:0:1::/64', false], // dummy IPv6 prefix
  ['2001::/23', false], // IETF protocol assignments
  ['2001:1::1/128', true], // port control protocol anycast
  ['2001:1::2/128', true], // TURN anycast
  ['2001:1::3/128', true], // DNS-SD service registration protocol anycast
  ['2001:2::/48', false], // benchmarking
  ['2001:3::/32', true], // AMT
  ['2001:4:112::/48', true], // AS112-v6
  ['2001:10::/28', false], // deprecated ORCHID
  ['2001:20::/28', true], // ORCHIDv2
  ['2001:30::/28', true], // drone remote ID protocol entity tags
  ['2001:db8::/32', false], // documentation
  ['3fff::/20', false], // documentation
  ['5f00::/16', false], // segment routing SIDs
  ['fc00::/7', false], // unique-local
  ['fe80::/10', false], // link-local unicast
  ['ff00::/8', false], // multicast (its own registry)
];

/** The first and the last address of a block, and one in the middle. */
function samples(cidr: string): string[] {
  const isV4 = cidr.includes('.');
  const family = isV4 ? ipaddr.IPv4 : ipaddr.IPv6;
  const first = family.networkAddressFromCIDR(cidr);
  const last = family.broadcastAddressFromCIDR(cidr);
  const middle = first.toByteArray().map((byte, index) => (byte + (last.toByteArray()[index] ?? 0)) >> 1);
  return [first.toString(), ipaddr.fromByteArray(middle).toString(), last.toString()];
}

describe('isPrivateAddress against the IANA special-purpose registries', () => {
  it.each(ipv4Registry)('IPv4 %s (globally reachable: %s)', (cidr, reachable) => {
    if (cidr === '192.0.0.0/24') {
      // Blocks holding reachable exceptions: their non-excepted ends are guarded.
      expect(isPrivateAddress(cidr.split('/')[0] ?? '')).toBe(true);
      return;
    }
    for (const address of samples(cidr)) expect([address, isPrivateAddress(address)]).toEqual([address, !reachable]);
  });

  it.each(ipv6Registry)('IPv6 %s (globally reachable: %s)', (cidr, reachable) => {
    if (cidr === '2001::/23' || cidr === '::ffff:0:0/96') {
      // 2001::/23 holds reachable exceptions and Teredo; ::ffff:0:0/96 follows its embedded address.
      expect(isPrivateAddress(cidr === '2001::/23' ? '2001:1ff::1' : '::ffff:127.0.0.1')).toBe(true);
      return;
    }
    for (const address of samples(cidr)) expect([address, isPrivateAddress(address)]).toEqual([address, !reachable]);
  });

  it.each(['8.8.8.8', '1.1.1.1', '140.82.112.3', '100.63.255.255', '100.128.0.0', '198.17.255.255', '198.20.0.0', '223.255.255.255'])(
    'allows the public IPv4 address %s',
    (address) => expect(isPrivateAddress(address)).toBe(false),
  );

  it.each(['2606:4700::1111', '2a00:1450:4001::200e', '2001:200::1', '2001:db7:ffff::1', '2001:db9::1'])(
    'allows the public IPv6 address %s',
    (address) => expect(isPrivateAddress(address)).toBe(false),
  );
});

describe('isPrivateAddress on IPv4 embedded in IPv6', () => {
  it.each([
    ['::7f00:1', 'IPv4-compatible 127.0.0.1'],
    ['[::7f00:1]', 'IPv4-compatible, bracketed'],
    ['::127.0.0.1', 'IPv4-compatible, dotted'],
    ['::a00:1', 'IPv4-compatible 10.0.0.1'],
    ['::ffff:7f00:1', 'IPv4-mapped 127.0.0.1, hex'],
    ['::ffff:192.168.0.1', 'IPv4-mapped 192.168.0.1'],
    ['::ffff:0:10.0.0.1', 'IPv4-translated 10.0.0.1'],
    ['::ffff:0:a9fe:a9fe', 'IPv4-translated 169.254.169.254'],
    ['64:ff9b::10.0.0.1', 'NAT64 10.0.0.1'],
    ['64:ff9b::7f00:1', 'NAT64 127.0.0.1'],
    ['64:ff9b::c000:201', 'NAT64 192.0.2.1 (documentation)'],
    ['64:ff9b:1::808:808', 'local-use NAT64, whatever it embeds'],
    ['2002:7f00:1::', '6to4 127.0.0.1'],
    ['2002:c0a8:101::1', '6to4 192.168.1.1'],
    ['2002:a9fe:a9fe::', '6to4 169.254.169.254'],
    ['2001:0:4136:e378:8000:63bf:f5ff:fffe', 'Teredo with client 10.0.0.1'],
    ['2001:0:c0a8:101:8000:63bf:f7f7:f7f7', 'Teredo with server 192.168.1.1'],
  ])('guards %s (%s)', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each([
    ['::ffff:8.8.8.8', 'IPv4-mapped public'],
    ['::808:808', 'IPv4-compatible public'],
    ['64:ff9b::808:808', 'NAT64 public'],
    ['64:ff9b::8.8.8.8', 'NAT64 public, dotted'],
    ['2002:808:808::1', '6to4 public'],
    ['2001:0:4136:e378:8000:63bf:f7f7:f7f7', 'Teredo with public server and client'],
  ])('allows %s (%s)', (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });
});

describe('the default guard in the engine', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it.each(['[::7f00:1]', '[::ffff:7f00:1]', '[::ffff:0:7f00:1]', '[64:ff9b::7f00:1]', '[2002:7f00:1::1]'])(
    'never connects to %s',
    async (host) => {
      const checker = createUrlChecker({ config: testNetConfig({ allowPrivate: false }), userAgent: 'waymark/test' });
      try {
        const before = server.log.length;
        const result = await checker.check(`http://${host}:${server.port}/ok`);
        expect(result.status).toEqual({ kind: 'unverifiable', reason: 'private-address' });
        expect(result.requests).toBe(1);
        expect(server.log.length).toBe(before);
      } finally {
        await checker.close();
      }
    },
  );
});
