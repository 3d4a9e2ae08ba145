import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempTree } from './helpers/cli.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = path.join(here, '..', 'dist', 'cli', 'bin.js');
const preload = path.join(here, 'fixtures', 'signals', 'slow-rename.mjs');

let tree: Awaited<ReturnType<typeof tempTree>>;
beforeEach(async () => {
  tree = await tempTree({ 'README.md': '# Title\n\n[gone](#nowhere)\n' });
});
afterEach(() => tree.cleanup());

/** Runs the built CLI; sends `signal` when it starts renaming `when` into place. */
function runUntil(
  when: string,
  signal: NodeJS.Signals,
  args: readonly string[],
): Promise<{ code: number | null; stderr: string; tempsAtSignal: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', preload, bin, ...args], {
      cwd: tree.dir,
      env: { ...process.env, WAYMARK_TEST_SLOW_RENAME: when },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    let tempsAtSignal: string[] = [];
    let sent = false;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!sent && stderr.includes(`renaming ${when}`)) {
        sent = true;
        void tempFiles().then((found) => {
          tempsAtSignal = found;
          child.kill(signal);
        }, reject);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr, tempsAtSignal }));
  });
}

const tempFiles = async () => (await readdir(tree.dir)).filter((name) => name.endsWith('.tmp'));

describe('signals while reports are written', () => {
  for (const [signal, code] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
    it(`${signal} removes the temporary file and exits ${code}; earlier reports are complete`, async () => {
      const args = ['--offline', '--no-parse-cache', '-o', 'json:first.json', '-o', 'sarif:second.sarif', '-o', 'markdown:third.md', 'README.md'];
      const result = await runUntil('second.sarif', signal, args);
      expect(result.tempsAtSignal).toHaveLength(1);
      expect(result.code).toBe(code);
      expect(await tempFiles()).toEqual([]);
      const names = (await readdir(tree.dir)).sort();
      // Reports are written in command-line order: the first is whole, the interrupted one and the rest are absent.
      expect(names).toEqual(['README.md', 'first.json']);
      expect(JSON.parse(await readFile(path.join(tree.dir, 'first.json'), 'utf8'))).toHaveProperty('summary');
    }, 15_000);
  }
});
