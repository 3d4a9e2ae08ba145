/**
 * Section 1 (offline): generate the seeded corpus, run every tool on it N times, print one table.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { median, runMeasured } from '../lib/measure.mjs';
import { fmt, renderTable } from '../lib/table.mjs';
import { generateOfflineCorpus } from './corpus.mjs';
import { MARKDOWNLINT_CONFIG, offlineTools } from './tools.mjs';

const RSS_TARGET_MB = 150;

/** Runs one tool `runs` times; returns the median wall time, the largest peak RSS and the parsed last run. */
async function measureTool(tool, { runs, timeoutMs, rssMode }) {
  const walls = [];
  const rss = [];
  let parsed = null;
  for (let i = 0; i < runs; i++) {
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

/**
 * Runs the offline section and prints its report.
 * @param {{root: string, workDir: string, seed: number, runs: number, timeoutMs: number, rssMode: 'time'|'wrapper',
 *   log: (line: string) => void, tools?: string[]}} options
 */
export async function runOfflineSection({ root, workDir, seed, runs, timeoutMs, rssMode, log, tools }) {
  const corpus = join(workDir, 'offline');
  log(`## Section 1: offline (local files and anchors)\n`);
  log(`seed ${seed}; generating corpus in ${corpus}`);
  const truth = generateOfflineCorpus({ dir: corpus, seed });
  writeFileSync(join(corpus, '.markdownlint-cli2.jsonc'), MARKDOWNLINT_CONFIG);
  const byKind = {};
  for (const k of truth.known) byKind[k.kind] = (byKind[k.kind] ?? 0) + 1;
  log(`corpus: ${truth.files} files, ${truth.links} links plus ${truth.definitions} reference definitions, ${truth.known.length} known broken ` +
    `(${Object.entries(byKind).map(([k, n]) => `${k} ${n}`).join(', ')})`);
  log(`timing: median wall time of ${runs} run(s); peak RSS is the largest of those runs (via ${rssMode === 'time' ? '/usr/bin/time -f %M' : 'process.resourceUsage().maxRSS wrapper'})\n`);
  const knownKeys = new Set(truth.known.map((k) => `${k.file}:${k.line}`));
  const rows = [];
  const notes = [];
  const results = new Map();
  for (const tool of offlineTools({ root, corpus })) {
    if (tools !== undefined && !tools.some((name) => tool.name.startsWith(name))) continue;
    if (tool.name === 'waymark' && !existsSync(tool.args[0])) {
      rows.push([tool.name, '—', '—', '—', 'not built (dist/cli/bin.js missing)']);
      continue;
    }
    const result = await measureTool(tool, { runs, timeoutMs, rssMode });
    results.set(tool.name, result);
    if (result.error) {
      rows.push([tool.name, '—', '—', '—', `failed: ${result.error}`]);
      continue;
    }
    const found = new Set(result.parsed.locations.filter((l) => knownKeys.has(l)));
    const extra = result.parsed.locations.filter((l) => !knownKeys.has(l));
    rows.push([tool.name, fmt(result.wallMs), fmt(result.rssMb, 1), String(result.parsed.findings),
      `${found.size}/${knownKeys.size}`]);
    if (extra.length > 0) notes.push(`${tool.name}: ${extra.length} finding(s) not in the known set, e.g. ${extra.slice(0, 3).join(', ')}`);
    if (result.parsed.note) notes.push(`${tool.name}: ${result.parsed.note}`);
  }
  log(renderTable(['tool', 'wall time (ms)', 'peak RSS (MB)', 'findings', 'known broken found'], rows,
    ['l', 'r', 'r', 'r', 'r']));
  log('');
  log(`MD051 checks in-file fragments only: ${byKind['anchor-in-file'] ?? 0} of the known broken links are in its scope.`);
  for (const note of notes) log(note);
  log('');
  log(targetsLine(results));
  return results;
}

function targetsLine(results) {
  const own = results.get('waymark');
  const head = `Target: faster than both, ≤ ${RSS_TARGET_MB} MB RSS`;
  if (own === undefined || own.error) return `${head} — waymark: no measurement`;
  const peers = [...results.entries()].filter(([name, r]) => name !== 'waymark' && !r.error);
  const speed = peers.map(([name, r]) => `faster than ${name}: ${own.wallMs < r.wallMs ? 'PASS' : 'FAIL'} ` +
    `(${fmt(own.wallMs)} vs ${fmt(r.wallMs)} ms)`);
  const rss = own.rssMb === null ? 'RSS: not measured'
    : `≤ ${RSS_TARGET_MB} MB RSS: ${own.rssMb <= RSS_TARGET_MB ? 'PASS' : 'FAIL'} (${fmt(own.rssMb, 1)} MB)`;
  return `${head} — waymark: ${[...speed, rss].join('; ')}`;
}
