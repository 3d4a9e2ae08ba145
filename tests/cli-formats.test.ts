/**
 * The CI formats from the command line (issue 10): `--format codequality` on stdout and
 * `--output junit:<file>` together, as the README's GitLab CI job runs them.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument, DomUtils } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import type { CodeQualityIssue } from '../src/index.js';
import { runCli, tempTree } from './helpers/cli.js';

describe('--format codequality and --output junit', () => {
  it('prints the Code Quality array and writes the JUnit file, one case per link', async () => {
    const tree = await tempTree({
      'README.md': '# Top\n\n[ok](#top) [gone](missing.md)\n[web](https://example.test/)\n',
      'docs/clean.md': '[home](../README.md)\n',
    });
    try {
      const result = await runCli(tree.dir, ['--no-config', '--offline', '-f', 'codequality', '-o', 'junit:waymark-junit.xml']);
      expect(result.code).toBe(1);
      const issues = JSON.parse(result.stdout) as CodeQualityIssue[];
      expect(issues.map((issue) => [issue.check_name, issue.severity, issue.location.path, issue.location.lines.begin])).toEqual([
        ['missing-file', 'major', 'README.md', 3],
      ]);
      const xml = await readFile(path.join(tree.dir, 'waymark-junit.xml'), 'utf8');
      const document = parseDocument(xml, { xmlMode: true });
      const suites = DomUtils.getElementsByTagName('testsuite', document, true);
      expect(suites.map((suite) => [suite.attribs['name'], suite.attribs['tests'], suite.attribs['failures'], suite.attribs['skipped']])).toEqual([
        ['README.md', '3', '1', '1'],
        ['docs/clean.md', '1', '0', '0'],
      ]);
      const names = DomUtils.getElementsByTagName('testcase', document, true).map((testCase) => testCase.attribs['name']);
      expect(names).toEqual(['3:1 #top', '3:12 missing.md', '4:1 https://example.test/', '1:1 ../README.md']);
    } finally {
      await tree.cleanup();
    }
  });
});
