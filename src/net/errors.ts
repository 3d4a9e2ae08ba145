/**
 * The one place that reads `error.code`: maps undici and Node errors onto the closed
 * {@link NetErrorKind} union, each kind with a short message and a hint.
 */
import type { NetError, NetErrorKind } from '../types.js';

/** Raised when a whole request (body included) takes longer than the configured total timeout. */
export class TotalTimeoutError extends Error {
  override readonly name = 'TotalTimeoutError';

  /** Creates the error for a limit of `ms` milliseconds. */
  constructor(readonly ms: number) {
    super(`Request took longer than ${ms} ms`);
  }
}

/** Raised when a response body exceeds the number of bytes Waymark reads. */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';

  /** Creates the error for a cap of `limit` bytes. */
  constructor(readonly limit: number) {
    super(`Response body exceeds ${limit} bytes`);
  }
}

/**
 * Raised for a request sent through a proxy when the proxy could not be reached (`status`
 * undefined) or answered the tunnel request with something other than 200 (`status`).
 */
export class ProxyError extends Error {
  override readonly name = 'ProxyError';

  /** Creates the error for `proxy` (a URL), with the status it answered, if it answered. */
  constructor(
    readonly proxy: string,
    readonly status?: number,
    options?: ErrorOptions,
  ) {
    super(status === undefined ? `Cannot reach the proxy ${proxy}` : `The proxy ${proxy} answered ${status}`, options);
  }
}

/** Codes that, through a proxy, can only mean the proxy itself was not reached: the target's name is never resolved here. */
const proxyConnectCodes = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EAI_NONAME',
  'EAI_NODATA',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENETDOWN',
  'EHOSTDOWN',
]);

/**
 * What a failed request through `proxy` means: a {@link ProxyError} when the proxy was not
 * reached or refused the tunnel (undici says `Proxy response (502) !== 200 when HTTP Tunneling`),
 * else the error unchanged (a reset, a timeout, TLS with the target).
 */
export function proxyFailure(error: unknown, proxy: string): unknown {
  for (const candidate of related(error)) {
    const message = candidate instanceof Error ? candidate.message : '';
    const tunnel = /^Proxy response \((\d{3})\) !== 200/.exec(message);
    if (tunnel?.[1] !== undefined) return new ProxyError(proxy, Number(tunnel[1]), { cause: error });
    const code = codeOf(candidate);
    if (code !== undefined && proxyConnectCodes.has(code)) return new ProxyError(proxy, undefined, { cause: error });
  }
  return error;
}

const texts: Readonly<Record<NetErrorKind, { readonly message: string; readonly hint?: string }>> = {
  dns: { message: 'Cannot resolve the host name', hint: 'check the domain for typos; the site may be gone' },
  refused: { message: 'Connection refused', hint: 'nothing listens on that host and port' },
  reset: { message: 'Connection reset by the server' },
  'connect-timeout': { message: 'Cannot connect in time', hint: 'raise `connectTimeout` if the host is slow' },
  'response-timeout': {
    message: 'Cannot get a complete response in time',
    hint: 'raise `headersTimeout` or `timeout` if the site is slow',
  },
  tls: { message: 'Cannot establish a trusted TLS connection', hint: 'use `--insecure` to accept the certificate' },
  'redirect-loop': { message: 'Redirect loop' },
  'too-many-redirects': { message: 'Too many redirects', hint: 'raise `maxRedirects` if the chain is intended' },
  'body-too-large': { message: 'Response body too large' },
  'proxy-unreachable': {
    message: 'Cannot reach the proxy',
    hint: 'check `HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY` and the `proxy` setting',
  },
  'proxy-refused': {
    message: 'The proxy could not connect to the host',
    hint: 'the host may be gone, or the proxy may not allow it',
  },
  unknown: { message: 'Request failed' },
};

/** Builds a {@link NetError} of the given kind with its standard message and hint. */
export function netError(kind: NetErrorKind, code?: string, detail?: string): NetError {
  const text = texts[kind];
  const message = detail === undefined ? text.message : `${text.message}: ${detail}`;
  return {
    kind,
    ...(code === undefined ? {} : { code }),
    message,
    ...(text.hint === undefined ? {} : { hint: text.hint }),
  };
}

