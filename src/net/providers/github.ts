/**
 * GitHub: with `GITHUB_TOKEN`, every `github.com/<owner>/<repo>` link, and the repository of a
 * deeper one, is looked up through the GraphQL API, up to 100 repositories per query (one alias
 * each), one query at a time.
 *
 * - Missing (`NOT_FOUND`): dead, for the repository's page and every deeper link into it.
 * - Renamed or transferred (`nameWithOwner` differs in more than case): a permanent redirect to
 *   the repository's new URL.
 * - Archived: a fact the opt-in `github-archived` rule reads.
 * - A deeper link (`blob`, `tree`, issues…) into a repository that exists is fetched from
 *   github.com as before; a link with a fragment to look for too.
 *
 * `x-ratelimit-remaining: 0` waits for `x-ratelimit-reset` before the next query when that is
 * within the run's wait cap; otherwise, and after any failure of the API, the rest of the links
 * are fetched from github.com as without a token.
 */
import { resetWait, isRecord, parseJson, type ApiResponse } from './request.js';
import { chunks, type BatchAnswer, type Claim, type Provider, type ProviderAnswer, type ProviderApi } from './types.js';

/** A repository as linked, and whether the link goes deeper than its home page. */
export interface RepositoryLink {
  readonly owner: string;
  readonly name: string;
  readonly isDeep: boolean;
}

/** Repositories per GraphQL query. */
export const batchSize = 100;

const hosts = new Set(['github.com', 'www.github.com']);

/** First path segments that are GitHub's own pages, not owners. */
const reserved = new Set([
  'about', 'account', 'advisories', 'apps', 'codespaces', 'collections', 'contact', 'customer-stories', 'dashboard',
  'enterprise', 'events', 'explore', 'features', 'issues', 'join', 'login', 'logout', 'marketplace', 'new',
  'notifications', 'orgs', 'organizations', 'pricing', 'pulls', 'readme', 'search', 'security', 'settings', 'signup',
  'site', 'sponsors', 'stars', 'team', 'topics', 'trending', 'users', 'watching',
]);

const ownerPattern = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const namePattern = /^[A-Za-z0-9._-]{1,100}$/;

/** The repository a github.com URL points into, if it points into one. */
export function repositoryLink(url: URL, fragments: readonly string[]): RepositoryLink | undefined {
  if (!hosts.has(url.hostname)) return undefined;
  const [owner, rawName, ...rest] = url.pathname.split('/').slice(1);
  if (owner === undefined || rawName === undefined || rawName === '') return undefined;
  if (!ownerPattern.test(owner) || reserved.has(owner.toLowerCase())) return undefined;
  const name = rawName.replace(/\.git$/, '');
  if (!namePattern.test(name) || name === '.' || name === '..') return undefined;
  const isDeep = rest.some((segment) => segment !== '') || fragments.length > 0;
  return { owner, name, isDeep };
}

/** What the API said about one repository. */
type Lookup =
  | { readonly kind: 'found'; readonly nameWithOwner: string; readonly url: string; readonly isArchived: boolean }
  | { readonly kind: 'missing' }
  | { readonly kind: 'unknown' };

function query(repositories: readonly RepositoryLink[]): string {
  const fields = repositories.map(
    (repository, i) => `r${i}: repository(owner: ${JSON.stringify(repository.owner)}, name: ${JSON.stringify(repository.name)}) { nameWithOwner isArchived url }`,
  );
  return `query { ${fields.join(' ')} }`;
}

/** Reads a GraphQL answer: one lookup per alias `r<i>`. */
function readAnswer(response: ApiResponse, count: number): Lookup[] {
  const unknown = Array.from({ length: count }, (): Lookup => ({ kind: 'unknown' }));
  if (response.status !== 200) return unknown;
  const body = parseJson(response.text);
  if (!isRecord(body) || !isRecord(body['data'])) return unknown;
  const data = body['data'];
  const missing = new Set<string>();
  const errors = Array.isArray(body['errors']) ? body['errors'] : [];
  for (const error of errors) {
    if (!isRecord(error) || error['type'] !== 'NOT_FOUND' || !Array.isArray(error['path'])) continue;
    const [alias] = error['path'] as unknown[];
    if (typeof alias === 'string') missing.add(alias);
  }
  return unknown.map((fallback, i) => {
    const value = data[`r${i}`];
    if (value === null && missing.has(`r${i}`)) return { kind: 'missing' };
    if (!isRecord(value)) return fallback;
    const { nameWithOwner, url, isArchived } = value;
    if (typeof nameWithOwner !== 'string' || typeof url !== 'string' || typeof isArchived !== 'boolean') return fallback;
    return { kind: 'found', nameWithOwner, url, isArchived };
  });
}

