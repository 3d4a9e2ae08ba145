/**
 * The GitHub REST API, as much of it as the link rot issue needs, through Octokit: 5xx answers
 * are retried, primary and secondary rate limits wait out `retry-after`, and the base URL comes
 * from `GITHUB_API_URL` so GitHub Enterprise works. The token never appears in an error.
 */
import { Octokit } from '@octokit/core';
import { paginateRest } from '@octokit/plugin-paginate-rest';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';

/** An issue as the rot report reads it. */
export interface Issue {
  readonly number: number;
  readonly state: 'open' | 'closed';
  readonly title: string;
  readonly body: string;
  readonly url: string;
}

/** What the link rot issue needs from GitHub; tests hand in a client aimed at a local fake. */
export interface IssueApi {
  getIssue(number: number): Promise<Issue | undefined>;
  /** Every open issue (pull requests left out), page after page. */
  openIssues(): AsyncIterable<Issue>;
  createIssue(issue: { readonly title: string; readonly body: string; readonly labels: readonly string[] }): Promise<Issue>;
  updateIssue(number: number, change: { readonly body?: string; readonly state?: 'open' | 'closed' }): Promise<void>;
  comment(number: number, body: string): Promise<void>;
  /** Creates the label unless it exists. */
  ensureLabel(name: string): Promise<void>;
}

/** A GitHub API failure, with the token scrubbed from everything it says. */
export class GitHubError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GitHubError';
  }
}

/** Where and as whom to talk to GitHub. */
export interface GitHubOptions {
  readonly token: string;
  /** `owner/name`. */
  readonly repository: string;
  /** The API root (default `https://api.github.com`). */
  readonly apiUrl?: string;
  /** Milliseconds of the first retry wait after a 5xx (default 1000; the nth waits n² times it). */
  readonly retryBaseMs?: number;
}

const Client = Octokit.plugin(paginateRest, retry, throttling);

/** The HTTP status of an Octokit request error, when it has one. */
function statusOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number' ? error.status : undefined;
}

interface RawIssue {
  number: number;
  state: string;
  title: string;
  body?: string | null;
  html_url: string;
  pull_request?: unknown;
}

function toIssue(raw: RawIssue): Issue {
  return { number: raw.number, state: raw.state === 'closed' ? 'closed' : 'open', title: raw.title, body: raw.body ?? '', url: raw.html_url };
}

/** A client for the issues of one repository. */
export function gitHubIssues(options: GitHubOptions): IssueApi {
  const [owner = '', repo = ''] = options.repository.split('/');
  const octokit = new Client({
    auth: options.token,
    baseUrl: (options.apiUrl ?? 'https://api.github.com').replace(/\/+$/, ''),
    userAgent: 'waymark-link-rot',
    retry: { retryAfterBaseValue: options.retryBaseMs ?? 1000 },
    throttle: {
      // Wait out what GitHub asks (retry-after), a few times, then give up with the error.
      onRateLimit: (_after: number, _options: unknown, _client: unknown, retryCount: number) => retryCount < 3,
      onSecondaryRateLimit: (_after: number, _options: unknown, _client: unknown, retryCount: number) => retryCount < 3,
    },
  });
  const scrub = (text: string): string => (options.token === '' ? text : text.split(options.token).join('***'));
  async function call<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      const code = statusOf(error);
      const status = code === undefined ? '' : ` (HTTP ${code})`;
      const message = error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error);
      throw new GitHubError(scrub(`GitHub API: cannot ${what}${status}: ${message}`));
    }
  }
  const base = { owner, repo };
  return {
    getIssue: (number) =>
      call(`read issue #${number}`, async () => {
        try {
          const { data } = await octokit.request('GET /repos/{owner}/{repo}/issues/{issue_number}', { ...base, issue_number: number });
          return toIssue(data as RawIssue);
        } catch (error) {
          const status = statusOf(error);
          if (status === 404 || status === 410) return undefined;
          throw error;
        }
      }),
    async *openIssues() {
      const pages = octokit.paginate
        .iterator('GET /repos/{owner}/{repo}/issues', { ...base, state: 'open', per_page: 100 })
        [Symbol.asyncIterator]();
      for (;;) {
        const page = await call('list open issues', async () => (await pages.next()) as IteratorResult<{ data: RawIssue[] }>);
        if (page.done === true) return;
        for (const raw of page.value.data) if (raw.pull_request === undefined) yield toIssue(raw);
      }
    },
    createIssue: (issue) =>
      call('create the issue', async () => {
        const { data } = await octokit.request('POST /repos/{owner}/{repo}/issues', { ...base, title: issue.title, body: issue.body, labels: [...issue.labels] });
        return toIssue(data as RawIssue);
      }),
    updateIssue: (number, change) =>
      call(`update issue #${number}`, async () => {
        await octokit.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', { ...base, issue_number: number, ...change });
      }),
    comment: (number, body) =>
      call(`comment on issue #${number}`, async () => {
        await octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...base, issue_number: number, body });
      }),
    ensureLabel: (name) =>
      call(`create the label ${name}`, async () => {
        try {
          await octokit.request('POST /repos/{owner}/{repo}/labels', { ...base, name, color: 'b60205', description: 'Links that have rotted, kept up to date by Waymark' });
        } catch (error) {
          // 422: the label exists already.
          if (statusOf(error) === 422) return;
          throw error;
        }
      }),
  };
}
