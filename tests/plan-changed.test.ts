import { describe, expect, it } from 'vitest';
import { extractDocument } from '../src/extract/index.js';
import { parseNameStatus, parsePatch, unquoteC, type FileChange } from '../src/io/git.js';
import { changedLinks, selectChanged, touches, type LinkingFile } from '../src/plan/changed.js';
import type { LinkTarget, Range } from '../src/types.js';

/** A range from line `first` column 1 to line `last`, column `endColumn`. */
function lines(first: number, last = first, endColumn = 10): { range: Range } {
  return {
    range: { start: { line: first, column: 1, offset: 0 }, end: { line: last, column: endColumn, offset: 0 } },
  };
}

describe('parsePatch', () => {
  it('reads the new side of each hunk header by file, a missing count meaning one line', () => {
    const patch = [
      'diff --git a/a.md b/a.md',
      'index 1111111..2222222 100644',
      '--- a/a.md',
      '+++ b/a.md',
      '@@ -3 +3 @@ ## Heading',
      '-old',
      '+new',
      '@@ -10,2 +9,0 @@',
      '-gone',
      '-gone too',
      '@@ -20,0 +19,3 @@ some context',
      '+@@ -1 +1 @@ a line that looks like a header',
      '++++ b/not-a-file.md',
      '+c',
      'diff --git a/old.md b/new.md',
      'similarity index 100%',
      'rename from old.md',
      'rename to new.md',
      'diff --git a/moved.md b/docs/moved.md',
      'similarity index 90%',
      'rename from moved.md',
      'rename to docs/moved.md',
      'index 3333333..4444444 100644',
      '--- a/moved.md',
      '+++ b/docs/moved.md',
      '@@ -2,0 +3 @@',
      '+added',
      '',
    ].join('\n');
    expect(Object.fromEntries(parsePatch(patch))).toEqual({
      'a.md': [
        { start: 3, count: 1 },
        { start: 9, count: 0 },
        { start: 19, count: 3 },
      ],
      'docs/moved.md': [{ start: 3, count: 1 }],
    });
  });

  it('reads names as git writes them: raw non-ASCII, a tab after a name with a space, C-quoting', () => {
    // Header lines as `git -c core.quotePath=false diff -U0` writes them.
    const file = (header: string): string => `diff --git x y\n--- ${header.replace('b/', 'a/')}\n+++ ${header}\n@@ -1,0 +2 @@ a\n+b\n`;
    const patch = [
      file('b/café.md'),
      file('b/my notes.md\t'),
      file('"b/q\\"x.md"'),
      file('"b/tab\\tname.md"'),
      file('"b/octal \\303\\251.md"'),
      file('"b/back\\\\slash.md"'),
    ].join('');
    expect([...parsePatch(patch).keys()]).toEqual(['café.md', 'my notes.md', 'q"x.md', 'tab\tname.md', 'octal é.md', 'back\\slash.md']);
  });

  it('skips a deleted file and gives nothing for an empty diff', () => {
    expect(parsePatch('diff --git a/x.md b/x.md\ndeleted file mode 100644\n--- a/x.md\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n').size).toBe(0);
    expect(parsePatch('').size).toBe(0);
  });
});

describe('unquoteC', () => {
  it('undoes C-style quoting, octal escapes as UTF-8 bytes', () => {
    expect(unquoteC('"a\\tb\\n\\"c\\"\\\\d"')).toBe('a\tb\n"c"\\d');
    expect(unquoteC('"caf\\303\\251"')).toBe('café');
  });
});

describe('parseNameStatus', () => {
  it('reads -z output with exact names: renames, deletions, spaces, non-ASCII and newlines', () => {
    const output = ['M', 'docs/a b.md', 'R087', 'old name.md', 'nouveau/é.md', 'D', 'gone.png', 'A', 'line\nbreak.md', 'T', 'link.md', 'C100', 'x.md', 'y.md', ''].join('\0');
    expect(parseNameStatus(output)).toEqual<FileChange[]>([
      { kind: 'modified', path: 'docs/a b.md' },
      { kind: 'renamed', from: 'old name.md', path: 'nouveau/é.md' },
      { kind: 'deleted', path: 'gone.png' },
      { kind: 'added', path: 'line\nbreak.md' },
      { kind: 'added', path: 'link.md' },
      { kind: 'added', path: 'y.md' },
    ]);
  });

  it('gives nothing for no output', () => {
    expect(parseNameStatus('')).toEqual([]);
  });
});

