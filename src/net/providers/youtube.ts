/**
 * YouTube: video links (`watch?v=`, `youtu.be/<id>`, `shorts/<id>`) are asked of oEmbed,
 * `<oembed>?url=https://www.youtube.com/watch?v=<id>&format=json`: 200 is alive; 404 and 400
 * mean the video is gone (dead); 401 and 403 mean it is private or its embedding is off
 * (unverifiable); a redirect (the cookie-consent page) is never taken for success (unverifiable).
 * Other answers (a 5xx after the retries, a rate limit past the wait cap) leave the link to
 * normal fetching, as do links with a fragment to look for.
 */
import type { ApiOutcome } from './request.js';
import type { BatchAnswer, Claim, Provider, ProviderAnswer, ProviderApi } from './types.js';

/** A video id as linked. */
export interface VideoLink {
  readonly id: string;
}

const watchHosts = new Set(['youtube.com', 'www.youtube.com', 'm.youtube.com', 'music.youtube.com']);
const idPattern = /^[\w-]{1,64}$/;

/** The video a YouTube URL shows. */
export function videoLink(url: URL, fragments: readonly string[]): VideoLink | undefined {
  if (fragments.length > 0) return undefined;
  let id: string | undefined;
  if (url.hostname === 'youtu.be') id = /^\/([^/]+)\/?$/.exec(url.pathname)?.[1];
  else if (watchHosts.has(url.hostname)) {
    id = url.pathname === '/watch' ? (url.searchParams.get('v') ?? undefined) : /^\/shorts\/([^/]+)\/?$/.exec(url.pathname)?.[1];
  }
  return id !== undefined && idPattern.test(id) ? { id } : undefined;
}

function oembedUrl(base: URL, id: string): URL {
  const url = new URL(base.href);
  url.searchParams.set('url', `https://www.youtube.com/watch?v=${id}`);
  url.searchParams.set('format', 'json');
  return url;
}

function answerOf(outcome: ApiOutcome): ProviderAnswer {
  if (outcome.kind === 'error') return { kind: 'fetch' };
  const { status } = outcome.response;
  if (status === 200) return { kind: 'verdict', status: { kind: 'ok', status, redirects: [] }, facts: { name: 'youtube', isVerdict: true } };
  const facts = { name: 'youtube', isVerdict: true, apiStatus: status } as const;
  if (status === 404 || status === 400) return { kind: 'verdict', status: { kind: 'http-error', status, redirects: [] }, facts };
  if (status === 401 || status === 403) return { kind: 'verdict', status: { kind: 'unverifiable', reason: 'auth-required', status }, facts };
  if (status >= 300 && status < 400) return { kind: 'verdict', status: { kind: 'unverifiable', reason: 'blocked', status }, facts };
  return { kind: 'fetch' };
}

async function verify(claims: readonly Claim<VideoLink>[], api: ProviderApi): Promise<BatchAnswer> {
  const asked = new Map<string, Promise<ApiOutcome>>();
  for (const { subject } of claims) {
    if (!asked.has(subject.id)) asked.set(subject.id, api.send({ url: oembedUrl(api.base, subject.id), method: 'GET', headers: { accept: 'application/json' } }));
  }
  let requests = 0;
  for (const pending of asked.values()) requests += (await pending).requests;
  const answers = await Promise.all(claims.map(async ({ subject }) => {
    const pending = asked.get(subject.id);
    return pending === undefined ? ({ kind: 'fetch' } as const) : answerOf(await pending);
  }));
  return { answers, requests };
}

/** The YouTube provider. */
export const youtube: Provider<VideoLink> = {
  name: 'youtube',
  title: 'YouTube oEmbed',
  defaultUrl: 'https://www.youtube.com/oembed',
  // As for YouTube's pages (src/net/hosts.ts): it answers bursts with 429.
  concurrency: 2,
  needsToken: false,
  claim: videoLink,
  describe: (subject, base) => ({ method: 'GET', url: oembedUrl(base, subject.id).href }),
  verify,
};
