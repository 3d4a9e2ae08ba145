import { describe, expect, it } from 'vitest';
import { classify, urlKey } from '../src/net/index.js';
import { BodyTooLargeError, TotalTimeoutError, isRetryable } from '../src/net/errors.js';
import { createPageReader, matchFragment } from '../src/net/fragments.js';
import { backoff, parseRetryAfter } from '../src/net/retry.js';

function coded(code: string): Error {
  return Object.assign(new Error(code), { code });
}

async function* chunks(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield new TextEncoder().encode(part);
}

describe('classify', () => {
  it.each([
    ['ENOTFOUND', 'dns'],
    ['EAI_AGAIN', 'dns'],
    ['ECONNREFUSED', 'refused'],
    ['ECONNRESET', 'reset'],
    ['UND_ERR_SOCKET', 'reset'],
    ['UND_ERR_CONNECT_TIMEOUT', 'connect-timeout'],
    ['ETIMEDOUT', 'connect-timeout'],
    ['UND_ERR_HEADERS_TIMEOUT', 'response-timeout'],
    ['UND_ERR_BODY_TIMEOUT', 'response-timeout'],
    ['CERT_HAS_EXPIRED', 'tls'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'tls'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'tls'],
    ['UND_ERR_RES_EXCEEDED_MAX_SIZE', 'body-too-large'],
    ['EWHATEVER', 'unknown'],
  ])('maps %s to %s', (code, kind) => {
    const error = classify(coded(code));
    expect(error.kind).toBe(kind);
    expect(error.code).toBe(code);
    expect(error.message).not.toBe('');
  });

  it('looks through causes and aggregate errors', () => {
    expect(classify(new Error('fetch failed', { cause: coded('ECONNREFUSED') })).kind).toBe('refused');
    expect(classify(new AggregateError([coded('ETIMEDOUT'), coded('ETIMEDOUT')])).kind).toBe('connect-timeout');
  });

  it('maps its own timeout and size errors', () => {
    expect(classify(new TotalTimeoutError(1000)).kind).toBe('response-timeout');
    expect(classify(new BodyTooLargeError(10)).kind).toBe('body-too-large');
  });

  it('keeps the text of an unknown error and of non-errors', () => {
    expect(classify(new Error('boom'))).toEqual({ kind: 'unknown', message: 'Request failed: boom' });
    expect(classify('weird').kind).toBe('unknown');
  });

  it('gives a hint apart from the message', () => {
    const error = classify(coded('CERT_HAS_EXPIRED'));
    expect(error.hint).toContain('--insecure');
    expect(error.message).not.toContain('--insecure');
  });

  it('retries lost connections but not definite answers', () => {
    expect(isRetryable(classify(coded('ECONNRESET')))).toBe(true);
    expect(isRetryable(classify(coded('EAI_AGAIN')))).toBe(true);
    expect(isRetryable(classify(coded('ENOTFOUND')))).toBe(false);
    expect(isRetryable(classify(coded('CERT_HAS_EXPIRED')))).toBe(false);
  });
});

describe('Retry-After and backoff', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.UTC(2030, 0, 1, 0, 0, 0);
    expect(parseRetryAfter('7', now)).toBe(7_000);
    expect(parseRetryAfter('Tue, 01 Jan 2030 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Mon, 31 Dec 2029 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('doubles the wait per attempt within the jitter range', () => {
    expect(backoff(1, 100, () => 0)).toBe(50);
    expect(backoff(3, 100, () => 0.5)).toBe(400);
    expect(backoff(3, 100, () => 0.999)).toBeLessThanOrEqual(600);
  });
});

describe('urlKey', () => {
  it('normalises the URL and splits off the fragment as written', () => {
    expect(urlKey('HTTPS://Example.TEST:443/a/../b?q=1#Sec%20tion')).toMatchObject({
      key: 'https://example.test/b?q=1',
      fragment: 'Sec%20tion',
    });
    expect(urlKey('https://user:pw@example.test/').key).toBe('https://example.test/');
    expect(urlKey('https://example.test/').fragment).toBeUndefined();
    expect(urlKey('not a url#x')).toEqual({ key: 'not a url', fragment: 'x' });
  });
});

describe('fragments', () => {
  const html = { 'content-type': 'text/html' };
  const page = (...parts: string[]) => createPageReader(['x'], 1024 * 1024)(chunks(...parts), html);
  const url = new URL('https://example.test/page');

  it('finds ids and <a name> anchors split across chunks', async () => {
    const scan = await page('<h2 i', 'd="first">A</h2><a name="second"></a><p>text</p>');
    expect(matchFragment('first', scan, url)).toEqual({ kind: 'found' });
    expect(matchFragment('second', scan, url)).toEqual({ kind: 'found' });
    expect(matchFragment('third', scan, url)).toEqual({ kind: 'missing' });
  });

  it('matches GitHub user-content- ids and percent-encoded fragments', async () => {
    const scan = await page('<h2 id="user-content-caf\u00e9">Caf\u00e9</h2>');
    expect(matchFragment('caf%C3%A9', scan, url)).toEqual({ kind: 'found' });
  });

  it('checks text fragments against the visible text only', async () => {
    const filler = '<p>A paragraph long enough to count as real content for the page.</p>'.repeat(4);
    const scan = await page(`<script>var hidden = "secret words"</script><p>The quick   brown fox jumps</p>${filler}`);
    expect(matchFragment(':~:text=quick%20brown', scan, url)).toEqual({ kind: 'found' });
    expect(matchFragment(':~:text=the-,quick,jumps', scan, url)).toEqual({ kind: 'found' });
    expect(matchFragment(':~:text=jumps,quick', scan, url)).toEqual({ kind: 'missing' });
    expect(matchFragment(':~:text=secret', scan, url)).toEqual({ kind: 'missing' });
  });

  it('calls a script-only page client-rendered instead of missing', async () => {
    const scan = await page('<div id="root"></div><script src="app.js"></script>');
    expect(matchFragment('section', scan, url)).toEqual({ kind: 'unverifiable', reason: 'client-rendered' });
  });

  it('skips fragments on non-HTML responses', async () => {
    const reader = createPageReader(['x'], 1024);
    const scan = await reader(chunks('{"id":"x"}'), { 'content-type': 'application/json' });
    expect(matchFragment('x', scan, url)).toEqual({ kind: 'unverifiable', reason: 'not-html' });
  });

  it('stops at the byte cap and then cannot tell', async () => {
    const reader = createPageReader(['late'], 16);
    const scan = await reader(chunks('<p>0123456789abcdef</p>', '<h2 id="late">L</h2>'), html);
    expect(scan.isTruncated).toBe(true);
    expect(matchFragment('late', scan, url)).toEqual({ kind: 'unverifiable', reason: 'too-large' });
  });

  it('accepts GitHub line anchors without looking', async () => {
    const scan = await page('<p>code</p>');
    expect(matchFragment('L10-L20', scan, new URL('https://github.com/o/r/blob/main/a.ts'))).toEqual({ kind: 'found' });
  });
});