/** The answer for one link, from its repository's lookup. */
function answerFor(claim: Claim<RepositoryLink>, lookup: Lookup): ProviderAnswer {
  if (lookup.kind === 'unknown') return { kind: 'fetch' };
  if (lookup.kind === 'missing') {
    return { kind: 'verdict', status: { kind: 'http-error', status: 404, redirects: [] }, facts: { name: 'github', isVerdict: true } };
  }
  const { subject } = claim;
  if (subject.isDeep) return { kind: 'fetch', facts: { name: 'github', isVerdict: false, archived: lookup.isArchived } };
  const facts = { name: 'github', isVerdict: true, archived: lookup.isArchived } as const;
  const asLinked = `${subject.owner}/${subject.name}`;
  if (lookup.nameWithOwner.toLowerCase() === asLinked.toLowerCase()) {
    return { kind: 'verdict', status: { kind: 'ok', status: 200, redirects: [] }, facts };
  }
  // Renamed or transferred: GitHub answers the old URL with a 301 to the new one.
  const to = `${lookup.url}${URL.canParse(claim.key) ? new URL(claim.key).search : ''}`;
  return { kind: 'verdict', status: { kind: 'ok', status: 200, redirects: [{ status: 301, from: claim.key, to }] }, facts };
}

async function verify(claims: readonly Claim<RepositoryLink>[], api: ProviderApi): Promise<BatchAnswer> {
  // One alias per repository, however many links point into it.
  const byRepository = new Map<string, RepositoryLink>();
  for (const { subject } of claims) {
    const id = `${subject.owner}/${subject.name}`.toLowerCase();
    if (!byRepository.has(id)) byRepository.set(id, subject);
  }
  const lookups = new Map<string, Lookup>();
  let requests = 0;
  let waitLeft = api.waitCap;
  for (const batch of chunks([...byRepository], batchSize)) {
    const outcome = await api.send({
      url: api.base,
      method: 'POST',
      headers: { authorization: `bearer ${api.token ?? ''}`, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: query(batch.map(([, repository]) => repository)) }),
    });
    requests += outcome.requests;
    if (outcome.kind === 'error') break;
    const answer = readAnswer(outcome.response, batch.length);
    batch.forEach(([id], i) => lookups.set(id, answer[i] ?? { kind: 'unknown' }));
    // A refused token or a spent budget: the rest are fetched from github.com.
    if (outcome.response.status !== 200) break;
    const wait = resetWait(outcome.response.headers, api.now());
    if (wait !== undefined) {
      if (wait > waitLeft) break;
      waitLeft -= wait;
      await api.delay(wait);
    }
  }
  const answers = claims.map((claim) => {
    const lookup = lookups.get(`${claim.subject.owner}/${claim.subject.name}`.toLowerCase());
    return lookup === undefined ? ({ kind: 'fetch' } as const) : answerFor(claim, lookup);
  });
  return { answers, requests };
}

/** The GitHub provider. */
export const github: Provider<RepositoryLink> = {
  name: 'github',
  title: 'GitHub GraphQL API',
  defaultUrl: 'https://api.github.com/graphql',
  // GitHub asks integrators to send GraphQL queries one at a time, not concurrently.
  concurrency: 1,
  needsToken: true,
  claim: repositoryLink,
  describe: (subject, base) => ({
    method: 'POST',
    url: base.href,
    detail: `repository(owner: ${JSON.stringify(subject.owner)}, name: ${JSON.stringify(subject.name)}) { nameWithOwner isArchived url }, batched up to ${batchSize} per query${subject.isDeep ? '; the page itself is fetched too when the repository exists' : ''}`,
  }),
  verify,
};
