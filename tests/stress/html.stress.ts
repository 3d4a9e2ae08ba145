import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tempTree } from '../helpers/cli.js';

const bin = fileURLToPath(new URL('../../dist/cli/bin.js', import.meta.url));
const tags = 50_000;
let tree: Awaited<ReturnType<typeof tempTree>>;

beforeAll(async () => {
  // Issue 9: 50,000 inline `<a href="#x">t` in one ~750 KB paragraph ran out of memory at 4.2 GB.
  tree = await tempTree({ 'tags.md': `${Array.from({ length: tags }, () => '<a href="#x">t').join('\n')}\n` });
});
afterAll(async () => {
  await tree.cleanup();
});

it(`checks ${tags.toLocaleString('en')} unclosed inline <a> tags in one paragraph under 1 GB and a minute`, () => {
  const started = performance.now();
  const result = spawnSync('/usr/bin/time', ['-v', process.execPath, bin, '--offline', '--no-config', '--format', 'json', 'tags.md'], {
    cwd: tree.dir,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const seconds = (performance.now() - started) / 1000;
  const rssKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr)?.[1]);
  console.log(`${tags} tags: ${seconds.toFixed(1)} s, peak RSS ${(rssKb / 1024).toFixed(0)} MB`);
  // Every `#x` is a missing anchor: exit 1 with one finding per tag, not a crash.
  expect(result.status).toBe(1);
  const report = JSON.parse(result.stdout) as { findings: { ruleId: string }[] };
  expect(report.findings).toHaveLength(tags);
  expect(report.findings.every((finding) => finding.ruleId === 'missing-anchor')).toBe(true);
  expect(rssKb).toBeGreaterThan(0);
  expect(rssKb).toBeLessThan(1024 * 1024);
  expect(seconds).toBeLessThan(60);
});
