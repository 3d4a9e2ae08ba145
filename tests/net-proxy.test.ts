import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.js';
import { type Lookup, type UrlResult } from '../src/net/index.js';
import { proxyFor, proxySettings } from '../src/net/proxy.js';
import { remoteVerdict } from '../src/rules/remote-verdict.js';
import { runCli, tempTree } from './helpers/cli.js';
import { testNetConfig } from './helpers/net-config.js';
import { startProxy, type FakeProxy } from './helpers/proxy.js';
import { closedPortUrl, startServer, type TestServer } from './helpers/server.js';
import { checkLinks } from './helpers/engine.js';

/** No name resolves here: behind the proxy, only the proxy resolves names. */
const asked: string[] = [];
const noDns: Lookup = async (hostname) => {
  asked.push(hostname);
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname });
};

let web: TestServer;
let secure: TestServer;
let proxy: FakeProxy;

beforeAll(async () => {
  web = await startServer();
  secure = await startServer({ tls: true });
  proxy = await startProxy({ 'docs.example': web.port, 'secure.example': secure.port, 'intranet.example': 'deny' });
});

afterAll(async () => {
  await Promise.all([web.close(), secure.close(), proxy.close()]);
});

function options(overrides: Parameters<typeof testNetConfig>[0] = {}, env: Record<string, string> = { HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url }) {
  return { config: testNetConfig({ allowPrivate: false, ...overrides }), userAgent: 'waymark/test', lookup: noDns, proxyEnv: env };
}

function statusOf(results: ReadonlyMap<string, UrlResult>, url: string): unknown {
  const status = results.get(url)?.status;
  if (status?.kind === 'net-error') return { kind: 'net-error', error: status.error.kind };
  if (status?.kind === 'ok' || status?.kind === 'http-error') return { kind: status.kind, status: status.status };
  return status;
}

describe('proxy settings', () => {
  it('reads the lower-case variable first, falls back from HTTPS to HTTP, and lets the setting win', () => {
    expect(proxySettings(undefined, { http_proxy: 'http://a:1', HTTP_PROXY: 'http://b:2' })).toMatchObject({
      http: 'http://a:1/',
      https: 'http://a:1/',
    });
    expect(proxySettings(undefined, { HTTPS_PROXY: 'proxy.corp:3128' })).toMatchObject({ https: 'http://proxy.corp:3128/' });
    expect(proxySettings(undefined, { HTTPS_PROXY: 'proxy.corp:3128' })?.http).toBeUndefined();
    expect(proxySettings('http://mine:8080', { HTTPS_PROXY: 'http://env:1' })).toMatchObject({
      http: 'http://mine:8080/',
      https: 'http://mine:8080/',
    });
    expect(proxySettings(false, { HTTPS_PROXY: 'http://env:1' })).toBeUndefined();
    expect(proxySettings(undefined, {})).toBeUndefined();
    expect(proxySettings(undefined, { HTTPS_PROXY: '' })).toBeUndefined();
  });

  it('names the variable of a value that is not a proxy URL', () => {
    const attempt = (): unknown => proxySettings(undefined, { HTTPS_PROXY: 'socks9://x' });
    expect(attempt).toThrow(InputError);
    expect(attempt).toThrow(/expected a proxy URL/);
    try {
      attempt();
    } catch (error) {
      expect((error as InputError).where).toBe('HTTPS_PROXY');
    }
  });

  it('bypasses NO_PROXY names, their subdomains, ports when given, `*`, and this machine', () => {
    const settings = proxySettings(undefined, { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'corp.example, .internal.example,api.example:8443' });
    const via = (url: string): string | undefined => proxyFor(settings, new URL(url));
    expect(via('https://corp.example/')).toBeUndefined();
    expect(via('https://wiki.corp.example/')).toBeUndefined();
    expect(via('https://notcorp.example/')).toBe('http://p:1/');
    expect(via('https://x.internal.example/')).toBeUndefined();
    expect(via('https://api.example:8443/')).toBeUndefined();
    expect(via('https://api.example/')).toBe('http://p:1/');
    expect(via('https://localhost:3000/')).toBeUndefined();
    expect(via('https://127.0.0.1/')).toBeUndefined();
    expect(via('https://[::1]/')).toBeUndefined();
    expect(via('http://plain.example/')).toBeUndefined();
    expect(proxyFor(proxySettings(undefined, { HTTPS_PROXY: 'http://p:1', no_proxy: '*' }), new URL('https://a.example/'))).toBeUndefined();
  });
});

