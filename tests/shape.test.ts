import { describe, expect, it } from 'vitest';
import { findShapeProblem, maxLineLength, maxParagraphLength, maxParagraphMarkers, maxParagraphWords, maxTableCells, maxTableColumns } from '../src/collect/shape.js';
import { parseMarkdown } from '../src/extract/parse.js';
import type { JsonReport } from '../src/report/index.js';
import { runCli, tempTree } from './helpers/cli.js';

/** Where the shape check stops a file, or `undefined` when it lets the file through. */
function at(text: string): string | undefined {
  const problem = findShapeProblem(text);
  return problem === undefined ? undefined : `${problem.kind} ${problem.line}:${problem.column}`;
}

/** `count` undefined full references `[t][uN]`, ten to a line, in one paragraph. */
function undefinedReferences(count: number): string {
  const lines: string[] = [];
  for (let i = 0; i < count; i += 10) {
    lines.push(Array.from({ length: Math.min(10, count - i) }, (_, j) => `[t][u${i + j}]`).join(' '));
  }
  return `${lines.join('\n')}\n`;
}

/** A table with `columns` columns and `rows` body rows. */
function table(columns: number, rows: number, cell = 'b'): string {
  return [`|${' a |'.repeat(columns)}`, `|${' - |'.repeat(columns)}`, ...Array.from({ length: rows }, () => `|${` ${cell} |`.repeat(columns)}`)].join('\n');
}

describe('nesting on one line', () => {
  it('counts list markers and blockquote markers on the same line, at the first character after them', () => {
    expect(at(`${'- '.repeat(150)}x\n`)).toBe('too-deep 1:301');
    expect(at(`${'* '.repeat(101)}x\n`)).toBe('too-deep 1:203');
    expect(at(`${'1. '.repeat(150)}x\n`)).toBe('too-deep 1:451');
    expect(at(`${'2) '.repeat(150)}x\n`)).toBe('too-deep 1:451');
    expect(at(`# Title\n\n${'> - '.repeat(60)}x\n`)).toBe('too-deep 3:241');
    expect(at(`${'>'.repeat(3000)} [x](#nope)\n`)).toBe('too-deep 1:3002');
  });

  it('lets through ordinary nesting and a long thematic break', () => {
    expect(at(`${'- '.repeat(100)}x\n`)).toBeUndefined();
    const list = Array.from({ length: 10 }, (_, i) => `${'  '.repeat(i)}- level ${i} [l](#a)`).join('\n');
    expect(at(`${list}\n`)).toBeUndefined();
    expect(at('> - quoted item\n>   - nested\n> > 1. deeper\n')).toBeUndefined();
    const rule = '- '.repeat(200).trimEnd();
    expect(at(`text\n\n${rule}\n`)).toBeUndefined();
    expect(parseMarkdown(`text\n\n${rule}\n`).children.map((node) => node.type)).toEqual(['paragraph', 'thematicBreak']);
    expect(at('2024. was a year\n')).toBeUndefined();
  });
});

describe('nested brackets', () => {
  it('stops a run of `[` whose `]` read back over more than 10 million characters, at its outermost `[`', () => {
    expect(at(`${'['.repeat(4000)}${']'.repeat(4000)}(x)\n`)).toBe('too-complex 1:1');
    expect(at(`Intro.\n\nSee ${'['.repeat(4000)}\n${']'.repeat(4000)}\n`)).toBe('too-complex 3:5');
  });

  it('lets through ordinary brackets, unclosed runs and runs split by blank lines', () => {
    expect(at('[[x]] and [a [nested] label](https://example.test) and \\[escaped\\]\n')).toBeUndefined();
    expect(at(`${'['.repeat(3000)}${']'.repeat(3000)}\n`)).toBeUndefined();
    expect(at(`${'['.repeat(100_000)}x\n`)).toBeUndefined();
    expect(at(`${'['.repeat(4000)}\n\n${']'.repeat(4000)}\n`)).toBeUndefined();
  });
});

