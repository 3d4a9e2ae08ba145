/**
 * `waymark rot [check flags...] [paths...]`: the normal check, then its external results merged
 * into the ledger, and with `--github-issue` the one link rot issue brought up to date.
 *
 * Exit codes: 0 no rot, 1 rot present (external URLs failing `--rot-after` runs in a row, or a
 * missing file or anchor), 2 the run failed.
 */
import path from 'node:path';
import { InputError } from '../errors.js';
import { gitHubIssues, GitHubError, type IssueApi } from '../io/github.js';
import { issueBody } from '../rot/body.js';
import { syncIssue, type IssueAction } from '../rot/issue.js';
import { emptyLedger, mergeRun, standing, type Ledger, type RotState } from '../rot/ledger.js';
import { observe } from '../rot/observe.js';
import { defaultLedgerPath, readLedger, writeLedger } from '../rot/store.js';
import type { RotHistory } from '../report/index.js';
import type { Report } from '../types.js';

/** The flags only `rot` takes; everything else goes to the check. */
export interface RotOptions {
  readonly ledger: string;
  readonly rotAfter: number;
  readonly resetLedger: boolean;
  readonly githubIssue: boolean;
  readonly label: string;
  readonly title: string;
  readonly dryRun: boolean;
}

const valueFlags = new Set(['--ledger', '--rot-after', '--issue-label', '--issue-title']);
const booleanFlags = new Set(['--reset-ledger', '--github-issue', '--dry-run']);

/** Every flag only `rot` takes, for the drift test against `--help`. */
export const rotFlagNames: readonly string[] = [...valueFlags, ...booleanFlags];

/** Splits `rot`'s own flags from the check's; throws an `InputError` naming a bad one. */
export function parseRotArgs(argv: readonly string[]): { options: RotOptions; rest: string[] } {
  const values = new Map<string, string>();
  const set = new Set<string>();
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    const [name = '', inline] = arg.startsWith('--') ? arg.split(/=(.*)/s) : [arg];
    if (valueFlags.has(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined || value === '') throw new InputError(name, 'expected a value');
      values.set(name, value);
    } else if (booleanFlags.has(name)) {
      set.add(name);
    } else {
      rest.push(arg);
    }
  }
  const rotAfterText = values.get('--rot-after') ?? '2';
  if (!/^\d+$/.test(rotAfterText) || Number(rotAfterText) < 1 || Number(rotAfterText) > 1000) {
    throw new InputError('--rot-after', `expected a whole number of runs from 1 to 1000, got \`${rotAfterText}\``);
  }
  return {
    options: {
      ledger: values.get('--ledger') ?? defaultLedgerPath,
      rotAfter: Number(rotAfterText),
      resetLedger: set.has('--reset-ledger'),
      githubIssue: set.has('--github-issue'),
      label: values.get('--issue-label') ?? 'link-rot',
      title: values.get('--issue-title') ?? 'Link rot report',
      dryRun: set.has('--dry-run'),
    },
    rest,
  };
}

/** What `rot` needs around it: the check itself, the environment, a clock and an output. */
export interface RotIo {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now: () => Date;
  readonly say: (line: string) => void;
  /** Runs the normal check with these arguments, printing its report, and returns it. */
  readonly check: (argv: readonly string[]) => Promise<{
    readonly code: number;
    readonly report?: Report;
    /** Writes the run's HTML reports again with the link rot timeline. */
    readonly withRot?: (rot: RotHistory) => Promise<void>;
  }>;
  /** The GitHub client; by default one made from `GITHUB_TOKEN` and friends. */
  readonly github?: IssueApi;
}

/** What each change to the issue is called: as planned (a dry run) and as done. */
const actionVerbs = {
  create: ['would create', 'created'],
  edit: ['would update', 'updated'],
  comment: ['would comment on', 'commented on'],
  close: ['would close', 'closed'],
  reopen: ['would reopen', 'reopened'],
} as const;

function describeAction(action: IssueAction, dryRun: boolean): string {
  if (action.kind === 'none') return `left ${action.number === undefined ? 'the issue alone' : `issue #${action.number} alone`}: ${action.why}`;
  const verb = actionVerbs[action.kind][dryRun ? 0 : 1];
  return action.kind === 'create' ? `${verb} the issue "${action.title}"` : `${verb} issue #${action.number}`;
}

