import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectOffline, openCache, type Lookup } from '../src/net/index.js';
import { testNetConfig } from './helpers/net-config.js';
import { startServer, type TestServer } from './helpers/server.js';
import { checkLinks } from './helpers/engine.js';

const config = testNetConfig();
/** The local server stands in for public hosts, so its loopback address counts as proof of a network. */
const base = { config, userAgent: 'waymark/test', delay: async () => undefined, isPrivate: () => false };

function dnsError(hostname: string): Error {
  return Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
}

/** Resolves only the names given, to 127.0.0.1. */
function lookupOnly(...known: string[]): Lookup {
  return async (hostname) => {
    if (!known.includes(hostname)) throw dnsError(hostname);
    return [{ address: '127.0.0.1', family: 4 }];
  };
}

let server: TestServer;
let directory: string;

beforeAll(async () => {
  server = await startServer();
  directory = await mkdtemp(join(tmpdir(), 'waymark-net-'));
});

afterAll(async () => {
  await server.close();
  await rm(directory, { recursive: true, force: true });
});

describe('offline detection', () => {
  it('marks every URL offline when no name resolves, sentinels included', async () => {
    const asked: string[] = [];
    const lookup: Lookup = async (hostname) => {
      asked.push(hostname);
      throw dnsError(hostname);
    };
    const urls = [{ url: 'https://docs.example.test/a' }, { url: 'https://api.example.test/b#x' }];
    const run = await checkLinks(urls, { ...base, lookup, sentinelHosts: ['sentinel.test'] });
    expect(run.offline).toBe(true);
    expect([...run.results.values()].map((result) => [result.url, result.status, result.requests])).toEqual([
      ['https://docs.example.test/a', { kind: 'unverifiable', reason: 'offline' }, 0],
      ['https://api.example.test/b', { kind: 'unverifiable', reason: 'offline' }, 0],
    ]);
    expect(asked.sort()).toEqual(['api.example.test', 'docs.example.test', 'sentinel.test']);
  });

  it('reports a host that is gone as a DNS error when a sentinel resolves', async () => {
    const lookup = lookupOnly('sentinel.test');
    const run = await checkLinks([{ url: 'http://gone.test/' }], { ...base, lookup, sentinelHosts: ['sentinel.test'] });
    expect(run.offline).toBe(false);
    const status = run.results.get('http://gone.test/')?.status;
    expect(status?.kind === 'net-error' && status.error.kind).toBe('dns');
  });

  it('marks every URL offline when names resolve but no connection has a route', async () => {
    const probed = new Set<string>();
    const lookup: Lookup = async (hostname) => {
      if (!probed.has(hostname)) {
        probed.add(hostname); // the first lookup is the offline probe's
        return [{ address: '127.0.0.1', family: 4 }];
      }
      throw Object.assign(new Error('connect ENETUNREACH'), { code: 'ENETUNREACH' });
    };
    const run = await checkLinks([{ url: 'http://a.test/' }, { url: 'http://b.test/' }], { ...base, lookup });
    expect(run.offline).toBe(true);
    expect([...run.results.values()].map((result) => result.status)).toEqual([
      { kind: 'unverifiable', reason: 'offline' },
      { kind: 'unverifiable', reason: 'offline' },
    ]);
  });

  it('is online as soon as one linked name resolves', async () => {
    const offline = await detectOffline(['gone.test', 'here.test'], { lookup: lookupOnly('here.test'), isPrivate: () => false });
    expect(offline).toBe(false);
  });

  it('never calls a run with only IP addresses offline', async () => {
    const lookup: Lookup = async (hostname) => {
      throw dnsError(hostname);
    };
    expect(await detectOffline(['127.0.0.1', '::1'], { lookup })).toBe(false);
  });
});

describe('cache', () => {
  it('serves fresh results from the cache and re-checks expired ones', async () => {
    const path = join(directory, '.waymark', 'cache.json');
    let clock = Date.UTC(2030, 0, 1);
    const now = (): number => clock;
    const urls = [{ url: server.url('/ok?cached') }, { url: server.url('/status/404?cached') }];
    const run = async () => {
      const cache = await openCache({ path, maxAge: 86_400, now });
      return checkLinks(urls, { ...base, cache });
    };

    const first = await run();
    expect([...first.results.values()].map((result) => result.cached)).toEqual([false, false]);
    const saved: unknown = JSON.parse(await readFile(path, 'utf8'));
    expect(saved).toMatchObject({ version: 1, entries: { [server.url('/ok?cached')]: { checkedAt: clock } } });
    const requestsAfterFirst = server.log.length;

    clock += 30 * 60 * 1000; // 30 minutes: both fresh
    const second = await run();
    expect([...second.results.values()].map((result) => [result.cached, result.status.kind])).toEqual([
      [true, 'ok'],
      [true, 'http-error'],
    ]);
    expect(server.log.length).toBe(requestsAfterFirst);

    clock += 60 * 60 * 1000; // 90 minutes: the failure expired, the success did not
    const third = await run();
    expect(third.results.get(server.url('/ok?cached'))?.cached).toBe(true);
    expect(third.results.get(server.url('/status/404?cached'))?.cached).toBe(false);
    expect(server.count('/ok')).toBe(1);
    expect(server.count('/status/404')).toBe(4); // HEAD + GET, twice

    clock += 2 * 86_400 * 1000; // two days: everything expired
    const fourth = await run();
    expect([...fourth.results.values()].every((result) => !result.cached)).toBe(true);
    expect(server.count('/ok')).toBe(2);
  });

  it('misses when a fragment was not checked before', async () => {
    const path = join(directory, 'fragments.json');
    const cache = await openCache({ path, maxAge: 86_400 });
    const url = server.url('/ids?ids=one,two');
    await checkLinks([{ url: `${url}#one` }], { ...base, cache });
    const again = await openCache({ path, maxAge: 86_400 });
    expect(again.get(url, ['one'])?.fragments.get('one')).toEqual({ kind: 'found' });
    expect(again.get(url, ['two'])).toBeUndefined();
  });

  it('starts empty from a corrupt file', async () => {
    const path = join(directory, 'corrupt.json');
    await writeFile(path, '{"version":1,"entries":{"x":{"checkedAt":"soon"}}}');
    const cache = await openCache({ path, maxAge: 86_400 });
    expect(cache.get('x', [])).toBeUndefined();
  });
});
