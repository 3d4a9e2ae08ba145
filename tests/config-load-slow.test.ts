import { spawn } from 'node:child_process';
import { open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import { tempTree } from './helpers/cli.js';

const bin = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli', 'bin.js');

const notice =
  'waymark: waymark.config.mjs: warning: still loading after 3 s; a config that never finishes loading hangs the run (Ctrl-C stops it)\n';

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.map((cleanup) => cleanup()));
  cleanups = [];
});

/** A temp project holding `waymark.config.mjs` with `config` and one clean markdown file. */
async function project(config: string): Promise<string> {
  const tree = await tempTree({ 'waymark.config.mjs': config, 'doc.md': '# Doc\n' });
  cleanups.push(tree.cleanup);
  return tree.dir;
}

interface Outcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/**
 * Runs the built CLI in `cwd`. With `killOn`, the child is killed once its stderr holds that text
 * (a config that never finishes); it is killed after `limitMs` in any case, so no test can hang.
 */
function runBin(cwd: string, args: readonly string[], killOn?: string, limitMs = 25_000): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [bin, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const limit = setTimeout(() => child.kill('SIGKILL'), limitMs);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (killOn !== undefined && stderr.includes(killOn)) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(limit);
      resolve({ code, stdout, stderr, ms: performance.now() - started });
    });
  });
}

describe('a config that takes long to load', () => {
  it('names the file and exits 2 when its top-level await never settles (Node alone exits 13 silently)', async () => {
    const dir = await project('await new Promise(() => {});\nexport default {};\n');
    const result = await runBin(dir, ['doc.md']);
    expect(result).toMatchObject({
      code: 2,
      stdout: '',
      stderr: 'waymark: waymark.config.mjs: Cannot finish loading: a top-level await waits on a promise that nothing is left to settle\n',
    });
    // Found as soon as nothing is left to run, without waiting for the still-loading warning.
    expect(result.ms).toBeLessThan(3_000);
  }, 30_000);

  it('names the file given with --config', async () => {
    const dir = await project('export default {};\n');
    const tree = await tempTree({ 'never.mjs': 'await new Promise(() => {});\n' });
    cleanups.push(tree.cleanup);
    const result = await runBin(dir, ['--config', path.join(tree.dir, 'never.mjs'), 'doc.md']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^waymark: \S*never\.mjs: Cannot finish loading: .*\n$/);
  }, 30_000);

  it('warns after 3 s that the config is still loading, then runs as usual', async () => {
    const dir = await project('await new Promise((resolve) => setTimeout(resolve, 4_000));\nexport default { offline: true };\n');
    const result = await runBin(dir, ['doc.md']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(notice);
    expect(result.stdout).toContain('No problems in 1 file');
    expect(result.ms).toBeGreaterThanOrEqual(4_000);
  }, 30_000);

  it('warns about a config stuck in a synchronous endless loop, which blocks the main thread', async () => {
    const dir = await project('while (true) {}\n');
    const result = await runBin(dir, ['doc.md'], notice);
    expect(result.stderr).toBe(notice);
    expect(result.code).toBe(null);
  }, 30_000);

  it('says nothing for a config that loads at once', async () => {
    const dir = await project('export default { offline: true };\n');
    const result = await runBin(dir, ['doc.md']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
  }, 30_000);
});

describe('loadConfig({ slowNotice })', () => {
  it('writes the warning to the given file descriptor once `afterMs` has passed', async () => {
    const dir = await project('await new Promise((resolve) => setTimeout(resolve, 800));\nexport default { retries: 5 };\n');
    const log = await open(path.join(dir, 'stderr.log'), 'w');
    try {
      const { config } = await loadConfig({ cwd: dir, slowNotice: { fd: log.fd, afterMs: 200 } });
      expect(config.retries).toBe(5);
    } finally {
      await log.close();
    }
    expect(await readFile(path.join(dir, 'stderr.log'), 'utf8')).toBe(
      'waymark: waymark.config.mjs: warning: still loading after 0.2 s; a config that never finishes loading hangs the run (Ctrl-C stops it)\n',
    );
  });

  it('writes nothing when the config loads before `afterMs`', async () => {
    const dir = await project('export default { retries: 1 };\n');
    const log = await open(path.join(dir, 'stderr.log'), 'w');
    try {
      await loadConfig({ cwd: dir, slowNotice: { fd: log.fd, afterMs: 500 } });
      await new Promise((resolve) => setTimeout(resolve, 800));
    } finally {
      await log.close();
    }
    expect(await readFile(path.join(dir, 'stderr.log'), 'utf8')).toBe('');
  });
});
