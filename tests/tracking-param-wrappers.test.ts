import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { check } from '../src/check/index.js';
import { defaultConfig } from '../src/config/defaults.js';
import { unwrapUrl } from '../src/rules/tracking/unwrap.js';
import { redirectWrappers } from '../src/rules/tracking/table.js';

describe('unwrapUrl', () => {
  it.each([
    ['https://www.google.com/url?q=https://example.test/page&sa=D&ust=1', 'https://example.test/page', 'www.google.com/url'],
    ['https://www.google.com/url?sa=t&url=https%3A%2F%2Fexample.test%2Fa%3Fb%3D1', 'https://example.test/a?b=1', 'www.google.com/url'],
    ['https://google.co.uk/url?q=http://example.test/', 'http://example.test/', 'google.co.uk/url'],
    ['https://l.facebook.com/l.php?u=https%3A%2F%2Fexample.test%2F&h=AT0', 'https://example.test/', 'l.facebook.com/l.php'],
    ['https://out.reddit.com/t3_abc?url=https%3A%2F%2Fexample.test%2Fx&token=1', 'https://example.test/x', 'out.reddit.com/t3_abc'],
    ['https://www.youtube.com/redirect?event=video&q=https%3A%2F%2Fexample.test%2F', 'https://example.test/', 'www.youtube.com/redirect'],
    ['https://l.instagram.com/?u=https%3A%2F%2Fexample.test%2F', 'https://example.test/', 'l.instagram.com'],
    ['https://www.linkedin.com/redir/redirect?url=https%3A%2F%2Fexample.test%2F', 'https://example.test/', 'www.linkedin.com/redir/redirect'],
    ['https://duckduckgo.com/l/?uddg=https%3A%2F%2Fexample.test%2F', 'https://example.test/', 'duckduckgo.com/l/'],
    // A wrapper around a wrapper comes off entirely; the outer one is named.
    [
      'https://www.google.com/url?q=' + encodeURIComponent('https://l.facebook.com/l.php?u=https%3A%2F%2Fexample.test%2F'),
      'https://example.test/',
      'www.google.com/url',
    ],
  ])('takes %s apart', (wrapped, url, wrapper) => {
    expect(unwrapUrl(wrapped)).toEqual({ url, wrapper });
  });

  it.each([
    'https://www.google.com/search?q=https://example.test/',
    'https://www.google.com/url?q=not-a-url',
    'https://www.google.com/url?q=javascript:alert(1)',
    'https://www.google.com/url?q=https://',
    'https://maps.google.com/url?q=https://example.test/',
    'https://l.facebook.com/other?u=https://example.test/',
    'https://example.test/url?q=https://example.test/',
    'https://out.reddit.com/t3_abc',
    'mailto:someone@example.test?url=https://example.test/',
    '',
  ])('leaves %j alone', (url) => {
    expect(unwrapUrl(url)).toBeUndefined();
  });

  it('keeps the table as data: every wrapper names its parameters', () => {
    for (const wrapper of redirectWrappers) expect(wrapper.params.length).toBeGreaterThan(0);
  });
});

describe('tracking-param on redirect wrappers, end to end', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'waymark-wrappers-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports the wrapper with the unwrapped, cleaned URL as hint and fix', async () => {
    const google = 'https://www.google.com/url?q=https://example.test/page?utm_source%3Dmail%26id%3D7&sa=D';
    const facebook = 'https://l.facebook.com/l.php?u=https%3A%2F%2Fexample.test%2Fb&h=AT0';
    writeFileSync(
      path.join(dir, 'doc.md'),
      `# Doc\n\n[a](${google})\n\n<a href="${facebook}">b</a>\n\n[c](https://example.test/?utm_source=x)\n\n[d](https://www.google.com/search?q=x)\n`,
    );
    const report = await check({ cwd: dir, paths: ['doc.md'], config: { ...defaultConfig, offline: true } });
    const tracking = report.findings.filter((finding) => finding.ruleId === 'tracking-param');
    expect(tracking.map(({ range, message, hint, fix }) => ({ line: range.start.line, message, hint, fix: fix?.text }))).toEqual([
      {
        line: 3,
        message: 'Unexpected tracking redirect through `www.google.com/url` (whose URL has tracking parameter `utm_source`)',
        hint: 'use `https://example.test/page?id=7`',
        fix: 'https://example.test/page?id=7',
      },
      {
        line: 5,
        message: 'Unexpected tracking redirect through `l.facebook.com/l.php`',
        hint: 'use `https://example.test/b`',
        fix: 'https://example.test/b',
      },
      {
        line: 7,
        message: 'Unexpected tracking parameter `utm_source` in URL',
        hint: 'use `https://example.test/`',
        fix: 'https://example.test/',
      },
    ]);
  });
});
