import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../src/check/index.js';
import { defaultConfig } from '../src/config/defaults.js';
import type { Config } from '../src/config/types.js';
import { insecureLink } from '../src/rules/insecure-link.js';
import { secureTwin } from '../src/resolve/external.js';
import type { UrlResult } from '../src/net/index.js';
import { closedPortUrl, startServer, type TestServer } from './helpers/server.js';
import { tempTree } from './helpers/cli.js';
import { startProxy } from './helpers/proxy.js';
import { resolvedLink } from '../src/resolve/fragment-target.js';

const fast: Config = {
  ...defaultConfig,
  allowPrivate: true,
  connectTimeout: 1_000,
  headersTimeout: 500,
  timeout: 1_500,
  retries: 1,
  recheckDelay: 10,
};

let server: TestServer;
let refused: string;

beforeAll(async () => {
  server = await startServer();
  refused = await closedPortUrl();
});
afterAll(() => server.close());

function findingsOf(report: Awaited<ReturnType<typeof check>>) {
  return report.findings.map((f) => `${f.range.start.line} ${f.ruleId} ${f.message}${f.hint === undefined ? '' : `; ${f.hint}`}`);
}

describe('check() with the HTTP engine against a real local server', () => {
  it('turns each outcome into the right rule and finding', async () => {
    const s = (path: string) => server.url(path);
    const tree = await tempTree({
      'README.md': [
        '# Links',
        `[ok](${s('/ok')}) [ok again](${s('/ok')}) [ok with fragment](${s('/ids?ids=intro,usage')}#usage)`,
        `[gone](${s('/status/404')})`,
        `[removed](${s('/status/410')})`,
        `[server error](${s('/status/500')})`,
        `[moved](${s('/redirect/301?to=/ok')})`,
        `[temporary](${s('/redirect/302?to=/ok')})`,
        `[loop](${s('/loop/a')})`,
        `[private](${s('/status/401')})`,
        `[missing fragment](${s('/ids?ids=intro,usage')}#usag)`,
        `[refused](${refused}/x)`,
        `[reference][ref]`,
        '',
        `[ref]: ${s('/status/404?ref')}`,
        '',
      ].join('\n'),
    });
    try {
      const report = await check({ cwd: tree.dir, config: fast });
      const loop = `\`${s('/loop/b')}\` → \`${s('/loop/a')}\``;
      expect(findingsOf(report)).toEqual([
        `3 dead-link Cannot reach \`${s('/status/404')}\` (HTTP 404)`,
        `4 dead-link Cannot reach \`${s('/status/410')}\` (HTTP 410)`,
        `5 unverifiable Cannot verify \`${s('/status/500')}\`: HTTP 500 twice`,
        `6 redirect Unexpected permanent redirect (HTTP 301); use \`${s('/ok')}\``,
        expect.stringMatching(new RegExp(`^8 dead-link Cannot reach \`${escape(s('/loop/a'))}\` \\(redirect loop: ${escape(loop)}\\)$`)),
        `9 unverifiable Cannot verify \`${s('/status/401')}\`: the server asks for credentials (HTTP 401)`,
        `10 remote-fragment Cannot find fragment \`#usag\` in \`${s('/ids?ids=intro,usage')}\`; did you mean \`#usage\`?`,
        expect.stringMatching(new RegExp(`^11 dead-link Cannot reach \`${escape(refused)}/x\` \\(connection refused\\); nothing listens`)),
        `12 dead-link Cannot reach \`${s('/status/404?ref')}\` (HTTP 404) (defined on line 14)`,
      ]);
      expect(server.count('/ok')).toBeLessThanOrEqual(3); // one check for two links, plus the redirect targets
      // HEAD fails and the one configured retry is the GET; the re-check at the end is one more GET.
      expect(server.log.filter((record) => record.path === '/status/500').map((record) => record.method)).toEqual([
        'HEAD',
        'GET',
        'GET',
      ]);
      expect(report.summary).toMatchObject({ files: 1, uniqueUrls: 11, checked: 11, offline: 0, errors: 6, warnings: 3 });
      expect(report.offline).toBe(false);
      expect(server.maxInFlight).toBeLessThanOrEqual(fast.hostConcurrency);
    } finally {
      await tree.cleanup();
    }
  });

  it('requests a URL linked a hundred times once', async () => {
    const url = server.url('/ok?hundred');
    const tree = await tempTree({ 'README.md': Array.from({ length: 100 }, (_, i) => `[link ${i}](${url}#part-${i % 3})`).join('\n\n') });
    try {
      const before = server.log.filter((record) => record.path === '/ok?hundred').length;
      const report = await check({ cwd: tree.dir, config: fast });
      expect(server.log.filter((record) => record.path === '/ok?hundred').length - before).toBe(1);
      expect(report.summary).toMatchObject({ links: 100, uniqueUrls: 1, checked: 1 });
    } finally {
      await tree.cleanup();
    }
  });

  it('skips private addresses by default instead of calling them dead', async () => {
    const tree = await tempTree({ 'README.md': `[local](${server.url('/status/404?guarded')})\n` });
    try {
      const before = server.log.length;
      const report = await check({ cwd: tree.dir, config: { ...fast, allowPrivate: false } });
      expect(report.findings).toEqual([]);
      expect(report.summary).toMatchObject({ uniqueUrls: 1, checked: 0, skipped: 1 });
      expect(server.log.length).toBe(before);
    } finally {
      await tree.cleanup();
    }
  });

  it('marks every external link offline when no linked host resolves, and never calls it dead', async () => {
    const tree = await tempTree({ 'README.md': '[a](https://docs.example.test/a) [b](https://api.example.test/b)\n' });
    try {
      const lookup = () => Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }));
      const report = await check({ cwd: tree.dir, config: fast, io: { net: { lookup } } });
      expect(report.findings).toEqual([]);
      expect(report).toMatchObject({ offline: true, offlineReason: 'unreachable' });
      expect(report.summary).toMatchObject({ uniqueUrls: 2, checked: 0, offline: 2 });
    } finally {
      await tree.cleanup();
    }
  });

  it('never touches the network with offline set', async () => {
    const tree = await tempTree({ 'README.md': `[x](${server.url('/status/404?offline')})\n` });
    try {
      const before = server.log.length;
      const report = await check({ cwd: tree.dir, config: { ...fast, offline: true } });
      expect(server.log.length).toBe(before);
      expect(report).toMatchObject({ offline: true, offlineReason: 'requested', findings: [] });
      expect(report.summary).toMatchObject({ uniqueUrls: 1, checked: 0, offline: 1 });
    } finally {
      await tree.cleanup();
    }
  });
});

