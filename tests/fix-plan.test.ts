import { describe, expect, it } from 'vitest';
import { extractDocument } from '../src/extract/index.js';
import { bomLength, spliceBytes } from '../src/fix/bytes.js';
import { planFile } from '../src/fix/plan.js';
import { withoutFixed } from '../src/fix/outcome.js';
import { runRules } from '../src/rules/run.js';
import { defaultConfig } from '../src/config/defaults.js';
import type { Edit, Finding, Report } from '../src/types.js';
import { urlKey } from '../src/plan/url-key.js';
import { resolvedLink } from '../src/resolve/fragment-target.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** A finding at `start` (a bare position is enough for planning) carrying `fix`. */
function finding(ruleId: Finding['ruleId'], start: number, fix?: Edit): Finding {
  const point = { line: 1, column: start + 1, offset: start };
  return { ruleId, severity: 'warning', file: 'a.md', range: { start: point, end: point }, message: 'm', ...(fix === undefined ? {} : { fix }) };
}

/**
 * Plans `findings` over `text`. A destination fix built here without a `url` gets the one a real
 * finding carries: the destination as written, which is what its edit replaces.
 */
function plan(text: string | Uint8Array, findings: readonly Finding[]) {
  const source = typeof text === 'string' ? text : decoder.decode(text).replace(/^\ufeff/, '');
  const withUrls = findings.map((f) => (f.fix === undefined || f.url !== undefined ? f : Object.assign(f, { url: source.slice(f.fix.start, f.fix.end) })));
  const result = planFile('a.md', typeof text === 'string' ? encoder.encode(text) : text, withUrls);
  if (result.kind !== 'plan') throw new Error(result.message);
  return result;
}

