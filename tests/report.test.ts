import { stripVTControlCharacters } from 'node:util';
import type { Root, Table } from 'mdast';
import { toString } from 'mdast-util-to-string';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { DomUtils, Parser, parseDocument } from 'htmlparser2';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { formats, formatters } from '../src/report/index.js';
import type { Finding, Report } from '../src/types.js';
import {
  deadLink,
  emptyReport,
  linkText,
  missingAnchor,
  offlineReport,
  oddFile,
  sampleOptions,
  sampleReport,
  sampleRules,
  tocMismatch,
  trackingParam,
} from './helpers/sample-report.js';

const offlineText =
  'External links were not checked: 5 URLs could not be verified because the network is unreachable (offline)';

const snapshotFiles = {
  text: 'sample.txt',
  json: 'sample.json',
  github: 'sample.github.txt',
  markdown: 'sample.md',
  sarif: 'sample.sarif',
  junit: 'sample.junit.xml',
  codequality: 'sample.codequality.json',
  html: 'sample.html',
} as const;

/** Parses JSON output without trusting its shape. */
function parse(output: string): Record<string, unknown> {
  const value: unknown = JSON.parse(output);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('expected an object');
  return value as Record<string, unknown>;
}

describe('registry', () => {
  it('has exactly one formatter per format name, in order', () => {
    expect(formats).toEqual(['text', 'json', 'github', 'markdown', 'sarif', 'junit', 'codequality', 'html']);
    expect(Object.keys(formatters)).toEqual([...formats]);
  });

  it.each(formats)('%s output matches its snapshot and ends with one newline', async (format) => {
    const output = formatters[format](sampleReport, sampleOptions());
    expect(output.endsWith('\n')).toBe(true);
    expect(output.endsWith('\n\n')).toBe(false);
    await expect(output).toMatchFileSnapshot(`./__snapshots__/report/${snapshotFiles[format]}`);
  });

  it.each(formats)('%s output of an empty report matches its snapshot', (format) => {
    expect(formatters[format](emptyReport, sampleOptions())).toMatchSnapshot();
  });

  it.each(formats)('%s output never contains ANSI escapes when colour is off', (format) => {
    expect(formatters[format](sampleReport, sampleOptions(false))).not.toContain('\u001b');
  });
});

