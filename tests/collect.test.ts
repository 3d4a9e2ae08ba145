import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeSource, maxBytes } from '../src/collect/decode.js';
import { collectFiles, toPosix } from '../src/collect/index.js';
import { InputError } from '../src/errors.js';
import { type FileSystem, nodeFileSystem } from '../src/io/fs.js';
import { LocalResolver, isMarkdownPath, pickReadme } from '../src/resolve/local.js';

let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'waymark-collect-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** Writes `files` (paths relative to a new directory under the scratch dir) and returns that directory. */
async function tree(name: string, files: Record<string, string | Uint8Array>): Promise<string> {
  const dir = path.join(scratch, name);
  await mkdir(dir, { recursive: true });
  for (const [file, content] of Object.entries(files)) {
    const full = path.join(dir, file);
    await mkdir(path.dirname(full), { recursive: true });
    await writeFile(full, content);
  }
  return dir;
}

/** Collects in `cwd` from the real disk. */
function collect(cwd: string, paths: readonly string[] = [], exclude: readonly string[] = []): Promise<string[]> {
  return collectFiles({ cwd, paths, exclude, fs: nodeFileSystem });
}

describe('collectFiles: what a directory search finds', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tree('search', {
      'README.md': '# Top\n',
      'B.md': '# Upper case sorts first\n',
      'notes.txt': 'not markdown\n',
      'NOTES.MD': '# Upper-case extension\n',
      'docs/guide.md': '# Guide\n',
      'docs/deep/more.markdown': '# More\n',
      'docs/deep/data.json': '{}\n',
      'node_modules/pkg/README.md': '# Dependency\n',
      'docs/node_modules/pkg/README.md': '# Nested dependency\n',
      '.git/description.md': '# Inside .git\n',
      '.github/CONTRIBUTING.md': '# Contributing\n',
      '.github/ISSUE_TEMPLATE/bug.md': '# Bug\n',
      '.gitignore': 'build/\n*.draft.md\n/only-top.md\nvendor/\n',
      'build/out.md': '# Build output\n',
      'plan.draft.md': '# Draft\n',
      'only-top.md': '# Ignored at the top only\n',
      'docs/only-top.md': '# Anchored pattern does not reach here\n',
      'docs/.gitignore': 'scratch/\nlocal.md\n!keep.draft.md\n',
      'docs/scratch/a.md': '# Scratch\n',
      'docs/local.md': '# Local\n',
      'local.md': '# Not ignored at the top\n',
      'docs/keep.draft.md': '# Re-included by the nested file\n',
      'docs/other.draft.md': '# Still ignored by the top file\n',
      'vendor/.gitignore': '!*.md\n',
      'vendor/lib.md': '# In a directory the top file ignores\n',
    });
    await symlink(path.join(dir, 'docs'), path.join(dir, 'docs-link'));
  });

  it('defaults to `.` and skips .git, node_modules and what root and nested .gitignore files ignore', async () => {
    expect(await collect(dir)).toEqual([
      '.github/CONTRIBUTING.md',
      '.github/ISSUE_TEMPLATE/bug.md',
      'B.md',
      'README.md',
      'docs/deep/more.markdown',
      'docs/guide.md',
      'docs/keep.draft.md',
      'docs/only-top.md',
      'local.md',
    ]);
  });

  it('gives the same files for an explicit `.`, `./` and the absolute path of cwd', async () => {
    const expected = await collect(dir);
    expect(await collect(dir, ['.'])).toEqual(expected);
    expect(await collect(dir, ['./'])).toEqual(expected);
    expect(await collect(dir, [dir])).toEqual(expected);
  });

  it('searches only a named directory, relative to cwd', async () => {
    expect(await collect(dir, ['docs'])).toEqual(['docs/deep/more.markdown', 'docs/guide.md', 'docs/keep.draft.md', 'docs/only-top.md']);
    expect(await collect(path.join(dir, 'docs'), ['deep'])).toEqual(['deep/more.markdown']);
  });

  it('applies the .gitignore files of a named directory and its parents', async () => {
    expect(await collect(dir, ['build', 'vendor', 'docs/scratch'])).toEqual([]);
  });

  it('collects an explicitly named file whatever its extension and even when ignored', async () => {
    expect(await collect(dir, ['notes.txt', 'NOTES.MD', 'build/out.md', 'node_modules/pkg/README.md'])).toEqual([
      'NOTES.MD',
      'build/out.md',
      'node_modules/pkg/README.md',
      'notes.txt',
    ]);
  });

  it('lists each file once however often it is named', async () => {
    expect(await collect(dir, ['docs/guide.md', './docs/guide.md', 'docs', 'docs/*.md', `${dir}/docs/guide.md`])).toEqual([
      'docs/deep/more.markdown',
      'docs/guide.md',
      'docs/keep.draft.md',
      'docs/only-top.md',
    ]);
  });

  it('expands globs, dropping ignored matches', async () => {
    expect(await collect(dir, ['docs/**/*.md'])).toEqual(['docs/guide.md', 'docs/keep.draft.md', 'docs/only-top.md']);
    expect(await collect(dir, ['*.txt', '**/*.json'])).toEqual(['docs/deep/data.json', 'notes.txt']);
    expect(await collect(dir, ['**/*.draft.md'])).toEqual(['docs/keep.draft.md']);
  });

  it('normalises globs written with `./` or `..` before matching .gitignore and exclude rules', async () => {
    expect(await collect(dir, ['./docs/*.md'])).toEqual(['docs/guide.md', 'docs/keep.draft.md', 'docs/only-top.md']);
    expect(await collect(dir, ['./*.md', './docs/*.md'], ['docs/guide.md'])).toEqual([
      'B.md',
      'README.md',
      'docs/keep.draft.md',
      'docs/only-top.md',
      'local.md',
    ]);
  });

  it('leaves files outside cwd to the user: no .gitignore filters them', async () => {
    expect(await collect(path.join(dir, 'docs'), ['../*.md'])).toEqual(['../B.md', '../README.md', '../local.md', '../only-top.md', '../plan.draft.md']);
  });

  it('finds nothing, without an error, for a glob that matches nothing', async () => {
    expect(await collect(dir, ['nothing/**/*.md'])).toEqual([]);
  });

  it('drops files matching `exclude` globs, named or found', async () => {
    expect(await collect(dir, [], ['docs/deep/**', '.github'])).toEqual([
      'B.md',
      'README.md',
      'docs/guide.md',
      'docs/keep.draft.md',
      'docs/only-top.md',
      'local.md',
    ]);
    expect(await collect(dir, ['notes.txt', 'README.md'], ['*.txt'])).toEqual(['README.md']);
  });

  it('follows a symbolic link to a directory only when it is named', async () => {
    expect((await collect(dir)).filter((file) => file.startsWith('docs-link/'))).toEqual([]);
    expect(await collect(dir, ['docs-link'])).toEqual(['docs-link/deep/more.markdown', 'docs-link/guide.md', 'docs-link/keep.draft.md', 'docs-link/only-top.md']);
  });
});

