import type { FormatOptions, RuleMeta } from '../../src/report/types.js';
import type { Finding, Range, Report, ReportedFile, Summary } from '../../src/types.js';

/** A range from 1-based line/column pairs; offsets are not read by the formatters. */
function range(startLine: number, startColumn: number, endLine: number, endColumn: number): Range {
  return {
    start: { line: startLine, column: startColumn, offset: startLine * 100 + startColumn },
    end: { line: endLine, column: endColumn, offset: endLine * 100 + endColumn },
  };
}

/** A file name that needs escaping in every format: `%`, `,`, `:`, spaces and non-ASCII. */
export const oddFile = 'docs/50% off, v2: über.md';

/** An error with a hint. */
export const missingAnchor: Finding = {
  ruleId: 'missing-anchor',
  severity: 'error',
  file: 'README.md',
  range: range(12, 3, 12, 40),
  url: 'math.md#bias-variance',
  message: 'Cannot find heading `#bias-variance` in `math.md`',
  hint: 'did you mean `#bias-and-variance`?',
};

/** An error in the file whose name needs escaping, with `%`, `,` and `:` in its URL. */
export const deadLink: Finding = {
  ruleId: 'dead-link',
  severity: 'error',
  file: oddFile,
  range: range(7, 10, 7, 52),
  url: 'https://example.invalid/a%20b,c:d',
  message: 'Cannot find `https://example.invalid/a%20b,c:d` (HTTP 404)',
};

/** A warning that comes first in its file once sorted, with a fix. */
export const trackingParam: Finding = {
  ruleId: 'tracking-param',
  severity: 'warning',
  file: 'README.md',
  range: range(3, 1, 3, 58),
  url: 'https://shop.test/?utm_source=news&id=1',
  message: 'Unexpected tracking parameter `utm_source` in URL',
  fix: { start: 318, end: 336, text: '' },
};

/** An error over several lines, with no URL, with `|`, `&` and non-ASCII text. */
export const tocMismatch: Finding = {
  ruleId: 'toc-mismatch',
  severity: 'error',
  file: 'README.md',
  range: range(40, 1, 42, 18),
  message: 'Unexpected table of contents entry `Café | Menü`, expected `Café & Menü`',
};

/** A warning over two lines whose message holds a newline. */
export const linkText: Finding = {
  ruleId: 'link-text',
  severity: 'warning',
  file: oddFile,
  range: range(2, 5, 3, 9),
  url: '#setup',
  message: 'Unexpected link text `click\nhere`, expected words that describe the target',
};

/** An error whose message holds a backtick and `|` inside code, and whose hint holds an emoji. */
export const missingFile: Finding = {
  ruleId: 'missing-file',
  severity: 'error',
  file: oddFile,
  range: range(2, 30, 2, 61),
  url: './weird`name|x.md',
  message: 'Cannot find file ``./weird`name|x.md``',
  hint: 'did you mean `./weird-name.md`? 👀',
};

/**
 * The findings of the sample report, deliberately out of order: both severities, a multi-line
 * range, hints, a finding without a URL, and text with `%`, `,`, `:`, a newline, `|`, backticks
 * and non-ASCII characters.
 */
export const sampleFindings: readonly Finding[] = [missingAnchor, deadLink, trackingParam, tocMismatch, linkText, missingFile];

/** The counts that go with `sampleFindings`. */
export const sampleSummary: Summary = {
  files: 3,
  links: 24,
  uniqueUrls: 9,
  checked: 7,
  errors: 4,
  warnings: 2,
  skipped: 2,
  offline: 0,
  dead: 0,
  blocked: 0,
  unverified: 0,
  unchanged: 0,
  budget: 0,
  durationMs: 1234,
};

/**
 * The checked files of the sample: each finding's link (the table-of-contents finding is about
 * no link), links with no finding, one that is never checked, and a file with nothing wrong.
 */
export const sampleFiles: readonly ReportedFile[] = [
  {
    file: 'README.md',
    links: [
      { url: trackingParam.url ?? '', range: trackingParam.range },
      { url: 'https://example.test/fine', range: range(5, 1, 5, 30) },
      { url: missingAnchor.url ?? '', range: missingAnchor.range },
      { url: 'mailto:team@example.test', range: range(20, 1, 20, 40), unchecked: 'scheme' },
    ],
  },
  {
    file: oddFile,
    links: [
      { url: linkText.url ?? '', range: linkText.range },
      { url: missingFile.url ?? '', range: missingFile.range },
      { url: deadLink.url ?? '', range: deadLink.range },
      { url: 'other.md', range: range(9, 1, 9, 14) },
    ],
  },
  { file: 'docs/clean.md', links: [{ url: 'https://example.test/ok', range: range(1, 1, 1, 28) }] },
];

/** The shared sample report every formatter renders. */
export const sampleReport: Report = {
  summary: sampleSummary,
  findings: sampleFindings,
  notices: [{ kind: 'binary', file: 'docs/logo.md', message: 'Unexpected binary content in `docs/logo.md`' }],
  files: sampleFiles,
  offline: false,
};

/** The sample report from a run that could not reach the network: five URLs went unchecked. */
export const offlineReport: Report = {
  ...sampleReport,
  summary: { ...sampleSummary, checked: 2, offline: 5 },
  offline: true,
};

/** A report with nothing to say. */
export const emptyReport: Report = {
  summary: { ...sampleSummary, files: 1, links: 1, uniqueUrls: 1, checked: 1, errors: 0, warnings: 0, skipped: 0 },
  findings: [],
  notices: [],
  files: [{ file: 'README.md', links: [{ url: 'https://example.test/', range: range(1, 1, 1, 26) }] }],
  offline: false,
};

/** Rule metadata in registry order; `redirect` is listed first so rule indexes are not trivial. */
export const sampleRules: readonly RuleMeta[] = [
  { id: 'redirect', description: 'Links should not redirect', severity: 'warning', docsUrl: 'README.md#redirect' },
  ...(['dead-link', 'missing-anchor', 'missing-file', 'toc-mismatch'] as const).map((id) => ({
    id,
    description: `Describes ${id}`,
    severity: 'error' as const,
    docsUrl: `https://waymark.test/README.md#${id}`,
  })),
  ...(['tracking-param', 'link-text'] as const).map((id) => ({
    id,
    description: `Describes ${id}`,
    severity: 'warning' as const,
    docsUrl: `https://waymark.test/README.md#${id}`,
  })),
];

/** Format options for the sample: colour off unless asked for. */
export function sampleOptions(color = false): FormatOptions {
  return {
    color,
    rules: sampleRules,
    tool: { name: 'waymark', version: '0.1.0', informationUri: 'https://waymark.test/' },
  };
}
