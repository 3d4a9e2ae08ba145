import { describe, expect, it } from 'vitest';
import { check } from '../src/check/index.js';
import { defaultConfig } from '../src/config/defaults.js';
import { ConfigError } from '../src/config/errors.js';
import { compilePattern, patternProblem } from '../src/config/pattern.js';
import { validateConfig } from '../src/config/validate.js';
import { runCli, tempTree } from './helpers/cli.js';

/** Milliseconds `action` takes. */
function timed(action: () => void): number {
  const started = performance.now();
  action();
  return performance.now() - started;
}

const linearNote = 'URL patterns are matched in linear time, without lookaround or backreferences';

describe('URL patterns match in linear time', () => {
  it('answers `^(a+)+$` against 100,000 `a`s and a `b` at once (a backtracking engine never returns)', () => {
    const pattern = compilePattern('^(a+)+$');
    let verdict: boolean | undefined;
    const ms = timed(() => {
      verdict = pattern.test(`${'a'.repeat(100_000)}b`);
    });
    expect(verdict).toBe(false);
    expect(ms).toBeLessThan(1_000);
    expect(pattern.test('a'.repeat(100_000))).toBe(true);
  });

  it('skips and checks the right links with a catastrophic `ignoreUrls` pattern in a config file', async () => {
    const slow = `https://x.test/${'a'.repeat(5_000)}b`;
    const tree = await tempTree({
      'waymark.config.json': JSON.stringify({ ignoreUrls: ['^https://x\\.test/(a+)+$'], offline: true }),
      'doc.md': `[ignored](https://x.test/${'a'.repeat(5_000)})\n\n[kept](${slow})\n`,
    });
    try {
      const started = performance.now();
      const result = await runCli(tree.dir, ['--format', 'json', 'doc.md']);
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(result.code).toBe(0);
      const report = JSON.parse(result.stdout) as { summary: { skipped: number; offline: number } };
      expect(report.summary).toMatchObject({ skipped: 1, offline: 1 });
    } finally {
      await tree.cleanup();
    }
  });

  it('keeps `allowTracking` fast with a catastrophic pattern', async () => {
    const url = `https://shop.test/${'a'.repeat(5_000)}?utm_source=x`;
    const config = { ...defaultConfig, offline: true, allowTracking: ['^https://shop\\.test/(a+)+$'] };
    const tree = await tempTree({ 'doc.md': `[shop](${url})\n` });
    try {
      const started = performance.now();
      const report = await check({ cwd: tree.dir, config });
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(report.findings.map((finding) => finding.ruleId)).toEqual(['tracking-param']);
    } finally {
      await tree.cleanup();
    }
  });
});

describe('patterns RE2 cannot run are one-line config errors at the key path', () => {
  it.each([
    ['ignoreUrls', ['^https://a\\.test/', 'b', 'foo(?=bar)'], 'ignoreUrls[2]', 'unsupported lookahead `(?=`'],
    ['ignoreUrls', ['x(?!y)'], 'ignoreUrls[0]', 'unsupported lookahead `(?!`'],
    ['allowTracking', ['(?<=/)ref='], 'allowTracking[0]', 'unsupported lookbehind `(?<=`'],
    ['allowTracking', ['a', '(?<!x)y'], 'allowTracking[1]', 'unsupported lookbehind `(?<!`'],
    ['ignoreUrls', ['(a)\\1'], 'ignoreUrls[0]', 'unsupported backreference `\\1`'],
    ['ignoreUrls', ['(?<n>a)\\k<n>'], 'ignoreUrls[0]', 'unsupported backreference `\\k`'],
  ])('%s %j', (key, patterns, where, why) => {
    let caught: unknown;
    try {
      validateConfig({ [key]: patterns }, 'waymark.config.json');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const error = caught as ConfigError;
    const source = patterns[patterns.length - 1];
    expect(`${error.where}: ${error.message}`).toBe(
      `waymark.config.json: ${where}: expected a regular expression, got ${JSON.stringify(source)} (${why}; ${linearNote})`,
    );
  });

  it.each([
    ['\\z', 'unsupported escape `\\z`; write `z` for the letter itself'],
    ['\\p{L}', 'unsupported escape `\\p`; write `p` for the letter itself'],
    ['\\x{41}', 'unsupported escape `\\x` without two hex digits'],
    ['[^]', 'unsupported empty class `[^]`; write `[\\s\\S]` for any character'],
    ['[]', 'unsupported empty class `[]`; it matches nothing'],
    ['[\\1]', 'unsupported octal escape `\\1`; write `\\x01`'],
    ['a{1001}', 'invalid repeat count: `{1001}`'],
    ['(', 'Unterminated group'],
  ])('%j: %s', (source, why) => {
    expect(patternProblem(source)).toBe(why);
  });

  it('prints the error on one line and exits 2 from the CLI', async () => {
    const tree = await tempTree({ 'waymark.config.json': JSON.stringify({ ignoreUrls: ['^https://(?=x)'] }), 'doc.md': '# Doc\n' });
    try {
      const result = await runCli(tree.dir, ['doc.md']);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        `waymark: waymark.config.json: ignoreUrls[0]: expected a regular expression, got "^https://(?=x)" (unsupported lookahead \`(?=\`; ${linearNote})\n`,
      );
    } finally {
      await tree.cleanup();
    }
  });

  it('turns a bad pattern in a config passed to `check()` by hand into a `ConfigError` at its index', async () => {
    const tree = await tempTree({ 'doc.md': '[a](https://a.test/)\n' });
    try {
      const config = { ...defaultConfig, offline: true, ignoreUrls: ['ok', 'a(?=b)'] };
      await expect(check({ cwd: tree.dir, config })).rejects.toMatchObject({ name: 'ConfigError', where: 'ignoreUrls[1]' });
    } finally {
      await tree.cleanup();
    }
  });
});

describe('patterns mean what they mean in JavaScript', () => {
  const samples = [
    'https://a.test/',
    'https://a.test/\u00a0x',
    'a\rb',
    'a\u2028b',
    'a\nb',
    '[:]',
    'alpha',
    '\u00e9t\u00e9',
    '\b',
    'x-z',
    ' -',
    'k',
    'A\u000aB',
    'http://ex.test/?q=1&r=2',
  ];
  it.each([
    '^https://a\\.test/',
    '\\s',
    '\\S',
    '[\\s]x',
    '[^\\s]',
    '[\\S]',
    '[\\s-z]',
    '[!-\\s]',
    'a.b',
    '[.]',
    '[[:alpha:]]',
    '\\u00e9',
    '[\\b]',
    '\\cJ',
    '\\x2d',
    '\\/',
    '(?<name>a)',
    '^[^?]*\\?q=\\d&',
    '\\bk\\b',
  ])('%j', (source) => {
    const expected = new RegExp(source);
    const pattern = compilePattern(source);
    for (const sample of samples) expect([sample, pattern.test(sample)]).toEqual([sample, expected.test(sample)]);
  });
});
