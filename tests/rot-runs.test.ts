import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../src/cli/run.js';
import { Capture, tempTree } from './helpers/cli.js';
import { startFakeGitHub, type FakeGitHub } from './helpers/fake-github.js';

const token = 'ghs_SECRETsecretSECRET0123456789abcdef';
let site: Server;
let origin = '';
/** The status each page of the local site answers with; tests change it between runs. */
const statuses = new Map<string, number>([['/a', 200], ['/b', 200], ['/c', 200]]);
let github: FakeGitHub;
let tree: Awaited<ReturnType<typeof tempTree>>;
let day = 0;
const outputs: string[] = [];

beforeAll(async () => {
  site = createServer((req, res) => {
    res.writeHead(statuses.get(new URL(req.url ?? '/', 'http://x').pathname) ?? 404, { 'content-type': 'text/html' });
    res.end('<html><title>page</title></html>');
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  github = await startFakeGitHub('acme/list');
  tree = await tempTree({
    'README.md': `# List\n\n- [A](${origin}/a)\n- [B](${origin}/b)\n`,
    'docs/more.md': `# More\n\n[C](${origin}/c) and [A again](${origin}/a)\n`,
  });
});
afterAll(async () => {
  await tree.cleanup();
  await github.close();
  await new Promise((resolve) => site.close(resolve));
});

/** One scheduled run: `waymark rot --github-issue` with the runner's environment. */
async function scheduledRun(...extra: string[]) {
  const stdout = new Capture();
  const stderr = new Capture();
  day++;
  const code = await run({
    argv: ['rot', '--allow-private', '--retries', '0', '--no-config', '--github-issue', ...extra],
    cwd: tree.dir,
    env: {
      GITHUB_TOKEN: token,
      GITHUB_REPOSITORY: 'acme/list',
      GITHUB_API_URL: github.url,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_SHA: 'c0ffee',
      GITHUB_RUN_ID: String(day),
    },
    stdout,
    stderr,
    now: () => new Date(Date.UTC(2026, 0, day * 7)),
  });
  outputs.push(stdout.text, stderr.text);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe('waymark rot over scheduled runs against a changing site and a fake GitHub', () => {
  it('opens one issue only after two failures, updates it, leaves it alone, closes it and reopens it', async () => {
    // 1. Clean: no issue.
    let result = await scheduledRun();
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('waymark: rot: 0 rotten (0 new), 0 local, 0 watching, 0 fixed, 0 could not be verified');
    expect(github.writes()).toEqual([]);

    // 2. /a fails once: watching, still no issue.
    statuses.set('/a', 404);
    result = await scheduledRun();
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('1 watching');
    expect(github.writes()).toEqual([]);

    // 3. /a fails again: exactly one issue, with the URL, where it is linked and the table.
    result = await scheduledRun();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('waymark: rot: created the issue "Link rot report"');
    expect(github.issues).toHaveLength(1);
    const issue = github.issues[0]!;
    expect(issue.labels).toEqual(['link-rot']);
    expect(issue.body).toContain(`| \`${origin}/a\` | HTTP 404 | 2026-01-14 |`);
    expect(issue.body).toContain('[README.md:3](https://github.com/acme/list/blob/c0ffee/README.md#L3)');
    expect(issue.body).toContain('[docs/more.md:3](https://github.com/acme/list/blob/c0ffee/docs/more.md#L3)');

    // 4. /b fails once: the issue's list is unchanged, so it is not edited.
    statuses.set('/b', 404);
    let writes = github.writes().length;
    result = await scheduledRun();
    expect(result.code).toBe(1);
    expect(github.writes().length).toBe(writes);
    expect(result.stderr).toContain('left issue #1 alone: nothing changed since the last run');

    // 5. /b fails twice: the same issue is updated, with a comment naming what is new.
    result = await scheduledRun();
    expect(github.issues).toHaveLength(1);
    expect(issue.body).toContain('### New since the last run (1)');
    expect(issue.body).toContain(`| \`${origin}/b\` | HTTP 404 |`);
    expect(issue.body).toContain('### Still broken (1)');
    expect(issue.comments.at(-1)).toContain(`New since the last run ([run](https://github.com/acme/list/actions/runs/5)):\n\n- \`${origin}/b\`: HTTP 404`);

    // 6. Nothing changed: no edit at all.
    writes = github.writes().length;
    result = await scheduledRun();
    expect(github.writes().length).toBe(writes);

    // 7. Everything passes: closed with a comment.
    statuses.set('/a', 200);
    statuses.set('/b', 200);
    result = await scheduledRun();
    expect(result.code).toBe(0);
    expect(issue.state).toBe('closed');
    expect(issue.comments.at(-1)).toMatch(/^Every link works again/);
    expect(result.stderr).toContain('2 fixed');

    // 8–9. Rot returns: after two failures the same issue is reopened, not a second one.
    statuses.set('/c', 410);
    result = await scheduledRun();
    expect(issue.state).toBe('closed');
    result = await scheduledRun();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('reopened issue #1');
    expect(github.issues).toHaveLength(1);
    expect(issue.state).toBe('open');
    expect(issue.body).toContain(`${origin}/c`);

    const ledger = JSON.parse(await readFile(path.join(tree.dir, '.waymark/ledger.json'), 'utf8')) as {
      issue: number;
      urls: Record<string, { history: string[]; consecutiveFailures: number }>;
    };
    expect(ledger.issue).toBe(1);
    expect(ledger.urls[`${origin}/c`]).toMatchObject({ consecutiveFailures: 2 });
    expect(ledger.urls[`${origin}/a`]?.history).toEqual(['ok', 'failed', 'failed', 'failed', 'failed', 'failed', 'ok', 'ok', 'ok']);
  });

  it('--dry-run says what it would do and changes neither GitHub nor the ledger', async () => {
    const before = await readFile(path.join(tree.dir, '.waymark/ledger.json'), 'utf8');
    const writes = github.writes().length;
    statuses.set('/c', 200);
    const result = await scheduledRun('--dry-run');
    expect(result.stderr).toContain('waymark: rot: would comment on issue #1');
    expect(result.stderr).toContain('waymark: rot: would close issue #1');
    expect(github.writes().length).toBe(writes);
    expect(await readFile(path.join(tree.dir, '.waymark/ledger.json'), 'utf8')).toBe(before);
  });

  it('never printed the token, and sent it only to the API', () => {
    for (const text of outputs) expect(text).not.toContain(token);
    expect(github.requests.every((request) => request.authorization === `token ${token}`)).toBe(true);
  });
});
