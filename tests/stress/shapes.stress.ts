import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tempTree } from '../helpers/cli.js';

const bin = fileURLToPath(new URL('../../dist/cli/bin.js', import.meta.url));
let tree: Awaited<ReturnType<typeof tempTree>>;

/** `count` undefined full references `[t][uN]`, ten to a line, in one paragraph. */
function undefinedReferences(count: number): string {
  const lines: string[] = [];
  for (let i = 0; i < count; i += 10) {
    lines.push(Array.from({ length: 10 }, (_, j) => `[t][u${i + j}]`).join(' '));
  }
  return `${lines.join('\n')}\n`;
}

/** One line of inline links, `bytes` long or a little more. */
function lineOfLinks(bytes: number): string {
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length < bytes; i++) {
    const part = `[l${i}](https://example.test/${i}) `;
    parts.push(part);
    length += part.length;
  }
  return `${parts.join('')}\n`;
}

const columns = 50_000;

// Issue 9: each of these stalled the parser for minutes or ran it out of memory.
const cases = [
  {
    name: "10,000 '- ' then x on one line (20 KB; took 109 s)",
    file: 'dashes.md',
    text: `${'- '.repeat(10_000)}x\n`,
    notice: 'waymark: dashes.md:1:20001: warning: Unexpected nesting deeper than 100 levels; file skipped',
  },
  {
    name: '50,000 [ then 50,000 ] then (x) (100 KB; took 46 s)',
    file: 'brackets.md',
    text: `${'['.repeat(50_000)}${']'.repeat(50_000)}(x)\n`,
    notice: 'waymark: brackets.md:1:1: warning: Unexpected `[` brackets nested too deeply: over 10,000,000 bracketed characters in one paragraph; file skipped',
  },
  {
    name: '100,000 undefined [t][uN] in one paragraph (1.2 MB; ran over 300 s)',
    file: 'refs.md',
    text: undefinedReferences(100_000),
    notice: 'waymark: refs.md:1:1: warning: Unexpected paragraph with over 10,000 unlinked `]`, `*`, `_` or `~`; file skipped',
  },
  {
    name: 'a 50,000-column table (2.2 MB; ran out of memory)',
    file: 'table.md',
    text: `${[`|${'a|'.repeat(columns)}`, `|${'-|'.repeat(columns)}`, ...Array.from({ length: 20 }, () => `|${'b|'.repeat(columns)}`)].join('\n')}\n`,
    notice: 'waymark: table.md:2:1: warning: Unexpected table of 50,000 columns, over the 1,000-column limit; file skipped',
  },
  {
    name: 'a 9 MB single line of links (ran out of memory)',
    file: 'line.md',
    text: lineOfLinks(9 * 1024 * 1024),
    notice: /^waymark: line\.md:1:1: warning: Unexpected line of [\d,]+ characters, over the 500,000 limit; file skipped$/,
  },
];

beforeAll(async () => {
  tree = await tempTree(Object.fromEntries(cases.map(({ file, text }) => [file, text])));
});
afterAll(async () => {
  await tree.cleanup();
});

for (const { name, file, text, notice } of cases) {
  it(`skips ${name} with a positioned notice, under 20 s and 512 MB`, () => {
    expect(text.length).toBeGreaterThan(15_000);
    const started = performance.now();
    const result = spawnSync('/usr/bin/time', ['-v', process.execPath, bin, '--offline', '--no-config', file], {
      cwd: tree.dir,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const seconds = (performance.now() - started) / 1000;
    const rssKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr)?.[1]);
    console.log(`${file} (${(text.length / 1024 / 1024).toFixed(2)} MB): ${seconds.toFixed(1)} s, peak RSS ${(rssKb / 1024).toFixed(0)} MB`);
    expect(result.status).toBe(0);
    const warnings = result.stderr.split('\n').filter((line) => line.startsWith('waymark:'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(notice);
    expect(rssKb).toBeGreaterThan(0);
    expect(rssKb).toBeLessThan(512 * 1024);
    expect(seconds).toBeLessThan(20);
  });
}
