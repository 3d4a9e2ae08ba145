import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { issueBody, maxBodyLength } from '../src/rot/body.js';
import { emptyLedger, mergeRun, type Observation } from '../src/rot/ledger.js';
import { readLedger, writeLedger } from '../src/rot/store.js';

const at = [{ file: 'README.md', line: 3 }];
const seen = (url: string, outcome: Observation['outcome'], reason = outcome === 'ok' ? 'HTTP 200' : 'HTTP 404'): Observation => ({
  url,
  outcome,
  reason,
  linkedAt: at,
});
const day = (n: number): string => new Date(Date.UTC(2026, 10, n)).toISOString();

describe('mergeRun', () => {
  it('calls a URL rotten only after rotAfter failures in a row, and fixed the first run it passes', () => {
    const one = mergeRun(emptyLedger, [seen('https://a.test/', 'failed')], { date: day(1), rotAfter: 2 });
    expect(one.watching.map((entry) => entry.url)).toEqual(['https://a.test/']);
    expect(one.newlyRotten).toEqual([]);
    const two = mergeRun(one.ledger, [seen('https://a.test/', 'failed')], { date: day(8), rotAfter: 2 });
    expect(two.newlyRotten.map((entry) => [entry.url, entry.firstFailed, entry.consecutiveFailures])).toEqual([['https://a.test/', day(1), 2]]);
    const three = mergeRun(two.ledger, [seen('https://a.test/', 'failed')], { date: day(15), rotAfter: 2 });
    expect(three.stillRotten.map((entry) => entry.url)).toEqual(['https://a.test/']);
    expect(three.newlyRotten).toEqual([]);
    const four = mergeRun(three.ledger, [seen('https://a.test/', 'ok')], { date: day(22), rotAfter: 2 });
    expect(four.fixed.map((entry) => [entry.url, entry.lastSuccess, entry.firstFailed])).toEqual([['https://a.test/', day(22), undefined]]);
    expect(four.ledger.urls['https://a.test/']?.history).toEqual(['failed', 'failed', 'failed', 'ok']);
  });

  it('resets the count when a failure is interrupted, never counts unverifiable runs as rot, and drops unlinked URLs', () => {
    let state = mergeRun(emptyLedger, [seen('https://a.test/', 'failed'), seen('https://b.test/', 'unverifiable', 'needs a login')], { date: day(1), rotAfter: 2 });
    state = mergeRun(state.ledger, [seen('https://a.test/', 'ok'), seen('https://b.test/', 'unverifiable', 'needs a login')], { date: day(2), rotAfter: 2 });
    state = mergeRun(state.ledger, [seen('https://a.test/', 'failed'), seen('https://b.test/', 'unverifiable', 'needs a login')], { date: day(3), rotAfter: 2 });
    expect(state.watching.map((entry) => [entry.url, entry.consecutiveFailures, entry.firstFailed])).toEqual([['https://a.test/', 1, day(3)]]);
    expect(state.unverifiable.map((entry) => [entry.url, entry.unverifiableRuns])).toEqual([['https://b.test/', 3]]);
    const gone = mergeRun(state.ledger, [], { date: day(4), rotAfter: 2 });
    expect(Object.keys(gone.ledger.urls)).toEqual([]);
    const kept = mergeRun(state.ledger, [], { date: day(4), rotAfter: 2, keep: new Set(['https://a.test/']) });
    expect(kept.ledger.urls['https://a.test/']).toEqual(state.ledger.urls['https://a.test/']);
  });
});

describe('the ledger file', () => {
  it('round-trips, starts empty when missing, and refuses a corrupt or unknown-version file with one line', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'waymark-ledger-'));
    try {
      const file = path.join(dir, 'sub', 'ledger.json');
      expect(await readLedger(file, 'ledger.json')).toEqual(emptyLedger);
      const state = mergeRun(emptyLedger, [seen('https://a.test/', 'failed')], { date: day(1), rotAfter: 2 });
      await writeLedger(file, 'ledger.json', { ...state.ledger, issue: 7 });
      expect(await readLedger(file, 'ledger.json')).toEqual({ ...state.ledger, issue: 7 });
      await writeFile(file, '{ nope');
      await expect(readLedger(file, 'ledger.json')).rejects.toThrow('Unexpected content: not a JSON ledger; fix or move it, or pass --reset-ledger to start over');
      await writeFile(file, '{"version": 9}');
      await expect(readLedger(file, 'ledger.json')).rejects.toThrow('Unexpected ledger version 9, expected 1; pass --reset-ledger to start over');
      await writeFile(file, '{"version": 1, "runs": [], "urls": {"x": {"url": 3}}}');
      await expect(readLedger(file, 'ledger.json')).rejects.toThrow(/Unexpected ledger content at `urls.x/);
      expect(await readFile(file, 'utf8')).toBe('{"version": 1, "runs": [], "urls": {"x": {"url": 3}}}');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('issueBody', () => {
  const context = { serverUrl: 'https://github.com', repository: 'acme/list', commit: 'abc123', rotAfter: 2 };

  it('has the marker, a summary line and the tables, with links to the lines at the commit', () => {
    let state = mergeRun(emptyLedger, [seen('https://a.test/x', 'failed'), seen('https://b.test/', 'unverifiable', 'needs a login (HTTP 401)')], { date: day(1), rotAfter: 2 });
    state = mergeRun(state.ledger, [seen('https://a.test/x', 'failed'), seen('https://b.test/', 'unverifiable', 'needs a login (HTTP 401)')], { date: day(8), rotAfter: 2 });
    const body = issueBody(state, [{ file: 'docs/a b.md', line: 4, message: 'Cannot find file `gone.md`' }], context);
    expect(body.startsWith('<!-- waymark:link-rot -->\n<!-- waymark:digest ')).toBe(true);
    expect(body).toContain('2 broken links: 1 external URL failing in 2 or more runs in a row, 1 local.');
    expect(body).toContain('### New since the last run (1)');
    expect(body).toContain('| `https://a.test/x` | HTTP 404 | 2026-11-01 | [README.md:3](https://github.com/acme/list/blob/abc123/README.md#L3) |  |');
    expect(body).toContain('[docs/a b.md:4](https://github.com/acme/list/blob/abc123/docs/a%20b.md#L4)');
    expect(body).toContain('### Could not be verified (1)');
    expect(body).toContain('| `https://b.test/` | needs a login (HTTP 401) | 2 |');
  });

  it('stays under the 65,536-character limit by cutting whole rows, with a note', () => {
    const many = Array.from({ length: 2000 }, (_, i) => seen(`https://host.test/a/very/long/path/to/page/${i}`, 'failed'));
    let state = mergeRun(emptyLedger, many, { date: day(1), rotAfter: 2 });
    state = mergeRun(state.ledger, many, { date: day(8), rotAfter: 2 });
    const body = issueBody(state, [], context);
    expect(body.length).toBeLessThanOrEqual(maxBodyLength);
    expect(body).toMatch(/_\d+ more rows left out to fit GitHub's issue size limit; the full list is in the run's report._/);
    expect(body).toContain('### New since the last run (2000)');
    for (const line of body.split('\n').filter((row) => row.startsWith('| `'))) expect(line).toMatch(/\|$/);
  });
});
