/**
 * Requests through a proxy: which proxy a URL goes through (the `proxy` setting, else
 * `HTTPS_PROXY`/`HTTP_PROXY` minus `NO_PROXY`, read as undici's `EnvHttpProxyAgent` reads them),
 * and a dispatcher that sends each request either straight out through the guarded agent or
 * through an undici `ProxyAgent`.
 *
 * Through a proxy, Waymark never resolves the target's name: the proxy does. So the address
 * guard cannot see the address a name leads to, and refuses what it can see instead: a target
 * named by a guarded IP literal or by a name that only ever means this network (`localhost`,
 * `*.local`, `*.internal`, `*.home.arpa`), unless `allowPrivate` is set. The connection to the
 * proxy itself is not guarded: a corporate proxy usually sits at a private address.
 */
import { Dispatcher, ProxyAgent, type Agent } from 'undici';
import { proxyUrlOf } from '../config/validate.js';
import { InputError } from '../errors.js';
import { PrivateAddressError } from './guard.js';
import type { IsPrivate } from './types.js';
import { isIpHostname, isLocalName } from './url.js';

/** Environment variables as the process sees them; only the proxy ones are read. */
export type ProxyEnv = Readonly<Record<string, string | undefined>>;

/** One `NO_PROXY` entry: a host name (its subdomains too), with a port when it gave one. */
interface NoProxyEntry {
  readonly hostname: string;
  readonly port?: number;
}

/** Where requests go: a proxy per scheme, and the hosts reached directly all the same. */
export interface ProxySettings {
  /** The proxy for `http:` URLs, as a URL. */
  readonly http?: string;
  /** The proxy for `https:` URLs, as a URL. */
  readonly https?: string;
  /** `NO_PROXY=*`: nothing goes through a proxy. */
  readonly bypassAll: boolean;
  readonly noProxy: readonly NoProxyEntry[];
}

/** The first variable of `names` that is set, with its name. */
function firstSet(env: ProxyEnv, names: readonly string[]): { name: string; value: string } | undefined {
  for (const name of names) {
    const value = env[name];
    if (value !== undefined) return { name, value };
  }
  return undefined;
}

/** A proxy URL as written (see `proxyUrlOf`); throws an `InputError` naming the variable or key otherwise. */
function proxyUrl(value: string, where: string): string {
  const url = proxyUrlOf(value);
  if (url === undefined) throw new InputError(where, `expected a proxy URL such as http://proxy.example:3128, got \`${value}\``);
  return url;
}

function parseNoProxy(value: string): NoProxyEntry[] {
  return value
    .split(/[,\s]/)
    .filter((entry) => entry !== '')
    .map((entry) => {
      const match = /^(.+):(\d+)$/.exec(entry);
      const hostname = (match?.[1] ?? entry).replace(/^\*?\./, '').toLowerCase();
      return match?.[2] === undefined ? { hostname } : { hostname, port: Number(match[2]) };
    });
}

/**
 * The proxy settings of a run: the `proxy` setting when it is a URL (for both schemes), none when
 * it is `false`, else the environment (`https_proxy`/`HTTPS_PROXY`, `http_proxy`/`HTTP_PROXY`,
 * lower case first; an `https:` URL falls back to the HTTP proxy). `NO_PROXY` applies either way.
 * Undefined when nothing goes through a proxy.
 */
export function proxySettings(configured: string | false | undefined, env: ProxyEnv): ProxySettings | undefined {
  if (configured === false) return undefined;
  const noProxyValue = firstSet(env, ['no_proxy', 'NO_PROXY'])?.value ?? '';
  let http: string | undefined;
  let https: string | undefined;
  if (configured !== undefined) {
    http = https = proxyUrl(configured, 'proxy');
  } else {
    const httpVar = firstSet(env, ['http_proxy', 'HTTP_PROXY']);
    const httpsVar = firstSet(env, ['https_proxy', 'HTTPS_PROXY']);
    http = httpVar === undefined || httpVar.value === '' ? undefined : proxyUrl(httpVar.value, httpVar.name);
    https = httpsVar === undefined || httpsVar.value === '' ? http : proxyUrl(httpsVar.value, httpsVar.name);
  }
  if (http === undefined && https === undefined) return undefined;
  return {
    ...(http === undefined ? {} : { http }),
    ...(https === undefined ? {} : { https }),
    bypassAll: noProxyValue.trim() === '*',
    noProxy: parseNoProxy(noProxyValue),
  };
}

