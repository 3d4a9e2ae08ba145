import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { check } from '../src/check.js';
import { defaultConfig } from '../src/config/defaults.js';
import { mergeConfig } from '../src/config/load.js';
import { validateConfig } from '../src/config/validate.js';
import { rules } from '../src/rules/index.js';

const fixtures = fileURLToPath(new URL('./fixtures/rules/', import.meta.url));

/**
 * `<!-- expect: rule-id[, rule-id] -->` on a line marks the findings expected on that line;
 * `<!-- expect-next: … -->` marks the next line (for definitions, which allow nothing after them).
 */
function expectations(text: string): string[] {
  const expected: string[] = [];
  text.split('\n').forEach((line, index) => {
    for (const match of line.matchAll(/<!-- expect(-next)?: ([\w, -]+?) -->/g)) {
      const at = index + (match[1] === undefined ? 1 : 2);
      for (const id of (match[2] ?? '').split(',')) expected.push(`${at} ${id.trim()}`);
    }
  });
  return expected.sort();
}

/** `<!-- waymark-config {…} -->` gives a fixture its own settings. */
function fixtureConfig(text: string, file: string) {
  const match = /<!-- waymark-config (\{.*?\}) -->/s.exec(text);
  if (match?.[1] === undefined) return defaultConfig;
  return mergeConfig(defaultConfig, validateConfig(JSON.parse(match[1]), file));
}

async function run(dir: string, file: string) {
  const text = readFileSync(path.join(dir, file), 'utf8');
  const report = await check({ cwd: dir, paths: [file], config: fixtureConfig(text, file) });
  return { text, report };
}

const ruleDirs = readdirSync(fixtures).sort();

describe('rule fixtures', () => {
  it('has an ok.md and a not-ok.md for every registered rule with fixtures', () => {
    for (const dir of ruleDirs) {
      expect(rules.map((rule) => rule.id)).toContain(dir);
      expect(existsSync(path.join(fixtures, dir, 'ok.md'))).toBe(true);
      expect(existsSync(path.join(fixtures, dir, 'not-ok.md'))).toBe(true);
    }
  });

  for (const id of ruleDirs) {
    const dir = path.join(fixtures, id);
    it(`${id}: ok.md yields no finding`, async () => {
      const { report } = await run(dir, 'ok.md');
      expect(report.findings.map((f) => `${f.range.start.line}:${f.range.start.column} ${f.ruleId} ${f.message}`)).toEqual([]);
      expect(report.summary.errors).toBe(0);
    });

    it(`${id}: not-ok.md yields exactly the marked findings`, async () => {
      const { text, report } = await run(dir, 'not-ok.md');
      const expected = expectations(text);
      expect(expected.filter((entry) => entry.endsWith(` ${id}`)).length).toBeGreaterThan(0);
      const actual = report.findings.map((f) => `${f.range.start.line} ${f.ruleId}`).sort();
      expect(actual).toEqual(expected);
      const lines = report.findings.map((f) => {
        const hint = f.hint === undefined ? '' : `; ${f.hint}`;
        return `${f.range.start.line}:${f.range.start.column} ${f.severity} ${f.message}${hint} ${f.ruleId}`;
      });
      expect(lines).toMatchSnapshot();
    });
  }
});
