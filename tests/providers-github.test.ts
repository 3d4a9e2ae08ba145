import { describe, expect, it } from 'vitest';
import { useProviderFakes } from './helpers/provider-fakes.js';
import { checkLinks } from './helpers/engine.js';

const fake = useProviderFakes({
  provider: 'github',
  apiPath: '/graphql',
  // github.com's pages answer every request with 429 (and a retry-after past the cap).
  pageStatus: 429,
  reset: (apis) => {
    apis.repositories.clear();
    apis.graphqlFailures.length = 0;
    apis.graphqlHeaders = { 'x-ratelimit-remaining': '4999', 'x-ratelimit-reset': '4102444800' };
  },
  defaults: (apis) => ({ githubToken: apis.token }),
});
const { options } = fake;

/** A github.com link that reaches the page server (every name resolves to 127.0.0.1). */
const repo = (path: string): string => `http://github.com:${fake.pages.port}/${path}`;

const graphqlQueries = (): number => fake.apis.count('/graphql');

describe('GitHub through the GraphQL API', () => {
  it('verifies 150 repositories with 2 queries and never asks github.com, whose pages answer 429', async () => {
    const urls = Array.from({ length: 150 }, (_, i) => `acme/tool-${i}`);
    for (const name of urls) fake.apis.repositories.set(name, { nameWithOwner: name });
    const run = await checkLinks(urls.map((name) => ({ url: repo(name) })), options());
    expect(graphqlQueries()).toBe(2);
    expect(fake.pages.requests).toEqual([]);
    const statuses = [...run.results.values()].map((result) => result.status);
    expect(statuses).toHaveLength(150);
    expect(statuses.every((status) => status.kind === 'ok' && status.redirects.length === 0)).toBe(true);
    expect([...run.results.values()].every((result) => result.provider?.name === 'github' && result.provider.isVerdict)).toBe(true);
    // The batch's two requests are counted once, not once per URL.
    expect([...run.results.values()].reduce((sum, result) => sum + result.requests, 0)).toBe(2);
    // Each query sends the token and at most 100 aliases.
    const bodies = fake.apis.requests.map((request) => request.body ?? '');
    expect(bodies.map((body) => body.match(/repository\(/g)?.length)).toEqual([100, 50]);
    expect(fake.apis.requests.every((request) => request.authorization === `bearer ${fake.apis.token}`)).toBe(true);
    expect(run.withoutToken).toBeUndefined();
  });

  it('calls a missing repository dead, a renamed one a permanent redirect, and notes an archived one', async () => {
    fake.apis.repositories.set('acme/moved', { nameWithOwner: 'newco/moved-on' });
    fake.apis.repositories.set('acme/casing', { nameWithOwner: 'Acme/Casing' });
    fake.apis.repositories.set('acme/old', { nameWithOwner: 'acme/old', isArchived: true });
    const run = await checkLinks(
      ['acme/gone', 'acme/moved', 'acme/casing', 'acme/old'].map((name) => ({ url: repo(name) })),
      options(),
    );
    expect(graphqlQueries()).toBe(1);
    expect(fake.pages.requests).toEqual([]);
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
    fake.apis.repositories.set('acme/tool', { nameWithOwner: 'acme/tool', isArchived: true });
    fake.pages.paths.set('/acme/tool/blob/main/README.md', 200);
    const run = await checkLinks(
      [{ url: repo('acme/tool') }, { url: repo('acme/tool/blob/main/README.md') }, { url: repo('acme/gone/tree/main/docs') }],
      options(),
    );
    // One alias for acme/tool however many links point into it, one for acme/gone.
    expect(graphqlQueries()).toBe(1);
    expect(fake.apis.requests[0]?.body?.match(/repository\(/g)?.length).toBe(2);
    expect(fake.pages.requests).toEqual(['HEAD /acme/tool/blob/main/README.md']);
    const deep = run.results.get(repo('acme/tool/blob/main/README.md'));
    expect(deep?.status).toEqual({ kind: 'ok', status: 200, redirects: [] });
    expect(deep?.provider).toEqual({ name: 'github', isVerdict: false, archived: true });
    expect(run.results.get(repo('acme/gone/tree/main/docs'))?.status).toEqual({ kind: 'http-error', status: 404, redirects: [] });
  });

  it('fake.waits for x-ratelimit-reset when a query leaves none, then sends the next', async () => {
    const names = Array.from({ length: 120 }, (_, i) => `acme/r${i}`);
    for (const name of names) fake.apis.repositories.set(name, { nameWithOwner: name });
    const now = 1_000_000_000_000;
    fake.apis.graphqlHeaders = { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 20) };
    const run = await checkLinks(names.map((name) => ({ url: repo(name) })), options({ now: () => now }));
    expect(graphqlQueries()).toBe(2);
    expect(fake.waits).toContain(20_000);
    expect(fake.pages.requests).toEqual([]);
    expect([...run.results.values()].every((result) => result.status.kind === 'ok')).toBe(true);
  });

  it('fetches the pages as before when the reset is past the wait cap, and calls nothing dead for it', async () => {
    const names = Array.from({ length: 101 }, (_, i) => `acme/r${i}`);
    for (const name of names) fake.apis.repositories.set(name, { nameWithOwner: name });
    const now = 1_000_000_000_000;
    fake.apis.graphqlHeaders = { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 3600) };
    const run = await checkLinks(names.map((name) => ({ url: repo(name) })), options({ now: () => now }));
    expect(graphqlQueries()).toBe(1);
    // The 101st repository goes to its page, which answers 429: unverifiable, never dead.
    expect(fake.pages.requests).toEqual(['HEAD /acme/r100']);
    expect(run.results.get(repo('acme/r100'))?.status).toEqual({ kind: 'unverifiable', reason: 'rate-limited', status: 429 });
    expect(run.results.get(repo('acme/r0'))?.status.kind).toBe('ok');
  });

  it('obeys retry-after on a secondary rate limit and asks again', async () => {
    fake.apis.repositories.set('acme/tool', { nameWithOwner: 'acme/tool' });
    fake.apis.graphqlFailures.push({ status: 403, headers: { 'retry-after': '7' } });
    const run = await checkLinks([{ url: repo('acme/tool') }], options());
    expect(graphqlQueries()).toBe(2);
    expect(fake.waits).toEqual([7_000]);
    expect(run.results.get(repo('acme/tool'))?.status.kind).toBe('ok');
    expect(fake.pages.requests).toEqual([]);
  });

  it('falls back to the pages when the token is refused', async () => {
    fake.apis.repositories.set('acme/tool', { nameWithOwner: 'acme/tool' });
    const run = await checkLinks([{ url: repo('acme/tool') }], options({ githubToken: 'wrong' }));
    expect(graphqlQueries()).toBe(1);
    expect(fake.pages.requests).toEqual(['HEAD /acme/tool']);
    expect(run.results.get(repo('acme/tool'))?.status.kind).toBe('unverifiable');
  });

  it('without a token, asks no API, fetches the pages and lists the URLs a token would have verified', async () => {
    const { githubToken: _token, ...rest } = options();
    const run = await checkLinks([{ url: repo('acme/tool') }, { url: repo('acme/tool/issues/1') }, { url: `http://127.0.0.1:${fake.pages.port}/x` }], rest);
    expect(fake.apis.requests).toEqual([]);
    expect(fake.pages.requests.toSorted()).toEqual(['HEAD /acme/tool', 'HEAD /acme/tool/issues/1', 'HEAD /x']);
    expect(run.withoutToken?.toSorted()).toEqual([repo('acme/tool'), repo('acme/tool/issues/1')]);
  });

  it('leaves github.com pages that are not repositories to normal fetching', async () => {
    const run = await checkLinks(
      [{ url: `http://github.com:${fake.pages.port}/orgs/acme` }, { url: `http://github.com:${fake.pages.port}/acme` }],
      options(),
    );
    expect(fake.apis.requests).toEqual([]);
    expect(fake.pages.requests.toSorted()).toEqual(['HEAD /acme', 'HEAD /orgs/acme']);
    expect(run.results.size).toBe(2);
  });
});