function summaryLine(state: RotState, local: number): string {
  const rotten = state.newlyRotten.length + state.stillRotten.length;
  return [
    `${rotten} rotten (${state.newlyRotten.length} new)`,
    `${local} local`,
    `${state.watching.length} watching`,
    `${state.fixed.length} fixed`,
    `${state.unverifiable.length} could not be verified`,
  ].join(', ');
}

/** The timeline the HTML report draws: every rotten or watching URL, worst first. */
function rotHistory(ledger: Ledger, rotAfter: number): RotHistory {
  const entries = Object.values(ledger.urls).flatMap((entry) => {
    const place = standing(entry, rotAfter);
    if (place !== 'rotten' && place !== 'watching') return [];
    return [{ url: entry.url, standing: place, history: entry.history, ...(entry.firstFailed === undefined ? {} : { firstFailed: entry.firstFailed }) }];
  });
  entries.sort((a, b) => (a.standing === b.standing ? (a.url < b.url ? -1 : 1) : a.standing === 'rotten' ? -1 : 1));
  return { runs: ledger.runs, entries };
}

/** Runs `waymark rot`; returns the exit code. */
export async function runRot(argv: readonly string[], io: RotIo): Promise<number> {
  const { options, rest } = parseRotArgs(argv);
  const ledgerFile = path.resolve(io.cwd, options.ledger);
  // Read first: a corrupt ledger stops the run before anything is fetched.
  const previous = options.resetLedger ? emptyLedger : await readLedger(ledgerFile, options.ledger);
  const token = io.env['GITHUB_TOKEN'] ?? '';
  const repository = io.env['GITHUB_REPOSITORY'] ?? '';
  if (options.githubIssue && io.github === undefined && (token === '' || !/^[\w.-]+\/[\w.-]+$/.test(repository))) {
    throw new InputError('--github-issue', 'needs GITHUB_TOKEN and GITHUB_REPOSITORY (owner/name) in the environment');
  }
  const { code, report, withRot } = await io.check(rest);
  if (report === undefined || code === 2) return 2;
  if (report.offline) {
    io.say(`waymark: rot: external links were not checked (${report.offlineReason ?? 'offline'}), so the ledger keeps its records unchanged`);
  }
  const { observations, local } = observe(report, report.urls ?? []);
  const date = io.now().toISOString();
  const linked = new Set((report.urls ?? []).map((url) => url.url));
  const state = mergeRun(previous, observations, { date, rotAfter: options.rotAfter, keep: linked });
  io.say(`waymark: rot: ${summaryLine(state, local.length)}`);
  let ledger = state.ledger;
  if (options.githubIssue) {
    const api = io.github ?? gitHubIssues({ token, repository, ...(io.env['GITHUB_API_URL'] ? { apiUrl: io.env['GITHUB_API_URL'] } : {}) });
    const serverUrl = io.env['GITHUB_SERVER_URL'] || 'https://github.com';
    const runId = io.env['GITHUB_RUN_ID'];
    const runUrl = runId ? `${serverUrl}/${repository}/actions/runs/${runId}` : undefined;
    const commit = io.env['GITHUB_SHA'];
    const body = issueBody(state, local, { serverUrl, repository, rotAfter: options.rotAfter, ...(commit ? { commit } : {}), ...(runUrl ? { runUrl } : {}) });
    try {
      const result = await syncIssue({
        api,
        body,
        content: { rotten: [...state.newlyRotten, ...state.stillRotten], local, unverifiable: state.unverifiable },
        newlyRotten: state.newlyRotten,
        title: options.title,
        label: options.label,
        ...(previous.issue === undefined ? {} : { remembered: previous.issue }),
        dryRun: options.dryRun,
        ...(runUrl === undefined ? {} : { runUrl }),
      });
      for (const action of result.actions) io.say(`waymark: rot: ${describeAction(action, options.dryRun)}`);
      if (result.issue !== undefined) ledger = { ...ledger, issue: result.issue };
    } catch (error) {
      if (error instanceof GitHubError) throw new InputError('--github-issue', error.message);
      throw error;
    }
  }
  if (withRot !== undefined) await withRot(rotHistory(ledger, options.rotAfter));
  if (options.dryRun) io.say(`waymark: rot: dry run: ${options.ledger} left as it was`);
  else await writeLedger(ledgerFile, options.ledger, ledger);
  return state.newlyRotten.length + state.stillRotten.length + local.length > 0 ? 1 : 0;
}
