/**
 * The HTTP client: one undici `Agent` with the address guard as its connector, and a single
 * request (`exchange`) bounded by a total timeout that also covers reading the body.
 */
import { pipeline, type Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { Agent, type Dispatcher } from 'undici';
import { proxyFailure, TotalTimeoutError } from './errors.js';
import { createGuardedConnector } from './guard.js';
import { ProxyDispatcher, type ProxySettings } from './proxy.js';
import type { IsPrivate, Lookup, NetConfig } from './types.js';

/** The repository Waymark names in its `User-Agent`. */
/**
 * The `User-Agent` Waymark sends: `waymark/<version> (markdown link checker)`, with
 * `; +<homepage>` when the package names a home page for site owners to look up.
 */
export function defaultUserAgent(version: string, homepage?: string): string {
  return `waymark/${version} (markdown link checker${homepage === undefined ? '' : `; +${homepage}`})`;
}

/** What the shared agent needs. */
export interface AgentOptions {
  readonly config: NetConfig;
  readonly lookup: Lookup;
  readonly isPrivate: IsPrivate;
  /** Where requests go through a proxy, if anywhere. */
  readonly proxy?: ProxySettings;
}

/**
 * Creates the one dispatcher every request goes through: an undici `Agent` with the address
 * guard installed, behind a {@link ProxyDispatcher} when some URLs go through a proxy.
 */
export function createAgent({ config, lookup, isPrivate, proxy }: AgentOptions): Dispatcher {
  const timeouts = {
    headersTimeout: config.headersTimeout,
    // Resets on every chunk; the total timeout in `exchange` bounds a body that drips forever.
    bodyTimeout: config.timeout,
    keepAliveTimeout: 4_000,
  };
  const direct = new Agent({
    connect: createGuardedConnector({
      connectTimeout: config.connectTimeout,
      insecure: config.insecure,
      allowPrivate: config.allowPrivate,
      lookup,
      isPrivate,
    }),
    ...timeouts,
  });
  if (proxy === undefined) return direct;
  return new ProxyDispatcher({
    settings: proxy,
    direct,
    allowPrivate: config.allowPrivate,
    isPrivate,
    agentOptions: {
      ...timeouts,
      proxyTls: { timeout: config.connectTimeout },
      requestTls: { timeout: config.connectTimeout, rejectUnauthorized: !config.insecure },
    },
  });
}

/** Response headers as undici gives them. */
export type ResponseHeaders = Readonly<Record<string, string | string[] | undefined>>;

/** Reads a (decompressed) response body; may stop early, after which the body is discarded. */
export type BodyReader<T> = (body: AsyncIterable<Uint8Array>, headers: ResponseHeaders) => Promise<T>;

/** One request to send. */
export interface ExchangeRequest {
  readonly url: URL;
  readonly method: 'HEAD' | 'GET';
  readonly userAgent: string;
  /** Milliseconds the whole exchange may take, body included. */
  readonly timeout: number;
  /** Called as soon as the response headers arrive, before any body is read. */
  readonly onHeaders?: () => void;
}

/** A response: its status and headers, and what the body reader made of the body. */
export interface Exchange<T> {
  readonly status: number;
  readonly headers: ResponseHeaders;
  readonly body?: T;
}

/** Bodies no longer than this are read to the end, so the connection can be reused. */
const drainLimit = 64 * 1024;

/** Returns the first value of a header, if present. */
export function header(headers: ResponseHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function decoded(body: Readable, encoding: string | undefined): Readable {
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? createGunzip()
      : encoding === 'br'
        ? createBrotliDecompress()
        : encoding === 'deflate'
          ? createInflate()
          : undefined;
  if (decoder === undefined) return body;
  // Errors reach the reader through the decoder; the callback only keeps `pipeline` from throwing.
  return pipeline(body, decoder, () => undefined);
}

/** Destroys a stream whose remaining data is not wanted; the resulting abort error is expected. */
function quietDestroy(stream: Readable): void {
  stream.on('error', () => undefined);
  stream.destroy();
}

async function discard(body: Readable, headers: ResponseHeaders): Promise<void> {
  const length = Number(header(headers, 'content-length'));
  if (Number.isFinite(length) && length <= drainLimit) {
    try {
      for await (const chunk of body) void chunk;
      return;
    } catch {
      // The status is known; a body that fails to arrive does not change it.
    }
  }
  quietDestroy(body);
}

/** Sends a request; through a proxy, a failure to reach it or to tunnel through it says so. */
async function send(dispatcher: Dispatcher, options: Dispatcher.RequestOptions, proxy: string | undefined) {
  try {
    return await dispatcher.request(options);
  } catch (error) {
    throw proxy === undefined ? error : proxyFailure(error, proxy);
  }
}

/**
 * Sends one request without following redirects. With `readBody`, a successful GET's body is
 * handed to it (decompressed), and with `readFailure` a failed (4xx, 5xx) GET's; otherwise the body
 * is dropped. Rejects with the raw error; callers classify it.
 */
export async function exchange<T>(
  dispatcher: Dispatcher,
  request: ExchangeRequest,
  readBody?: BodyReader<T>,
  readFailure?: BodyReader<T>,
): Promise<Exchange<T>> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new TotalTimeoutError(request.timeout)), request.timeout);
  const proxy = dispatcher instanceof ProxyDispatcher ? dispatcher.proxyFor(request.url) : undefined;
  try {
    const response = await send(dispatcher, {
      origin: request.url.origin,
      path: `${request.url.pathname}${request.url.search}`,
      method: request.method,
      headers: {
        'user-agent': request.userAgent,
        accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8',
        'accept-encoding': 'gzip, br',
      },
      signal: controller.signal,
    }, proxy);
    request.onHeaders?.();
    const { statusCode: status, headers } = response;
    const reader = status >= 200 && status < 300 ? readBody : status >= 400 ? readFailure : undefined;
    if (reader === undefined || request.method !== 'GET') {
      await discard(response.body, headers);
      return { status, headers };
    }
    const stream = decoded(response.body, header(headers, 'content-encoding')?.trim().toLowerCase());
    try {
      return { status, headers, body: await reader(stream, headers) };
    } finally {
      quietDestroy(stream);
      quietDestroy(response.body);
    }
  } finally {
    clearTimeout(timer);
  }
}
