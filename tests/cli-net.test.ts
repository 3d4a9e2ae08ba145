import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Progress, requestLine } from '../src/cli/progress.js';
import { run } from '../src/cli/run.js';
import type { UrlResult } from '../src/net/index.js';
import { Capture, runCli, tempTree } from './helpers/cli.js';
import { startServer, type TestServer } from './helpers/server.js';

let server: TestServer;
let tree: Awaited<ReturnType<typeof tempTree>>;
const fast = ['--allow-private', '--retries', '0', '--headers-timeout', '500', '--timeout', '1500'];

beforeAll(async () => {
  server = await startServer();
  tree = await tempTree({
    'cached/README.md': `[page](${server.url('/ok?cached')}) and [gone](${server.url('/status/404?cached')})\n`,
    'verbose/README.md': `[page](${server.url('/ok?verbose')})\n`,
    'offline/README.md': '[a](https://docs.example.invalid/a) and [b](https://api.example.invalid/b)\n',
    'progress/README.md': `[one](${server.url('/ok?progress=1')}) [two](${server.url('/status/404?progress=2')})\n`,
  });
});
afterAll(async () => {
  await tree.cleanup();
  await server.close();
});

const hits = (query: string) => server.log.filter((record) => record.path.endsWith(query)).length;

describe('cli: network runs', () => {
  it('--cache answers a second run from .waymark/cache.json without new requests', async () => {
    const cwd = path.join(tree.dir, 'cached');
    const first = await runCli(cwd, [...fast, '--cache']);
    expect(first.code).toBe(1);
    const requests = hits('?cached');
    expect(requests).toBeGreaterThanOrEqual(2);
    const cache = JSON.parse(await readFile(path.join(cwd, '.waymark', 'cache.json'), 'utf8')) as unknown;
    expect(JSON.stringify(cache)).toContain('/ok?cached');
    const second = await runCli(cwd, [...fast, '--cache']);
    expect(second.code).toBe(1);
    expect(second.stdout).toBe(first.stdout);
    expect(hits('?cached')).toBe(requests);
    const uncached = await runCli(cwd, fast);
    expect(uncached.code).toBe(1);
    expect(hits('?cached')).toBeGreaterThan(requests);
  });

  it('names its home page in the User-Agent, so site owners can look the checker up', async () => {
    await runCli(path.join(tree.dir, 'verbose'), fast);
    const agent = server.log.find((record) => record.path.endsWith('?verbose'))?.userAgent;
    const { version, homepage } = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
      homepage: string;
    };
    expect(homepage).toMatch(/^https:\/\//);
    expect(agent).toBe(`waymark/${version} (markdown link checker; +${homepage})`);
  });

  it('--verbose logs each request with method, status and timing', async () => {
    const result = await runCli(path.join(tree.dir, 'verbose'), [...fast, '--verbose']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(new RegExp(`^waymark: checking 1 file\\nwaymark: HEAD 200 ${escape(server.url('/ok?verbose'))} \\d+ ms\\n$`));
  });

  it('says plainly when the network is unreachable, exits 0, and exits 1 with --require-network', async () => {
    const cwd = path.join(tree.dir, 'offline');
    const relaxed = await runCli(cwd, []);
    expect(relaxed.code).toBe(0);
    expect(relaxed.stdout).toContain(
      'External links were not checked: 2 URLs could not be verified because the network is unreachable (offline)',
    );
    expect(relaxed.stdout).not.toMatch(/dead|Cannot reach/);
    const strict = await runCli(cwd, ['--require-network']);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toBe('waymark: --require-network: the network is unreachable, so external links were not checked\n');
    const json = await runCli(cwd, ['--format', 'json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ summary: { uniqueUrls: 2, checked: 0, offline: 2 }, findings: [] });
    expect(json.stderr).toBe('waymark: 2 external URLs could not be verified because the network is unreachable\n');
  });

  it('draws one progress line on a terminal and clears it at the end', async () => {
    const stdout = new Capture();
    const stderr = Object.assign(new Capture(), { isTTY: true });
    const code = await run({ argv: fast, cwd: path.join(tree.dir, 'progress'), env: { NO_COLOR: '1' }, stdout, stderr });
    expect(code).toBe(1);
    expect(stderr.text).toContain('Checking URLs 0/2');
    expect(stderr.text).toContain('Checking URLs 2/2, 1 failed');
    expect(stderr.text.endsWith('\r\u001b[2K')).toBe(true);
  });

  it('rejects a bad network flag value with the expected form', async () => {
    expect(await runCli(tree.dir, ['--host-concurrency', '0'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'waymark: --host-concurrency: expected a positive integer, got `0`\n',
    });
    expect(await runCli(tree.dir, ['--max-cache-age', 'soon'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'waymark: --max-cache-age: expected a duration like 90s, 30m, 12h or 1d, got `soon`\n',
    });
  });
});

describe('progress line', () => {
  const result = (url: string, kind: 'ok' | 'http-error'): UrlResult => ({
    url,
    status: kind === 'ok' ? { kind, status: 200, redirects: [] } : { kind, status: 404, redirects: [] },
    fragments: new Map(),
    durationMs: 5,
    requests: 1,
    cached: false,
  });

  it('counts results and names the hosts with the most URLs still waiting', () => {
    const progress = new Progress(new Capture(), () => 0);
    progress.plan(['https://a.test/1', 'https://a.test/2', 'https://a.test/3', 'https://b.test/1', 'https://c.test/1']);
    expect(progress.line()).toBe('Checking URLs 0/5; waiting on a.test (3), b.test (1), c.test (1)');
    progress.result(result('https://b.test/1', 'http-error'));
    progress.result(result('https://a.test/1', 'ok'));
    expect(progress.line()).toBe('Checking URLs 2/5, 1 failed; waiting on a.test (2), c.test (1)');
  });

  it('formats a verbose request line', () => {
    expect(requestLine({ method: 'GET', url: 'https://a.test/x', status: 301, durationMs: 12.4 })).toBe(
      'waymark: GET 301 https://a.test/x 12 ms',
    );
    expect(
      requestLine({ method: 'HEAD', url: 'https://a.test/y', error: { kind: 'reset', message: 'Connection reset' }, durationMs: 3 }),
    ).toBe('waymark: HEAD reset https://a.test/y 3 ms');
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
