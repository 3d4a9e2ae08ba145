/**
 * Stack Exchange: question links (`/questions/<id>/…`, `/q/<id>`) on Stack Overflow, Super User,
 * Server Fault, Ask Ubuntu, MathOverflow and `*.stackexchange.com` are asked of the public API,
 * `<api>/questions/<id;id;…>?site=<site>`, up to 100 ids per call: an id in the answer is alive,
 * an id missing from it is dead (deleted or never there). The API's `backoff` is obeyed before
 * the next call; a failed call leaves its links to normal fetching. Answer and comment links
 * (`/a/<id>`, `#comment…`) are fetched as usual.
 */
import { isRecord, parseJson, type ApiResponse } from './request.js';
import { chunks, type BatchAnswer, type Claim, type Provider, type ProviderAnswer, type ProviderApi } from './types.js';

/** A question as linked: its site (the host name without `www.`) and id. */
export interface QuestionLink {
  readonly site: string;
  readonly id: number;
}

/** Ids per API call: the API's most. */
export const batchSize = 100;

const sites = new Set(['stackoverflow.com', 'superuser.com', 'serverfault.com', 'askubuntu.com', 'mathoverflow.net', 'stackapps.com']);

function siteOf(hostname: string): string | undefined {
  const host = hostname.replace(/^www\./, '');
  if (sites.has(host)) return host;
  if (host.endsWith('.stackexchange.com') && !host.startsWith('api.')) return host;
  if (host.endsWith('.stackoverflow.com') || host.endsWith('.mathoverflow.net')) return host;
  return undefined;
}

/** The question a Stack Exchange URL shows. */
export function questionLink(url: URL, fragments: readonly string[]): QuestionLink | undefined {
  if (fragments.length > 0) return undefined;
  const site = siteOf(url.hostname);
  if (site === undefined) return undefined;
  const match = /^\/(?:questions\/(\d+)(?:\/[^/]*)?|q\/(\d+)(?:\/\d+)?)\/?$/.exec(url.pathname);
  const id = Number(match?.[1] ?? match?.[2]);
  return Number.isSafeInteger(id) && id > 0 ? { site, id } : undefined;
}

function apiUrl(base: URL, site: string, ids: readonly number[]): URL {
  const url = new URL(`${base.href.replace(/\/+$/, '')}/questions/${ids.join(';')}`);
  url.searchParams.set('site', site);
  url.searchParams.set('pagesize', String(batchSize));
  return url;
}

/** The ids the answer lists, and its `backoff` in seconds; undefined when it is not an answer. */
function readAnswer(response: ApiResponse): { ids: Set<number>; backoff?: number } | undefined {
  if (response.status !== 200) return undefined;
  const body = parseJson(response.text);
  if (!isRecord(body) || !Array.isArray(body['items'])) return undefined;
  const ids = new Set<number>();
  for (const item of body['items'] as unknown[]) if (isRecord(item) && typeof item['question_id'] === 'number') ids.add(item['question_id']);
  const backoff = body['backoff'];
  return typeof backoff === 'number' ? { ids, backoff } : { ids };
}

async function verify(claims: readonly Claim<QuestionLink>[], api: ProviderApi): Promise<BatchAnswer> {
  const bySite = new Map<string, Set<number>>();
  for (const { subject } of claims) bySite.set(subject.site, (bySite.get(subject.site) ?? new Set()).add(subject.id));
  const known = new Map<string, boolean>();
  let requests = 0;
  let waitLeft = api.waitCap;
  calls: for (const [site, ids] of bySite) {
    for (const batch of chunks([...ids], batchSize)) {
      const outcome = await api.send({ url: apiUrl(api.base, site, batch), method: 'GET', headers: { accept: 'application/json' } });
      requests += outcome.requests;
      const answer = outcome.kind === 'response' ? readAnswer(outcome.response) : undefined;
      if (answer === undefined) break calls;
      for (const id of batch) known.set(`${site} ${id}`, answer.ids.has(id));
      // The API asks callers to wait `backoff` seconds before calling again.
      if (answer.backoff !== undefined) {
        const wait = answer.backoff * 1000;
        if (wait > waitLeft) break calls;
        waitLeft -= wait;
        await api.delay(wait);
      }
    }
  }
  const answers = claims.map(({ subject }): ProviderAnswer => {
    const present = known.get(`${subject.site} ${subject.id}`);
    if (present === undefined) return { kind: 'fetch' };
    const facts = { name: 'stackexchange', isVerdict: true } as const;
    return present
      ? { kind: 'verdict', status: { kind: 'ok', status: 200, redirects: [] }, facts }
      : { kind: 'verdict', status: { kind: 'http-error', status: 404, redirects: [] }, facts };
  });
  return { answers, requests };
}

/** The Stack Exchange provider. */
export const stackexchange: Provider<QuestionLink> = {
  name: 'stackexchange',
  title: 'Stack Exchange API',
  defaultUrl: 'https://api.stackexchange.com/2.3',
  // The API bans clients past 30 requests a second; with 100 ids a call, one at a time is plenty.
  concurrency: 1,
  needsToken: false,
  claim: questionLink,
  describe: (subject, base) => ({ method: 'GET', url: apiUrl(base, subject.site, [subject.id]).href, detail: `up to ${batchSize} ids of one site per call` }),
  verify,
};
