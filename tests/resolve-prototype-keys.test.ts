import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { check } from '../src/check/index.js';
import { defaultConfig } from '../src/config/defaults.js';
import { classifyLink } from '../src/plan/classify.js';
import { AnchorIndex, matchFragment } from '../src/resolve/anchors.js';
import { cleanUrl } from '../src/rules/tracking/clean.js';
import { unwrapUrl } from '../src/rules/tracking/unwrap.js';

/** Names every plain object answers from its prototype. */
const prototypeNames = ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__'];

const dir = mkdtempSync(path.join(tmpdir(), 'waymark-proto-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function findings(file: string): Promise<string[]> {
  const config = { ...defaultConfig, offline: true, repository: 'acme/widgets', defaultBranch: 'main' };
  const report = await check({ cwd: dir, paths: [file], config });
  return report.findings.map((f) => `${f.range.start.line} ${f.ruleId} ${f.message}${f.hint === undefined ? '' : ` | ${f.hint}`}`);
}

describe('lookups keyed by user data never answer from the object prototype', () => {
  it.each(prototypeNames)('a missing `#%s` fragment is reported, here and in another file', async (name) => {
    writeFileSync(path.join(dir, 'other.md'), '# Other\n');
    writeFileSync(path.join(dir, 'same.md'), `# Same\n\n[a](#${name})\n\n[b](other.md#${name})\n\n[c](./#${name})\n`);
    writeFileSync(path.join(dir, 'README.md'), '# Readme\n');
    expect(await findings('same.md')).toEqual([
      `3 missing-anchor Cannot find heading \`#${name}\``,
      `5 missing-anchor Cannot find heading \`#${name}\` in \`other.md\``,
      `7 missing-anchor Cannot find heading \`#${name}\` in \`README.md\``,
    ]);
  });

  it('headings with those names are found, duplicates numbered', async () => {
    writeFileSync(
      path.join(dir, 'named.md'),
      '# constructor\n\n# constructor\n\n# toString\n\n# `__proto__`\n\n[a](#constructor) [b](#constructor-1) [c](#tostring) [d](#__proto__) [e](#constructor-2)\n',
    );
    expect(await findings('named.md')).toEqual(['9 missing-anchor Cannot find heading `#constructor-2` | did you mean `#constructor-1`?']);
  });

  it('files and directories with those names resolve by what is on disk', async () => {
    mkdirSync(path.join(dir, 'constructor'), { recursive: true });
    writeFileSync(path.join(dir, 'constructor', 'README.md'), '# Inside\n');
    writeFileSync(path.join(dir, '__proto__.md'), '# Proto\n');
    writeFileSync(path.join(dir, 'files.md'), '# Files\n\n[a](constructor/#inside) [b](__proto__.md#proto) [c](toString) [d](hasOwnProperty.md#x)\n');
    expect(await findings('files.md')).toEqual([
      '3 missing-file Cannot find file `toString`',
      '3 missing-file Cannot find file `hasOwnProperty.md`',
    ]);
  });

  it('the anchor index keeps paths and ids in Maps and Sets', () => {
    const index = new AnchorIndex();
    expect(index.has('__proto__')).toBe(false);
    expect(index.match('constructor', 'x')).toEqual({ kind: 'unknown' });
    for (const name of prototypeNames) expect(matchFragment(new Set(['intro']), name).kind).toBe('missing');
  });

  it('tracking parameters and wrappers with those names are left alone', () => {
    for (const name of prototypeNames) {
      const url = `https://example.test/?${name}=1&x=2`;
      expect(cleanUrl(url)).toEqual({ url, removed: [] });
      expect(unwrapUrl(`https://www.google.com/url?${name}=https://example.test/`)).toBeUndefined();
    }
  });

  it('a renamed-branch lookup is not fooled by a ref named like a prototype key', () => {
    const context = { cwd: '/r', root: '/r', file: 'a.md', ignoreUrls: [] };
    const repository = { owner: 'acme', name: 'widgets', defaultBranch: 'constructor', knownRefs: new Set<string>() };
    expect(classifyLink('https://github.com/acme/widgets/blob/toString/a.md', { ...context, repository }).kind).toBe('external');
  });
});
