/**
 * The fuzz test, shared by tests/fuzz-1.test.ts and tests/fuzz-2.test.ts: each runs half of the
 * cases (10,000 in all by default, `WAYMARK_FUZZ_RUNS` to change), so the two halves run side by
 * side on two cores. Each half draws its own random seed; a failure prints the seed and the
 * shrunk counterexample, and `WAYMARK_FUZZ_SEED=<seed>` with that half's file replays it.
 *
 * Property test: random markdown built from every construct Waymark reads never crashes
 * extraction or a rule, every finding sits inside its file, and the fixes, applied to the bytes,
 * keep the file parsing into as many links and leave the fixed rule nothing new to report (and
 * nothing at all to fix a second time).
 *
 * It drives the extract → plan → rules → fix layers directly, offline and in memory (the whole CLI
 * per case would be far too slow for 10,000 cases).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/defaults.js';
import { extractDocument } from '../../src/extract/index.js';
import { createLineIndex } from '../../src/extract/positions.js';
import { planFile } from '../../src/fix/plan.js';
import { classifyLink } from '../../src/plan/classify.js';
import { AnchorIndex } from '../../src/resolve/anchors.js';
import { resolvedLink } from '../../src/resolve/fragment-target.js';
import type { ResolvedLink } from '../../src/types.js';
import { runRules } from '../../src/rules/run.js';
import type { Document, Finding, RuleId } from '../../src/types.js';

const totalRuns = Number(process.env['WAYMARK_FUZZ_RUNS'] ?? 10_000);
const seed = process.env['WAYMARK_FUZZ_SEED'] === undefined ? undefined : Number(process.env['WAYMARK_FUZZ_SEED']);
const file = 'doc.md';
const config = { ...defaultConfig, offline: true };
const encoder = new TextEncoder();

// ---------------------------------------------------------------- generators

/** Odd Unicode: combining marks, right-to-left text and marks, emoji (with ZWJ and skin tones), controls without NUL. */
const oddUnicode = fc.constantFrom(
  'e\u0301',
  'a\u0308\u0323',
  'שלום',
  'مرحبا',
  '\u202eevil\u202c',
  '\u200f',
  '😀',
  '👩‍👩‍👧',
  '👍🏽',
  '🇳🇴',
  '中文',
  '\u0001',
  '\u0007',
  '\u000b',
  '\u000c',
  '\u001b[31m',
  '\u007f',
  '\u0085',
  '\u00a0',
  '\ufeff',
  '\u2028',
  'Ω≈ç√',
);

/** Characters that mean something to markdown, one at a time. */
const punctuation = fc.constantFrom('*', '_', '~', '`', '[', ']', '(', ')', '<', '>', '!', '#', '|', '\\', '&', ':', '"', "'", '-', '+', '.', ' ', '\t');

const word = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[a-zA-Z0-9]{1,8}$/) },
  { weight: 2, arbitrary: oddUnicode },
  { weight: 2, arbitrary: punctuation },
);

const words = fc.array(word, { minLength: 1, maxLength: 2 }).map((parts) => parts.join(' '));

const label = fc.constantFrom('g', 'Guide', 'ref one', 'x', 'é', '1', 'G');

const query = fc.constantFrom('', '?utm_source=x', '?id=7&utm_medium=y', '?fbclid=abc', '?a=1&gclid=2&b=3', '?si=Z', '?q=é', '?x=(1)');

const fragment = fc.constantFrom('', '#intro', '#title', '#café', '#missing', '#', '#L10', '#Title');

/** Destinations of every kind: external (with tracking parameters), same-file, local, other schemes, odd ones. */
const url = fc.oneof(
  fc.tuple(fc.constantFrom('https://example.test/p', 'http://www.example.test/a', 'https://youtu.be/abc', 'https://x.test/a(b)c', 'https://example.test/ü'), query, fragment).map(
    ([base, q, f]) => `${base}${q}${f}`,
  ),
  fragment.map((f) => (f === '' ? '#intro' : f)),
  fc.tuple(fc.constantFrom('doc.md', './doc.md', 'other.md', 'dir/', '../up.md', '/doc.md'), fragment).map(([p, f]) => `${p}${f}`),
  fc.constantFrom('mailto:a@b.test', 'tel:123', 'javascript:void(0)', '', 'https://', 'a b', '<>', 'https://example.test/a%20b?utm_source=1'),
);

const title = fc.constantFrom('', ' "Title"', " 'single'", ' (paren)', ' "with \\" quote"');

