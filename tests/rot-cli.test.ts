import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempTree } from './helpers/cli.js';
import { startFakeGitHub, type FakeGitHub } from './helpers/fake-github.js';

let site: Server;
let origin = '';
let github: FakeGitHub;
beforeAll(async () => {
  site = createServer((req, res) => {
    res.writeHead(req.url === '/login' ? 401 : 200);
    res.end();
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  github = await startFakeGitHub('acme/list');
});
afterAll(async () => {
  await github.close();
  await new Promise((resolve) => site.close(resolve));
});

const env = () => ({ GITHUB_TOKEN: 'ghs_x', GITHUB_REPOSITORY: 'acme/list', GITHUB_API_URL: github.url });
const flags = ['rot', '--allow-private', '--retries', '0', '--no-config'];

describe('waymark rot', () => {
  it('never opens the issue for URLs that could not be verified, however long, and lists them apart', async () => {
    const tree = await tempTree({ 'README.md': `[members](${origin}/login)\n` });
    try {
      for (let i = 0; i < 3; i++) {
        const result = await runCli(tree.dir, [...flags, '--github-issue'], env());
        expect(result.code).toBe(0);
        expect(result.stderr).toContain('0 rotten (0 new), 0 local, 0 watching, 0 fixed, 1 could not be verified');
      }
      expect(github.writes()).toEqual([]);
      const ledger = JSON.parse(await readFile(path.join(tree.dir, '.waymark/ledger.json'), 'utf8')) as { urls: Record<string, { unverifiableRuns: number }> };
      expect(ledger.urls[`${origin}/login`]?.unverifiableRuns).toBe(3);
    } finally {
      await tree.cleanup();
    }
  });

  it('reports a local problem at once, and takes --rot-after and --ledger', async () => {
    const tree = await tempTree({ 'README.md': `[gone](missing.md) [ok](${origin}/fine)\n` });
    try {
      const result = await runCli(tree.dir, [...flags, '--rot-after', '3', '--ledger', 'state/rot.json']);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('0 rotten (0 new), 1 local');
      expect(JSON.parse(await readFile(path.join(tree.dir, 'state/rot.json'), 'utf8'))).toMatchObject({ version: 1 });
      const bad = await runCli(tree.dir, [...flags, '--rot-after', '0']);
      expect(bad).toMatchObject({ code: 2, stdout: '' });
      expect(bad.stderr).toBe('waymark: --rot-after: expected a whole number of runs from 1 to 1000, got `0`\n');
    } finally {
      await tree.cleanup();
    }
  });

  it('stops with one line on a corrupt ledger, leaving it as it was, and starts over with --reset-ledger', async () => {
    const tree = await tempTree({ 'README.md': '# Ok\n' });
    try {
      await mkdir(path.join(tree.dir, '.waymark'));
      await writeFile(path.join(tree.dir, '.waymark/ledger.json'), 'garbage');
      const result = await runCli(tree.dir, flags);
      expect(result).toEqual({
        code: 2,
        stdout: '',
        stderr: 'waymark: .waymark/ledger.json: Unexpected content: not a JSON ledger; fix or move it, or pass --reset-ledger to start over\n',
      });
      expect(await readFile(path.join(tree.dir, '.waymark/ledger.json'), 'utf8')).toBe('garbage');
      const reset = await runCli(tree.dir, [...flags, '--reset-ledger']);
      expect(reset.code).toBe(0);
      expect(JSON.parse(await readFile(path.join(tree.dir, '.waymark/ledger.json'), 'utf8'))).toMatchObject({ version: 1, runs: [expect.any(String)] });
      const noToken = await runCli(tree.dir, [...flags, '--github-issue'], {});
      expect(noToken).toMatchObject({ code: 2 });
      expect(noToken.stderr).toBe('waymark: --github-issue: needs GITHUB_TOKEN and GITHUB_REPOSITORY (owner/name) in the environment\n');
    } finally {
      await tree.cleanup();
    }
  });
});
