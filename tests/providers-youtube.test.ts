import { describe, expect, it } from 'vitest';
import { useProviderFakes } from './helpers/provider-fakes.js';
import { checkLinks } from './helpers/engine.js';

const fake = useProviderFakes({
  provider: 'youtube',
  apiPath: '/oembed',
  // YouTube's pages answer 429 to the checker.
  pageStatus: 429,
  setUp: (apis) => {
    apis.videos.set('aliveVideo1', 200);
    apis.videos.set('removedVid1', 404);
    apis.videos.set('badVideoId1', 400);
    apis.videos.set('privateVid1', 401);
    apis.videos.set('noEmbedVid1', 403);
    apis.videos.set('consentVid1', 302);
  },
});
const { options } = fake;

const watch = (id: string): string => `http://www.youtube.com:${fake.pages.port}/watch?v=${id}`;

describe('YouTube videos through oEmbed', () => {
  it('judges each video by what oEmbed answers, never by the page', async () => {
    const ids = ['aliveVideo1', 'removedVid1', 'badVideoId1', 'privateVid1', 'noEmbedVid1', 'consentVid1'];
    const run = await checkLinks(ids.map((id) => ({ url: watch(id) })), options());
    expect(fake.pages.requests).toEqual([]);
    expect(fake.apis.count('/oembed')).toBe(6);
    expect(ids.map((id) => run.results.get(watch(id))?.status)).toEqual([
      { kind: 'ok', status: 200, redirects: [] },
      { kind: 'http-error', status: 404, redirects: [] },
      { kind: 'http-error', status: 400, redirects: [] },
      { kind: 'unverifiable', reason: 'auth-required', status: 401 },
      { kind: 'unverifiable', reason: 'auth-required', status: 403 },
      // The consent-page redirect is never taken for success.
      { kind: 'unverifiable', reason: 'blocked', status: 302 },
    ]);
  });

  it('asks about the canonical watch URL for youtu.be and shorts links, once per video', async () => {
    const run = await checkLinks(
      [
        { url: `http://youtu.be:${fake.pages.port}/aliveVideo1` },
        { url: `http://www.youtube.com:${fake.pages.port}/shorts/aliveVideo1` },
        { url: watch('aliveVideo1') },
      ],
      options(),
    );
    expect(fake.apis.requests.map((request) => request.path)).toEqual([
      `/oembed?url=${encodeURIComponent('https://www.youtube.com/watch?v=aliveVideo1')}&format=json`,
    ]);
    expect([...run.results.values()].map((result) => result.status.kind)).toEqual(['ok', 'ok', 'ok']);
    expect(fake.pages.requests).toEqual([]);
  });

  it('leaves channel pages and links with a fragment to normal fetching', async () => {
    await checkLinks([{ url: `http://www.youtube.com:${fake.pages.port}/@channel` }, { url: `${watch('aliveVideo1')}#comments` }], options());
    expect(fake.apis.requests).toEqual([]);
    expect(fake.pages.requests.toSorted()).toEqual(['GET /watch?v=aliveVideo1', 'HEAD /@channel']);
  });
});
