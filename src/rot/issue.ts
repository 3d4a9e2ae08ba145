/**
 * Keeps exactly one link rot issue up to date: found again by its hidden marker (or by the
 * number the ledger remembers), created when rot first appears, edited only when what it lists
 * changed (with a comment naming what is new), closed with a comment when the rot is gone and
 * reopened, never duplicated, when it comes back. With `dryRun` it only says what it would do.
 */
import type { Issue, IssueApi } from '../io/github.js';
import { contentDigest, digestOf, issueMarker, type IssueContent } from './body.js';
import type { LedgerEntry } from './ledger.js';

/** One thing done (or, in a dry run, that would be done) to the issue. */
export type IssueAction =
  | { readonly kind: 'create'; readonly title: string }
  | { readonly kind: 'edit'; readonly number: number }
  | { readonly kind: 'comment'; readonly number: number; readonly body: string }
  | { readonly kind: 'close'; readonly number: number }
  | { readonly kind: 'reopen'; readonly number: number }
  | { readonly kind: 'none'; readonly number?: number; readonly why: string };

/** What the sync needs to know. */
export interface SyncInput {
  readonly api: IssueApi;
  /** The issue body for this run, from `issueBody`. */
  readonly body: string;
  readonly content: IssueContent;
  /** Rotten for the first time this run (named in the comment on an update). */
  readonly newlyRotten: readonly LedgerEntry[];
  readonly title: string;
  readonly label: string;
  /** The issue the ledger remembers, if any. */
  readonly remembered?: number;
  readonly dryRun: boolean;
  readonly runUrl?: string;
}

/** What happened, and the issue number to remember. */
export interface SyncResult {
  readonly actions: readonly IssueAction[];
  readonly issue?: number;
}

async function findIssue(api: IssueApi, remembered: number | undefined): Promise<Issue | undefined> {
  if (remembered !== undefined) {
    const issue = await api.getIssue(remembered);
    if (issue !== undefined && issue.body.includes(issueMarker)) return issue;
  }
  for await (const issue of api.openIssues()) if (issue.body.includes(issueMarker)) return issue;
  return undefined;
}

function newComment(newlyRotten: readonly LedgerEntry[], runUrl: string | undefined): string {
  const from = runUrl === undefined ? '' : ` ([run](${runUrl}))`;
  if (newlyRotten.length === 0) return `The list of broken links changed${from}; the description is up to date.`;
  const lines = newlyRotten.slice(0, 50).map((entry) => `- \`${entry.url.replace(/`/g, '%60')}\`: ${entry.lastReason}`);
  const more = newlyRotten.length > 50 ? [`- and ${newlyRotten.length - 50} more`] : [];
  return [`New since the last run${from}:`, '', ...lines, ...more].join('\n');
}

/** Brings the issue in line with this run; see the module comment. */
export async function syncIssue(input: SyncInput): Promise<SyncResult> {
  const { api, dryRun } = input;
  const broken = input.content.rotten.length + input.content.local.length > 0;
  const issue = await findIssue(api, input.remembered);
  const actions: IssueAction[] = [];
  const act = async (action: IssueAction, run: () => Promise<unknown>): Promise<void> => {
    actions.push(action);
    if (!dryRun) await run();
  };
  if (issue === undefined) {
    if (!broken) return { actions: [{ kind: 'none', why: 'no link rot and no issue' }] };
    let created: Issue | undefined;
    await act({ kind: 'create', title: input.title }, async () => {
      await api.ensureLabel(input.label);
      created = await api.createIssue({ title: input.title, body: input.body, labels: [input.label] });
    });
    return created === undefined ? { actions } : { actions, issue: created.number };
  }
  const { number } = issue;
  if (issue.state === 'closed') {
    if (!broken) return { actions: [{ kind: 'none', number, why: 'no link rot; the issue stays closed' }], issue: number };
    await act({ kind: 'reopen', number }, () => api.updateIssue(number, { state: 'open', body: input.body }));
    const comment = newComment(input.newlyRotten, input.runUrl);
    await act({ kind: 'comment', number, body: comment }, () => api.comment(number, comment));
    return { actions, issue: number };
  }
  if (!broken) {
    const comment = `Every link works again${input.runUrl === undefined ? '' : ` ([run](${input.runUrl}))`}; closing.`;
    await act({ kind: 'comment', number, body: comment }, () => api.comment(number, comment));
    await act({ kind: 'close', number }, () => api.updateIssue(number, { state: 'closed', body: input.body }));
    return { actions, issue: number };
  }
  if (digestOf(issue.body) === contentDigest(input.content)) {
    return { actions: [{ kind: 'none', number, why: 'nothing changed since the last run' }], issue: number };
  }
  await act({ kind: 'edit', number }, () => api.updateIssue(number, { body: input.body }));
  const comment = newComment(input.newlyRotten, input.runUrl);
  await act({ kind: 'comment', number, body: comment }, () => api.comment(number, comment));
  return { actions, issue: number };
}
