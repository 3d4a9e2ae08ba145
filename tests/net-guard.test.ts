import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUrlChecker, isPrivateAddress, type Lookup, type NetConfig } from '../src/net/index.js';
import { testNetConfig } from './helpers/net-config.js';
import { startServer, type TestServer } from './helpers/server.js';

const config = testNetConfig({ allowPrivate: false });

/** In these tests only 127.0.0.3 counts as private, so the allowed host can stay on loopback too. */
const isPrivate = (address: string): boolean => address === '127.0.0.3';

const names: Record<string, string> = { 'allowed.test': '127.0.0.1', 'guarded.test': '127.0.0.3' };
const lookup: Lookup = async (hostname) => {
  const address = names[hostname];
  if (address === undefined) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  return [{ address, family: 4 }];
};

let allowed: TestServer;
let guarded: TestServer;
let secure: TestServer;

beforeAll(async () => {
  allowed = await startServer();
  guarded = await startServer({ host: '127.0.0.3' });
  secure = await startServer({ tls: true });
});

afterAll(async () => {
  await Promise.all([allowed.close(), guarded.close(), secure.close()]);
});

async function checkOnce(url: string, overrides: Partial<NetConfig> = {}) {
  const checker = createUrlChecker({ config: { ...config, ...overrides }, userAgent: 'waymark/test', lookup, isPrivate });
  try {
    return await checker.check(url);
  } finally {
    await checker.close();
  }
}

describe('address guard', () => {
  it('never connects to a guarded address', async () => {
    const result = await checkOnce(guarded.url('/ok?direct'));
    expect(result.status).toEqual({ kind: 'unverifiable', reason: 'private-address' });
    expect(guarded.log).toHaveLength(0);
  });

  it('refuses a redirect from an allowed host to a guarded one', async () => {
    const result = await checkOnce(allowed.url(`/redirect/302?to=${encodeURIComponent(guarded.url('/ok?hop'))}`));
    expect(result.status).toEqual({ kind: 'unverifiable', reason: 'private-address' });
    expect(allowed.count('/redirect/302')).toBe(1);
    expect(guarded.log).toHaveLength(0);
  });

  it('refuses a name that resolves to a guarded address', async () => {
    const result = await checkOnce(`http://guarded.test:${guarded.port}/ok?name`);
    expect(result.status).toEqual({ kind: 'unverifiable', reason: 'private-address' });
    expect(guarded.log).toHaveLength(0);
  });

  it('connects to a name that resolves to an allowed address', async () => {
    const result = await checkOnce(`http://allowed.test:${allowed.port}/ok?name`);
    expect(result.status).toEqual({ kind: 'ok', status: 200, redirects: [] });
    expect(allowed.log.filter((record) => record.path === '/ok?name')).toHaveLength(1);
  });

  it('reports a name that does not resolve as a DNS error', async () => {
    const result = await checkOnce(`http://gone.test:${allowed.port}/`);
    expect(result.status.kind === 'net-error' && result.status.error.kind).toBe('dns');
  });

  it('lets allowPrivate turn the guard off, redirects included', async () => {
    const target = guarded.url('/ok?allowed');
    const result = await checkOnce(allowed.url(`/redirect/302?to=${encodeURIComponent(target)}`), { allowPrivate: true });
    expect(result.status.kind).toBe('ok');
    expect(guarded.log.map((record) => record.path)).toEqual(['/ok?allowed']);
  });
});

describe('TLS', () => {
  it('marks a self-signed certificate as unverifiable with a tls error', async () => {
    const result = await checkOnce(secure.url('/ok'), { allowPrivate: true });
    expect(result.status).toEqual({ kind: 'unverifiable', reason: 'tls' });
    expect(result.error?.kind).toBe('tls');
    expect(result.error?.code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
  });

  it('accepts the certificate with insecure', async () => {
    const result = await checkOnce(secure.url('/ok?insecure'), { allowPrivate: true, insecure: true });
    expect(result.status).toEqual({ kind: 'ok', status: 200, redirects: [] });
  });

  it('classifies a TLS handshake with a plain HTTP server as tls', async () => {
    const result = await checkOnce(allowed.url('/ok').replace('http:', 'https:'), { allowPrivate: true });
    expect(result.status).toEqual({ kind: 'unverifiable', reason: 'tls' });
    expect(result.error?.kind).toBe('tls');
  });
});

describe('isPrivateAddress', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fe80::1',
    'fd00:ec2::254',
    'fc00::1',
    '::ffff:10.0.0.1',
    '[::1]',
  ])('guards %s', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(['8.8.8.8', '140.82.112.3', '2606:4700::1111', '::ffff:8.8.8.8', 'example.test'])('allows %s', (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });
});
