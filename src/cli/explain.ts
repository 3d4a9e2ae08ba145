/**
 * `waymark explain <url>`: what a run would do with one URL, one fact per line — the
 * `ignoreUrls` and `allowTracking` patterns that match it, the provider or host profile that
 * applies, the request that would be sent (method, URL, through a proxy or not) and the verdict
 * in the result cache, if there is a fresh one. Nothing is requested.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { compilePattern } from '../config/pattern.js';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/types.js';
import { InputError } from '../errors.js';
import { nodeFileSystem } from '../io/fs.js';
import { detectGit } from '../io/git.js';
import { openCache } from '../net/cache.js';
import { profileOf, startLimit } from '../net/hosts.js';
import { planProvider, providerHostLimits } from '../net/providers/index.js';
import { proxyFor, proxySettings, type ProxySettings } from '../net/proxy.js';
import { urlKey, type UrlKey } from '../plan/url-key.js';
import type { TargetStatus } from '../types.js';

/** What `explain` reads besides its arguments. */
export interface ExplainIo {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Runs `waymark explain <url> [--config <path>] [--no-config]` and returns the lines to print. */
export async function runExplain(argv: readonly string[], io: ExplainIo): Promise<string[]> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { config: { type: 'string', short: 'c' }, 'no-config': { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new InputError('explain', `${error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)}; usage: waymark explain <url>`);
  }
  const [url, ...rest] = parsed.positionals;
  if (url === undefined || rest.length > 0) throw new InputError('explain', 'expected one URL, e.g. waymark explain https://example.com/page');
  const { config } = await loadConfig({
    cwd: io.cwd,
    ...(parsed.values.config === undefined ? {} : { configPath: parsed.values.config }),
    noConfig: parsed.values['no-config'] === true,
  });
  const git = await detectGit(io.cwd, nodeFileSystem);
  const cache = await openCache({ path: path.join(git.root, '.waymark', 'cache.json'), maxAge: config.maxCacheAge });
  const token = io.env['GITHUB_TOKEN'];
  const planned = urlKey(url);
  const lines = explainUrl(url, planned, { config, hasToken: token !== undefined && token !== '', proxy: proxySettings(config.proxy, io.env) });
  const { key, fragment } = planned;
  if (lines.every((line) => !line.startsWith('skipped:'))) {
    const cached = cache.get(key, fragment === undefined || fragment === '' ? [] : [fragment]);
    lines.push(`cached: ${cached === undefined ? 'none' : `${statusText(cached.status)}${config.cache ? '' : ' (used with --cache)'}`}`);
  }
  return lines;
}

/** What explaining needs to know of the run. */
export interface ExplainContext {
  readonly config: Config;
  readonly hasToken: boolean;
  readonly proxy: ProxySettings | undefined;
}

/** The facts about one URL, one per line, apart from the cache. */
export function explainUrl(url: string, { key, fragment, parsed }: UrlKey, { config, hasToken, proxy }: ExplainContext): string[] {
  const lines = [`url: ${key}${fragment === undefined ? '' : ` (fragment \`#${fragment}\`)`}`];
  if (parsed === undefined) return [...lines, 'skipped: not a valid URL'];
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return [...lines, `skipped: the \`${parsed.protocol}\` scheme is not checked`];
  const ignored = config.ignoreUrls.filter((source) => compilePattern(source).test(url));
  lines.push(`ignoreUrls: ${ignored.length === 0 ? 'no pattern matches' : `matches ${ignored.map((source) => `\`${source}\``).join(', ')}`}`);
  const allowed = config.allowTracking.filter((source) => compilePattern(source).test(url));
  lines.push(`allowTracking: ${allowed.length === 0 ? 'no pattern matches' : `matches ${allowed.map((source) => `\`${source}\``).join(', ')} (tracking parameters kept)`}`);
  if (ignored.length > 0) return [...lines, 'skipped: an ignoreUrls pattern matches, so nothing is requested'];
  const via = (target: URL): string => {
    const through = proxyFor(proxy, target);
    return through === undefined ? 'directly' : `through the proxy ${through}`;
  };
  const fragments = fragment === undefined ? [] : [fragment];
  const plan = planProvider(parsed, fragments, { ...(config.providers === undefined ? {} : { config: config.providers }), hasToken });
  if (plan?.kind === 'claimed') {
    const api = new URL(plan.request.url);
    lines.push(`provider: ${plan.provider.name} (${plan.provider.title})`);
    lines.push(`request: ${plan.request.method} ${plan.request.url}, ${via(api)}`);
    if (plan.request.detail !== undefined) lines.push(`asks: ${plan.request.detail}`);
    lines.push(`host limit: ${hostLimit(api.host, config)}`);
    return lines;
  }
  if (plan?.kind === 'needs-token') {
    lines.push(`provider: ${plan.provider.name} (${plan.provider.title}) needs GITHUB_TOKEN; without it the page is fetched`);
  } else {
    lines.push('provider: none');
  }
  const needsBody = fragment !== undefined && fragment !== '' && fragment.toLowerCase() !== 'top';
  lines.push(`request: ${needsBody ? 'GET' : 'HEAD (GET if HEAD fails)'} ${key}, ${via(parsed)}`);
  lines.push(`host limit: ${hostLimit(parsed.hostname, config)}`);
  return lines;
}

/** The limit a host gets: the config's `hosts`, a provider's API limit, its profile, or the default. */
function hostLimit(host: string, config: Config): string {
  const fixed = config.hosts[host]?.concurrency;
  if (fixed !== undefined) return `${host}: ${fixed} in flight (hosts["${host}"] in the config)`;
  const api = providerHostLimits(config.providers)[host]?.concurrency;
  if (api !== undefined) return `${host}: ${api} in flight (a provider's API)`;
  const profile = profileOf(host);
  if (profile !== undefined) {
    return `${host}: starts at ${Math.min(profile.start, profile.cap)} in flight, at most ${profile.cap} (host profile: ${profile.name})`;
  }
  return `${host}: starts at ${Math.min(startLimit, config.hostConcurrency)} in flight, grows to ${config.hostConcurrency} while it keeps up`;
}

function statusText(status: TargetStatus): string {
  switch (status.kind) {
    case 'ok':
      return `HTTP ${status.status}${status.redirects.length === 0 ? '' : ` after ${status.redirects.length} redirect${status.redirects.length === 1 ? '' : 's'} to ${status.redirects.at(-1)?.to ?? ''}`}`;
    case 'http-error':
      return `HTTP ${status.status}`;
    case 'net-error':
      return status.error.message;
    case 'unverifiable':
      return `unverifiable (${status.reason}${status.status === undefined ? '' : `, HTTP ${status.status}`})`;
  }
}
