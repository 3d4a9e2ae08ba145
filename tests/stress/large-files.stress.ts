import { spawnSync } from 'node:child_process';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tempTree } from '../helpers/cli.js';

const bin = fileURLToPath(new URL('../../dist/cli/bin.js', import.meta.url));
let tree: Awaited<ReturnType<typeof tempTree>>;

beforeAll(async () => {
  // Issue 9: four 1 GB sparse files were read whole before being skipped (4.3 GB peak).
  tree = await tempTree({ 'ok.md': '# Fine\n' });
  for (let i = 0; i < 4; i++) {
    const handle = await open(path.join(tree.dir, `big-${i}.md`), 'w');
    await handle.truncate(1024 ** 3);
    await handle.close();
  }
});
afterAll(async () => {
  await tree.cleanup();
});

it('skips four 1 GB files without reading them, well under 300 MB peak', () => {
  const result = spawnSync('/usr/bin/time', ['-v', process.execPath, bin, '--offline', '--no-config', '.'], {
    cwd: tree.dir,
    encoding: 'utf8',
  });
  const rssKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr)?.[1]);
  console.log(`four 1 GB files: peak RSS ${(rssKb / 1024).toFixed(0)} MB`);
  expect(result.status).toBe(0);
  expect(result.stderr.match(/Unexpected file size 1024\.0 MB, over the 10 MB limit; file skipped/g)).toHaveLength(4);
  expect(rssKb).toBeGreaterThan(0);
  expect(rssKb).toBeLessThan(300 * 1024);
});