describe('markup the parser gives up on, many times in one paragraph', () => {
  it(`stops a paragraph with over ${maxParagraphMarkers} undefined references, unmatched \`_\` or \`*\`, at its start`, () => {
    expect(at(`# Refs\n\n${undefinedReferences(maxParagraphMarkers / 2 + 1)}`)).toBe('too-complex 3:1');
    expect(at(`${'a_b '.repeat(maxParagraphMarkers + 1)}\n`)).toBe('too-complex 1:1');
    expect(at(`> ${'2 * 3 '.repeat(maxParagraphMarkers + 1)}\n`)).toBe('too-complex 1:3');
  });

  it('lets through as many split over paragraphs, list items or table rows, and link destinations, code and tags', () => {
    expect(at(undefinedReferences(maxParagraphMarkers / 2))).toBeUndefined();
    expect(at(`${'a_b '.repeat(9000)}\n\n${'a_b '.repeat(9000)}\n`)).toBeUndefined();
    // A curated list: 24,000 items, each with emphasis and snake_case.
    const list = Array.from({ length: 24_000 }, (_, i) => `- [**tool_${i}**](https://github.com/o/tool_${i}) - *fast* snake_case`).join('\n');
    expect(at(`${list}\n`)).toBeUndefined();
    const links = Array.from({ length: 2000 }, (_, i) => `[a](https://e.test/a_b_c_d_e_f_g_${i}) <https://e.test/x_y> <img src="a_b_c.png">`).join('\n');
    expect(at(`${links}\n`)).toBeUndefined();
    expect(at(`\`\`\`\n${'snake_case_name\n'.repeat(20_000)}\`\`\`\n`)).toBeUndefined();
    expect(at(`- item\n\n  \`\`\`\n${'  snake_case_name\n'.repeat(20_000)}  \`\`\`\n`)).toBeUndefined();
    expect(at(`${table(4, 10_000, '_a_ b_c')}\n`)).toBeUndefined();
  });

  it('counts again where a fence is not one or has ended with its blockquote or list item', () => {
    const refs = undefinedReferences(maxParagraphMarkers);
    expect(at(`\`\`\`inline\`\`\` code\n${refs}`)).toBe('too-complex 1:1');
    expect(at(`> \`\`\`\n\n${refs}`)).toBe('too-complex 3:1');
    expect(at(`- item\n\n  \`\`\`\n  code\n\n${refs}`)).toBe('too-complex 6:1');
    expect(at(`- item\n\n${refs.replace(/^/gm, '    ')}`)).toBe('too-complex 3:5');
  });
});

describe('paragraph length', () => {
  const words = 'word word word word word word word word word word word word word word word\n';

  it(`stops a paragraph over ${maxParagraphLength.toLocaleString('en-US')} characters or ${maxParagraphWords.toLocaleString('en-US')} words at its start`, () => {
    // 1.1 million characters in 100,000 words.
    expect(at(`# Notes\n\n${`${'longerword '.repeat(10)}\n`.repeat(maxParagraphLength / 100)}`)).toBe('too-complex 3:1');
    expect(at(`- ${`${'a '.repeat(100)}\n`.repeat(maxParagraphWords / 100 + 1)}`)).toBe('too-complex 1:3');
    expect(at(`<a href="x">\n${words.repeat(maxParagraphWords / 15 + 1)}`)).toBe('too-complex 1:1');
  });

  it('lets through long text split into paragraphs or list items, long HTML blocks and many inline tags', () => {
    expect(at(`${words.repeat(10_000)}\n${words.repeat(10_000)}`)).toBeUndefined();
    expect(at(`- ${words.repeat(20_000)}`.replace(/\nword/g, '\n- word'))).toBeUndefined();
    const contributors = Array.from({ length: 2000 }, (_, i) => `<td align="center"><a href="https://github.com/u${i}"><img src="https://avatars.example.test/u${i}?v=4&s=100" width="100px;" alt=""/><br /><sub><b>user_${i}</b></sub></a></td>`);
    expect(at(`# Contributors\n\n<table>\n  <tr>\n${contributors.join('\n')}\n  </tr>\n</table>\n`)).toBeUndefined();
    expect(at('<a href="#x">t\n'.repeat(50_000))).toBeUndefined();
  });
});

