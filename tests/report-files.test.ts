/**
 * The report lists every checked file with every link in it (issue 10): what the JUnit format
 * needs to show passing links as well as failing ones, and to say which links went unchecked.
 */
import { describe, expect, it } from 'vitest';
import { check } from '../src/check/index.js';
import { defaultConfig } from '../src/config/defaults.js';
import { tempTree } from './helpers/cli.js';

describe('Report.files', () => {
  it('lists each checked file with its links in order, marking those that got no verdict', async () => {
    const tree = await tempTree({
      'a.md': '# A\n\n[ok](b.md) [gone](missing.md)\n[mail](mailto:x@example.test)\n[web](https://example.test/x)\n',
      'b.md': 'No links.\n',
      'ref.md': '[use][r]\n\n[r]: #nowhere\n',
    });
    try {
      const report = await check({ cwd: tree.dir, config: { ...defaultConfig, offline: true } });
      const files = report.files?.map(({ file, links }) => ({
        file,
        links: links.map((link) => [`${link.range.start.line}:${link.range.start.column}`, link.url, link.unchecked]),
      }));
      expect(files).toEqual([
        {
          file: 'a.md',
          links: [
            ['3:1', 'b.md', undefined],
            ['3:12', 'missing.md', undefined],
            ['4:1', 'mailto:x@example.test', 'scheme'],
            ['5:1', 'https://example.test/x', 'offline'],
          ],
        },
        { file: 'b.md', links: [] },
        // A used definition is a link too, as `summary.links` counts it.
        {
          file: 'ref.md',
          links: [
            ['1:1', '#nowhere', undefined],
            ['3:1', '#nowhere', undefined],
          ],
        },
      ]);
      expect(report.files?.flatMap((file) => file.links)).toHaveLength(report.summary.links);
      // A link's range is the one its findings carry, so a format can pair them.
      const missing = report.findings.find((finding) => finding.ruleId === 'missing-file');
      expect(report.files?.[0]?.links[1]?.range).toEqual(missing?.range);
    } finally {
      await tree.cleanup();
    }
  });
});
