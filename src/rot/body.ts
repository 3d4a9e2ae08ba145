/**
 * The text of the one link rot issue: a hidden marker that finds it again, a summary line, and
 * tables of what is new, still broken, fixed and unverifiable. Pure; the marker also carries a
 * digest of what the tables say, so a run that changes nothing edits nothing.
 */
import { createHash } from 'node:crypto';
import type { LedgerEntry, RotState } from './ledger.js';

/** The hidden marker that identifies the issue, whatever its title or labels became. */
export const issueMarker = '<!-- waymark:link-rot -->';

/** GitHub refuses an issue body longer than this. */
export const maxBodyLength = 65_536;

/** Where the rows link to: the repository and the commit that was checked. */
export interface BodyContext {
  readonly serverUrl: string;
  readonly repository: string;
  readonly commit?: string;
  /** The run's page, when known. */
  readonly runUrl?: string;
  readonly rotAfter: number;
}

/** A local finding (missing file or anchor): reported at once, never flaky. */
export interface LocalProblem {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

/** What the issue says, as data: compared between runs to decide whether to edit. */
export interface IssueContent {
  readonly rotten: readonly LedgerEntry[];
  readonly local: readonly LocalProblem[];
  readonly unverifiable: readonly LedgerEntry[];
}

/** The digest of what the issue lists: the same broken set gives the same digest. */
export function contentDigest(content: IssueContent): string {
  const lines = [
    ...content.rotten.map((entry) => `rot ${entry.url} ${entry.lastReason}`),
    ...content.local.map((problem) => `local ${problem.file}:${problem.line} ${problem.message}`),
    ...content.unverifiable.map((entry) => `unverifiable ${entry.url}`),
  ].sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16);
}

/** The digest a body carries in its marker line, if it has one. */
export function digestOf(body: string): string | undefined {
  return /<!-- waymark:digest ([0-9a-f]{16}) -->/.exec(body)?.[1];
}

/** Escapes text for a table cell: no markup, no line breaks, no cell breaks. */
function cell(text: string): string {
  return text.replace(/[\\`*_[\]<>|~]/g, (char) => `\\${char}`).replace(/\s+/g, ' ');
}

function code(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  return `${fence}${text.replace(/\|/g, '\\|').replace(/\s+/g, ' ')}${fence}`;
}

function day(iso: string | undefined): string {
  return iso === undefined ? '' : iso.slice(0, 10);
}

function where(entry: { readonly linkedAt: readonly { file: string; line: number }[] }, context: BodyContext): string {
  const base = `${context.serverUrl}/${context.repository}/blob/${context.commit ?? 'HEAD'}`;
  const shown = entry.linkedAt.slice(0, 3).map(({ file, line }) => `[${cell(`${file}:${line}`)}](${base}/${file.split('/').map(encodeURIComponent).join('/')}#L${line})`);
  const more = entry.linkedAt.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}

function rotRow(entry: LedgerEntry, context: BodyContext): string {
  return `| ${code(entry.url)} | ${cell(entry.lastReason)} | ${day(entry.firstFailed)} | ${where(entry, context)} | ${entry.fix === undefined ? '' : code(entry.fix)} |`;
}

const rotHeader = ['| URL | Status | Failing since | Linked from | Suggested fix |', '| --- | --- | --- | --- | --- |'];

/** One section: a heading and a table, or nothing when there are no rows. */
interface Section {
  readonly heading: string;
  readonly header: readonly string[];
  readonly rows: readonly string[];
}

/**
 * The issue body for a run. Rows are cut whole, from the last section up, with a note saying how
 * many were left out, so the body stays under {@link maxBodyLength}.
 */
export function issueBody(state: RotState, local: readonly LocalProblem[], context: BodyContext): string {
  const content: IssueContent = { rotten: [...state.newlyRotten, ...state.stillRotten], local, unverifiable: state.unverifiable };
  const sections: Section[] = [
    { heading: 'New since the last run', header: rotHeader, rows: state.newlyRotten.map((entry) => rotRow(entry, context)) },
    { heading: 'Still broken', header: rotHeader, rows: state.stillRotten.map((entry) => rotRow(entry, context)) },
    {
      heading: 'Broken local links',
      header: ['| Where | Problem |', '| --- | --- |'],
      rows: local.map((problem) => `| ${where({ linkedAt: [problem] }, context)} | ${cell(problem.message)} |`),
    },
    {
      heading: 'Fixed since the last run',
      header: ['| URL | Now |', '| --- | --- |'],
      rows: state.fixed.map((entry) => `| ${code(entry.url)} | ${entry.lastOutcome === 'ok' ? 'works again' : 'no longer linked'} |`),
    },
    {
      heading: 'Could not be verified',
      header: ['| URL | Why | For runs | Linked from |', '| --- | --- | --- | --- |'],
      rows: state.unverifiable.map(
        (entry) => `| ${code(entry.url)} | ${cell(entry.lastReason)} | ${entry.unverifiableRuns} | ${where(entry, context)} |`,
      ),
    },
  ];
  const broken = content.rotten.length + local.length;
  const summary =
    broken === 0
      ? 'No link rot: every link works.'
      : `${broken} broken link${broken === 1 ? '' : 's'}: ${content.rotten.length} external URL${content.rotten.length === 1 ? '' : 's'} failing in ${context.rotAfter} or more runs in a row, ${local.length} local.`;
  const head = [issueMarker, `<!-- waymark:digest ${contentDigest(content)} -->`, '', summary, ''];
  const foot = [
    '',
    `A URL counts as broken after failing in ${context.rotAfter} runs in a row; one that could not be verified (a bot wall, a login, a rate limit) never does and is listed for a human to look at.${context.runUrl === undefined ? '' : ` From [this run](${context.runUrl}).`}`,
  ];
  const render = (limits: readonly number[]): string => {
    const blocks = sections.flatMap((section, i) => {
      const kept = section.rows.slice(0, limits[i]);
      if (section.rows.length === 0) return [];
      const cut = section.rows.length - kept.length;
      return [
        `### ${section.heading} (${section.rows.length})`,
        '',
        ...section.header,
        ...kept,
        ...(cut > 0 ? ['', `_${cut} more row${cut === 1 ? '' : 's'} left out to fit GitHub's issue size limit; the full list is in the run's report._`] : []),
        '',
      ];
    });
    return `${[...head, ...blocks, ...foot].join('\n')}\n`;
  };
  const limits = sections.map((section) => section.rows.length);
  let body = render(limits);
  for (let i = sections.length - 1; body.length > maxBodyLength && i >= 0; ) {
    if ((limits[i] ?? 0) === 0) {
      i--;
      continue;
    }
    // Drop a share of the rows at once, so a huge list is cut in a few steps, not row by row.
    const over = body.length - maxBodyLength;
    const rowLength = Math.max(1, Math.ceil((sections[i]?.rows.slice(0, limits[i]).join('\n').length ?? 1) / (limits[i] ?? 1)));
    limits[i] = Math.max(0, (limits[i] ?? 0) - Math.max(1, Math.ceil(over / rowLength)));
    body = render(limits);
  }
  return body;
}