describe('touches', () => {
  const spans = [
    { start: 3, count: 2 },
    { start: 9, count: 0 },
  ];

  it('meets a link whose lines overlap an added or replaced span', () => {
    expect(touches(spans, lines(3))).toBe(true);
    expect(touches(spans, lines(4))).toBe(true);
    expect(touches(spans, lines(1, 3))).toBe(true);
    expect(touches(spans, lines(2))).toBe(false);
    expect(touches(spans, lines(5))).toBe(false);
  });

  it('meets a link that spans a deletion, not one beside it', () => {
    expect(touches(spans, lines(9, 10))).toBe(true);
    expect(touches(spans, lines(9))).toBe(false);
    expect(touches(spans, lines(10))).toBe(false);
  });

  it('does not count an end at column 1 of the next line', () => {
    expect(touches([{ start: 6, count: 1 }], lines(5, 6, 1))).toBe(false);
    expect(touches([{ start: 6, count: 1 }], lines(5, 6, 2))).toBe(true);
  });

  it('meets nothing without spans', () => {
    expect(touches([], lines(1))).toBe(false);
  });
});

describe('changedLinks', () => {
  const text = [
    '# Doc', // 1
    '', // 2
    '[one](https://one.test/) and [two](https://two.test/)', // 3
    '', // 4
    '[three](https://three.test/)', // 5
    '', // 6
    'A [use][ref] here.', // 7
    '', // 8
    '[ref]: https://ref.test/', // 9
    '', // 10
  ].join('\n');
  const { links } = extractDocument('doc.md', text);
  const urls = (flags: readonly boolean[]): string[] => links.filter((_, i) => flags[i]).map((link) => `${link.kind} ${link.url}`);

  it('marks every link of a file changed throughout', () => {
    expect(changedLinks(links, 'all').every(Boolean)).toBe(true);
  });

  it('marks the links on changed lines, and none for a file with no changed lines', () => {
    expect(urls(changedLinks(links, [{ start: 3, count: 1 }]))).toEqual(['link https://one.test/', 'link https://two.test/']);
    expect(urls(changedLinks(links, []))).toEqual([]);
  });

  it('marks a reference and its definition together when either changed', () => {
    const both = ['link https://ref.test/', 'definition https://ref.test/'];
    expect(urls(changedLinks(links, [{ start: 7, count: 1 }])).sort()).toEqual(both.sort());
    expect(urls(changedLinks(links, [{ start: 9, count: 1 }])).sort()).toEqual(both.sort());
    expect(urls(changedLinks(links, [{ start: 5, count: 1 }]))).toEqual(['link https://three.test/']);
  });
});

describe('selectChanged', () => {
  const local = (target: string, fragment?: string): LinkTarget =>
    fragment === undefined ? { kind: 'local', path: target } : { kind: 'local', path: target, fragment };
  const files: LinkingFile[] = [
    { file: 'a.md', targets: [local('missing.md')] },
    { file: 'b.md', targets: [local('a.md', 'old-heading'), { kind: 'external', url: 'https://x.test/', key: 'https://x.test/' }] },
    { file: 'c.md', targets: [local('old name.md')] },
    { file: 'd.md', targets: [local('logo.png')] },
    { file: 'e.md', targets: [local('docs')] },
    { file: 'f.md', targets: [{ kind: 'same-file', fragment: 'top' }, { kind: 'outside-root', path: 'a.md' }] },
    { file: 'nouveau/é.md', targets: [] },
    { file: 'new.md', targets: [] },
  ];

  it('keeps the changed files with their lines and the files that link into them', () => {
    const selected = selectChanged(files, [
      { kind: 'modified', path: 'a.md', lines: [{ start: 3, count: 1 }] },
      { kind: 'renamed', from: 'old name.md', path: 'nouveau/é.md', lines: [] },
      { kind: 'added', path: 'new.md' },
    ]);
    expect(Object.fromEntries(selected)).toEqual({
      'a.md': [{ start: 3, count: 1 }],
      'nouveau/é.md': [],
      'new.md': 'all',
      'b.md': [],
      'c.md': [],
    });
  });

  it('counts a changed file without line spans as changed throughout', () => {
    expect(selectChanged(files, [{ kind: 'modified', path: 'a.md' }]).get('a.md')).toBe('all');
  });

  it('keeps files linking to a deleted path, or to a directory whose README changed', () => {
    const selected = selectChanged(files, [
      { kind: 'deleted', path: 'logo.png' },
      { kind: 'deleted', path: 'docs/README.md' },
    ]);
    expect([...selected.keys()].sort()).toEqual(['d.md', 'e.md']);
  });

  it('ignores changed paths that were not collected, and keeps nothing when nothing changed', () => {
    expect([...selectChanged(files, [{ kind: 'modified', path: 'elsewhere.md' }]).keys()]).toEqual([]);
    expect(selectChanged(files, []).size).toBe(0);
  });
});