describe('text', () => {
  const text = formatters.text;

  it('groups by file, sorts by position, aligns columns and appends hints', () => {
    expect(text(sampleReport, sampleOptions()).split('\n')).toEqual([
      'README.md:3:1   warning  tracking-param  Unexpected tracking parameter `utm_source` in URL',
      'README.md:12:3  error    missing-anchor  Cannot find heading `#bias-variance` in `math.md`; did you mean `#bias-and-variance`?',
      'README.md:40:1  error    toc-mismatch    Unexpected table of contents entry `Café | Menü`, expected `Café & Menü`',
      '',
      `${oddFile}:2:5   warning  link-text     Unexpected link text \`click\\nhere\`, expected words that describe the target`,
      `${oddFile}:2:30  error    missing-file  Cannot find file \`\`./weird\`name|x.md\`\`; did you mean \`./weird-name.md\`? 👀`,
      `${oddFile}:7:10  error    dead-link     Cannot find \`https://example.invalid/a%20b,c:d\` (HTTP 404)`,
      '',
      '✖ 4 errors, 2 warnings in 3 files (24 links, 9 unique URLs, 2 skipped)',
      '',
    ]);
  });

  it('pads severity only as wide as the widest in its file', () => {
    const errorsOnly: Report = {
      ...sampleReport,
      summary: { ...sampleReport.summary, warnings: 0, errors: 1 },
      findings: [missingAnchor],
    };
    expect(text(errorsOnly, sampleOptions()).split('\n')[0]).toBe(
      'README.md:12:3  error  missing-anchor  Cannot find heading `#bias-variance` in `math.md`; did you mean `#bias-and-variance`?',
    );
  });

  it('colours location, severity and rule id, and only that, when colour is on', () => {
    const coloured = text(sampleReport, sampleOptions(true));
    expect(coloured.split('\n')[0]).toBe(
      '\u001b[2mREADME.md:3:1\u001b[22m   \u001b[33mwarning\u001b[39m  \u001b[2mtracking-param\u001b[22m  Unexpected tracking parameter `utm_source` in URL',
    );
    expect(coloured).toContain('\u001b[31merror\u001b[39m    \u001b[2mmissing-anchor\u001b[22m  Cannot find heading');
    expect(coloured).toContain('\u001b[31m✖\u001b[39m 4 errors');
    expect(stripVTControlCharacters(coloured)).toBe(text(sampleReport, sampleOptions(false)));
  });

  it('prints a single summary line for an empty report', () => {
    expect(text(emptyReport, sampleOptions())).toBe('✔ No problems in 1 file (1 link, 1 unique URL)\n');
    expect(text(emptyReport, sampleOptions(true))).toBe(
      '\u001b[32m✔\u001b[39m No problems in 1 file (1 link, 1 unique URL)\n',
    );
  });

  it('names the URLs a --changed-since run left unchecked as unchanged, only when there are some', () => {
    const pr = (unchanged: number): Report => ({ ...emptyReport, summary: { ...emptyReport.summary, unchanged } });
    expect(text(pr(1), sampleOptions())).toBe('✔ No problems in 1 file (1 link, 1 unique URL, 1 unchanged URL not checked)\n');
    expect(text(pr(4), sampleOptions())).toContain('4 unchanged URLs not checked');
    expect(text(pr(0), sampleOptions())).toBe('✔ No problems in 1 file (1 link, 1 unique URL)\n');
  });

  it('counts warnings alone without mentioning errors', () => {
    const warningsOnly: Report = { ...emptyReport, summary: { ...emptyReport.summary, warnings: 1 } };
    expect(text(warningsOnly, sampleOptions())).toBe('✖ 1 warning in 1 file (1 link, 1 unique URL)\n');
  });

  it('says plainly that external links were not checked when offline, and only then', () => {
    expect(text(offlineReport, sampleOptions()).split('\n').slice(-3)).toEqual([
      '✖ 4 errors, 2 warnings in 3 files (24 links, 9 unique URLs, 2 skipped)',
      offlineText,
      '',
    ]);
    expect(text(sampleReport, sampleOptions())).not.toContain('External links');
    expect(text(sampleReport, sampleOptions())).not.toContain('offline');
    const oneUrl: Report = { ...emptyReport, summary: { ...emptyReport.summary, offline: 1 } };
    expect(text(oneUrl, sampleOptions())).toContain(
      'External links were not checked: 1 URL could not be verified because the network is unreachable (offline)',
    );
    const noCount: Report = { ...emptyReport, offline: true };
    expect(text(noCount, sampleOptions())).toContain(
      'External links were not checked because the network is unreachable (offline)',
    );
  });

  it('never calls unverified links dead', () => {
    const output = text({ ...offlineReport, findings: [] }, sampleOptions());
    expect(output).not.toMatch(/dead|broken/i);
  });

  it('wraps long findings between words to the given width, rule id kept whole on the first line', () => {
    const wrapped = text(sampleReport, { ...sampleOptions(), width: 100 }).split('\n');
    const anchorLines = wrapped.slice(1, 3);
    expect(anchorLines).toEqual([
      'README.md:12:3  error    missing-anchor  Cannot find heading `#bias-variance` in `math.md`; did you',
      '    mean `#bias-and-variance`?',
    ]);
    for (const line of wrapped) expect(line.length).toBeLessThanOrEqual(100);
    const narrow = text(sampleReport, { ...sampleOptions(), width: 40 }).split('\n');
    expect(narrow[0]).toBe('README.md:3:1   warning  tracking-param  Unexpected');
    expect(narrow).toContain('    `https://example.invalid/a%20b,c:d`');
    expect(text(sampleReport, sampleOptions()).split('\n')[1]).toContain('did you mean `#bias-and-variance`?');
  });

  it('turns control characters into visible escapes', () => {
    const sneaky: Report = {
      ...emptyReport,
      findings: [{ ...deadLink, message: 'Cannot find `a\u001b[2Jb\r\tc`' }],
    };
    expect(text(sneaky, sampleOptions()).split('\n')[0]).toBe(
      `${oddFile}:7:10  error  dead-link  Cannot find \`a\\u001b[2Jb\\r\\tc\``,
    );
  });
});