describe('collectFiles: named paths', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tree('named', {
      'a[1].md': '# Brackets in the name\n',
      'a1.md': '# What the glob would match\n',
      'docs/guide.md': '# Guide\n',
      'other/x.md': '# Outside cwd\n',
    });
  });

  it('throws an InputError naming a path that does not exist', async () => {
    const error = await collect(dir, ['docs/guide.md', 'nope.md']).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ name: 'InputError', where: 'nope.md', message: 'Cannot find file or directory' });
    await expect(collect(dir, ['missing/dir'])).rejects.toMatchObject({ where: 'missing/dir', message: 'Cannot find file or directory' });
  });

  it('takes an existing path literally even when it looks like a glob', async () => {
    expect(await collect(dir, ['a[1].md'])).toEqual(['a[1].md']);
    expect(await collect(dir, ['a[0-9].md'])).toEqual(['a1.md']);
  });

  it('gives files outside cwd relative to it with `..`', async () => {
    const cwd = path.join(dir, 'docs');
    expect(await collect(cwd, ['../other'])).toEqual(['../other/x.md']);
    expect(await collect(cwd, [path.join(dir, 'other', 'x.md')])).toEqual(['../other/x.md']);
  });
});

describe('collectFiles: .gitignore files above cwd', () => {
  let top: string;
  beforeAll(async () => {
    top = await tree('worktree', {
      '.gitignore': 'generated/\nsite/\n',
      'docs/guide.md': '# Guide\n',
      'docs/generated/api.md': '# Generated\n',
      'site/index.md': '# Site\n',
      'site/pages/about.md': '# About\n',
    });
    await mkdir(path.join(top, '.git'));
  });

  it('applies the work tree top .gitignore when run from a subdirectory', async () => {
    expect(await collect(path.join(top, 'docs'))).toEqual(['guide.md']);
  });

  it('still checks files when cwd is itself an ignored directory', async () => {
    expect(await collect(path.join(top, 'site'))).toEqual(['index.md', 'pages/about.md']);
  });

  it('reads no .gitignore above cwd outside a work tree', async () => {
    const outside = await tree('no-worktree', { '.gitignore': 'docs/\n', 'docs/guide.md': '# Guide\n' });
    expect(await collect(path.join(outside, 'docs'))).toEqual(['guide.md']);
    expect(await collect(outside)).toEqual([]);
  });
});

