import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { check } from '../src/check/index.js';
import { defaultConfig } from '../src/config/defaults.js';
import { classifyLink } from '../src/plan/classify.js';

const context = { cwd: '/repo', root: '/repo', file: 'doc.md', ignoreUrls: [] };

describe('a destination with a scheme and nothing else', () => {
  it.each(['https:', 'http:', 'http://', 'https://', 'HTTPS://', 'mailto:', 'tel:', ' https: ', 'ftp:///'])(
    'plans %j as an empty target that names it',
    (url) => {
      expect(classifyLink(url, context)).toEqual({ kind: 'empty', scheme: url.trim() });
    },
  );

  it.each(['https://example.test', 'mailto:someone@example.test', 'tel:+1', 'https:x', 'file.md', 'a:b'])(
    'plans %j as before',
    (url) => {
      expect(classifyLink(url, context).kind).not.toBe('empty');
    },
  );

  it('keeps a truly empty destination as it was', () => {
    expect(classifyLink('  ', context)).toEqual({ kind: 'empty' });
  });

  const dir = mkdtempSync(path.join(tmpdir(), 'waymark-scheme-only-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is an empty-link error with a message naming the URL, reported at the use of a reference', async () => {
    writeFileSync(
      path.join(dir, 'doc.md'),
      '# Doc\n\n[a](https:) and [b](http://)\n\n<a href="mailto:">c</a>\n\n[d][ref]\n\n[ref]: https://\n\n[fine](https://example.test/)\n',
    );
    const report = await check({ cwd: dir, paths: ['doc.md'], config: { ...defaultConfig, offline: true } });
    expect(report.findings.map((f) => `${f.range.start.line}:${f.range.start.column} ${f.severity} ${f.ruleId} ${f.message}`)).toEqual([
      '3:1 error empty-link Unexpected URL with a scheme and nothing else: `https:`',
      '3:17 error empty-link Unexpected URL with a scheme and nothing else: `http://`',
      '5:1 error empty-link Unexpected URL with a scheme and nothing else: `mailto:`',
      '7:1 error empty-link Unexpected URL with a scheme and nothing else: `https://` (defined on line 9)',
    ]);
  });
});
