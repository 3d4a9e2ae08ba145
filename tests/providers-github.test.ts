import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkUrls, type CheckUrlsOptions } from '../src/net/index.js';
import { loopbackLookup, startFakeApis, startPageServer, type FakeApis, type PageServer } from './helpers/fake-apis.js';
import { testNetConfig } from './helpers/net-config.js';

let apis: FakeApis;
let pages: PageServer;
const waits: number[] = [];

beforeAll(async () => {
  apis = await startFakeApis();
  // github.com's pages answer every request with 429 (and a retry-after past the cap).
  pages = await startPageServer(429);
});

afterAll(async () => {
  await apis.close();
  await pages.close();
});

afterEach(() => {
  apis.requests.length = 0;
  pages.requests.length = 0;
  pages.paths.clear();
  apis.repositories.clear();
  apis.graphqlFailures.length = 0;
  apis.graphqlHeaders = { 'x-ratelimit-remaining': '4999', 'x-ratelimit-reset': '4102444800' };
  waits.length = 0;
});

/** A github.com link that reaches the page server (every name resolves to 127.0.0.1). */
const repo = (path: string): string => `http://github.com:${pages.port}/${path}`;

function options(overrides: Partial<CheckUrlsOptions> = {}): CheckUrlsOptions {
  return {
    config: { ...testNetConfig(), providers: { github: { url: `${apis.origin}/graphql` } } },
    userAgent: 'waymark-test',
    lookup: loopbackLookup,
    githubToken: apis.token,
    delay: async (ms) => void waits.push(ms),
    random: () => 0.5,
    ...overrides,
  };
}

const graphqlQueries = (): number => apis.count('/graphql');