describe('checking through a proxy', () => {
  it('lets the proxy resolve every name: alive, dead and unknown hosts, with no local DNS at all', async () => {
    asked.length = 0;
    const before = proxy.connects.length;
    const run = await checkLinks(
      [{ url: 'http://docs.example/ok' }, { url: 'http://docs.example/status/404' }, { url: 'http://gone.example/page' }],
      options(),
    );
    expect(run.offline).toBe(false);
    expect(statusOf(run.results, 'http://docs.example/ok')).toEqual({ kind: 'ok', status: 200 });
    expect(statusOf(run.results, 'http://docs.example/status/404')).toEqual({ kind: 'http-error', status: 404 });
    expect(statusOf(run.results, 'http://gone.example/page')).toEqual({ kind: 'net-error', error: 'proxy-refused' });
    // The proxy's 502 could be a dead name or a proxy without a way out: never called dead.
    expect(remoteVerdict(run.results.get('http://gone.example/page') as UrlResult).kind).toBe('unverifiable');
    expect(asked).toEqual([]);
    expect([...new Set(proxy.connects.slice(before))].sort()).toEqual(['docs.example:80', 'gone.example:80']);
    expect(web.count('/ok')).toBeGreaterThan(0);
  });

  it('tunnels TLS to the target and checks its certificate, unless told not to', async () => {
    const strict = await checkLinks([{ url: 'https://secure.example/ok' }], options());
    expect(statusOf(strict.results, 'https://secure.example/ok')).toMatchObject({ kind: 'unverifiable', reason: 'tls' });
    const lax = await checkLinks([{ url: 'https://secure.example/ok' }], options({ insecure: true }));
    expect(statusOf(lax.results, 'https://secure.example/ok')).toEqual({ kind: 'ok', status: 200 });
  });

  it('reports a tunnel the proxy refuses as unverifiable', async () => {
    const run = await checkLinks([{ url: 'https://intranet.example/' }], options());
    const result = run.results.get('https://intranet.example/') as UrlResult;
    expect(statusOf(run.results, 'https://intranet.example/')).toEqual({ kind: 'net-error', error: 'proxy-refused' });
    expect(result.status.kind === 'net-error' && result.status.error.message).toMatch(/403/);
    expect(remoteVerdict(result).kind).toBe('unverifiable');
  });

  it('still refuses private IP literals and local-only names, and never asks the proxy for them', async () => {
    const before = proxy.connects.length;
    const urls = ['http://10.1.2.3/', 'http://printer.local/', 'http://[::ffff:10.0.0.1]/', 'http://db.internal/'];
    const run = await checkLinks(
      urls.map((url) => ({ url })),
      options(),
    );
    expect(run.results.size).toBe(urls.length);
    for (const result of run.results.values()) expect(result.status).toEqual({ kind: 'unverifiable', reason: 'private-address' });
    expect(proxy.connects.slice(before)).toEqual([]);
    const allowed = await checkLinks([{ url: 'http://printer.local/' }], options({ allowPrivate: true }));
    expect(statusOf(allowed.results, 'http://printer.local/')).toEqual({ kind: 'net-error', error: 'proxy-refused' });
    expect(proxy.connects.slice(before)).toEqual(['printer.local:80']);
  });

  it('goes straight to NO_PROXY hosts and to this machine', async () => {
    const before = proxy.connects.length;
    const lookup: Lookup = async (hostname) => {
      if (hostname === 'direct.example') return [{ address: '127.0.0.1', family: 4 }];
      return noDns(hostname);
    };
    const run = await checkLinks([{ url: `http://direct.example:${web.port}/ok` }, { url: web.url('/ok?local') }], {
      ...options({ allowPrivate: true }, { HTTP_PROXY: proxy.url, NO_PROXY: 'direct.example' }),
      lookup,
    });
    expect(statusOf(run.results, `http://direct.example:${web.port}/ok`)).toEqual({ kind: 'ok', status: 200 });
    expect(statusOf(run.results, web.url('/ok?local'))).toEqual({ kind: 'ok', status: 200 });
    expect(proxy.connects.slice(before)).toEqual([]);
  });

  it('calls the network unreachable, not the links dead, when the proxy cannot be reached', async () => {
    const down = await closedPortUrl();
    const run = await checkLinks([{ url: 'https://docs.example/a' }, { url: 'http://docs.example/b' }], options({}, { HTTPS_PROXY: down, HTTP_PROXY: down }));
    expect(run.offline).toBe(true);
    expect(statusOf(run.results, 'https://docs.example/a')).toEqual({ kind: 'unverifiable', reason: 'offline' });
    expect(statusOf(run.results, 'http://docs.example/b')).toEqual({ kind: 'unverifiable', reason: 'offline' });
  });
});

describe('the CLI behind a proxy', () => {
  it('checks through HTTP_PROXY from the environment: the dead link is an error, the refused tunnel a warning', async () => {
    const tree = await tempTree({
      'README.md': '[a](http://docs.example/ok) [b](http://docs.example/status/404) [c](http://gone.example/x)\n',
    });
    try {
      const result = await runCli(tree.dir, ['--no-config', '--retries', '0', 'README.md'], { HTTP_PROXY: proxy.url });
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/README\.md:1:29 .*error .*dead-link/);
      expect(result.stdout).toMatch(/README\.md:1:65 +warning +unverifiable +.*proxy could not connect/);
      expect(result.stdout).not.toMatch(/1:1 /);
    } finally {
      await tree.cleanup();
    }
  });

  it('names the variable or key of a bad proxy in one line', async () => {
    const tree = await tempTree({ 'README.md': '[a](https://docs.example/)\n', 'waymark.config.json': '{ "proxy": 8080 }\n' });
    try {
      const fromEnv = await runCli(tree.dir, ['--no-config', 'README.md'], { HTTPS_PROXY: 'ftp://proxy.example' });
      expect(fromEnv.code).toBe(2);
      expect(fromEnv.stderr.trim()).toBe('waymark: HTTPS_PROXY: expected a proxy URL such as http://proxy.example:3128, got `ftp://proxy.example`');
      const fromConfig = await runCli(tree.dir, ['README.md']);
      expect(fromConfig.code).toBe(2);
      expect(fromConfig.stderr.trim()).toMatch(/^waymark: waymark\.config\.json: proxy: expected a proxy URL such as http:\/\/proxy\.example:3128, or false, got 8080$/);
    } finally {
      await tree.cleanup();
    }
  });
});
