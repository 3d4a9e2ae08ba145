import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gitHubIssues } from '../src/io/github.js';
import { issueBody, issueMarker } from '../src/rot/body.js';
import { syncIssue } from '../src/rot/issue.js';
import { emptyLedger, mergeRun, type Observation, type RotState } from '../src/rot/ledger.js';
import { startFakeGitHub, type FakeGitHub } from './helpers/fake-github.js';

const token = 'ghs_0123456789abcdefTOKENlooking0123456789';
const context = { serverUrl: 'https://github.com', repository: 'acme/list', rotAfter: 1 };
const seen = (url: string, outcome: Observation['outcome']): Observation => ({
  url,
  outcome,
  reason: outcome === 'ok' ? 'HTTP 200' : 'HTTP 404',
  linkedAt: [{ file: 'README.md', line: 1 }],
});

let github: FakeGitHub;
beforeEach(async () => {
  github = await startFakeGitHub();
});
afterEach(async () => {
  await github.close();
});

function sync(state: RotState, options: { remembered?: number; dryRun?: boolean; retryBaseMs?: number } = {}) {
  const api = gitHubIssues({ token, repository: 'acme/list', apiUrl: github.url, retryBaseMs: options.retryBaseMs ?? 10 });
  const content = { rotten: [...state.newlyRotten, ...state.stillRotten], local: [], unverifiable: state.unverifiable };
  return syncIssue({
    api,
    body: issueBody(state, [], context),
    content,
    newlyRotten: state.newlyRotten,
    title: 'Link rot report',
    label: 'link-rot',
    dryRun: options.dryRun ?? false,
    ...(options.remembered === undefined ? {} : { remembered: options.remembered }),
  });
}

const rotten = (url: string) => mergeRun(emptyLedger, [seen(url, 'failed')], { date: new Date().toISOString(), rotAfter: 1 });

describe('the link rot issue on a fake GitHub API', () => {
  it('reuses a pre-existing issue found by its marker whatever its title, paging through 250 open issues', async () => {
    for (let i = 1; i <= 250; i++) github.issues.push({ number: i, title: `Issue ${i}`, body: 'text', state: 'open', labels: [], comments: [] });
    github.issues.push({ number: 3, title: 'Renamed by a maintainer', body: `${issueMarker}\nold`, state: 'open', labels: [], comments: [] });
    github.issues.splice(2, 1);
    const result = await sync(rotten('https://a.test/'));
    expect(result.issue).toBe(3);
    expect(result.actions.map((action) => action.kind)).toEqual(['edit', 'comment']);
    const pages = github.requests.filter((request) => request.method === 'GET' && request.path.includes('/issues?'));
    expect(pages.length).toBe(3);
    expect(github.issues.filter((issue) => issue.body.includes(issueMarker))).toHaveLength(1);
    expect(github.requests.every((request) => request.authorization === `token ${token}`)).toBe(true);
  });

  it('retries a 500 and waits out a secondary rate limit, then succeeds', async () => {
    github.failNext({ status: 500 }, { status: 403, headers: { 'retry-after': '1' }, body: { message: 'You have exceeded a secondary rate limit' } });
    const started = Date.now();
    const result = await sync(rotten('https://a.test/'));
    expect(result.actions.map((action) => action.kind)).toEqual(['create']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(github.issues).toHaveLength(1);
    expect(github.labels.has('link-rot')).toBe(true);
  });

  it('never shows the token, even in an API error', async () => {
    github.failNext(...Array.from({ length: 10 }, () => ({ status: 401, body: { message: `Bad credentials ${token}` } })));
    const error = await sync(rotten('https://a.test/')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect(String((error as Error).message)).toMatch(/^GitHub API: cannot list open issues \(HTTP 401\)/);
    expect(String((error as Error).message)).not.toContain(token);
    expect(JSON.stringify(error)).not.toContain(token);
  });

  it('changes nothing in a dry run, and says what it would do', async () => {
    const result = await sync(rotten('https://a.test/'), { dryRun: true });
    expect(result.actions).toEqual([{ kind: 'create', title: 'Link rot report' }]);
    expect(github.writes()).toEqual([]);
  });
});
