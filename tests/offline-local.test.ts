/**
 * Offline detection judged by public hosts only: loopback and private names and addresses prove
 * nothing (issue 8, item 8), every linked host is tried (issue 9, item 3), and the probing of IP
 * literals reports progress (issue 8, item 10).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../src/check/index.js';
import { defaultConfig } from '../src/config/defaults.js';
import type { Config } from '../src/config/types.js';
import { judgeNetwork, type Lookup, type UrlResult } from '../src/net/index.js';
import { tempTree } from './helpers/cli.js';
import { testNetConfig } from './helpers/net-config.js';
import { startServer, type TestServer } from './helpers/server.js';
import { checkLinks } from './helpers/engine.js';

const fast: Config = { ...defaultConfig, connectTimeout: 1_000, headersTimeout: 500, timeout: 1_500, retries: 0 };

function dnsError(hostname: string): Error {
  return Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
}

/** A machine without a network: only /etc/hosts answers, with `localhost`. */
const asked: string[] = [];
const noNetwork: Lookup = async (hostname) => {
  asked.push(hostname);
  if (hostname === 'localhost') return [{ address: '127.0.0.1', family: 4 }];
  throw dnsError(hostname);
};

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

function findings(report: Awaited<ReturnType<typeof check>>): string[] {
  return report.findings.map((finding) => `${finding.range.start.line} ${finding.ruleId} ${finding.message}`);
}

describe('offline detection ignores local hosts', () => {
  const external = ['[a](https://docs.example.test/a)', '[b](https://api.example.test/b)'];

  it('stays offline with a localhost link, and checks that link for real', async () => {
    const local = `http://localhost:${server.port}/status/404?localhost`;
    const tree = await tempTree({ 'README.md': [...external, `<${local}>`, ''].join('\n\n') });
    try {
      const report = await check({ cwd: tree.dir, config: { ...fast, allowPrivate: true }, io: { net: { lookup: noNetwork } } });
      expect(report).toMatchObject({ offline: true, offlineReason: 'unreachable' });
      // localhost resolved and answered: its verdict stands; the public links are not called dead.
      expect(findings(report)).toEqual([`5 dead-link Cannot reach \`${local}\` (HTTP 404)`]);
      // (src/check/report.ts counts `checked` as 0 on any offline run; the finding above is what matters.)
      expect(report.summary).toMatchObject({ uniqueUrls: 3, offline: 2 });
      expect(server.count('/status/404')).toBeGreaterThan(0);
    } finally {
      await tree.cleanup();
    }
  });

  it('stays offline when the guard skips a localhost or loopback link', async () => {
    const links = [`<http://localhost:${server.port}/ok?guarded>`, `<http://127.0.0.1:${server.port}/ok?guarded>`, `<http://[::1]:3000/>`];
    const tree = await tempTree({ 'README.md': [...external, ...links, ''].join('\n\n') });
    try {
      const before = server.log.length;
      const report = await check({ cwd: tree.dir, config: fast, io: { net: { lookup: noNetwork } } });
      expect(report.findings).toEqual([]);
      expect(report).toMatchObject({ offline: true, offlineReason: 'unreachable' });
      expect(report.summary).toMatchObject({ uniqueUrls: 5, checked: 0, skipped: 3, offline: 2 });
      expect(server.log.length).toBe(before);
    } finally {
      await tree.cleanup();
    }
  });

  it('is not offline when only local hosts are linked', async () => {
    const tree = await tempTree({ 'README.md': `<http://localhost:${server.port}/status/410?only>\n` });
    try {
      const report = await check({ cwd: tree.dir, config: { ...fast, allowPrivate: true }, io: { net: { lookup: noNetwork } } });
      expect(report.offline).toBe(false);
      expect(findings(report)).toEqual([`1 dead-link Cannot reach \`http://localhost:${server.port}/status/410?only\` (HTTP 410)`]);
    } finally {
      await tree.cleanup();
    }
  });

  it('takes a name that resolves only to private addresses as no proof', async () => {
    const lan: Lookup = async (hostname) => {
      if (hostname === 'nas.lan.test') return [{ address: '192.168.1.20', family: 4 }];
      throw dnsError(hostname);
    };
    const run = await checkLinks([{ url: 'http://nas.lan.test/' }, { url: 'https://docs.example.test/' }], {
      config: testNetConfig({ allowPrivate: false }),
      userAgent: 'waymark/test',
      lookup: lan,
    });
    expect(run.offline).toBe(true);
    expect(run.results.get('http://nas.lan.test/')?.status).toEqual({ kind: 'unverifiable', reason: 'private-address' });
    expect(run.results.get('https://docs.example.test/')?.status).toEqual({ kind: 'unverifiable', reason: 'offline' });
  });
});

