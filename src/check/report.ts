/**
 * What a finished check turns into the report: the unique URLs with their verdicts, each link
 * with why it got none, the counts, the GitHub-token notice and the order of the findings.
 */
import type { ExternalResults } from '../resolve/external.js';
import type { UrlResult } from '../net/types.js';
import { remoteVerdict } from '../rules/remote-verdict.js';
import type { ResolvedLink } from '../rules/rule.js';
import { isUntried } from '../types.js';
import type { CheckedUrl, Document, Finding, LinkTarget, Notice, ReportedLink, Summary, TargetStatus, UncheckedReason } from '../types.js';

/**
 * Said once, at the first link to one of them, when GitHub URLs were fetched from github.com's
 * pages because no `GITHUB_TOKEN` was given.
 */
export function tokenNotice(
  checked: ReadonlyArray<{ readonly document: Document; readonly resolved: readonly ResolvedLink[] }>,
  withoutToken: readonly string[],
): Notice[] {
  const keys = new Set(withoutToken);
  for (const { document, resolved } of checked) {
    const first = resolved.find(({ target }) => target.kind === 'external' && keys.has(target.key));
    if (first === undefined) continue;
    const count = keys.size === 1 ? '1 GitHub URL was' : `${keys.size} GitHub URLs were`;
    return [
      {
        kind: 'github-token',
        file: document.file,
        line: first.link.range.start.line,
        column: first.link.range.start.column,
        message: `${count} checked on github.com's pages; with GITHUB_TOKEN set, the GitHub API would verify ${keys.size === 1 ? 'it' : 'them'} without touching github.com's page limits (a token does not lift the limits on github.com pages)`,
      },
    ];
  }
  return [];
}

/** A URL the run did not reach: what the ledger keeps unchanged. */
const notReached: TargetStatus = { kind: 'unverifiable', reason: 'offline' };

/** Every unique external URL with its verdict and where it is linked, in first-linked order. */
export function checkedUrls(checked: ReadonlyArray<{ readonly document: Document; readonly resolved: readonly ResolvedLink[] }>): CheckedUrl[] {
  const byKey = new Map<string, { url: string; status: TargetStatus; linkedAs: Set<string>; linkedAt: { file: string; line: number }[]; durationMs: number; requests: number }>();
  for (const { document, resolved } of checked) {
    for (const { link, target, remote } of resolved) {
      if (target.kind !== 'external') continue;
      const { key } = target;
      let entry = byKey.get(key);
      if (entry === undefined) {
        entry = {
          url: remote?.url ?? key,
          status: remote?.status ?? notReached,
          linkedAs: new Set(),
          linkedAt: [],
          durationMs: remote?.durationMs ?? 0,
          requests: remote?.requests ?? 0,
        };
        byKey.set(key, entry);
      }
      entry.linkedAs.add(link.url);
      entry.linkedAt.push({ file: document.file, line: link.range.start.line });
    }
  }
  return [...byKey.values()].map((entry) => ({ ...entry, linkedAs: [...entry.linkedAs] }));
}

/** A link as the report lists it, saying why it got no verdict when it did not. */
export function reportedLink({ link, target, remote }: ResolvedLink, checked: boolean): ReportedLink {
  const unchecked = target.kind === 'external' && !checked ? 'unchanged' : uncheckedReason(target, remote);
  return { url: link.url, range: link.range, ...(unchecked === undefined ? {} : { unchecked }) };
}

/** Why a link got no verdict, or nothing when it got one; local and same-file links always do. */
function uncheckedReason(target: LinkTarget, remote: UrlResult | undefined): UncheckedReason | undefined {
  if (target.kind === 'skipped') return target.reason;
  if (target.kind !== 'external') return undefined;
  // No result at all: the run was offline by request.
  if (remote === undefined) return 'offline';
  const { status } = remote;
  if (isUntried(status)) return status.reason;
  return undefined;
}

/**
 * The run's counts; `checked` counts unique URLs that got a verdict from the network, `unchanged`
 * those left alone because no link to them changed.
 */
export function summarize(
  files: number,
  resolvedByFile: readonly (readonly ResolvedLink[])[],
  findings: readonly Finding[],
  external: ExternalResults,
  unchanged: number,
  durationMs: number,
): Summary {
  const errors = findings.filter((finding) => finding.severity === 'error').length;
  const unverified = (reason: 'offline' | 'private-address' | 'budget'): number =>
    [...external.results.values()].filter(({ status }) => status.kind === 'unverifiable' && status.reason === reason).length;
  const offline = unverified('offline');
  const privateSkipped = unverified('private-address');
  const budget = unverified('budget');
  const skipped = resolvedByFile.flat().filter(({ target }) => target.kind === 'skipped').length;
  const verdicts = { dead: 0, blocked: 0, unverified: 0 };
  for (const result of external.results.values()) {
    const verdict = remoteVerdict(result).kind;
    if (verdict === 'dead') verdicts.dead += 1;
    else if (result.status.kind === 'unverifiable' && result.status.reason === 'blocked') verdicts.blocked += 1;
    else if (verdict === 'unverifiable') verdicts.unverified += 1;
  }
  return {
    files,
    links: resolvedByFile.reduce((sum, resolved) => sum + resolved.length, 0),
    uniqueUrls: external.unique + unchanged,
    checked: external.offline === undefined ? external.results.size - offline - privateSkipped - budget : 0,
    errors,
    warnings: findings.length - errors,
    skipped: skipped + privateSkipped,
    offline: external.offline === 'requested' ? external.unique : offline,
    ...verdicts,
    unchanged,
    budget,
    durationMs,
  };
}

/** Findings in file order, then by line and column. */
export function byPosition(a: Finding, b: Finding): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.range.start.line - b.range.start.line || a.range.start.column - b.range.start.column;
}
