import { describe, expect, it } from 'vitest';
import { twinKey, urlKey } from '../src/plan/url-key.js';
import { secureTwin } from '../src/resolve/external.js';

const ok = (url: string) => ({ url, status: { kind: 'ok', status: 200, redirects: [] }, fragments: new Map(), durationMs: 1, requests: 1, cached: false }) as const;

describe('the https:// twin of an http:// URL', () => {
  it('is derived one way, so the key the engine checks is the key the rules look up, also with :443 and :80', () => {
    for (const url of ['http://example.test/a', 'http://example.test:443/a', 'http://example.test:80/a?q=1', 'http://EXAMPLE.test:8080/a#frag']) {
      const { key } = urlKey(url);
      expect(secureTwin(ok(key)), url).toBe(twinKey(key));
    }
    expect(twinKey('http://example.test:443/a')).toBe('https://example.test/a');
    expect(twinKey('http://example.test:80/a')).toBe('https://example.test/a');
    expect(twinKey('http://example.test:8080/a')).toBe('https://example.test:8080/a');
    expect(twinKey('https://example.test/a')).toBeUndefined();
    expect(twinKey('not a url')).toBeUndefined();
  });
});