describe('json', () => {
  const output = formatters.json(sampleReport, sampleOptions());
  const parsed = parse(output);

  it('is one document with two-space indentation', () => {
    expect(output).toBe(`${JSON.stringify(parsed, null, 2)}\n`);
  });

  it('has the documented keys in the documented order', () => {
    expect(Object.keys(parsed)).toEqual(['version', 'tool', 'summary', 'findings', 'notices']);
    expect(parsed['version']).toBe(1);
    expect(parsed['tool']).toStrictEqual({ name: 'waymark', version: '0.1.0' });
    expect(Object.keys(parsed['tool'] as object)).toEqual(['name', 'version']);
    const summary = parsed['summary'] as object;
    expect(Object.keys(summary)).toEqual([
      'files',
      'links',
      'uniqueUrls',
      'checked',
      'errors',
      'warnings',
      'skipped',
      'offline',
      'dead',
      'blocked',
      'unverified',
      'durationMs',
    ]);
    const { unchanged: _unchanged, budget: _budget, ...shown } = sampleReport.summary;
    expect(summary).toStrictEqual(shown);
  });

  it('adds summary.budget before durationMs only when --budget left some URLs for later', () => {
    const budgeted: Report = { ...sampleReport, summary: { ...sampleReport.summary, budget: 40 } };
    const summary = parse(formatters.json(budgeted, sampleOptions()))['summary'] as Record<string, number>;
    expect(Object.keys(summary).slice(-3)).toEqual(['unverified', 'budget', 'durationMs']);
    expect(summary['budget']).toBe(40);
    expect(formatters.text(budgeted, sampleOptions())).toContain('40 URLs not checked (budget)');
  });

  it('adds summary.unchanged after the verdict counts, before durationMs, only when some URLs went unchecked as unchanged', () => {
    const pr: Report = { ...sampleReport, summary: { ...sampleReport.summary, unchanged: 3 } };
    const summary = parse(formatters.json(pr, sampleOptions()))['summary'] as Record<string, number>;
    expect(Object.keys(summary).slice(-3)).toEqual(['unverified', 'unchanged', 'durationMs']);
    expect(summary['unchanged']).toBe(3);
  });

  it('flattens each finding, omitting url and hint when absent', () => {
    const findings = parsed['findings'] as Array<Record<string, unknown>>;
    expect(findings).toHaveLength(6);
    expect(Object.keys(findings[1] ?? {})).toEqual([
      'ruleId',
      'severity',
      'file',
      'line',
      'column',
      'endLine',
      'endColumn',
      'url',
      'message',
      'hint',
    ]);
    expect(findings[1]).toStrictEqual({
      ruleId: 'missing-anchor',
      severity: 'error',
      file: 'README.md',
      line: 12,
      column: 3,
      endLine: 12,
      endColumn: 40,
      url: 'math.md#bias-variance',
      message: 'Cannot find heading `#bias-variance` in `math.md`',
      hint: 'did you mean `#bias-and-variance`?',
    });
    // The table-of-contents finding has no URL and no hint: both keys are left out, not null.
    expect(Object.keys(findings[2] ?? {})).toEqual([
      'ruleId',
      'severity',
      'file',
      'line',
      'column',
      'endLine',
      'endColumn',
      'message',
    ]);
    expect(findings[2]).toMatchObject({ ruleId: 'toc-mismatch', line: 40, endLine: 42, endColumn: 18 });
    expect(findings[3]).toMatchObject({
      file: oddFile,
      message: 'Unexpected link text `click\nhere`, expected words that describe the target',
    });
    expect(findings.some((finding) => 'fix' in finding)).toBe(false);
    expect(findings.map((finding) => `${String(finding['file'])}:${String(finding['line'])}`)).toEqual([
      'README.md:3',
      'README.md:12',
      'README.md:40',
      `${oddFile}:2`,
      `${oddFile}:2`,
      `${oddFile}:7`,
    ]);
  });

  it('lists notices as kind, file and message', () => {
    expect(parsed['notices']).toStrictEqual([
      { kind: 'binary', file: 'docs/logo.md', message: 'Unexpected binary content in `docs/logo.md`' },
    ]);
  });

  it('keeps every key for an empty report', () => {
    const empty = parse(formatters.json(emptyReport, sampleOptions()));
    expect(empty['findings']).toEqual([]);
    expect(empty['notices']).toEqual([]);
    // Every key but `unchanged` and `budget`, which only runs that left URLs unchecked have.
    const { unchanged: _unchanged, budget: _budget, ...shown } = emptyReport.summary;
    expect(empty['summary']).toStrictEqual(shown);
  });
});

