import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../dist/cli/bin.js', import.meta.url));
const files = 2000;
const perFile = 50;
let dir: string;

beforeAll(async () => {
  // Issue 9: a run over 200,000 links must stay under 1 GB peak (it once peaked at about 2.5 GB).
  dir = await mkdtemp(path.join(tmpdir(), 'waymark-200k-'));
  for (let f = 0; f < files; f++) {
    const lines = Array.from(
      { length: perFile },
      (_, i) => `- [Item ${i}](https://host${i % 50}.example.com/page/${f}/${i}) and [next](file-${(f + 1) % files}.md#section)`,
    );
    await writeFile(path.join(dir, `file-${f}.md`), `# File ${f}\n\n## Section\n\n${lines.join('\n')}\n`);
  }
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('checks 200,000 links across 2,000 files offline under 1 GB peak and two minutes', () => {
  const started = performance.now();
  const result = spawnSync('/usr/bin/time', ['-v', process.execPath, bin, '--offline', '--no-config', '.'], { cwd: dir, encoding: 'utf8' });
  const seconds = (performance.now() - started) / 1000;
  const rssKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr)?.[1]);
  console.log(`200,000 links: ${seconds.toFixed(1)} s, peak RSS ${(rssKb / 1024).toFixed(0)} MB`);
  expect(result.status).toBe(0);
  expect(result.stdout).toContain('No problems in 2000 files (200000 links, 100000 unique URLs)');
  expect(rssKb).toBeGreaterThan(0);
  expect(rssKb).toBeLessThan(1024 * 1024);
  expect(seconds).toBeLessThan(120);
}, 180_000);
