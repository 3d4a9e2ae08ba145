/**
 * Requests to a provider's API through the run's one dispatcher and scheduler, keyed by the API's
 * `host` (so the API gets its own limit, apart from the pages it speaks for). A JSON answer is
 * read whole, up to a cap, and decompressed; lost connections and 5xx are retried with backoff;
 * 429, and a 403 that says when to come back (`retry-after`, or `x-ratelimit-remaining: 0` with
 * `x-ratelimit-reset`), are waited out within the run's wait cap. Anything else is the caller's
 * to judge.
 */
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { header, type ResponseHeaders } from '../client.js';
import { BodyTooLargeError, classify, isRetryable, proxyFailure, TotalTimeoutError } from '../errors.js';
import type { ProbeContext } from '../probe.js';
import { ProxyDispatcher } from '../proxy.js';
import { backoff, parseRetryAfter } from '../retry.js';
import type { NetError } from '../../types.js';

/** One request to an API. */
export interface ApiRequest {
  readonly url: URL;
  readonly method: 'GET' | 'HEAD' | 'POST';
  /** Added to `user-agent` and `accept-encoding`; names in lower case. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** An API's answer, its body as text. */
export interface ApiResponse {
  readonly status: number;
  readonly headers: ResponseHeaders;
  readonly text: string;
}

/** What sending gave: the last answer or the failure, and how many requests it took. */
export type ApiOutcome =
  | { readonly kind: 'response'; readonly response: ApiResponse; readonly requests: number }
  | { readonly kind: 'error'; readonly error: NetError; readonly requests: number };

/** Sends one API request (with its retries and waits). */
export type SendApi = (request: ApiRequest) => Promise<ApiOutcome>;

/** The most body bytes read from an API answer, before and after decompression. */
const maxBodyBytes = 8 * 1024 * 1024;

/**
 * How long an answer asks to wait before asking again: `retry-after`, else the rate-limit reset
 * of a 403/429 that says none are left, else a backoff for a bare 429; undefined when it does not ask.
 */
export function rateLimitWait(status: number, headers: ResponseHeaders, now: number, fallback: number): number | undefined {
  if (status !== 429 && status !== 403) return undefined;
  const asked = parseRetryAfter(header(headers, 'retry-after'), now);
  if (asked !== undefined) return asked;
  const reset = resetWait(headers, now);
  if (reset !== undefined) return reset;
  return status === 429 ? fallback : undefined;
}

/** Milliseconds until `x-ratelimit-reset` (epoch seconds) when `x-ratelimit-remaining` is 0. */
export function resetWait(headers: ResponseHeaders, now: number): number | undefined {
  if (header(headers, 'x-ratelimit-remaining')?.trim() !== '0') return undefined;
  const reset = Number(header(headers, 'x-ratelimit-reset'));
  return Number.isFinite(reset) && reset > 0 ? Math.max(0, reset * 1000 - now) : undefined;
}

/** Creates the sender bound to a run's context. */
export function createApiSender(context: ProbeContext): SendApi {
  return async (request) => {
    let requests = 0;
    let retries = 0;
    let waited = 0;
    let rateLimits = 0;
    for (;;) {
      requests += 1;
      const attempt = await context.scheduler.run(
        request.url.host,
        async (feedback) => {
          const outcome = await sendOnce(request, context, feedback.answered);
          if (outcome.kind === 'response') {
            const wait = rateLimitWait(outcome.response.status, outcome.response.headers, context.now(), 0);
            if (wait === undefined) feedback.succeeded();
            else feedback.rateLimited();
          }
          return outcome;
        },
        requests > 1,
      );
      const last: ApiOutcome =
        attempt.kind === 'error' ? { kind: 'error', error: attempt.error, requests } : { kind: 'response', response: attempt.response, requests };
      if (attempt.kind === 'error') {
        if (!isRetryable(attempt.error) || retries >= context.config.retries) return last;
        retries += 1;
        const pause = backoff(retries, context.retryBase, context.random);
        if (waited + pause > context.retryAfterCap) return last;
        waited += pause;
        await context.delay(pause);
        continue;
      }
      const { status, headers } = attempt.response;
      const fallback = backoff(rateLimits + 1, context.retryBase, context.random);
      const wait = rateLimitWait(status, headers, context.now(), fallback);
      if (wait !== undefined) {
        if (rateLimits >= context.rateLimitRetries || waited + wait > context.retryAfterCap) return last;
        rateLimits += 1;
        waited += wait;
        await context.delay(wait);
        continue;
      }
      if (status >= 500 && retries < context.config.retries) {
        retries += 1;
        const pause = backoff(retries, context.retryBase, context.random);
        if (waited + pause <= context.retryAfterCap) {
          waited += pause;
          await context.delay(pause);
          continue;
        }
      }
      return last;
    }
  };
}

type Attempt = { readonly kind: 'response'; readonly response: ApiResponse } | { readonly kind: 'error'; readonly error: NetError };

async function sendOnce(request: ApiRequest, context: ProbeContext, onHeaders: () => void): Promise<Attempt> {
  const started = context.now();
  const { url, method } = request;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new TotalTimeoutError(context.config.timeout)), context.config.timeout);
  const proxy = context.dispatcher instanceof ProxyDispatcher ? context.dispatcher.proxyFor(url) : undefined;
  try {
    let response;
    try {
      response = await context.dispatcher.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method,
        headers: { 'user-agent': context.userAgent, 'accept-encoding': 'gzip, br', ...request.headers },
        ...(request.body === undefined ? {} : { body: request.body }),
        signal: controller.signal,
      });
    } catch (error) {
      throw proxy === undefined ? error : proxyFailure(error, proxy);
    }
    onHeaders();
    const { statusCode: status, headers } = response;
    const text = method === 'HEAD' ? '' : await readText(response.body, header(headers, 'content-encoding'));
    if (method === 'HEAD') await response.body.dump();
    context.onRequest?.({ method, url: url.href, status, durationMs: context.now() - started });
    return { kind: 'response', response: { status, headers, text } };
  } catch (error) {
    const classified = classify(error);
    context.onRequest?.({ method, url: url.href, error: classified, durationMs: context.now() - started });
    return { kind: 'error', error: classified };
  } finally {
    clearTimeout(timer);
  }
}

/** Reads a whole body (at most {@link maxBodyBytes}) and decodes it as UTF-8. */
async function readText(body: AsyncIterable<Uint8Array>, encoding: string | undefined): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > maxBodyBytes) throw new BodyTooLargeError(maxBodyBytes);
    chunks.push(Buffer.from(chunk));
  }
  const raw = Buffer.concat(chunks);
  const options = { maxOutputLength: maxBodyBytes };
  switch (encoding?.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return gunzipSync(raw, options).toString('utf8');
    case 'br':
      return brotliDecompressSync(raw, options).toString('utf8');
    case 'deflate':
      return inflateSync(raw, options).toString('utf8');
    default:
      return raw.toString('utf8');
  }
}

/** Parses a JSON answer; undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Whether a value is a plain object (from parsed JSON). */
export function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