const inline = fc.oneof(
  fc.tuple(words, url, title).map(([t, u, ti]) => `[${t}](${u}${ti})`),
  fc.tuple(words, url, title).map(([t, u, ti]) => `[${t}](<${u}>${ti})`),
  fc.tuple(words, url).map(([t, u]) => `![${t}](${u})`),
  fc.tuple(words, label).map(([t, l]) => `[${t}][${l}]`),
  label.map((l) => `[${l}][]`),
  label.map((l) => `[${l}]`),
  url.map((u) => `<${u}>`),
  fc.constantFrom('https://example.test/bare?utm_source=x.', 'www.example.test/p?fbclid=1', 'see https://example.test/?gclid=1&a=2)'),
  fc.tuple(url, words).map(([u, t]) => `<a href="${u}">${t}</a>`),
  fc.tuple(url).map(([u]) => `<img src='${u}' alt="x">`),
  words.map((t) => `\`${t}\``),
  words.map((t) => `*${t}*`),
  words.map((t) => `__${t}__`),
  words.map((t) => `~~${t}~~`),
  fc.constantFrom('[^1]', '[^note]', '<span id="intro">', '</span>', '<br>', '&amp;', '&#x1F600;', '\\[not](a link)'),
  words,
);

const paragraph = fc.array(inline, { minLength: 1, maxLength: 3 }).map((parts) => parts.join(' '));

/** One block of markdown of any kind Waymark reads (also used by tests/extract-split.test.ts). */
export const block = fc.oneof(
  { weight: 5, arbitrary: paragraph },
  { weight: 2, arbitrary: fc.tuple(fc.integer({ min: 1, max: 6 }), words).map(([depth, t]) => `${'#'.repeat(depth)} ${t}`) },
  { weight: 1, arbitrary: fc.constantFrom('# Intro', '## Title', '### Café') },
  { weight: 2, arbitrary: fc.tuple(label, url, title).map(([l, u, ti]) => `[${l}]: ${u}${ti}`) },
  { weight: 1, arbitrary: fc.tuple(label, url).map(([l, u]) => `[${l}]: <${u}>\n  "title below"`) },
  { weight: 1, arbitrary: fc.tuple(paragraph, paragraph).map(([a, b]) => `| a | b |\n| - | :-: |\n| ${a} | ${b} |`) },
  { weight: 1, arbitrary: paragraph.map((p) => `- ${p}\n  - ${p}\n1. ${p}`) },
  { weight: 1, arbitrary: paragraph.map((p) => `> ${p}\n> > ${p}`) },
  { weight: 1, arbitrary: paragraph.map((p) => `\`\`\`md\n${p}\n\`\`\``) },
  { weight: 1, arbitrary: paragraph.map((p) => `    ${p}`) },
  { weight: 1, arbitrary: paragraph.map((p) => `<div>\n${p}\n</div>`) },
  { weight: 1, arbitrary: paragraph.map((p) => `[^1]: ${p}`) },
  { weight: 1, arbitrary: fc.constantFrom('<!-- waymark-disable-next-line tracking-param -->', '<!-- comment -->', '---', '***') },
);

/** A whole file: blocks, one line ending style (or a mix), maybe a BOM, maybe no final newline (also used by tests/cache-format.test.ts). */
export const documentBytes = fc
  .tuple(
    fc.array(block, { minLength: 1, maxLength: 3 }),
    fc.constantFrom('\n', '\r\n', 'mixed'),
    fc.boolean(),
    fc.boolean(),
    fc.array(fc.constantFrom('\n', '\r\n', '\r'), { minLength: 8, maxLength: 8 }),
  )
  .map(([blocks, ending, bom, finalNewline, mix]) => {
    let i = 0;
    const join = (): string => (ending === 'mixed' ? (mix[i++ % mix.length] ?? '\n') : ending);
    const body = blocks
      .map((text) => text.replace(/\n/g, () => join()))
      .reduce((all, text, index) => (index === 0 ? text : `${all}${join()}${join()}${text}`), '');
    const text = finalNewline ? `${body}${join()}` : body;
    const bytes = encoder.encode(text);
    return bom ? new Uint8Array([0xef, 0xbb, 0xbf, ...bytes]) : bytes;
  });

// ---------------------------------------------------------------- the pipeline, offline, in memory

/** Decoded text as the checker sees it (a leading BOM dropped). */
const decoder = new TextDecoder('utf-8', { fatal: true });

