import { describe, expect, it } from 'vitest';
import { useProviderFakes } from './helpers/provider-fakes.js';
import { checkLinks } from './helpers/engine.js';

const fake = useProviderFakes({
  provider: 'stackexchange',
  apiPath: '/se',
  pageStatus: 429,
  reset: (apis) => {
    apis.questions.clear();
    delete apis.backoff;
  },
});
const { options } = fake;

const so = (path: string): string => `http://stackoverflow.com:${fake.pages.port}${path}`;

describe('Stack Exchange questions through the API', () => {
  it('calls an id in the answer alive and one missing from it dead, 100 ids per call', async () => {
    const ids = Array.from({ length: 150 }, (_, i) => i + 1);
    fake.apis.questions.set('stackoverflow.com', new Set(ids.filter((id) => id !== 7)));
    const run = await checkLinks(ids.map((id) => ({ url: so(`/questions/${id}/some-title`) })), options());
    expect(fake.apis.count('/se/questions/')).toBe(2);
    expect(fake.pages.requests).toEqual([]);
    expect(run.results.get(so('/questions/7/some-title'))?.status).toEqual({ kind: 'http-error', status: 404, redirects: [] });
    expect(run.results.get(so('/questions/8/some-title'))?.status).toEqual({ kind: 'ok', status: 200, redirects: [] });
    expect([...run.results.values()].filter((result) => result.status.kind === 'ok')).toHaveLength(149);
    // The answer is gzip-compressed, and every call asks for a page of 100.
    expect(fake.apis.requests.every((request) => /[?&]site=stackoverflow\.com&pagesize=100$/.test(request.path))).toBe(true);
  });

  it('asks each site apart, takes /q/ links, and obeys the backoff before the next call', async () => {
    fake.apis.questions.set('stackoverflow.com', new Set([1]));
    fake.apis.questions.set('math.stackexchange.com', new Set([2]));
    fake.apis.backoff = 5;
    const run = await checkLinks(
      [{ url: so('/q/1') }, { url: so('/q/1/12345') }, { url: `http://math.stackexchange.com:${fake.pages.port}/questions/2` }],
      options(),
    );
    expect(fake.apis.requests.map((request) => request.path.split('?')[0])).toEqual(['/se/questions/1', '/se/questions/2']);
    expect(fake.waits).toEqual([5_000, 5_000]);
    expect([...run.results.values()].map((result) => result.status.kind)).toEqual(['ok', 'ok', 'ok']);
  });

  it('leaves answer links and tag pages to normal fetching', async () => {
    await checkLinks([{ url: so('/a/99') }, { url: so('/questions/tagged/rust') }], options());
    expect(fake.apis.requests).toEqual([]);
    expect(fake.pages.requests.toSorted()).toEqual(['HEAD /a/99', 'HEAD /questions/tagged/rust']);
  });
});