const defaultPorts: Readonly<Record<string, number>> = { 'http:': 80, 'https:': 443 };

/** `localhost`, its subdomains and loopback addresses: this machine, never behind a proxy (as in Chromium's implicit bypass rules). */
function isThisMachine(hostname: string): boolean {
  const name = hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost') || name === '::1' || /^127\.\d+\.\d+\.\d+$/.test(name);
}

/**
 * The proxy a URL goes through, or undefined when it is fetched directly: no proxy for its
 * scheme, a `NO_PROXY` match (the name or a subdomain, and the port when the entry gives one), or
 * this machine itself.
 */
export function proxyFor(settings: ProxySettings | undefined, url: URL): string | undefined {
  if (settings === undefined || settings.bypassAll) return undefined;
  const proxy = url.protocol === 'https:' ? settings.https : url.protocol === 'http:' ? settings.http : undefined;
  if (proxy === undefined) return undefined;
  const hostname = url.hostname.toLowerCase();
  if (isThisMachine(hostname)) return undefined;
  const port = url.port === '' ? (defaultPorts[url.protocol] ?? 0) : Number(url.port);
  const bypassed = settings.noProxy.some(
    (entry) =>
      (entry.port === undefined || entry.port === port) &&
      (hostname === entry.hostname || hostname.endsWith(`.${entry.hostname}`)),
  );
  return bypassed ? undefined : proxy;
}

/** What the proxy dispatcher needs besides the settings. */
export interface ProxyDispatcherOptions {
  readonly settings: ProxySettings;
  /** Where requests that bypass the proxy go: the guarded agent. */
  readonly direct: Agent;
  readonly allowPrivate: boolean;
  readonly isPrivate: IsPrivate;
  /** Options for each `ProxyAgent` (timeouts, TLS). */
  readonly agentOptions: Omit<ProxyAgent.Options, 'uri'>;
}

/**
 * Sends each request straight out or through its proxy, one `ProxyAgent` per proxy URL. A target
 * the guard would refuse (see the module comment) is refused before anything is sent.
 */
export class ProxyDispatcher extends Dispatcher {
  readonly #options: ProxyDispatcherOptions;
  readonly #agents = new Map<string, ProxyAgent>();

  constructor(options: ProxyDispatcherOptions) {
    super();
    this.#options = options;
  }

  /** The proxy a URL goes through, or undefined when it is fetched directly. */
  proxyFor(url: URL): string | undefined {
    return proxyFor(this.#options.settings, url);
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const url = new URL(String(options.origin));
    const proxy = this.proxyFor(url);
    if (proxy === undefined) return this.#options.direct.dispatch(options, handler);
    const hostname = url.hostname.replace(/^\[|\]$/g, '');
    const guarded = isIpHostname(hostname) ? this.#options.isPrivate(hostname) : isLocalName(hostname);
    if (!this.#options.allowPrivate && guarded) throw new PrivateAddressError(hostname, hostname);
    let agent = this.#agents.get(proxy);
    if (agent === undefined) {
      agent = new ProxyAgent({ ...this.#options.agentOptions, uri: proxy });
      this.#agents.set(proxy, agent);
    }
    return agent.dispatch(options, handler);
  }

  override async close(): Promise<void> {
    await Promise.all([this.#options.direct.close(), ...[...this.#agents.values()].map((agent) => agent.close())]);
  }

  override async destroy(): Promise<void> {
    await Promise.all([this.#options.direct.destroy(), ...[...this.#agents.values()].map((agent) => agent.destroy())]);
  }
}
