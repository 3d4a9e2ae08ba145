import type { Finding, Notice, Report, ReportedFile, ReportedLink, UncheckedReason } from '../types.js';
import { groupByFile, messageWithHint, printable } from './text.js';

/** One `<testcase>` before it is written out. */
interface TestCase {
  readonly name: string;
  readonly line: number;
  readonly column: number;
  /** Error findings: the case fails. */
  readonly errors: readonly Finding[];
  /** Warning findings: the case passes, and they go to its `<system-out>`. */
  readonly warnings: readonly Finding[];
  /** Why the case was skipped, when it was. */
  readonly skipped?: string;
}

/** One `<testsuite>`: a file. */
interface TestSuite {
  readonly file: string;
  readonly cases: readonly TestCase[];
}

const namedEscapes: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

/**
 * Characters XML 1.0 forbids (C0 controls but tab, LF and CR; U+FFFE, U+FFFF; lone surrogates),
 * plus C1 controls, which are allowed but would drive a terminal that shows the file.
 */
const unsafe =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/gu;

/** `\u001b`: the visible escape a character XML cannot carry becomes. */
function visible(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * Escapes text for an attribute value or, with `inText`, for element content. `&<>"'` become
 * entities; tab, LF and CR become character references in attributes (where a parser would
 * otherwise turn them into spaces) and CR does in text too (where a parser would make it LF).
 * Characters XML 1.0 cannot carry at all become visible escapes such as `\u001b`.
 */
export function escapeXml(value: string, inText = false): string {
  return value
    .replace(unsafe, visible)
    .replace(/[&<>"'\t\n\r]/g, (char) => (inText && (char === '\t' || char === '\n') ? char : (namedEscapes[char] ?? char)));
}

function attributes(pairs: ReadonlyArray<readonly [string, string | number]>): string {
  return pairs.map(([key, value]) => ` ${key}="${escapeXml(String(value))}"`).join('');
}

/** Why an unchecked link was skipped, in words. */
const skipReasons: Readonly<Record<UncheckedReason, string>> = {
  scheme: 'Not checked: Waymark does not check this scheme',
  'ignored-url': 'Not checked: the URL matches ignoreUrls',
  'invalid-url': 'Not checked: the URL is not valid',
  offline: 'Not checked: the run was offline',
  'private-address': 'Not checked: the URL resolves to a private address (--allow-private checks it)',
  budget: 'Not checked: --budget left it for a later run',
  unchanged: 'Not checked: PR mode (--changed-since) checks only the links that changed',
};

/** A finding as one line of a case's output: `12:3 error missing-anchor message; hint`. */
function findingLine(finding: Finding): string {
  const { line, column } = finding.range.start;
  return printable(`${line}:${column} ${finding.severity} ${finding.ruleId} ${messageWithHint(finding)}`);
}

/** `3:1 https://example.com/`: where a case is, then what it is about. */
function caseName(line: number, column: number, subject: string): string {
  return `${line}:${column} ${subject === '' ? '(empty destination)' : subject}`;
}

function findingCase(finding: Finding): TestCase {
  const { line, column } = finding.range.start;
  return {
    name: caseName(line, column, finding.url ?? finding.ruleId),
    line,
    column,
    errors: finding.severity === 'error' ? [finding] : [],
    warnings: finding.severity === 'warning' ? [finding] : [],
  };
}

/**
 * One case per link of the file, in document order, each carrying the findings that start where
 * the link does (rules report a link's problems at its range); findings about no link (a table of
 * contents, an unused definition) get cases of their own, in position order with the rest.
 */
function fileCases(file: ReportedFile, findings: readonly Finding[]): TestCase[] {
  const byOffset = new Map<number, Finding[]>();
  for (const finding of findings) {
    const list = byOffset.get(finding.range.start.offset);
    if (list === undefined) byOffset.set(finding.range.start.offset, [finding]);
    else list.push(finding);
  }
  const cases: TestCase[] = file.links.map((link) => linkCase(link, byOffset));
  for (const list of byOffset.values()) cases.push(...list.map(findingCase));
  return cases.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** A link's case; the findings it takes are removed from `byOffset`. */
function linkCase(link: ReportedLink, byOffset: Map<number, Finding[]>): TestCase {
  const { line, column, offset } = link.range.start;
  const own = byOffset.get(offset) ?? [];
  byOffset.delete(offset);
  return {
    name: caseName(line, column, link.url),
    line,
    column,
    errors: own.filter((finding) => finding.severity === 'error'),
    warnings: own.filter((finding) => finding.severity === 'warning'),
    ...(link.unchecked === undefined ? {} : { skipped: skipReasons[link.unchecked] }),
  };
}

/** A notice (a file that was skipped, a directive naming an unknown rule) as a skipped case. */
function noticeCase(notice: Notice): TestCase {
  const where = notice.line === undefined ? '' : `${notice.line}:${notice.column ?? 1} `;
  return { name: `${where}notice ${notice.kind}`, line: notice.line ?? 0, column: notice.column ?? 0, errors: [], warnings: [], skipped: notice.message };
}

/**
 * The suites: every checked file in report order (with `report.files`, links and all; without,
 * the files that have findings, one case per finding), then files known only from notices.
 */
function suites(report: Report): TestSuite[] {
  const groups = new Map(groupByFile(report.findings).map((group) => [group.file, group.findings] as const));
  const list: Array<{ file: string; cases: TestCase[] }> =
    report.files === undefined
      ? [...groups].map(([file, findings]) => ({ file, cases: findings.map(findingCase) }))
      : report.files.map((file) => ({ file: file.file, cases: fileCases(file, groups.get(file.file) ?? []) }));
  if (report.files !== undefined) {
    // Findings in a file the list does not name still show up.
    const listed = new Set(report.files.map((file) => file.file));
    for (const [file, findings] of groups) if (!listed.has(file)) list.push({ file, cases: findings.map(findingCase) });
  }
  const byFile = new Map(list.map((suite) => [suite.file, suite] as const));
  for (const notice of report.notices) {
    const suite = byFile.get(notice.file) ?? { file: notice.file, cases: [] };
    if (!byFile.has(notice.file)) {
      byFile.set(notice.file, suite);
      list.push(suite);
    }
    suite.cases.push(noticeCase(notice));
  }
  return list.map((suite) => ({ file: suite.file, cases: uniqueNames(suite.cases) }));
}

/** Dashboards key a case by class name and name and drop repeats, so a repeated name gets ` (2)`. */
function uniqueNames(cases: readonly TestCase[]): TestCase[] {
  const seen = new Map<string, number>();
  return cases.map((testCase) => {
    const count = (seen.get(testCase.name) ?? 0) + 1;
    seen.set(testCase.name, count);
    return count === 1 ? testCase : { ...testCase, name: `${testCase.name} (${count})` };
  });
}

function writeCase(file: string, testCase: TestCase): string {
  const open = `    <testcase${attributes([
    ['classname', file],
    ['name', testCase.name],
    ['file', file],
  ])}`;
  const body: string[] = [];
  const [first] = testCase.errors;
  if (first !== undefined) {
    const text = testCase.errors.map(findingLine).join('\n');
    body.push(
      `      <failure${attributes([
        ['type', first.ruleId],
        ['message', messageWithHint(first)],
      ])}>${escapeXml(text, true)}</failure>`,
    );
  } else if (testCase.skipped !== undefined) {
    body.push(`      <skipped${attributes([['message', testCase.skipped]])}/>`);
  }
  if (testCase.warnings.length > 0) {
    body.push(`      <system-out>${escapeXml(testCase.warnings.map(findingLine).join('\n'), true)}</system-out>`);
  }
  return body.length === 0 ? `${open}/>` : [`${open}>`, ...body, '    </testcase>'].join('\n');
}

interface Counts {
  readonly tests: number;
  readonly failures: number;
  readonly skipped: number;
}

function count(cases: readonly TestCase[]): Counts {
  const failures = cases.filter((testCase) => testCase.errors.length > 0).length;
  const skipped = cases.filter((testCase) => testCase.errors.length === 0 && testCase.skipped !== undefined).length;
  return { tests: cases.length, failures, skipped };
}

function countAttributes({ tests, failures, skipped }: Counts): Array<readonly [string, number]> {
  return [
    ['tests', tests],
    ['failures', failures],
    ['errors', 0],
    ['skipped', skipped],
  ];
}

/**
 * Formats a report as JUnit XML, for the test dashboards of Jenkins, GitLab and Azure Pipelines.
 *
 * Each checked file is a `<testsuite>` named after it, and each link in it a `<testcase>` (class
 * name: the file; name: `line:col url`). A link with an error finding fails, with a `<failure>`
 * whose `type` is the rule id, whose `message` is the first error with its hint, and whose text
 * lists every error, one per line. Warnings do not fail a run, so they do not fail a case: they
 * go to its `<system-out>`. A link that got no verdict (another scheme, an offline run…) is
 * `<skipped>` with the reason; so is a notice, in its file's suite. Findings about no link get a
 * case of their own. A report without `files` gets one case per finding instead.
 *
 * `errors` is always 0: a case errors when the test itself broke, and a run that broke prints no
 * report. Text is escaped for XML 1.0; characters it cannot carry become visible escapes
 * (`\u001b`), and inside element text each finding's control characters do too.
 */
export function formatJunit(report: Report): string {
  const list = suites(report);
  const total = count(list.flatMap((suite) => suite.cases));
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes([['name', 'waymark'], ...countAttributes(total), ['time', (report.summary.durationMs / 1000).toFixed(3)]])}>`,
  ];
  for (const suite of list) {
    const open = `  <testsuite${attributes([['name', suite.file], ...countAttributes(count(suite.cases))])}`;
    if (suite.cases.length === 0) {
      lines.push(`${open}/>`);
      continue;
    }
    lines.push(`${open}>`, ...suite.cases.map((testCase) => writeCase(suite.file, testCase)), '  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