describe('insecure-link end to end', () => {
  it('checks the https twin of a working http URL without counting it as another URL', async () => {
    const dual = await startServer({ dual: true });
    const tree = await tempTree({ 'README.md': `[plain](http://secure.test:${dual.port}/ok)\n` });
    try {
      const lookup = () => Promise.resolve([{ address: '127.0.0.1', family: 4 as const }]);
      const report = await check({ cwd: tree.dir, config: { ...fast, insecure: true }, io: { net: { lookup } } });
      expect(findingsOf(report)).toEqual([
        `1 insecure-link Unexpected insecure \`http://\` URL: its \`https://\` twin works; use \`https://secure.test:${dual.port}/ok\``,
      ]);
      expect(report.summary).toMatchObject({ uniqueUrls: 1, checked: 1 });
      expect(dual.count('/ok')).toBe(2);
    } finally {
      await tree.cleanup();
      await dual.close();
    }
  });
});

describe('insecure-link on port 443', () => {
  // `http://host:443/` is not `http://host/`, but its twin `https://host:443/` is `https://host/`:
  // the twin found by the engine must be the one the rule reads. A proxy that plays `secure.test`
  // sends both schemes' tunnels to port 443 of that name to one local server that speaks both.
  it('finds the https twin of an http URL that names port 443', async () => {
    const dual = await startServer({ dual: true });
    const proxy = await startProxy({ 'secure.test': dual.port });
    const tree = await tempTree({ 'README.md': '[plain](http://secure.test:443/ok)\n' });
    try {
      const proxyEnv = { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url };
      const report = await check({ cwd: tree.dir, config: { ...fast, insecure: true }, io: { net: { proxyEnv } } });
      expect(findingsOf(report)).toEqual([
        '1 insecure-link Unexpected insecure `http://` URL: its `https://` twin works; use `https://secure.test:443/ok`',
      ]);
      // One check over each scheme, both through port 443.
      expect(dual.count('/ok')).toBe(2);
      expect(new Set(proxy.connects)).toEqual(new Set(['secure.test:443']));
    } finally {
      await tree.cleanup();
      await Promise.all([dual.close(), proxy.close()]);
    }
  });
});

describe('insecure-link', () => {
  const ok = (url: string, redirects: { status: number; from: string; to: string }[] = []): UrlResult => ({
    url,
    status: { kind: 'ok', status: 200, redirects },
    fragments: new Map(),
    durationMs: 1,
    requests: 1,
    cached: false,
  });

  it('asks for the https twin only of working http URLs on named hosts that stay on http', () => {
    expect(secureTwin(ok('http://docs.example.test/page?q=1'))).toBe('https://docs.example.test/page?q=1');
    expect(secureTwin(ok('https://docs.example.test/'))).toBeUndefined();
    expect(secureTwin(ok('http://127.0.0.1:8080/'))).toBeUndefined();
    expect(secureTwin(ok('http://a.test/', [{ status: 301, from: 'http://a.test/', to: 'https://a.test/' }]))).toBeUndefined();
  });

  it('warns when the https twin works, with the https URL as hint', () => {
    const link = {
      kind: 'link' as const,
      syntax: 'inline' as const,
      url: 'http://docs.example.test/page#intro',
      text: 'docs',
      range: { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 44, offset: 43 } },
    };
    const document = { file: 'README.md', links: [link], anchors: [], headings: [], undefinedReferences: [], unusedDefinitions: [], directives: [], listEntries: [] };
    const target = { kind: 'external' as const, url: 'http://docs.example.test/page', key: 'http://docs.example.test/page', fragment: 'intro' };
    const context = (secure?: UrlResult) => ({
      document,
      resolved: [{ ...resolvedLink(link, target, undefined, 'README.md'), remote: ok('http://docs.example.test/page'), ...(secure === undefined ? {} : { secure }) }],
      anchors: { match: () => ({ kind: 'unknown' as const }) },
      config: defaultConfig,
    });
    expect(insecureLink.check(context(ok('https://docs.example.test/page')), 'warning')).toEqual([
      {
        ruleId: 'insecure-link',
        severity: 'warning',
        file: 'README.md',
        range: link.range,
        url: link.url,
        message: 'Unexpected insecure `http://` URL: its `https://` twin works',
        hint: 'use `https://docs.example.test/page#intro`',
      },
    ]);
    expect(insecureLink.check(context(), 'warning')).toEqual([]);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