function checkText(text: string, parsed?: Document): { document: Document; findings: Finding[]; links: number } {
  const document = parsed ?? extractDocument(file, text);
  const anchors = new AnchorIndex();
  anchors.add(document);
  const context = { cwd: '/repo', root: '/repo', file, ignoreUrls: [] };
  const resolved = document.links.map((link): ResolvedLink => {
    const target = classifyLink(link.url, context);
    if (target.kind !== 'local') return resolvedLink(link, target, undefined, file);
    const exists = target.path === file;
    return resolvedLink(link, target, exists ? { kind: 'file', isMarkdown: true } : { kind: 'missing' }, file);
  });
  return {
    document,
    findings: runRules({ document, resolved, anchors, config }),
    links: document.links.length + document.unusedDefinitions.length,
  };
}

function countByRule(findings: readonly Finding[]): Map<RuleId, number> {
  const counts = new Map<RuleId, number>();
  for (const finding of findings) counts.set(finding.ruleId, (counts.get(finding.ruleId) ?? 0) + 1);
  return counts;
}

/** Every finding's range lies inside the text, and its lines and columns agree with its offsets (plain checks: this runs 10,000 times). */
function expectInside(text: string, findings: readonly Finding[]): void {
  const lines = createLineIndex(text);
  for (const { ruleId, range } of findings) {
    const { start, end } = range;
    const isInside = start.offset >= 0 && end.offset >= start.offset && end.offset <= text.length;
    const agrees = (point: typeof start): boolean => {
      const expected = lines.point(point.offset);
      return expected.line === point.line && expected.column === point.column;
    };
    if (!isInside || !agrees(start) || !agrees(end)) {
      throw new Error(`${ruleId} finding outside the file or with a wrong line/column: ${JSON.stringify(range)}`);
    }
  }
}

/** Defines shard `shard` (from 1) of `shards`: its share of the cases, as one test. */
export function defineFuzzShard(shard: number, shards: number): void {
  const runs = Math.ceil(totalRuns / shards);
  const tally = { cases: 0, withFindings: 0, fixedFiles: 0, edits: 0 };
  describe(`fuzz, part ${shard} of ${shards}`, () => {
  it(`extracts, checks and fixes ${runs} random documents without a crash or a broken fix`, () => {
    const started = performance.now();
    fc.assert(
      fc.property(documentBytes, (bytes) => {
        tally.cases++;
        const text = decoder.decode(bytes);
        const before = checkText(text);
        expectInside(text, before.findings);
        if (before.findings.length > 0) tally.withFindings++;
        if (!before.findings.some((finding) => finding.fix !== undefined)) return;

        const plan = planFile(file, bytes, before.findings, before.document);
        if (plan.kind !== 'plan') throw new Error(plan.message);
        // The rules offer only edits that fit: none is out of range, empty, away from its URL
        // (the planner refuses those), or breaks the parse.
        expect(plan.skipped.filter((skip) => skip.reason !== 'conflict')).toEqual([]);
        tally.fixedFiles++;
        tally.edits += plan.applied.length;
        expect(decoder.decode(plan.patched)).toBe(plan.patchedText);

        const after = checkText(plan.patchedText, plan.reparsed);
        expectInside(plan.patchedText, after.findings);
        // A destination fix keeps every link; a regenerated table of contents may list more or fewer.
        if (!plan.applied.some((applied) => applied.finding.ruleId === 'toc-mismatch')) expect(after.links).toBe(before.links);
        const fixedByRule = countByRule(plan.fixed);
        const beforeByRule = countByRule(before.findings);
        const afterByRule = countByRule(after.findings);
        for (const [rule, fixed] of fixedByRule) {
          expect(afterByRule.get(rule) ?? 0, rule).toBeLessThanOrEqual((beforeByRule.get(rule) ?? 0) - fixed);
        }
        // A second run has nothing left to fix unless a conflict held a fix back.
        if (plan.skipped.length === 0) {
          const again = planFile(file, plan.patched, after.findings, after.document);
          if (again.kind !== 'plan') throw new Error(again.message);
          expect(again.applied).toEqual([]);
        }
      }),
      { numRuns: runs, ...(seed === undefined ? {} : { seed }) },
    );
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `fuzz ${shard}/${shards}: ${tally.cases} cases in ${seconds.toFixed(1)} s; ${tally.withFindings} with findings, ${tally.fixedFiles} fixed (${tally.edits} edits)`,
    );
    expect(tally.cases).toBe(runs);
    // Enough cases must reach the fix stage for its properties to mean something.
    expect(tally.fixedFiles).toBeGreaterThan(runs / 10);
  }, 120_000);
});
}
