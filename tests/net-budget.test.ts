import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCache } from '../src/net/index.js';
import { runCli, tempTree } from './helpers/cli.js';
import { testNetConfig } from './helpers/net-config.js';
import { startServer, type TestServer } from './helpers/server.js';
import { checkLinks } from './helpers/engine.js';

let server: TestServer;
let dir: string;

beforeAll(async () => {
  server = await startServer();
  dir = await mkdtemp(path.join(tmpdir(), 'waymark-budget-'));
});

afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

const base = { config: testNetConfig(), userAgent: 'waymark/test', isPrivate: () => false };

describe('--budget in the engine', () => {
  it('checks the URLs never verified first, then the least recently verified, and leaves the rest untried', async () => {
    let clock = 1_000_000;
    const cachePath = path.join(dir, 'engine', '.waymark', 'cache.json');
    // maxAge 0: every cached entry is stale, so only the budget decides what is checked.
    const cache = await openCache({ path: cachePath, maxAge: 0, now: () => clock });
    const urls = ['a', 'b', 'c', 'd'].map((name) => server.url(`/ok?budget=${name}`));
    await checkLinks([{ url: urls[2] as string }], { ...base, cache }); // c verified first (oldest)
    clock += 10_000;
    await checkLinks([{ url: urls[0] as string }], { ...base, cache }); // a verified later
    clock += 10_000;
    const before = server.log.length;
    const run = await checkLinks(
      urls.map((url) => ({ url })),
      { ...base, cache, budget: 2 },
    );
    const asked = server.log.slice(before).map((request) => request.path);
    // b and d were never verified; a and c were, so they wait for a later run.
    expect(asked.sort()).toEqual(['/ok?budget=b', '/ok?budget=d']);
    expect(urls.map((url) => run.results.get(url)?.status.kind)).toEqual(['unverifiable', 'ok', 'unverifiable', 'ok']);
    expect(run.results.get(urls[0] as string)?.status).toEqual({ kind: 'unverifiable', reason: 'budget' });
    const next = server.log.length;
    const later = await checkLinks(
      urls.map((url) => ({ url })),
      { ...base, cache, budget: 1 },
    );
    // Now c is the least recently verified.
    expect(server.log.slice(next).map((request) => request.path)).toEqual(['/ok?budget=c']);
    expect(later.results.get(urls[2] as string)?.status.kind).toBe('ok');
  });

  it('keeps no budget verdict in the cache', async () => {
    const cachePath = path.join(dir, 'kept', '.waymark', 'cache.json');
    const cache = await openCache({ path: cachePath, maxAge: 3600 });
    await checkLinks([{ url: server.url('/ok?kept=1') }, { url: server.url('/ok?kept=2') }], { ...base, cache, budget: 1 });
    const reopened = await openCache({ path: cachePath, maxAge: 3600 });
    expect(reopened.get(server.url('/ok?kept=1'), [])?.status.kind).toBe('ok');
    expect(reopened.get(server.url('/ok?kept=2'), [])).toBeUndefined();
  });
});

describe('--budget on the command line', () => {
  it('counts what it left for later in the summary and the JSON report, then checks it next run', async () => {
    const links = ['one', 'two', 'three'].map((name) => `- [${name}](${server.url(`/ok?cli=${name}`)})`).join('\n');
    const tree = await tempTree({ 'README.md': `${links}\n` });
    try {
      const flags = ['--no-config', '--allow-private', '--cache', '--budget', '2'];
      const first = await runCli(tree.dir, [...flags, 'README.md']);
      expect(first.code).toBe(0);
      expect(first.stdout).toContain('3 unique URLs, 1 URL not checked (budget)');
      const json = await runCli(tree.dir, [...flags, '--format', 'json', 'README.md']);
      const report = JSON.parse(json.stdout) as { summary: { budget?: number; checked: number } };
      // The two fresh in the cache cost nothing; the third is checked now.
      expect(report.summary.budget).toBeUndefined();
      expect(report.summary.checked).toBe(3);
      expect(server.count('/ok')).toBeGreaterThanOrEqual(3);
    } finally {
      await tree.cleanup();
    }
  });

  it('refuses --budget without the cache, and a budget that is not a positive integer', async () => {
    const tree = await tempTree({ 'README.md': '[a](https://example.com/)\n' });
    try {
      const noCache = await runCli(tree.dir, ['--no-config', '--budget', '5', 'README.md']);
      expect(noCache.code).toBe(2);
      expect(noCache.stderr.trim()).toBe('waymark: budget: needs the result cache (--cache) to know which URLs were verified least recently');
      const bad = await runCli(tree.dir, ['--no-config', '--cache', '--budget', '0', 'README.md']);
      expect(bad.code).toBe(2);
      expect(bad.stderr.trim()).toBe('waymark: --budget: expected a positive integer, got `0`');
    } finally {
      await tree.cleanup();
    }
  });
});
