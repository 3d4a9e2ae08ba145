import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkUrls, type CheckUrlsOptions } from '../src/net/index.js';
import { loopbackLookup, startFakeApis, startPageServer, type FakeApis, type PageServer } from './helpers/fake-apis.js';
import { testNetConfig } from './helpers/net-config.js';

let apis: FakeApis;
let pages: PageServer;
const waits: number[] = [];

beforeAll(async () => {
  apis = await startFakeApis();
  pages = await startPageServer(429);
});

afterAll(async () => {
  await apis.close();
  await pages.close();
});

afterEach(() => {
  apis.requests.length = 0;
  pages.requests.length = 0;
  apis.questions.clear();
  delete apis.backoff;
  waits.length = 0;
});

function options(): CheckUrlsOptions {
  return {
    config: { ...testNetConfig(), providers: { stackexchange: { url: `${apis.origin}/se` } } },
    userAgent: 'waymark-test',
    lookup: loopbackLookup,
    delay: async (ms) => void waits.push(ms),
  };
}

const so = (path: string): string => `http://stackoverflow.com:${pages.port}${path}`;

describe('Stack Exchange questions through the API', () => {
  it('calls an id in the answer alive and one missing from it dead, 100 ids per call', async () => {
    const ids = Array.from({ length: 150 }, (_, i) => i + 1);
    apis.questions.set('stackoverflow.com', new Set(ids.filter((id) => id !== 7)));
    const run = await checkUrls(ids.map((id) => ({ url: so(`/questions/${id}/some-title`) })), options());
    expect(apis.count('/se/questions/')).toBe(2);
    expect(pages.requests).toEqual([]);
    expect(run.results.get(so('/questions/7/some-title'))?.status).toEqual({ kind: 'http-error', status: 404, redirects: [] });
    expect(run.results.get(so('/questions/8/some-title'))?.status).toEqual({ kind: 'ok', status: 200, redirects: [] });
    expect([...run.results.values()].filter((result) => result.status.kind === 'ok')).toHaveLength(149);
    // The answer is gzip-compressed, and every call asks for a page of 100.
    expect(apis.requests.every((request) => /[?&]site=stackoverflow\.com&pagesize=100$/.test(request.path))).toBe(true);
  });

  it('asks each site apart, takes /q/ links, and obeys the backoff before the next call', async () => {
    apis.questions.set('stackoverflow.com', new Set([1]));
    apis.questions.set('math.stackexchange.com', new Set([2]));
    apis.backoff = 5;
    const run = await checkUrls(
      [{ url: so('/q/1') }, { url: so('/q/1/12345') }, { url: `http://math.stackexchange.com:${pages.port}/questions/2` }],
      options(),
    );
    expect(apis.requests.map((request) => request.path.split('?')[0])).toEqual(['/se/questions/1', '/se/questions/2']);
    expect(waits).toEqual([5_000, 5_000]);
    expect([...run.results.values()].map((result) => result.status.kind)).toEqual(['ok', 'ok', 'ok']);
  });

  it('leaves answer links and tag pages to normal fetching', async () => {
    await checkUrls([{ url: so('/a/99') }, { url: so('/questions/tagged/rust') }], options());
    expect(apis.requests).toEqual([]);
    expect(pages.requests.toSorted()).toEqual(['HEAD /a/99', 'HEAD /questions/tagged/rust']);
  });
});