describe('github', () => {
  const github = formatters.github;

  it('writes one escaped workflow command per finding', () => {
    const escapedFile = 'docs/50%25 off%2C v2%3A über.md';
    expect(github(sampleReport, sampleOptions()).split('\n')).toEqual([
      '::warning file=README.md,line=3,col=1,endLine=3,endColumn=58,title=tracking-param::Unexpected tracking parameter `utm_source` in URL',
      '::error file=README.md,line=12,col=3,endLine=12,endColumn=40,title=missing-anchor::Cannot find heading `#bias-variance` in `math.md`; did you mean `#bias-and-variance`?',
      '::error file=README.md,line=40,endLine=42,title=toc-mismatch::Unexpected table of contents entry `Café | Menü`, expected `Café & Menü`',
      `::warning file=${escapedFile},line=2,endLine=3,title=link-text::Unexpected link text \`click%0Ahere\`, expected words that describe the target`,
      `::error file=${escapedFile},line=2,col=30,endLine=2,endColumn=61,title=missing-file::Cannot find file \`\`./weird\`name|x.md\`\`; did you mean \`./weird-name.md\`? 👀`,
      `::error file=${escapedFile},line=7,col=10,endLine=7,endColumn=52,title=dead-link::Cannot find \`https://example.invalid/a%2520b,c:d\` (HTTP 404)`,
      '',
    ]);
  });

  it('escapes % before CR and LF in data, and also : and , in properties', () => {
    const finding = { ...missingAnchor, file: 'a%0A,b:c.md', message: '100%\r\nx,y:z' };
    const output = github({ ...emptyReport, findings: [finding] }, sampleOptions());
    expect(output).toBe(
      '::error file=a%250A%2Cb%3Ac.md,line=12,col=3,endLine=12,endColumn=40,title=missing-anchor::100%25%0D%0Ax,y:z; did you mean `#bias-and-variance`?\n',
    );
  });

  it('turns ESC and other control characters into visible escapes, in the data and the file', () => {
    const finding = { ...missingAnchor, file: 'a\u001b]0;title\u0007.md', message: 'x\u001b[2J\u009by\tz\r\nw' };
    const output = github({ ...emptyReport, findings: [finding] }, sampleOptions());
    expect(output).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/u);
    expect(output).toBe(
      '::error file=a\\u001b]0;title\\u0007.md,line=12,col=3,endLine=12,endColumn=40,title=missing-anchor::x\\u001b[2J\\u009by\\tz%0D%0Aw; did you mean `#bias-and-variance`?\n',
    );
  });

  it('prints nothing for an empty report', () => {
    expect(github(emptyReport, sampleOptions())).toBe('');
  });

  it('adds a notice when offline, and only then', () => {
    expect(github(offlineReport, sampleOptions()).split('\n').at(-2)).toBe(`::notice title=Offline::${offlineText}`);
    expect(github(sampleReport, sampleOptions())).not.toContain('::notice');
  });
});

describe('markdown', () => {
  const markdown = formatters.markdown;

  function tables(output: string): Table[] {
    const tree: Root = unified().use(remarkParse).use(remarkGfm).parse(output);
    return tree.children.filter((node): node is Table => node.type === 'table');
  }

  it('renders a summary table and one table per file whose cells read back as the messages', () => {
    const output = markdown(sampleReport, sampleOptions());
    const [summary, readme, odd, ...rest] = tables(output);
    expect(rest).toEqual([]);
    expect(summary?.children.map((row) => row.children.map((cell) => toString(cell)))).toEqual([
      ['Files', 'Links', 'Unique URLs', 'Checked', 'Errors', 'Warnings', 'Skipped', 'Offline', 'Duration'],
      ['3', '24', '9', '7', '4', '2', '2', '0', '1234 ms'],
    ]);
    const cells = (table: Table | undefined): string[][] =>
      (table?.children ?? []).slice(1).map((row) => row.children.map((cell) => toString(cell)));
    expect(cells(readme)).toEqual([
      ['3', 'tracking-param', 'warning', 'Unexpected tracking parameter utm_source in URL'],
      ['12', 'missing-anchor', 'error', 'Cannot find heading #bias-variance in math.md; did you mean #bias-and-variance?'],
      ['40–42', 'toc-mismatch', 'error', 'Unexpected table of contents entry Café | Menü, expected Café & Menü'],
    ]);
    expect(cells(odd)).toEqual([
      ['2–3', 'link-text', 'warning', 'Unexpected link text click\\nhere, expected words that describe the target'],
      ['2', 'missing-file', 'error', 'Cannot find file ./weird`name|x.md; did you mean ./weird-name.md? 👀'],
      ['7', 'dead-link', 'error', 'Cannot find https://example.invalid/a%20b,c:d (HTTP 404)'],
    ]);
    expect(output).toContain('### `README.md`');
    expect(output).toContain(`### \`${oddFile}\``);
    expect(output).toContain('Found 4 errors, 2 warnings in 3 files (24 links, 9 unique URLs, 2 skipped).');
  });

  it('keeps code spans as code and escapes everything else', () => {
    const finding = {
      ...tocMismatch,
      message: 'Unexpected *bold* <b>html</b> & $x$ in `a | b` and a stray ` backtick',
    };
    const output = markdown({ ...emptyReport, findings: [finding] }, sampleOptions());
    expect(output).toContain(
      '| 40–42 | `toc-mismatch` | error | Unexpected \\*bold\\* \\<b\\>html\\</b\\> \\& \\$x\\$ in `a \\| b` and a stray \\` backtick |',
    );
    const row = tables(output)[1]?.children[1];
    const message = row?.children[3];
    expect(message?.children.map((node) => node.type)).toEqual(['text', 'inlineCode', 'text']);
    expect(toString(message)).toBe('Unexpected *bold* <b>html</b> & $x$ in a | b and a stray ` backtick');
  });

  it('says all is clear for an empty report', () => {
    const output = markdown(emptyReport, sampleOptions());
    expect(output).toContain('All clear: no problems in 1 file (1 link, 1 unique URL).');
    expect(tables(output)).toHaveLength(1);
  });

  it('includes the offline sentence when offline, and only then', () => {
    expect(markdown(offlineReport, sampleOptions())).toContain(`\n\n${offlineText}.\n\n`);
    expect(markdown(sampleReport, sampleOptions())).not.toContain('External links');
  });
});

