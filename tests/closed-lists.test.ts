import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCache } from '../src/net/index.js';
import { fragmentUnverifiableReasons, netErrorKinds, responseUnverifiableReasons, type UrlResult } from '../src/types.js';

/** Writes results to a real cache file and reads them back through a second cache. */
async function roundTrip(results: UrlResult[]): Promise<(UrlResult | undefined)[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'waymark-lists-'));
  try {
    const file = path.join(dir, '.waymark', 'cache.json');
    const first = await openCache({ path: file, maxAge: 86_400 });
    for (const result of results) first.set(result);
    await first.save();
    const second = await openCache({ path: file, maxAge: 86_400 });
    return results.map((result) => second.get(result.url, [...result.fragments.keys()]));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const base = { fragments: new Map(), durationMs: 5, requests: 1, cached: false } as const;

describe('closed lists have one source of truth', () => {
  it('the result cache keeps every network error kind (a new kind never discards the cache)', async () => {
    const errors: UrlResult[] = netErrorKinds.map((kind) => ({
      ...base,
      url: `https://err-${kind}.test/`,
      status: { kind: 'net-error', error: { kind, message: kind }, redirects: [] },
    }));
    const back = await roundTrip(errors);
    expect(back.map((result) => (result?.status.kind === 'net-error' ? result.status.error.kind : undefined))).toEqual([...netErrorKinds]);
  });

  it('the result cache keeps every response-unverifiable reason and every fragment reason', async () => {
    const results: UrlResult[] = responseUnverifiableReasons.map((reason) => ({
      ...base,
      url: `https://${reason}.test/`,
      status: { kind: 'unverifiable', reason },
    }));
    const pages: UrlResult[] = fragmentUnverifiableReasons.map((reason) => ({
      ...base,
      url: `https://page-${reason}.test/`,
      status: { kind: 'ok', status: 200, redirects: [] },
      fragments: new Map([['x', { kind: 'unverifiable', reason }]]),
    }));
    const back = await roundTrip([...results, ...pages]);
    expect(back.slice(0, results.length).map((result) => (result?.status.kind === 'unverifiable' ? result.status.reason : undefined))).toEqual([
      ...responseUnverifiableReasons,
    ]);
    expect(back.slice(results.length).map((result) => {
      const fragment = result?.fragments.get('x');
      return fragment?.kind === 'unverifiable' ? fragment.reason : undefined;
    })).toEqual([...fragmentUnverifiableReasons]);
  });
});
