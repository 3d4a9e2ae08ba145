import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { check } from '../src/check/index.js';
import { defaultConfig } from '../src/config/defaults.js';

const dir = mkdtempSync(path.join(tmpdir(), 'waymark-readme-box-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A tree with a root README, `docs/` with a README, `rst/` with a non-markdown one and `bare/` with none. */
function tree(links: string): void {
  mkdirSync(path.join(dir, 'docs'), { recursive: true });
  mkdirSync(path.join(dir, 'rst'), { recursive: true });
  mkdirSync(path.join(dir, 'bare'), { recursive: true });
  mkdirSync(path.join(dir, 'sub'), { recursive: true });
  writeFileSync(path.join(dir, 'README.md'), '# Widgets\n\n## Install\n');
  writeFileSync(path.join(dir, 'docs', 'README.md'), '# Docs\n');
  writeFileSync(path.join(dir, 'rst', 'README.rst'), 'Rst\n===\n');
  writeFileSync(path.join(dir, 'bare', 'file.txt'), 'x\n');
  writeFileSync(path.join(dir, 'sub', 'page.md'), links);
}

async function findings(): Promise<string[]> {
  const config = { ...defaultConfig, offline: true, repository: 'acme/widgets', defaultBranch: 'main' };
  const report = await check({ cwd: dir, paths: ['sub/page.md'], config });
  return report.findings.map((f) => `${f.range.start.line} ${f.ruleId} ${f.message}`);
}

describe('#readme, the box in which GitHub renders a directory README', () => {
  it('is found on every directory that has a README, the repository root included', async () => {
    tree(
      [
        '[a](../docs/#readme)',
        '[b](../docs#readme)',
        '[c](../rst/#readme)',
        '[d](../#readme)',
        '[e](/#readme)',
        '[f](./../#README)',
        '[g](https://github.com/acme/widgets#readme)',
        '[h](https://github.com/Acme/widgets/#readme)',
        '[i](https://github.com/acme/widgets/tree/main/docs#readme)',
        '[j](https://github.com/acme/widgets?tab=readme-ov-file#install)',
        '',
      ].join('\n\n'),
    );
    expect(await findings()).toEqual([]);
  });

  it('is still wrong where there is no README box or the name is another heading', async () => {
    tree(
      [
        '[a](../docs/#readm)',
        '[b](../README.md#readme)',
        '[c](https://github.com/acme/widgets#nope)',
        '[d](https://github.com/acme/widgets#install)',
        '[e](https://github.com/acme/widgets?tab=readme-ov-file#nope)',
        '[f](https://github.com/acme/widgets?tab=other#nope)',
        '',
      ].join('\n\n'),
    );
    expect(await findings()).toEqual([
      '1 missing-anchor Cannot find heading `#readm` in `docs/README.md`',
      '3 missing-anchor Cannot find heading `#readme` in `README.md`',
      '5 missing-anchor Cannot find heading `#nope` in `README.md`',
      '9 missing-anchor Cannot find heading `#nope` in `README.md`',
    ]);
  });

  it('on a directory without a README stays unverifiable, not found', async () => {
    tree('[a](../bare/#readme)\n');
    const found = await findings();
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^1 unverifiable /);
  });
});