describe('offline detection tries every linked host', () => {
  it('finds the one live host after twelve dead ones and reports its 404', async () => {
    const dead = Array.from({ length: 12 }, (_, index) => `https://gone-${index}.example.test/`);
    const live = `http://live.example.test:${server.port}/status/404?live`;
    const lookup: Lookup = async (hostname) => {
      asked.push(hostname);
      if (hostname === 'live.example.test') return [{ address: '127.0.0.1', family: 4 }];
      throw dnsError(hostname);
    };
    const tree = await tempTree({ 'README.md': [...dead.map((url) => `<${url}>`), `<${live}>`, ''].join('\n\n') });
    try {
      asked.length = 0;
      // The local server stands in for a public host here.
      const report = await check({
        cwd: tree.dir,
        config: { ...fast, allowPrivate: true },
        io: { net: { lookup, isPrivate: () => false } },
      });
      expect(report.offline).toBe(false);
      expect(findings(report)).toContain(`25 dead-link Cannot reach \`${live}\` (HTTP 404)`);
      expect(report.findings.filter((finding) => finding.ruleId === 'dead-link')).toHaveLength(13);
      expect(asked).toContain('live.example.test');
    } finally {
      await tree.cleanup();
    }
  });
});

describe('judgeNetwork', () => {
  it.each([10, 1_000])('tries all %i dead names before calling the run offline', async (count) => {
    const tried: string[] = [];
    const lookup: Lookup = async (hostname) => {
      tried.push(hostname);
      throw dnsError(hostname);
    };
    const names = Array.from({ length: count }, (_, index) => `gone-${index}.example.test`);
    expect(await judgeNetwork(names, { lookup })).toMatchObject({ offline: true });
    expect(new Set(tried).size).toBe(count);
  });

  it('stops early when the resolver hangs instead of waiting out every name', async () => {
    let calls = 0;
    const lookup: Lookup = () => {
      calls += 1;
      return new Promise(() => undefined);
    };
    const names = Array.from({ length: 1_000 }, (_, index) => `hang-${index}.example.test`);
    const started = Date.now();
    expect(await judgeNetwork(names, { lookup, timeout: 50, concurrency: 8 })).toMatchObject({ offline: true });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(calls).toBeLessThanOrEqual(16);
  });

  it('sorts IP literals into local and public ones without looking them up', async () => {
    const lookup: Lookup = async (hostname) => {
      throw dnsError(hostname);
    };
    const judgement = await judgeNetwork(['127.0.0.1', '[::1]', '[::7f00:1]', '10.0.0.1', '8.8.8.8', '[2606:4700::1111]'], { lookup });
    expect(judgement.offline).toBe(false);
    expect([...judgement.local].sort()).toEqual(['10.0.0.1', '127.0.0.1', '[::1]', '[::7f00:1]']);
    expect([...judgement.publicLiterals].sort()).toEqual(['8.8.8.8', '[2606:4700::1111]']);
  });
});

describe('progress while IP literals are probed', () => {
  it('reports an answering literal before the slower ones finish', async () => {
    const started = Date.now();
    const seen: [string, number][] = [];
    const onResult = (result: UrlResult): void => {
      seen.push([result.url, Date.now() - started]);
    };
    const fastUrl = server.url('/ok?literal-fast');
    const slowUrl = server.url('/ok?literal-slow&delay=600');
    const run = await checkLinks(
      [{ url: 'https://docs.example.test/' }, { url: fastUrl }, { url: slowUrl }],
      {
        config: testNetConfig({ headersTimeout: 2_000, timeout: 2_000 }),
        userAgent: 'waymark/test',
        lookup: async (hostname) => {
          throw dnsError(hostname);
        },
        // 127.0.0.1 stands in for a public address, so its answer proves the network.
        isPrivate: () => false,
      },
      onResult,
    );
    expect(run.offline).toBe(false);
    const fastAt = seen.find(([url]) => url === fastUrl)?.[1];
    const slowAt = seen.find(([url]) => url === slowUrl)?.[1];
    expect(fastAt).toBeDefined();
    expect(slowAt).toBeGreaterThanOrEqual(550);
    expect(fastAt).toBeLessThan(400);
    // Every URL is announced exactly once.
    expect(seen.map(([url]) => url).sort()).toEqual(['https://docs.example.test/', fastUrl, slowUrl].sort());
  });
});