describe('table width', () => {
  it(`stops a table over ${maxTableColumns} columns at its delimiter row, or at a row that wide`, () => {
    expect(at(`Intro\n\n${table(maxTableColumns + 1, 2)}\n`)).toBe('too-complex 4:1');
    expect(at(`${table(3, 2)}\n|${'c|'.repeat(maxTableColumns + 1)}\n`)).toBe('too-complex 5:1');
  });

  it(`stops a table of over ${maxTableCells.toLocaleString('en-US')} cells, however it is shaped, at its delimiter row`, () => {
    expect(at(`${table(10, maxTableCells / 10 - 1)}\n`)).toBe('too-complex 2:1');
    expect(at(`Intro\n${table(maxTableColumns, maxTableCells / maxTableColumns - 1)}\n`)).toBe('too-complex 3:1');
    // Rows wider than the header count as they are.
    expect(at(`| a |\n| - |\n${`|${' b |'.repeat(900)}\n`.repeat(112)}`)).toBe('too-complex 2:1');
  });

  it('lets through ordinary tables and a paragraph full of pipes', () => {
    expect(at(`${table(10, maxTableCells / 10 - 2)}\n\n${table(10, maxTableCells / 10 - 2)}\n`)).toBeUndefined();
    expect(at(`${table(10, 5000, '[x](https://example.test/x)')}\n`)).toBeUndefined();
    expect(at(`${table(maxTableColumns, 3)}\n`)).toBeUndefined();
    expect(at(`${'a | '.repeat(5000)}\n`)).toBeUndefined();
  });
});

describe('line length', () => {
  it(`stops a line over ${maxLineLength.toLocaleString('en-US')} characters`, () => {
    expect(at(`# Links\n${'[l](https://e.test/) '.repeat(maxLineLength / 20)}\n`)).toBe('too-complex 2:1');
  });

  it('lets through a line at the limit and a longer one in fenced code', () => {
    expect(at(`${'x'.repeat(maxLineLength)}\n`)).toBeUndefined();
    expect(at(`~~~\n${'x'.repeat(maxLineLength + 1)}\n~~~\n`)).toBeUndefined();
  });
});

it('reads a 10 MB file in linear time', () => {
  const text = `${'- [**a_b**](https://example.test/a_b) [[x]] | '.repeat(20)}\n`.repeat(10_000);
  const started = performance.now();
  expect(findShapeProblem(text)).toBeUndefined();
  expect(performance.now() - started).toBeLessThan(1000);
});

it('reports each skipped shape as a one-line positioned warning and a JSON notice, and checks the other files', async () => {
  const tree = await tempTree({
    'dashes.md': `${'- '.repeat(2000)}x\n`,
    'brackets.md': `Text\n\n${'['.repeat(5000)}${']'.repeat(5000)}(x)\n`,
    'refs.md': undefinedReferences(20_000),
    'table.md': table(2000, 3),
    'line.md': `${'[l](https://e.test/) '.repeat(30_000)}\n`,
    'fine.md': `${table(10, 3)}\n\n[[x]] [gone](#nope)\n`,
  });
  try {
    const text = await runCli(tree.dir, ['--offline']);
    expect(text.code).toBe(1);
    expect(text.stderr.split('\n')).toEqual([
      'waymark: brackets.md:3:1: warning: Unexpected `[` brackets nested too deeply: over 10,000,000 bracketed characters in one paragraph; file skipped',
      'waymark: dashes.md:1:4001: warning: Unexpected nesting deeper than 100 levels; file skipped',
      'waymark: line.md:1:1: warning: Unexpected line of 630,000 characters, over the 500,000 limit; file skipped',
      'waymark: refs.md:1:1: warning: Unexpected paragraph with over 10,000 unlinked `]`, `*`, `_` or `~`; file skipped',
      'waymark: table.md:2:1: warning: Unexpected table of 2,000 columns, over the 1,000-column limit; file skipped',
      '',
    ]);
    expect(text.stdout.split('\n')[0]).toBe('fine.md:7:7  error  missing-anchor  Cannot find heading `#nope`');

    const json = await runCli(tree.dir, ['--offline', '--format', 'json']);
    const report = JSON.parse(json.stdout) as JsonReport;
    expect(report.notices.map(({ kind, file, line, column }) => [kind, file, line, column])).toEqual([
      ['too-complex', 'brackets.md', 3, 1],
      ['too-deep', 'dashes.md', 1, 4001],
      ['too-complex', 'line.md', 1, 1],
      ['too-complex', 'refs.md', 1, 1],
      ['too-complex', 'table.md', 2, 1],
    ]);
  } finally {
    await tree.cleanup();
  }
});
