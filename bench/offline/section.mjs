/**
 * Section 1 (offline): generate the seeded corpus and the large file, run every tool on them N times in three
 * runs (cold, warm, large file), print one table with each tool's findings scored against the known broken
 * links, and the targets beside the numbers.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { median, runMeasured } from '../lib/measure.mjs';
import { fmt, renderTable } from '../lib/table.mjs';
import { generateLargeFile, generateOfflineCorpus } from './corpus.mjs';
import { MARKDOWNLINT_CONFIG, PARSE_FLOOR, TOKEN_FLOOR, offlineTools } from './tools.mjs';

/** The scaled run: the corpus generator with ten times the files (2,000 files, about 200,000 links). */
const SCALE = 10;

/** The file the warm run changes before each of its runs (a line appended at its end, after every known link). */
const WARM_EDITED = 'README.md';

/**
 * Runs one tool `runs` times, calling `prepare()` before each run; returns the median wall time, the largest
 * peak RSS and the parsed last run.
 */
async function measureTool(tool, { runs, timeoutMs, rssMode, prepare }) {
  const walls = [];
  const rss = [];
  let parsed = null;
  for (let i = 0; i < runs; i++) {
    prepare();
    const run = await runMeasured({ command: tool.command, args: tool.args, cwd: tool.cwd, timeoutMs, rssMode,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
    if (run.timedOut) return { error: `timed out after ${timeoutMs} ms` };
    if (!tool.okCodes.includes(run.code)) {
      const why = (run.stderr.trim().split('\n')[0] ?? '').slice(0, 200);
      return { error: `exit ${run.code ?? run.signal}: ${why}` };
    }
    try {
      parsed = tool.parse(run);
    } catch (error) {
      return { error: `unreadable output: ${error instanceof Error ? error.message : String(error)}` };
    }
    walls.push(run.wallMs);
    if (run.rssKb !== null) rss.push(run.rssKb);
  }
  return { wallMs: median(walls), rssMb: rss.length > 0 ? Math.max(...rss) / 1024 : null, parsed };
}

/** Removes every tool's cache in a corpus: Waymark's parse cache and rumdl's cache. */
function clearCaches(dir) {
  rmSync(join(dir, '.waymark'), { recursive: true, force: true });
  rmSync(join(dir, '.rumdl_cache'), { recursive: true, force: true });
}

/**
 * Runs the offline section and prints its report.
 * @param {{root: string, workDir: string, seed: number, runs: number, timeoutMs: number, rssMode: 'time'|'wrapper',
 *   log: (line: string) => void, tools?: string[], native: {lychee: {path: string|null, note: string},
 *   rumdl: {path: string|null, note: string}}}} options
 */
export async function runOfflineSection({ root, workDir, seed, runs, timeoutMs, rssMode, log, tools, native }) {
  const corpus = join(workDir, 'offline');
  const largeDir = join(workDir, 'offline-large');
  const scaledDir = join(workDir, 'offline-200k');
  log(`## Section 1: offline (local files and anchors)\n`);
  log(`seed ${seed}; generating corpus in ${corpus} and the large file in ${largeDir}`);
  const truth = generateOfflineCorpus({ dir: corpus, seed });
  const large = generateLargeFile({ dir: largeDir, seed });
  const scaled = generateOfflineCorpus({ dir: scaledDir, seed, scale: SCALE });
  for (const dir of [corpus, largeDir, scaledDir]) writeFileSync(join(dir, '.markdownlint-cli2.jsonc'), MARKDOWNLINT_CONFIG);
  const byKind = {};
  for (const k of truth.known) byKind[k.kind] = (byKind[k.kind] ?? 0) + 1;
  const largeKinds = {};
  for (const k of large.known) largeKinds[k.kind] = (largeKinds[k.kind] ?? 0) + 1;
  log(`corpus: ${truth.files} files, ${truth.links} links plus ${truth.definitions} reference definitions, ${truth.known.length} known broken ` +
    `(${Object.entries(byKind).map(([k, n]) => `${k} ${n}`).join(', ')})`);
  log(`large file: ${large.file}, ${fmt(large.bytes / 1024)} KiB, ${large.items} list items, ${large.links} links, ${large.known.length} known broken ` +
    `(${Object.entries(largeKinds).map(([k, n]) => `${k} ${n}`).join(', ')})`);
  log(`scaled corpus: the same generator ×${SCALE}: ${scaled.files} files, ${scaled.links} links plus ${scaled.definitions} definitions, ` +
    `${scaled.known.length} known broken; run once per tool, cold`);
  log(`runs: cold = no cache (.waymark and .rumdl_cache removed before each run); warm = the caches the cold runs left, ` +
    `with ${WARM_EDITED} changed before each run (the other tools simply run again); large = ${large.file} alone, cold`);
  log(`timing: median wall time of ${runs} run(s); peak RSS is the largest of those runs (via ${rssMode === 'time' ? '/usr/bin/time -f %M' : 'process.resourceUsage().maxRSS wrapper'})`);
  for (const [name, peer] of Object.entries(native)) log(`${name}: ${peer.note}`);
  log('');

  const edited = join(corpus, WARM_EDITED);
  const original = readFileSync(edited, 'utf8');
  let edits = 0;
  const scenarios = [
    { run: 'cold', dir: corpus, targets: ['.'], known: truth.known, parseOnly: true, prepare: () => clearCaches(corpus) },
    { run: 'warm', dir: corpus, targets: ['.'], known: truth.known,
      prepare: () => writeFileSync(edited, `${original}\nEdited before warm run ${++edits}.\n`) },
    { run: 'large file', dir: largeDir, targets: [large.file], known: large.known, parseOnly: true, prepare: () => clearCaches(largeDir) },
    { run: `${SCALE}× corpus`, dir: scaledDir, targets: ['.'], known: scaled.known, runs: 1, prepare: () => clearCaches(scaledDir) },
  ];
  const rows = [];
  const notes = [];
  /** @type {Map<string, Map<string, object>>} run → tool → result */
  const results = new Map();
  for (const scenario of scenarios) {
    const knownKeys = new Set(scenario.known.map((k) => `${k.file}:${k.line}`));
    const byTool = new Map();
    results.set(scenario.run, byTool);
    for (const tool of offlineTools({ root, corpus: scenario.dir, targets: scenario.targets, native, parseOnly: scenario.parseOnly })) {
      if (tools !== undefined && !tool.reference && !tools.some((name) => tool.name.startsWith(name))) continue;
      if (tool.skip) {
        rows.push([scenario.run, tool.name, '—', '—', '—', tool.skip]);
        continue;
      }
      if (tool.name === 'waymark' && !existsSync(tool.args[0])) {
        rows.push([scenario.run, tool.name, '—', '—', '—', 'not built (dist/bundle/cli/bin.js missing)']);
        continue;
      }
      const result = await measureTool(tool, { runs: scenario.runs ?? runs, timeoutMs: timeoutMs * (scenario.runs === undefined ? 1 : SCALE), rssMode, prepare: scenario.prepare });
      if (result.error) {
        rows.push([scenario.run, tool.name, '—', '—', '—', `failed: ${result.error}`]);
        continue;
      }
      const found = new Set(result.parsed.locations.filter((l) => knownKeys.has(l)));
      const extra = result.parsed.locations.filter((l) => !knownKeys.has(l));
      byTool.set(tool.name, { ...result, found: found.size, known: knownKeys.size });
      rows.push([scenario.run, tool.name, fmt(result.wallMs), fmt(result.rssMb, 1),
        tool.reference ? '(parse only)' : String(result.parsed.findings), tool.reference ? '—' : `${found.size}/${knownKeys.size}`]);
      if (extra.length > 0) notes.push(`${scenario.run}, ${tool.name}: ${extra.length} finding(s) not in the known set, e.g. ${extra.slice(0, 3).join(', ')}`);
    }
  }
  if (existsSync(edited)) writeFileSync(edited, original);
  log(renderTable(['run', 'tool', 'wall time (ms)', 'peak RSS (MB)', 'findings', 'known broken found'], rows,
    ['l', 'l', 'r', 'r', 'r', 'r']));
  log('');
  log(`MD051 checks in-file fragments only: ${byKind['anchor-in-file'] ?? 0} of the corpus's and ${largeKinds['anchor-in-file'] ?? 0} of the ` +
    `large file's known broken links are in its scope. A tool that misses known broken links is not faster at the job.`);
  for (const note of notes) log(note);
  log('');
  for (const line of targetLines(results)) log(line);
  return results;
}

/** The targets for Waymark, each marked PASS or FAIL from this run's numbers. */
function targetLines(results) {
  const mark = (ok) => (ok ? 'PASS' : 'FAIL');
  const own = (run) => results.get(run)?.get('waymark');
  const peer = (run, name) => results.get(run)?.get(name);
  const complete = (r) => `finds ${r.found}/${r.known}`;
  const ratio = (run, limit, peerName) => {
    const w = own(run);
    const p = peer(run, peerName);
    if (w === undefined || p === undefined) return `${run}: no measurement`;
    const x = w.wallMs / p.wallMs;
    return `${run} ≤ ${limit}× ${peerName}: ${mark(x <= limit && w.found === w.known)} (${fmt(w.wallMs)} vs ${fmt(p.wallMs)} ms = ${fmt(x, 2)}×; ${complete(w)})`;
  };
  const lintName = 'markdownlint-cli2 (MD051)';
  const lines = [`Targets — ${ratio('cold', 0.7, lintName)}`];
  // What the cold target asks of the parse: the tokenizer alone, on the same files, against the same peer.
  const lint = peer('cold', lintName);
  const floors = [PARSE_FLOOR, TOKEN_FLOOR].map((name) => [name, peer('cold', name)]).filter(([, r]) => r !== undefined);
  if (lint !== undefined && floors.length > 0) {
    lines.push(`  cold floors: ${floors.map(([name, r]) => `${name} ${fmt(r.wallMs)} ms = ${fmt(r.wallMs / lint.wallMs, 2)}×`).join('; ')} markdownlint-cli2`);
  }
  lines.push(`Targets — ${ratio('warm', 0.15, lintName)}`);
  const w = own('large file');
  const floor = peer('large file', PARSE_FLOOR);
  if (w === undefined || floor === undefined) lines.push('Targets — large file: no measurement');
  else {
    const x = w.wallMs / floor.wallMs;
    const rss = w.rssMb !== null && floor.rssMb !== null ? w.rssMb / floor.rssMb : null;
    lines.push(`Targets — large file ≤ 1.1× remark-parse alone: ${mark(x <= 1.1 && w.found === w.known)} (${fmt(w.wallMs)} vs ${fmt(floor.wallMs)} ms = ` +
      `${fmt(x, 2)}×; ${complete(w)}); RSS ≤ 1.2× remark's: ${rss === null ? 'not measured' : `${mark(rss <= 1.2)} (${fmt(w.rssMb, 1)} vs ${fmt(floor.rssMb, 1)} MB = ${fmt(rss, 2)}×)`}`);
  }
  const big = own(`${SCALE}× corpus`);
  lines.push(big === undefined || big.rssMb === null
    ? `Targets — ${SCALE}× corpus: no measurement`
    : `Targets — ${SCALE}× corpus peak RSS < 400 MB: ${mark(big.rssMb < 400 && big.found === big.known)} (${fmt(big.rssMb, 1)} MB; ${complete(big)})`);
  return lines;
}