describe('sarif', () => {
  const log = parse(formatters.sarif(sampleReport, sampleOptions()));
  const runs = log['runs'] as Array<Record<string, unknown>>;
  const run = runs[0] ?? {};
  const driver = (run['tool'] as { driver: Record<string, unknown> }).driver;
  const results = run['results'] as Array<Record<string, unknown>>;

  it('is a SARIF 2.1.0 log with one run', () => {
    expect(log['$schema']).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log['version']).toBe('2.1.0');
    expect(runs).toHaveLength(1);
    expect(run['columnKind']).toBe('utf16CodeUnits');
  });

  it('builds the rule table from the rule metadata, in order', () => {
    expect(driver['name']).toBe('waymark');
    expect(driver['version']).toBe('0.1.0');
    expect(driver['informationUri']).toBe('https://waymark.test/');
    const rules = driver['rules'] as Array<Record<string, unknown>>;
    expect(rules.map((rule) => rule['id'])).toEqual(sampleRules.map((rule) => rule.id));
    expect(rules[1]).toStrictEqual({
      id: 'dead-link',
      shortDescription: { text: 'Describes dead-link' },
      helpUri: 'https://waymark.test/README.md#dead-link',
      defaultConfiguration: { level: 'error' },
    });
    // A README section becomes that section of the home page: SARIF allows no relative helpUri.
    expect(rules[0]).toStrictEqual({
      id: 'redirect',
      shortDescription: { text: 'Links should not redirect' },
      helpUri: 'https://waymark.test/#redirect',
      defaultConfiguration: { level: 'warning' },
    });
  });

  it('leaves a relative docs link out when there is no home page to resolve it against', () => {
    const options = { ...sampleOptions(), tool: { name: 'waymark', version: '0.1.0' } };
    const bare = JSON.parse(formatters.sarif(sampleReport, options)) as typeof log;
    const table = (bare['runs'] as Array<{ tool: { driver: { rules: Array<Record<string, unknown>> } } }>)[0]!.tool.driver.rules;
    expect(table[0]).not.toHaveProperty('helpUri');
    expect(table[1]?.['helpUri']).toBe('https://waymark.test/README.md#dead-link');
  });

  it('says in its invocation whether external links were checked, and lists skipped files', () => {
    const [online] = run['invocations'] as Array<Record<string, unknown>>;
    expect(online).toMatchObject({ executionSuccessful: true, properties: { externalLinksChecked: true } });
    expect(online?.['toolExecutionNotifications']).toEqual([
      {
        level: 'warning',
        message: { text: 'Unexpected binary content in `docs/logo.md`' },
        descriptor: { id: 'binary' },
        locations: [{ physicalLocation: { artifactLocation: { uri: 'docs/logo.md', uriBaseId: '%SRCROOT%' } } }],
      },
    ]);
    const offlineLog = JSON.parse(formatters.sarif({ ...offlineReport, offlineReason: 'unreachable' }, sampleOptions())) as typeof log;
    const [offline] = (offlineLog['runs'] as Array<{ invocations: Array<Record<string, unknown>> }>)[0]!.invocations;
    expect(offline).toMatchObject({
      executionSuccessful: true,
      properties: { externalLinksChecked: false, offlineReason: 'unreachable' },
    });
    expect((offline?.['toolExecutionNotifications'] as unknown[])[0]).toEqual({
      level: 'warning',
      message: { text: offlineText },
      descriptor: { id: 'offline' },
    });
  });

  it('gives each result its rule, level, message with hint and region', () => {
    expect(results).toHaveLength(6);
    const rules = driver['rules'] as Array<Record<string, unknown>>;
    for (const result of results) {
      expect(rules[result['ruleIndex'] as number]?.['id']).toBe(result['ruleId']);
    }
    expect(results[1]).toStrictEqual({
      ruleId: 'missing-anchor',
      ruleIndex: 2,
      level: 'error',
      message: { text: 'Cannot find heading `#bias-variance` in `math.md`; did you mean `#bias-and-variance`?' },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'README.md', uriBaseId: '%SRCROOT%' },
            region: { startLine: 12, startColumn: 3, endLine: 12, endColumn: 40 },
          },
        },
      ],
    });
    expect(results[3]).toMatchObject({
      ruleId: 'link-text',
      level: 'warning',
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'docs/50%25%20off%2C%20v2%3A%20%C3%BCber.md' },
            region: { startLine: 2, startColumn: 5, endLine: 3, endColumn: 9 },
          },
        },
      ],
    });
    const uri = (results[3] as { locations: [{ physicalLocation: { artifactLocation: { uri: string } } }] })
      .locations[0].physicalLocation.artifactLocation.uri;
    expect(decodeURIComponent(uri)).toBe(oddFile);
  });

  it('leaves out ruleIndex for a rule missing from the table', () => {
    const sarif = parse(formatters.sarif(sampleReport, { ...sampleOptions(), rules: [] }));
    const [first] = (sarif['runs'] as Array<{ results: Array<Record<string, unknown>> }>)[0]?.results ?? [];
    expect(first).toMatchObject({ ruleId: 'tracking-param', level: 'warning' });
    expect(first).not.toHaveProperty('ruleIndex');
  });

  it('has no results for an empty report', () => {
    const sarif = parse(formatters.sarif(emptyReport, sampleOptions()));
    expect((sarif['runs'] as Array<{ results: unknown[] }>)[0]?.results).toEqual([]);
  });
});