describe('toPosix', () => {
  it('joins the platform separator as `/`', () => {
    expect(toPosix(['a', 'b', 'c.md'].join(path.sep))).toBe('a/b/c.md');
  });
});

describe('decodeSource', () => {
  it('skips a file over the size limit with a notice, and reads one at the limit', () => {
    const big = new Uint8Array(maxBytes + 1).fill(0x61);
    expect(decodeSource('big.md', big)).toEqual({
      kind: 'notice',
      notice: { kind: 'too-large', file: 'big.md', message: 'Unexpected file size 10.0 MB, over the 10 MB limit; file skipped' },
    });
    expect(decodeSource('edge.md', big.subarray(1)).kind).toBe('text');
  });

  const bytes = (...values: readonly (string | number)[]): Uint8Array =>
    new Uint8Array(values.flatMap((value) => (typeof value === 'string' ? [...Buffer.from(value, 'utf8')] : [value])));

  it('decodes UTF-8 text and drops a leading BOM', () => {
    expect(decodeSource('a.md', bytes('# Café ☕\n'))).toEqual({ kind: 'text', text: '# Café ☕\n' });
    expect(decodeSource('a.md', bytes(0xef, 0xbb, 0xbf, '# Title\n'))).toEqual({ kind: 'text', text: '# Title\n' });
    expect(decodeSource('a.md', bytes(0xef, 0xbb, 0xbf))).toEqual({ kind: 'text', text: '' });
    expect(decodeSource('a.md', new Uint8Array())).toEqual({ kind: 'text', text: '' });
  });

  it('keeps a BOM that is not at the start', () => {
    expect(decodeSource('a.md', bytes('a', 0xef, 0xbb, 0xbf))).toEqual({ kind: 'text', text: 'a\u{feff}' });
  });

  it('reports a NUL byte as binary with its line and byte column', () => {
    expect(decodeSource('docs/b.md', bytes('# A\nBé', 0x00, 'C'))).toEqual({
      kind: 'notice',
      notice: { kind: 'binary', file: 'docs/b.md', line: 2, column: 4, message: 'Unexpected NUL byte: binary file skipped' },
    });
    expect(decodeSource('u16.md', bytes(0xff, 0xfe, 0x23, 0x00))).toEqual({
      kind: 'notice',
      notice: { kind: 'binary', file: 'u16.md', line: 1, column: 4, message: 'Unexpected NUL byte: binary file skipped' },
    });
  });

  it('reports invalid UTF-8 at the first offending byte, after valid multi-byte characters', () => {
    const invalid = (line: number, column: number) => ({
      kind: 'notice',
      notice: { kind: 'invalid-utf8', file: 'c.md', line, column, message: 'Unexpected invalid UTF-8: file skipped' },
    });
    // Latin-1 `é` in `café`, on line 3 after a CRLF line.
    expect(decodeSource('c.md', bytes('# ☕\r\n\ncaf', 0xe9, '\n'))).toEqual(invalid(3, 4));
    // A stray continuation byte after a four-byte emoji.
    expect(decodeSource('c.md', bytes('😀', 0x80))).toEqual(invalid(1, 5));
    // An overlong encoding, a UTF-16 surrogate, a code point above U+10FFFF, a byte never used in UTF-8.
    expect(decodeSource('c.md', bytes('ab', 0xc0, 0xaf))).toEqual(invalid(1, 3));
    expect(decodeSource('c.md', bytes('ab', 0xed, 0xa0, 0x80))).toEqual(invalid(1, 3));
    expect(decodeSource('c.md', bytes('ab', 0xf4, 0x90, 0x80, 0x80))).toEqual(invalid(1, 3));
    expect(decodeSource('c.md', bytes('ab\nx', 0xff))).toEqual(invalid(2, 2));
    // A sequence cut short by the end of the file.
    expect(decodeSource('c.md', bytes('ab', 0xe2, 0x82))).toEqual(invalid(1, 3));
  });

  it('prefers the binary verdict when a file has a NUL byte and invalid UTF-8', () => {
    expect(decodeSource('d.md', bytes(0xe9, 'x', 0x00))).toMatchObject({ kind: 'notice', notice: { kind: 'binary', line: 1, column: 3 } });
  });
});

