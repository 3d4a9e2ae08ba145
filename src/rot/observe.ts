/**
 * Turns a run's report into what the ledger records: one observation per external URL that got
 * a verdict, and the local problems (missing files and anchors), which are reported at once.
 */
import { isUntried, type CheckedUrl, type Report, type TargetStatus, type UnverifiableReason } from '../types.js';
import type { LocalProblem } from './body.js';
import type { Observation, Outcome } from './ledger.js';

const unverifiableWords: Record<UnverifiableReason, string> = {
  offline: 'not checked: offline',
  budget: 'not checked: budget',
  'private-address': 'private address',
  'unsupported-scheme': 'unsupported scheme',
  'auth-required': 'needs a login',
  blocked: 'blocked by a bot wall',
  'rate-limited': 'rate limited',
  inconclusive: 'failed twice, weakly',
  tls: 'TLS problem',
};

/** The outcome and the status in words, or nothing for a URL that got no verdict. */
function judge(status: TargetStatus): { outcome: Outcome; reason: string } | undefined {
  switch (status.kind) {
    case 'ok':
      return { outcome: 'ok', reason: `HTTP ${status.status}` };
    case 'http-error':
      return { outcome: 'failed', reason: `HTTP ${status.status}` };
    case 'net-error':
      return { outcome: 'failed', reason: status.error.message };
    case 'unverifiable':
      if (isUntried(status) || status.reason === 'unsupported-scheme') return undefined;
      return { outcome: 'unverifiable', reason: `${unverifiableWords[status.reason]}${status.status === undefined ? '' : ` (HTTP ${status.status})`}` };
  }
}

/** Where a permanent redirect chain ends, when it has one. */
function permanentTarget(status: TargetStatus): string | undefined {
  if (status.kind !== 'ok') return undefined;
  const hops = status.redirects;
  if (hops.length === 0 || !hops.every((hop) => hop.status === 301 || hop.status === 308)) return undefined;
  return hops.at(-1)?.to;
}

/** The observations for the ledger and the local problems, from a report and its checked URLs. */
export function observe(report: Report, urls: readonly CheckedUrl[]): { observations: Observation[]; local: LocalProblem[] } {
  const tracking = new Map<string, string>();
  for (const finding of report.findings) {
    const clean = finding.ruleId === 'tracking-param' ? /use `([^`]+)`/.exec(finding.hint ?? '')?.[1] : undefined;
    if (finding.url !== undefined && clean !== undefined) tracking.set(finding.url, clean);
  }
  const observations: Observation[] = [];
  for (const checked of urls) {
    const verdict = judge(checked.status);
    if (verdict === undefined) continue;
    const fix = permanentTarget(checked.status) ?? checked.linkedAs.map((url) => tracking.get(url)).find((url) => url !== undefined);
    observations.push({ url: checked.url, ...verdict, linkedAt: checked.linkedAt, ...(fix === undefined ? {} : { fix }) });
  }
  const local = report.findings
    .filter((finding) => finding.ruleId === 'missing-file' || finding.ruleId === 'missing-anchor')
    .map((finding) => ({ file: finding.file, line: finding.range.start.line, message: finding.message }));
  return { observations, local };
}