/**
 * Checks what a lenient parser would let through: every element closed in order (none implied),
 * one root, no character XML 1.0 forbids, and `&` only in the predefined or numeric references.
 */
function expectWellFormed(xml: string): void {
  const stack: string[] = [];
  const roots: string[] = [];
  const problems: string[] = [];
  const parser = new Parser(
    {
      onopentag(name) {
        if (stack.length === 0) roots.push(name);
        stack.push(name);
      },
      onclosetag(name, isImplied) {
        // The parser reports `<x/>` as an implied close too; any other implied close is a missing end tag.
        const selfClosing = xml.slice(parser.endIndex - 1, parser.endIndex + 1) === '/>';
        if ((isImplied && !selfClosing) || stack.pop() !== name) problems.push(`unbalanced </${name}>`);
      },
      onerror(error) {
        problems.push(error.message);
      },
    },
    { xmlMode: true },
  );
  parser.end(xml);
  expect(problems).toEqual([]);
  expect(stack).toEqual([]);
  expect(roots).toEqual(['testsuites']);
  expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
  expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/u);
  expect(xml).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/u);
  expect(xml).not.toMatch(/&(?!(?:amp|lt|gt|quot|apos|#\d+);)/);
}

/** The parsed JUnit document and its elements, the way a dashboard reads them. */
function junitTree(xml: string) {
  expectWellFormed(xml);
  const document = parseDocument(xml, { xmlMode: true });
  const [root] = DomUtils.getElementsByTagName('testsuites', document, true);
  const suites = DomUtils.getElementsByTagName('testsuite', document, true);
  const cases = (suite: (typeof suites)[number]) => DomUtils.getElementsByTagName('testcase', suite, true);
  const child = (element: (typeof suites)[number], name: string) =>
    DomUtils.getElementsByTagName(name, element.children, false, 1)[0];
  return { document, root, suites, cases, child };
}

describe('junit', () => {
  const junit = formatters.junit;
  const xml = junit(sampleReport, sampleOptions());
  const { root, suites, cases, child } = junitTree(xml);

  it('is well-formed XML with one suite per checked file, then one per file known from a notice', () => {
    expect(root?.attribs).toEqual({ name: 'waymark', tests: '11', failures: '4', errors: '0', skipped: '2', time: '1.234' });
    expect(suites.map((suite) => suite.attribs['name'])).toEqual(['README.md', oddFile, 'docs/clean.md', 'docs/logo.md']);
    expect(suites.map((suite) => cases(suite).length)).toEqual([5, 4, 1, 1]);
  });

  it('counts in every suite what its cases say', () => {
    let tests = 0;
    for (const suite of suites) {
      const list = cases(suite);
      const failed = list.filter((testCase) => child(testCase, 'failure') !== undefined).length;
      const skipped = list.filter((testCase) => child(testCase, 'skipped') !== undefined).length;
      expect(suite.attribs).toMatchObject({
        tests: String(list.length),
        failures: String(failed),
        errors: '0',
        skipped: String(skipped),
      });
      tests += list.length;
    }
    expect(root?.attribs['tests']).toBe(String(tests));
  });

  it('makes each link a case named by place and URL, in document order, with findings about no link in between', () => {
    const [readme] = suites;
    expect(readme === undefined ? [] : cases(readme).map((testCase) => [testCase.attribs['classname'], testCase.attribs['name']])).toEqual([
      ['README.md', '3:1 https://shop.test/?utm_source=news&id=1'],
      ['README.md', '5:1 https://example.test/fine'],
      ['README.md', '12:3 math.md#bias-variance'],
      ['README.md', '20:1 mailto:team@example.test'],
      ['README.md', '40:1 toc-mismatch'],
    ]);
    const names = suites.flatMap((suite) => cases(suite).map((testCase) => `${testCase.attribs['classname']} ${testCase.attribs['name']}`));
    expect(new Set(names).size).toBe(names.length);
  });

  it('fails a link with an error, typed by rule; a warning passes with its text in system-out', () => {
    const readme = suites[0] === undefined ? [] : cases(suites[0]);
    const anchor = readme[2];
    const failure = anchor === undefined ? undefined : child(anchor, 'failure');
    expect(failure?.attribs).toEqual({
      type: 'missing-anchor',
      message: 'Cannot find heading `#bias-variance` in `math.md`; did you mean `#bias-and-variance`?',
    });
    expect(failure === undefined ? '' : DomUtils.textContent(failure)).toBe(
      '12:3 error missing-anchor Cannot find heading `#bias-variance` in `math.md`; did you mean `#bias-and-variance`?',
    );
    const tracking = readme[0];
    expect(tracking === undefined ? undefined : child(tracking, 'failure')).toBeUndefined();
    const out = tracking === undefined ? undefined : child(tracking, 'system-out');
    expect(out === undefined ? '' : DomUtils.textContent(out)).toBe(
      '3:1 warning tracking-param Unexpected tracking parameter `utm_source` in URL',
    );
    const passing = readme[1];
    expect(passing?.children).toEqual([]);
  });

  it('skips a link that got no verdict, and a file known only from a notice, saying why', () => {
    const mail = suites[0] === undefined ? undefined : cases(suites[0])[3];
    expect((mail === undefined ? undefined : child(mail, 'skipped'))?.attribs).toEqual({
      message: 'Not checked: Waymark does not check this scheme',
    });
    const logo = suites[3] === undefined ? undefined : cases(suites[3])[0];
    expect(logo?.attribs['name']).toBe('notice binary');
    expect((logo === undefined ? undefined : child(logo, 'skipped'))?.attribs).toEqual({
      message: 'Unexpected binary content in `docs/logo.md`',
    });
    const offline: Report = {
      ...emptyReport,
      offline: true,
      offlineReason: 'requested',
      files: [{ file: 'a.md', links: [{ url: 'https://example.test/', range: deadLink.range, unchecked: 'offline' }] }],
    };
    const tree = junitTree(junit(offline, sampleOptions()));
    expect(tree.root?.attribs).toMatchObject({ tests: '1', failures: '0', skipped: '1' });
    const [only] = tree.suites[0] === undefined ? [] : tree.cases(tree.suites[0]);
    expect((only === undefined ? undefined : tree.child(only, 'skipped'))?.attribs['message']).toBe('Not checked: the run was offline');
  });

  it('round-trips markup characters and line breaks, and shows characters XML cannot carry as escapes', () => {
    const file = `a&b<c>"d'e\u001b.md`;
    const message = `Cannot find \`x&y<z>"'\`\r\n\there \u001b[2J \u0000 \ud800 ok 👀`;
    const finding: Finding = { ...missingAnchor, file, url: 'https://example.test/?a=1&b=<2>', message };
    const report: Report = {
      ...emptyReport,
      findings: [finding],
      files: [{ file, links: [{ url: finding.url ?? '', range: finding.range }] }],
    };
    const output = junit(report, sampleOptions());
    const tree = junitTree(output);
    const [suite] = tree.suites;
    const [testCase] = suite === undefined ? [] : tree.cases(suite);
    expect(suite?.attribs['name']).toBe('a&b<c>"d\'e\\u001b.md');
    expect(testCase?.attribs['name']).toBe('12:3 https://example.test/?a=1&b=<2>');
    const failure = testCase === undefined ? undefined : tree.child(testCase, 'failure');
    expect(failure?.attribs['message']).toBe(
      `Cannot find \`x&y<z>"'\`\r\n\there \\u001b[2J \\u0000 \\ud800 ok 👀; did you mean \`#bias-and-variance\`?`,
    );
    // In the failure text each finding is one line, its control characters visible.
    expect(failure === undefined ? '' : DomUtils.textContent(failure)).toBe(
      `12:3 error missing-anchor Cannot find \`x&y<z>"'\`\\r\\n\\there \\u001b[2J \\u0000 \\ud800 ok 👀; did you mean \`#bias-and-variance\`?`,
    );
    expect(output).not.toContain('\u001b');
  });

  it('without the list of files, makes one case per finding in the files that have findings', () => {
    const { files: _files, ...findingsOnly } = sampleReport;
    const tree = junitTree(junit(findingsOnly, sampleOptions()));
    expect(tree.suites.map((suite) => [suite.attribs['name'], suite.attribs['tests'], suite.attribs['failures']])).toEqual([
      ['README.md', '3', '2'],
      [oddFile, '3', '2'],
      ['docs/logo.md', '1', '0'],
    ]);
    const [readme] = tree.suites;
    expect(readme === undefined ? [] : tree.cases(readme).map((testCase) => testCase.attribs['name'])).toEqual([
      '3:1 https://shop.test/?utm_source=news&id=1',
      '12:3 math.md#bias-variance',
      '40:1 toc-mismatch',
    ]);
  });

  it('gives repeated case names a count, since dashboards keep only the first of a name', () => {
    const { files: _files, ...findingsOnly } = emptyReport;
    const twice: Report = { ...findingsOnly, findings: [tocMismatch, { ...tocMismatch, message: 'Another' }] };
    const tree = junitTree(junit(twice, sampleOptions()));
    const [suite] = tree.suites;
    expect(suite === undefined ? [] : tree.cases(suite).map((testCase) => testCase.attribs['name'])).toEqual([
      '40:1 toc-mismatch',
      '40:1 toc-mismatch (2)',
    ]);
  });

  it('lists an empty suite for a checked file without links', () => {
    const tree = junitTree(junit({ ...emptyReport, files: [{ file: 'empty.md', links: [] }] }, sampleOptions()));
    expect(tree.suites.map((suite) => suite.attribs)).toEqual([
      { name: 'empty.md', tests: '0', failures: '0', errors: '0', skipped: '0' },
    ]);
  });
});

/** The fields GitLab reads from a Code Quality report, as its documentation lists them. */
const codeQualitySchema = v.array(
  v.strictObject({
    description: v.pipe(v.string(), v.minLength(1)),
    check_name: v.pipe(v.string(), v.minLength(1)),
    fingerprint: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/)),
    severity: v.picklist(['info', 'minor', 'major', 'critical', 'blocker']),
    location: v.strictObject({
      path: v.pipe(v.string(), v.minLength(1)),
      lines: v.strictObject({
        begin: v.pipe(v.number(), v.integer(), v.minValue(1)),
        end: v.pipe(v.number(), v.integer(), v.minValue(1)),
      }),
    }),
  }),
);