/**
 * A file system over a fixed set of absolute paths that answers like a case-insensitive disk
 * (macOS, Windows): `kind` matches any case, `list` returns names as stored.
 */
function caseInsensitiveFs(files: readonly string[]): FileSystem {
  const kinds = new Map<string, 'file' | 'directory'>();
  const listings = new Map<string, Set<string>>();
  for (const file of files) {
    kinds.set(file.toLowerCase(), 'file');
    let child = file;
    for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
      const listing = listings.get(dir.toLowerCase()) ?? new Set<string>();
      listing.add(path.basename(child));
      listings.set(dir.toLowerCase(), listing);
      if (dir === path.dirname(dir)) break;
      kinds.set(dir.toLowerCase(), 'directory');
      child = dir;
    }
  }
  return {
    readFile: () => Promise.reject(new Error('not used')),
    kind: (p) => Promise.resolve(kinds.get(p.toLowerCase())),
    list: (p) => Promise.resolve(listings.has(p.toLowerCase()) ? [...(listings.get(p.toLowerCase()) ?? [])] : undefined),
  };
}

describe('LocalResolver on a case-insensitive disk', () => {
  const root = path.resolve('/virtual/Repo');
  const fs = caseInsensitiveFs([path.join(root, 'README.md'), path.join(root, 'Docs', 'Guide.md'), path.join(root, 'Docs', 'readme.MD')]);

  it('finds files and directories spelled as stored', async () => {
    const resolver = new LocalResolver(fs, root);
    expect(await resolver.status('README.md')).toEqual({ kind: 'file', isMarkdown: true });
    expect(await resolver.status('Docs/Guide.md')).toEqual({ kind: 'file', isMarkdown: true });
    expect(await resolver.status('Docs')).toEqual({ kind: 'directory', readme: 'readme.MD' });
    expect(await resolver.status('.')).toEqual({ kind: 'directory', readme: 'README.md' });
  });

  it('reports a wrong-case link as a case mismatch though the disk would open it', async () => {
    const resolver = new LocalResolver(fs, root);
    expect(await fs.kind(path.join(root, 'docs', 'guide.md'))).toBe('file');
    expect(await resolver.status('docs/guide.md')).toEqual({ kind: 'case-mismatch', actual: 'Docs/Guide.md' });
    expect(await resolver.status('Docs/GUIDE.md')).toEqual({ kind: 'case-mismatch', actual: 'Docs/Guide.md' });
    expect(await resolver.status('readme.md')).toEqual({ kind: 'case-mismatch', actual: 'README.md' });
    expect(await resolver.status('docs')).toEqual({ kind: 'case-mismatch', actual: 'Docs' });
  });

  it('reports a missing file with a suggestion from the real entries', async () => {
    const resolver = new LocalResolver(fs, root);
    expect(await resolver.status('Docs/Guid.md')).toEqual({ kind: 'missing', suggestion: 'Docs/Guide.md' });
    expect(await resolver.status('Docs/zzz.md')).toEqual({ kind: 'missing' });
  });

  it('takes the working directory as given when it is typed in another case', async () => {
    const resolver = new LocalResolver(fs, path.resolve('/VIRTUAL/repo'));
    expect(await resolver.status('Docs/Guide.md')).toEqual({ kind: 'file', isMarkdown: true });
    expect(await resolver.status('docs/guide.md')).toEqual({ kind: 'case-mismatch', actual: 'Docs/Guide.md' });
    expect(await resolver.status('../Repo/README.md')).toEqual({ kind: 'file', isMarkdown: true });
    expect(await resolver.status('../REPO/README.md')).toEqual({ kind: 'case-mismatch', actual: '../Repo/README.md' });
  });
});

