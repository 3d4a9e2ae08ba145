import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { check } from '../src/check/index.js';
import { helpText } from '../src/cli/args.js';
import { loadConfig } from '../src/config/load.js';
import { extractDocument } from '../src/extract/index.js';
import { matchFragment } from '../src/resolve/anchors.js';
import { rules } from '../src/rules/index.js';
import * as api from '../src/index.js';
import { formats } from '../src/report/index.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README stays true', () => {
  it('carries the exact --help text under Flags', () => {
    const block = /### Flags\n\n```text\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBe(helpText);
  });

  it('describes every output format under Output formats', () => {
    const section = /\n## Output formats\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? '';
    for (const format of formats) expect(section).toMatch(new RegExp(`\n- \`${format}\`[ :(]`));
  });

  it('has a section and a table row for every registered rule', () => {
    for (const rule of rules) {
      expect(readme).toContain(`\n### ${rule.id}\n`);
      const severity = rule.isOptIn === true ? 'off' : rule.severity === 'error' ? 'error' : 'warning';
      expect(readme).toContain(`| [\`${rule.id}\`](#${rule.id}) | ${severity} | ${rule.description} |`);
    }
  });

  it('resolves every rule docsUrl to a heading of the README', () => {
    const anchors = new Set(extractDocument('README.md', readme).anchors.map((anchor) => anchor.id));
    for (const rule of rules) {
      const [file, fragment = ''] = rule.docsUrl.split('#');
      expect(file).toBe('README.md');
      expect(matchFragment(anchors, fragment)).toEqual({ kind: 'found' });
    }
  });

  it('passes Waymark itself, road map included', async () => {
    const { config } = await loadConfig({ cwd: repo });
    const report = await check({ cwd: repo, paths: ['README.md', 'roadmap'], config });
    expect(report.findings).toEqual([]);
    expect(report.summary.files).toBeGreaterThanOrEqual(3);
  });
});

describe('rule registry', () => {
  it('names each rule file after its id, with no duplicate ids', () => {
    const ids = rules.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    const files = readdirSync(new URL('../src/rules/', import.meta.url)).map((file) => file.replace(/\.ts$/, ''));
    for (const id of ids) expect(files).toContain(id);
  });
});

describe('public API', () => {
  it('works as the README shows', async () => {
    const { config } = await api.loadConfig({ cwd: repo });
    const report = await api.check({ cwd: repo, paths: ['roadmap'], config: { ...config, offline: true } });
    expect(report.summary.errors).toBe(0);
    expect(report.summary.files).toBe(2);
    expect(report).toMatchObject({ offline: true, offlineReason: 'requested', findings: [] });
  });

  it('exports exactly this list', () => {
    expect(Object.keys(api).sort()).toEqual([
      'ConfigError',
      'InputError',
      'assertNever',
      'check',
      'defaultConfig',
      'formats',
      'formatters',
      'loadConfig',
      'rules',
    ]);
  });

  it('takes a partial config laid over the defaults', async () => {
    const report = await api.check({ cwd: repo, paths: ['roadmap'], config: { offline: true, rules: { 'tracking-param': 'error' } } });
    expect(report).toMatchObject({ offline: true, offlineReason: 'requested', findings: [] });
    expect(report.summary.files).toBe(2);
  });

  it('keeps the command line in its own entry, `waymark/cli`', async () => {
    const cli = await import('../src/cli/index.js');
    expect(Object.keys(cli).sort()).toEqual(['ExitCode', 'run']);
    expect(cli.ExitCode).toEqual({ Ok: 0, Findings: 1, Fatal: 2 });
  });
});