describe('codequality', () => {
  const codequality = (report: Report) => v.parse(codeQualitySchema, JSON.parse(formatters.codequality(report, sampleOptions())));
  const issues = codequality(sampleReport);

  it('is a JSON array of issues with the fields GitLab reads, one per finding in file order', () => {
    expect(issues).toHaveLength(6);
    expect(issues[1]).toEqual({
      description: 'Cannot find heading `#bias-variance` in `math.md`; did you mean `#bias-and-variance`?',
      check_name: 'missing-anchor',
      fingerprint: expect.any(String),
      severity: 'major',
      location: { path: 'README.md', lines: { begin: 12, end: 12 } },
    });
    expect(issues.map((issue) => [issue.check_name, issue.severity, issue.location.path, issue.location.lines.begin])).toEqual([
      ['tracking-param', 'minor', 'README.md', 3],
      ['missing-anchor', 'major', 'README.md', 12],
      ['toc-mismatch', 'major', 'README.md', 40],
      ['link-text', 'minor', oddFile, 2],
      ['missing-file', 'major', oddFile, 2],
      ['dead-link', 'major', oddFile, 7],
    ]);
    expect(issues[2]?.location.lines).toEqual({ begin: 40, end: 42 });
  });

  it('gives unique fingerprints that stay put when a line moves', () => {
    const fingerprints = issues.map((issue) => issue.fingerprint);
    expect(new Set(fingerprints).size).toBe(fingerprints.length);
    const moved = (finding: Finding, by: number): Finding => ({
      ...finding,
      range: {
        start: { ...finding.range.start, line: finding.range.start.line + by, offset: finding.range.start.offset + 80 * by },
        end: { ...finding.range.end, line: finding.range.end.line + by, offset: finding.range.end.offset + 80 * by },
      },
    });
    const shifted = codequality({ ...sampleReport, findings: sampleReport.findings.map((finding) => moved(finding, 5)) });
    expect(shifted.map((issue) => issue.fingerprint)).toEqual(fingerprints);
    expect(codequality(sampleReport).map((issue) => issue.fingerprint)).toEqual(fingerprints);
  });

  it('tells identical findings apart by their order, and changes with rule, file or URL', () => {
    const twice = codequality({ ...emptyReport, findings: [trackingParam, { ...trackingParam, range: linkText.range }] });
    expect(twice[0]?.fingerprint).not.toBe(twice[1]?.fingerprint);
    const [base] = codequality({ ...emptyReport, findings: [trackingParam] });
    expect(twice.map((issue) => issue.fingerprint)).toContain(base?.fingerprint);
    for (const changed of [
      { ...trackingParam, ruleId: 'redirect' as const },
      { ...trackingParam, file: 'other.md' },
      { ...trackingParam, url: 'https://shop.test/?utm_source=mail' },
    ]) {
      expect(codequality({ ...emptyReport, findings: [changed] })[0]?.fingerprint).not.toBe(base?.fingerprint);
    }
  });

  it('is an empty array for an empty report', () => {
    expect(formatters.codequality(emptyReport, sampleOptions())).toBe('[]\n');
  });
});
