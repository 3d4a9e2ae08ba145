/**
 * npm: `npmjs.com/package/<name>` (and `@scope/name`) links are asked of the registry,
 * `<registry>/<name>` with the scope's slash as `%2f`, by HEAD with the abbreviated-metadata
 * `Accept` header (GET when the registry will not answer HEAD): 200 is alive and 404 is dead,
 * whatever npmjs.com itself would answer, and npmjs.com is never fetched for them. Version pages
 * (`/package/<name>/v/<version>`) and links with a fragment are fetched as usual; so is a package
 * the registry answers otherwise (5xx after the retries, 401 from a private mirror).
 */
import type { ProviderFacts } from '../../types.js';
import type { ApiOutcome } from './request.js';
import type { BatchAnswer, Claim, Provider, ProviderAnswer, ProviderApi } from './types.js';

/** A package name as linked, decoded: `left-pad`, `@types/node`. */
export interface PackageLink {
  readonly name: string;
}

const hosts = new Set(['npmjs.com', 'www.npmjs.com']);
const namePattern = /^(?:@[a-z0-9~-][\w.~-]*\/)?[a-z0-9~-][\w.~-]*$/i;

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** The package an npmjs.com URL is the page of. */
export function packageLink(url: URL, fragments: readonly string[]): PackageLink | undefined {
  if (!hosts.has(url.hostname) || fragments.length > 0) return undefined;
  const match = /^\/package\/((?:@[^/]+\/)?[^/@]+)\/?$/.exec(url.pathname);
  const name = match?.[1] === undefined ? undefined : decode(match[1]);
  return name !== undefined && namePattern.test(name) ? { name } : undefined;
}

/** The registry path of a package: `left-pad`, `@types%2fnode`. */
export function registryPath(name: string): string {
  return name.startsWith('@') ? name.split('/').map(encodeURIComponent).join('%2f') : encodeURIComponent(name);
}

function registryUrl(base: URL, name: string): URL {
  return new URL(`${base.href.replace(/\/+$/, '')}/${registryPath(name)}`);
}

/** Abbreviated metadata, as `npm install` asks for it: the smallest document the registry serves. */
const accept = 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*';

async function ask(name: string, api: ProviderApi): Promise<{ outcome: ApiOutcome; requests: number }> {
  const url = registryUrl(api.base, name);
  const head = await api.send({ url, method: 'HEAD', headers: { accept } });
  const status = head.kind === 'response' ? head.response.status : undefined;
  if (status !== 405 && status !== 501) return { outcome: head, requests: head.requests };
  const get = await api.send({ url, method: 'GET', headers: { accept } });
  return { outcome: get, requests: head.requests + get.requests };
}

function answerOf(outcome: ApiOutcome): ProviderAnswer {
  if (outcome.kind === 'error') return { kind: 'fetch' };
  const { status } = outcome.response;
  const facts: ProviderFacts = status === 200 ? { name: 'npm', isVerdict: true } : { name: 'npm', isVerdict: true, apiStatus: status };
  if (status === 200) return { kind: 'verdict', status: { kind: 'ok', status, redirects: [] }, facts };
  if (status === 404) return { kind: 'verdict', status: { kind: 'http-error', status, redirects: [] }, facts };
  return { kind: 'fetch' };
}

async function verify(claims: readonly Claim<PackageLink>[], api: ProviderApi): Promise<BatchAnswer> {
  const asked = new Map<string, Promise<{ outcome: ApiOutcome; requests: number }>>();
  for (const { subject } of claims) if (!asked.has(subject.name)) asked.set(subject.name, ask(subject.name, api));
  let requests = 0;
  for (const pending of asked.values()) requests += (await pending).requests;
  const answers = await Promise.all(claims.map(async ({ subject }) => {
    const pending = asked.get(subject.name);
    return pending === undefined ? ({ kind: 'fetch' } as const) : answerOf((await pending).outcome);
  }));
  return { answers, requests };
}

/** The npm provider. */
export const npm: Provider<PackageLink> = {
  name: 'npm',
  title: 'npm registry',
  defaultUrl: 'https://registry.npmjs.org',
  // The registry serves `npm install` for the world; a handful in flight is nothing to it.
  concurrency: 8,
  needsToken: false,
  claim: packageLink,
  describe: (subject, base) => ({ method: 'HEAD', url: registryUrl(base, subject.name).href, detail: `Accept: ${accept}` }),
  verify,
};