describe('GitHub through the GraphQL API', () => {
  it('verifies 150 repositories with 2 queries and never asks github.com, whose pages answer 429', async () => {
    const urls = Array.from({ length: 150 }, (_, i) => `acme/tool-${i}`);
    for (const name of urls) apis.repositories.set(name, { nameWithOwner: name });
    const run = await checkUrls(urls.map((name) => ({ url: repo(name) })), options());
    expect(graphqlQueries()).toBe(2);
    expect(pages.requests).toEqual([]);
    const statuses = [...run.results.values()].map((result) => result.status);
    expect(statuses).toHaveLength(150);
    expect(statuses.every((status) => status.kind === 'ok' && status.redirects.length === 0)).toBe(true);
    expect([...run.results.values()].every((result) => result.provider?.name === 'github' && result.provider.isVerdict)).toBe(true);
    // The batch's two requests are counted once, not once per URL.
    expect([...run.results.values()].reduce((sum, result) => sum + result.requests, 0)).toBe(2);
    // Each query sends the token and at most 100 aliases.
    const bodies = apis.requests.map((request) => request.body ?? '');
    expect(bodies.map((body) => body.match(/repository\(/g)?.length)).toEqual([100, 50]);
    expect(apis.requests.every((request) => request.authorization === `bearer ${apis.token}`)).toBe(true);
    expect(run.withoutToken).toBeUndefined();
  });

  it('calls a missing repository dead, a renamed one a permanent redirect, and notes an archived one', async () => {
    apis.repositories.set('acme/moved', { nameWithOwner: 'newco/moved-on' });
    apis.repositories.set('acme/casing', { nameWithOwner: 'Acme/Casing' });
    apis.repositories.set('acme/old', { nameWithOwner: 'acme/old', isArchived: true });
    const run = await checkUrls(
      ['acme/gone', 'acme/moved', 'acme/casing', 'acme/old'].map((name) => ({ url: repo(name) })),
      options(),
    );
    expect(graphqlQueries()).toBe(1);
    expect(pages.requests).toEqual([]);
    const get = (name: string) => run.results.get(repo(name));
    expect(get('acme/gone')?.status).toEqual({ kind: 'http-error', status: 404, redirects: [] });
    expect(get('acme/gone')?.provider).toEqual({ name: 'github', isVerdict: true });
    expect(get('acme/moved')?.status).toEqual({
      kind: 'ok',
      status: 200,
      redirects: [{ status: 301, from: repo('acme/moved'), to: 'https://github.com/newco/moved-on' }],
    });
    expect(get('acme/casing')?.status).toEqual({ kind: 'ok', status: 200, redirects: [] });
    expect(get('acme/old')?.provider).toEqual({ name: 'github', isVerdict: true, archived: true });
  });

  it('fetches a deep link into a repository that exists from github.com, and calls one into a missing repository dead unasked', async () => {
    apis.repositories.set('acme/tool', { nameWithOwner: 'acme/tool', isArchived: true });
    pages.paths.set('/acme/tool/blob/main/README.md', 200);
    const run = await checkUrls(
      [{ url: repo('acme/tool') }, { url: repo('acme/tool/blob/main/README.md') }, { url: repo('acme/gone/tree/main/docs') }],
      options(),
    );
    // One alias for acme/tool however many links point into it, one for acme/gone.
    expect(graphqlQueries()).toBe(1);
    expect(apis.requests[0]?.body?.match(/repository\(/g)?.length).toBe(2);
    expect(pages.requests).toEqual(['HEAD /acme/tool/blob/main/README.md']);
    const deep = run.results.get(repo('acme/tool/blob/main/README.md'));
    expect(deep?.status).toEqual({ kind: 'ok', status: 200, redirects: [] });
    expect(deep?.provider).toEqual({ name: 'github', isVerdict: false, archived: true });
    expect(run.results.get(repo('acme/gone/tree/main/docs'))?.status).toEqual({ kind: 'http-error', status: 404, redirects: [] });
  });

  it('waits for x-ratelimit-reset when a query leaves none, then sends the next', async () => {
    const names = Array.from({ length: 120 }, (_, i) => `acme/r${i}`);
    for (const name of names) apis.repositories.set(name, { nameWithOwner: name });
    const now = 1_000_000_000_000;
    apis.graphqlHeaders = { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 20) };
    const run = await checkUrls(names.map((name) => ({ url: repo(name) })), options({ now: () => now }));
    expect(graphqlQueries()).toBe(2);
    expect(waits).toContain(20_000);
    expect(pages.requests).toEqual([]);
    expect([...run.results.values()].every((result) => result.status.kind === 'ok')).toBe(true);
  });

  it('fetches the pages as before when the reset is past the wait cap, and calls nothing dead for it', async () => {
    const names = Array.from({ length: 101 }, (_, i) => `acme/r${i}`);
    for (const name of names) apis.repositories.set(name, { nameWithOwner: name });
    const now = 1_000_000_000_000;
    apis.graphqlHeaders = { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 3600) };
    const run = await checkUrls(names.map((name) => ({ url: repo(name) })), options({ now: () => now }));
    expect(graphqlQueries()).toBe(1);
    // The 101st repository goes to its page, which answers 429: unverifiable, never dead.
    expect(pages.requests).toEqual(['HEAD /acme/r100']);
    expect(run.results.get(repo('acme/r100'))?.status).toEqual({ kind: 'unverifiable', reason: 'rate-limited', status: 429 });
    expect(run.results.get(repo('acme/r0'))?.status.kind).toBe('ok');
  });

  it('obeys retry-after on a secondary rate limit and asks again', async () => {
    apis.repositories.set('acme/tool', { nameWithOwner: 'acme/tool' });
    apis.graphqlFailures.push({ status: 403, headers: { 'retry-after': '7' } });
    const run = await checkUrls([{ url: repo('acme/tool') }], options());
    expect(graphqlQueries()).toBe(2);
    expect(waits).toEqual([7_000]);
    expect(run.results.get(repo('acme/tool'))?.status.kind).toBe('ok');
    expect(pages.requests).toEqual([]);
  });

  it('falls back to the pages when the token is refused', async () => {
    apis.repositories.set('acme/tool', { nameWithOwner: 'acme/tool' });
    const run = await checkUrls([{ url: repo('acme/tool') }], options({ githubToken: 'wrong' }));
    expect(graphqlQueries()).toBe(1);
    expect(pages.requests).toEqual(['HEAD /acme/tool']);
    expect(run.results.get(repo('acme/tool'))?.status.kind).toBe('unverifiable');
  });

  it('without a token, asks no API, fetches the pages and lists the URLs a token would have verified', async () => {
    const { githubToken: _token, ...rest } = options();
    const run = await checkUrls([{ url: repo('acme/tool') }, { url: repo('acme/tool/issues/1') }, { url: `http://127.0.0.1:${pages.port}/x` }], rest);
    expect(apis.requests).toEqual([]);
    expect(pages.requests.toSorted()).toEqual(['HEAD /acme/tool', 'HEAD /acme/tool/issues/1', 'HEAD /x']);
    expect(run.withoutToken?.toSorted()).toEqual([repo('acme/tool'), repo('acme/tool/issues/1')]);
  });

  it('leaves github.com pages that are not repositories to normal fetching', async () => {
    const run = await checkUrls(
      [{ url: `http://github.com:${pages.port}/orgs/acme` }, { url: `http://github.com:${pages.port}/acme` }],
      options(),
    );
    expect(apis.requests).toEqual([]);
    expect(pages.requests.toSorted()).toEqual(['HEAD /acme', 'HEAD /orgs/acme']);
    expect(run.results.size).toBe(2);
  });
});