const exactCodes: Readonly<Record<string, NetErrorKind>> = {
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  EAI_FAIL: 'dns',
  EAI_NONAME: 'dns',
  EAI_NODATA: 'dns',
  ECONNREFUSED: 'refused',
  ECONNRESET: 'reset',
  ECONNABORTED: 'reset',
  EPIPE: 'reset',
  UND_ERR_SOCKET: 'reset',
  UND_ERR_CLOSED: 'reset',
  ETIMEDOUT: 'connect-timeout',
  UND_ERR_CONNECT_TIMEOUT: 'connect-timeout',
  ENETUNREACH: 'connect-timeout',
  EHOSTUNREACH: 'connect-timeout',
  ENETDOWN: 'connect-timeout',
  EHOSTDOWN: 'connect-timeout',
  UND_ERR_HEADERS_TIMEOUT: 'response-timeout',
  UND_ERR_BODY_TIMEOUT: 'response-timeout',
  UND_ERR_RES_EXCEEDED_MAX_SIZE: 'body-too-large',
  EPROTO: 'tls',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'tls',
  SELF_SIGNED_CERT_IN_CHAIN: 'tls',
  CERT_HAS_EXPIRED: 'tls',
  CERT_NOT_YET_VALID: 'tls',
  CERT_REVOKED: 'tls',
  HOSTNAME_MISMATCH: 'tls',
};

const tlsPrefixes = ['ERR_TLS_', 'ERR_SSL_', 'ERR_OSSL_', 'UNABLE_TO_', 'CERT_'];

/** Codes meaning the machine has no route to the network at all (used by offline detection). */
const proxyUnreachableCode = 'WAYMARK_PROXY_UNREACHABLE';

/** Codes meaning the machine has no route to the network at all (used by offline detection); through a proxy, an unreachable proxy. */
const unreachableCodes = new Set(['ENETUNREACH', 'ENETDOWN', 'EHOSTUNREACH', 'EAI_AGAIN', proxyUnreachableCode]);

function kindOfCode(code: string): NetErrorKind | undefined {
  return exactCodes[code] ?? (tlsPrefixes.some((prefix) => code.startsWith(prefix)) ? 'tls' : undefined);
}

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

/** The error itself, then its `cause` chain and the members of an `AggregateError`, breadth first. */
function* related(error: unknown): Generator<unknown> {
  const queue: unknown[] = [error];
  for (let index = 0; index < queue.length && index < 16; index += 1) {
    const current = queue[index];
    yield current;
    if (current instanceof AggregateError) queue.push(...(current.errors as unknown[]));
    if (current instanceof Error && current.cause !== undefined) queue.push(current.cause);
  }
}

/** Maps any thrown value from a request onto a {@link NetError}; unrecognised errors become `unknown`. */
export function classify(error: unknown): NetError {
  for (const candidate of related(error)) {
    if (candidate instanceof TotalTimeoutError) return netError('response-timeout', 'WAYMARK_TOTAL_TIMEOUT');
    if (candidate instanceof BodyTooLargeError) return netError('body-too-large', 'WAYMARK_BODY_TOO_LARGE');
    if (candidate instanceof ProxyError) {
      return candidate.status === undefined
        ? netError('proxy-unreachable', proxyUnreachableCode, candidate.proxy)
        : netError('proxy-refused', `WAYMARK_PROXY_${candidate.status}`, `it answered ${candidate.status}`);
    }
    const code = codeOf(candidate);
    const kind = code === undefined ? undefined : kindOfCode(code);
    if (kind !== undefined) return netError(kind, code);
  }
  const code = codeOf(error);
  const detail = error instanceof Error ? error.message : String(error);
  return netError('unknown', code, detail);
}

/**
 * True when a failure is worth another attempt: a lost connection, not a definite answer.
 *
 * Timeouts are final: the configured timeout already said how long a server may take, and
 * waiting for it two more times would triple the slowest URL's share of the run.
 */
export function isRetryable(error: NetError): boolean {
  switch (error.kind) {
    case 'reset':
    case 'refused':
    case 'unknown':
      return true;
    case 'dns':
      return error.code === 'EAI_AGAIN';
    case 'connect-timeout':
    case 'response-timeout':
    case 'tls':
    case 'redirect-loop':
    case 'too-many-redirects':
    case 'body-too-large':
    case 'proxy-unreachable':
    case 'proxy-refused':
      return false;
  }
}

/** True when a failure suggests the machine cannot reach any network (no route, no resolver). */
export function isUnreachable(error: NetError): boolean {
  return error.code !== undefined && unreachableCodes.has(error.code);
}

/** True when a DNS failure is a plain "no such host" answer rather than a missing resolver. */
export function isDnsFailure(error: unknown): boolean {
  return classify(error).kind === 'dns';
}