describe('fix planning', () => {
  it('splices edits into the bytes after multi-byte characters, a BOM and CRLF line ends', () => {
    const text = '\ufeffé😀\r\n[x](http://a.test/) 中\r\n';
    const bytes = encoder.encode(text);
    expect(bomLength(bytes)).toBe(3);
    // Offsets are into the decoded text, which has no BOM: `é`, `😀` (2 units), `\r\n`, `[x](` = 8.
    const start = 'é😀\r\n[x]('.length;
    const result = plan(bytes, [finding('insecure-link', start, { start, end: start + 5, text: 'https:' })]);
    expect(decoder.decode(result.patched)).toBe('\ufeffé😀\r\n[x](https://a.test/) 中\r\n');
    expect([...result.patched.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(result.patchedText).toBe('é😀\r\n[x](https://a.test/) 中\r\n');
  });

  it('copies every byte outside the edits unchanged', () => {
    const bytes = encoder.encode('a\tb  \r\nñ\r[q](x)\n');
    const start = 'a\tb  \r\nñ\r[q]('.length;
    const patched = spliceBytes(bytes, decoder.decode(bytes), [{ start, end: start + 1, text: 'yy' }]);
    expect(Buffer.from(patched).toString('hex')).toBe(Buffer.from('a\tb  \r\nñ\r[q](yy)\n').toString('hex'));
  });

  it('applies one of two overlapping edits and skips the other with a note naming the kept fix', () => {
    const text = '[x](https://a.test/?utm_source=1)\n';
    const kept = finding('tracking-param', 0, { start: 4, end: 32, text: 'https://a.test/' });
    const conflicting = finding('redirect', 0, { start: 4, end: 32, text: 'https://b.test/' });
    const result = plan(text, [kept, conflicting]);
    expect(result.patchedText).toBe('[x](https://a.test/)\n');
    expect(result.fixed).toEqual([kept]);
    expect(result.skipped).toEqual([
      { finding: conflicting, reason: 'conflict', note: 'its edit overlaps the `tracking-param` fix at 1:1; run --fix again' },
    ]);
  });

  it('applies a duplicate edit once and counts both findings as fixed', () => {
    const edit = { start: 4, end: 32, text: 'https://a.test/' };
    const first = finding('tracking-param', 0, edit);
    const second = finding('tracking-param', 0, { ...edit });
    const result = plan('[x](https://a.test/?utm_source=1)\n', [first, second]);
    expect(result.applied).toHaveLength(1);
    expect(result.fixed).toEqual([first, second]);
    expect(result.skipped).toEqual([]);
  });

  it('treats two insertions at one place as a conflict, and edits that only touch as apart', () => {
    const a = finding('tracking-param', 0, { start: 1, end: 1, text: 'A' });
    const b = finding('tracking-param', 0, { start: 1, end: 1, text: 'B' });
    const c = finding('tracking-param', 0, { start: 1, end: 2, text: 'C' });
    const d = finding('tracking-param', 0, { start: 2, end: 2, text: 'D' });
    const result = plan('xyz\n', [a, b, d]);
    expect(result.patchedText).toBe('xAyDz\n');
    expect(result.skipped.map((skip) => skip.finding)).toEqual([b]);
    expect(plan('xyz\n', [c, d]).patchedText).toBe('xCDz\n');
  });

  it('skips edits outside the text, inside a surrogate pair, or that change nothing', () => {
    const text = 'a😀b\n';
    const outside = finding('tracking-param', 0, { start: 3, end: 99, text: '' });
    const split = finding('tracking-param', 0, { start: 2, end: 3, text: 'x' });
    const same = finding('tracking-param', 0, { start: 0, end: 1, text: 'a' });
    const result = plan(text, [outside, split, same]);
    expect(result.patchedText).toBe(text);
    expect(result.applied).toEqual([]);
    expect(result.skipped.map((skip) => skip.reason).sort()).toEqual(['no-change', 'out-of-range', 'out-of-range']);
  });

  it('drops an edit that would change how many links the file has, and keeps the others', () => {
    const text = '[a](https://a.test/?utm_source=1) [b](https://b.test/?utm_source=1)\n';
    const fine = finding('tracking-param', 0, { start: 4, end: 32, text: 'https://a.test/' });
    // Turning the second destination into `x) [c](y` would make three links out of two.
    const breaking = finding('tracking-param', 34, { start: 38, end: 66, text: 'x) [c](y' });
    const result = plan(text, [fine, breaking]);
    expect(result.patchedText).toBe('[a](https://a.test/) [b](https://b.test/?utm_source=1)\n');
    expect(result.skipped).toEqual([{ finding: breaking, reason: 'reparse', note: 'its edit would change how the file parses' }]);
  });

  it('counts every use of a reference as fixed when its definition is, through the rules as they run', () => {
    const text = 'See [one][g], [g][] and [g].\n\n[g]: https://a.test/?utm_source=x\n';
    const document = extractDocument('a.md', text);
    const resolved = document.links.map((link) => resolvedLink(link, { kind: 'external', url: link.url, key: urlKey(link.url).key }, undefined, 'a.md'));
    const findings = runRules({
      document,
      resolved,
      anchors: { match: () => ({ kind: 'found' }) },
      config: { ...defaultConfig, offline: true },
    });
    expect(findings.map((f) => [f.ruleId, f.range.start.column, f.fix !== undefined])).toEqual([
      ['tracking-param', 5, true],
      ['tracking-param', 15, false],
      ['tracking-param', 25, false],
    ]);
    const result = plan(text, findings);
    expect(result.patchedText).toBe('See [one][g], [g][] and [g].\n\n[g]: https://a.test/\n');
    expect(result.fixed).toHaveLength(3);
    const report = {
      summary: { files: 1, links: 4, uniqueUrls: 1, checked: 0, errors: 0, warnings: 3, skipped: 0, offline: 1, dead: 0, blocked: 0, unverified: 0, unchanged: 0, budget: 0, durationMs: 1 },
      findings,
      notices: [],
      offline: true,
    } satisfies Report;
    const after = withoutFixed(report, [{ kind: 'fixed', file: 'a.md', plan: result }]);
    expect(after.findings).toEqual([]);
    expect(after.summary).toMatchObject({ errors: 0, warnings: 0 });
  });

  it('refuses bytes that no longer decode', () => {
    expect(planFile('a.md', new Uint8Array([0x5b, 0xff, 0x5d]), [finding('tracking-param', 0, { start: 0, end: 1, text: 'x' })])).toEqual({
      kind: 'undecodable',
      file: 'a.md',
      message: 'Unexpected invalid UTF-8: file skipped',
    });
  });
});

describe('a destination fix away from its URL', () => {
  it('is refused, so a misplaced range never overwrites other text', () => {
    const text = '<img src="https://a.test/?utm_source=1" alt="x">\n';
    const url = 'https://a.test/?utm_source=1';
    const misplaced = { ...finding('tracking-param', 0, { start: 2, end: 2 + url.length, text: 'https://a.test/' }), url };
    const result = plan(text, [misplaced]);
    expect(result.patchedText).toBe(text);
    expect(result.skipped).toEqual([{ finding: misplaced, reason: 'misplaced', note: "its edit is not where the link's URL is written" }]);
    const placed = { ...finding('tracking-param', 0, { start: 10, end: 10 + url.length, text: 'https://a.test/' }), url };
    expect(plan(text, [placed]).patchedText).toBe('<img src="https://a.test/" alt="x">\n');
  });
});
