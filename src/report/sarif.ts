import type { Finding, Notice, Report, Severity } from '../types.js';
import { groupByFile, messageWithHint, offlineSentence } from './text.js';
import type { FormatOptions, RuleMeta } from './types.js';

/** The JSON schema SARIF 2.1.0 documents point at. */
const sarifSchema = 'https://json.schemastore.org/sarif-2.1.0.json';

interface SarifRule {
  readonly id: string;
  readonly shortDescription: { readonly text: string };
  readonly helpUri?: string;
  readonly defaultConfiguration: { readonly level: Severity };
}

interface SarifResult {
  readonly ruleId: string;
  readonly ruleIndex?: number;
  readonly level: Severity;
  readonly message: { readonly text: string };
  readonly locations: readonly [
    {
      readonly physicalLocation: {
        readonly artifactLocation: { readonly uri: string; readonly uriBaseId: '%SRCROOT%' };
        readonly region: {
          readonly startLine: number;
          readonly startColumn: number;
          readonly endLine: number;
          readonly endColumn: number;
        };
      };
    },
  ];
}

/** Turns a relative path with `/` separators into a relative URI reference (`a b.md` → `a%20b.md`). */
function pathToUri(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/** Whether a string is an absolute URI, as SARIF requires of `helpUri` and `informationUri`. */
function isAbsoluteUri(value: string): boolean {
  return URL.canParse(value);
}

/**
 * A rule's `helpUri`: its `docsUrl` when that is absolute; a README section (`README.md#id`)
 * becomes that section on the project's home page, which renders the README; else none.
 */
function helpUri(docsUrl: string, home: string | undefined): string | undefined {
  if (isAbsoluteUri(docsUrl)) return docsUrl;
  const section = /^(?:\.\/)?README\.md#(.+)$/i.exec(docsUrl)?.[1];
  if (section === undefined || home === undefined || !isAbsoluteUri(home)) return undefined;
  const page = new URL(home);
  page.hash = section;
  return page.href;
}

function toSarifRule(rule: RuleMeta, home: string | undefined): SarifRule {
  const help = helpUri(rule.docsUrl, home);
  return {
    id: rule.id,
    shortDescription: { text: rule.description },
    ...(help === undefined ? {} : { helpUri: help }),
    defaultConfiguration: { level: rule.severity },
  };
}

interface SarifNotification {
  readonly level: 'warning' | 'note';
  readonly message: { readonly text: string };
  readonly descriptor: { readonly id: string };
  readonly locations?: readonly [
    {
      readonly physicalLocation: {
        readonly artifactLocation: { readonly uri: string; readonly uriBaseId: '%SRCROOT%' };
        readonly region?: { readonly startLine: number; readonly startColumn: number };
      };
    },
  ];
}

function toNotification(notice: Notice): SarifNotification {
  return {
    level: 'warning',
    message: { text: notice.message },
    descriptor: { id: notice.kind },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: pathToUri(notice.file), uriBaseId: '%SRCROOT%' },
          ...(notice.line === undefined ? {} : { region: { startLine: notice.line, startColumn: notice.column ?? 1 } }),
        },
      },
    ],
  };
}

/**
 * The run's one invocation. When external links went unchecked (offline), its notifications say
 * so and `properties.externalLinksChecked` is false, so whoever uploads the log can tell that
 * dead-link alerts missing from it were not checked, not fixed. Skipped files are notifications too.
 */
function invocation(report: Report): Record<string, unknown> {
  const offline = offlineSentence(report);
  const notifications: SarifNotification[] = [
    ...(offline === undefined ? [] : [{ level: 'warning' as const, message: { text: offline }, descriptor: { id: 'offline' } }]),
    ...report.notices.map(toNotification),
  ];
  return {
    executionSuccessful: true,
    ...(notifications.length === 0 ? {} : { toolExecutionNotifications: notifications }),
    properties: {
      externalLinksChecked: offline === undefined,
      ...(report.offlineReason === undefined ? {} : { offlineReason: report.offlineReason }),
    },
  };
}

function toSarifResult(finding: Finding, ruleIndex: ReadonlyMap<string, number>): SarifResult {
  const index = ruleIndex.get(finding.ruleId);
  const { start, end } = finding.range;
  return {
    ruleId: finding.ruleId,
    ...(index === undefined ? {} : { ruleIndex: index }),
    level: finding.severity,
    message: { text: messageWithHint(finding) },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: pathToUri(finding.file), uriBaseId: '%SRCROOT%' },
          region: { startLine: start.line, startColumn: start.column, endLine: end.line, endColumn: end.column },
        },
      },
    ],
  };
}

/**
 * Formats a report as a SARIF 2.1.0 log with one run, for code scanning.
 *
 * The rule table is `options.rules` in order, so `ruleIndex` points into it; a rule's `helpUri` is
 * absolute, as SARIF requires (see {@link helpUri}). Each result's
 * message carries the hint after `; `; its location is the file as a URI relative to `%SRCROOT%`,
 * with columns in UTF-16 code units and the end column exclusive, as SARIF defines regions.
 */
export function formatSarif(report: Report, options: FormatOptions): string {
  const ruleIndex = new Map(options.rules.map((rule, index) => [rule.id, index] as const));
  const { informationUri } = options.tool;
  const log = {
    $schema: sarifSchema,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: options.tool.name,
            version: options.tool.version,
            ...(informationUri !== undefined && isAbsoluteUri(informationUri) ? { informationUri } : {}),
            rules: options.rules.map((rule) => toSarifRule(rule, informationUri)),
          },
        },
        invocations: [invocation(report)],
        columnKind: 'utf16CodeUnits',
        results: groupByFile(report.findings).flatMap((group) =>
          group.findings.map((finding) => toSarifResult(finding, ruleIndex)),
        ),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