describe('LocalResolver on the real disk', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tree('resolve', {
      'README.md': '# Top\n',
      'docs/Guide.md': '# Guide\n',
      'docs/notes.txt': 'text\n',
      'docs/api/README.rst': 'Title\n',
      'docs/api/readme.markdown': '# API\n',
      'docs/empty/.keep': '',
      'docs/plain/README': 'plain\n',
    });
  });

  it('tells files, markdown files and directories with their README apart', async () => {
    const resolver = new LocalResolver(nodeFileSystem, dir);
    expect(await resolver.status('README.md')).toEqual({ kind: 'file', isMarkdown: true });
    expect(await resolver.status('docs/notes.txt')).toEqual({ kind: 'file', isMarkdown: false });
    expect(await resolver.status('docs/api')).toEqual({ kind: 'directory', readme: 'readme.markdown' });
    expect(await resolver.status('docs/api/')).toEqual({ kind: 'directory', readme: 'readme.markdown' });
    expect(await resolver.status('docs/plain')).toEqual({ kind: 'directory', readme: 'README' });
    expect(await resolver.status('docs/empty')).toEqual({ kind: 'directory' });
  });

  it('reports a wrong-case link as a case mismatch', async () => {
    const resolver = new LocalResolver(nodeFileSystem, dir);
    expect(await resolver.status('docs/guide.md')).toEqual({ kind: 'case-mismatch', actual: 'docs/Guide.md' });
    expect(await resolver.status('Docs/Guide.md')).toEqual({ kind: 'case-mismatch', actual: 'docs/Guide.md' });
  });

  it('reports a missing file with or without a suggestion, also outside cwd', async () => {
    const resolver = new LocalResolver(nodeFileSystem, path.join(dir, 'docs'));
    expect(await resolver.status('Gide.md')).toEqual({ kind: 'missing', suggestion: 'Guide.md' });
    expect(await resolver.status('../READM.md')).toEqual({ kind: 'missing', suggestion: '../README.md' });
    expect(await resolver.status('../README.md')).toEqual({ kind: 'file', isMarkdown: true });
    expect(await resolver.status('nothing-like-it.md')).toEqual({ kind: 'missing' });
    expect(await resolver.status('Guide.md/inside')).toEqual({ kind: 'missing' });
  });

  it('looks each target up once', async () => {
    const calls: string[] = [];
    const counting: FileSystem = {
      ...nodeFileSystem,
      kind: (p) => {
        calls.push(p);
        return nodeFileSystem.kind(p);
      },
    };
    const resolver = new LocalResolver(counting, dir);
    const [first, second] = await Promise.all([resolver.status('README.md'), resolver.status('README.md')]);
    expect(first).toEqual({ kind: 'file', isMarkdown: true });
    expect(second).toBe(first);
    expect(calls).toEqual([path.join(dir, 'README.md')]);
  });
});

describe('pickReadme and isMarkdownPath', () => {
  it('prefers a markdown README, matching names case-insensitively', () => {
    expect(pickReadme(['README.txt', 'readme.md', 'index.md'])).toBe('readme.md');
    expect(pickReadme(['Readme.rst', 'ReadMe.Markdown'])).toBe('ReadMe.Markdown');
    expect(pickReadme(['README.rst', 'README'])).toBe('README.rst');
    expect(pickReadme(['readme'])).toBe('readme');
  });

  it('finds no README among other names', () => {
    expect(pickReadme([])).toBeUndefined();
    expect(pickReadme(['README.md.bak', 'READ_ME.md', 'readme.html', 'my-readme.md'])).toBeUndefined();
  });

  it('knows the extensions GitHub renders as markdown, in any case', () => {
    expect(['a.md', 'a.MD', 'a.markdown', 'a.mdown', 'a.mkdn', 'a.mkd', 'a.mdwn', 'a.mdtxt', 'a.mdtext'].every(isMarkdownPath)).toBe(true);
    expect(['a.txt', 'a.md.txt', 'a.rst', 'md', 'a.mdx'].some(isMarkdownPath)).toBe(false);
  });
});
