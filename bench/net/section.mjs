/**
 * Section 2 (networked): start the mock web, generate the URL corpus, run every tool against it and print the
 * per-tool table beside the lower bound that the busiest host's queue allows.
 */
import { join } from 'node:path';
import { median, runMeasured } from '../lib/measure.mjs';
import { fmt, renderTable } from '../lib/table.mjs';
import { BROKEN_KINDS, generateNetCorpus, hostAddress, hostName } from './corpus.mjs';
import { startMockWeb } from './mock-web.mjs';
import { netTools, normalizeUrl } from './tools.mjs';

/** Requests a correct checker must make per host, and the lower bound on wall time they imply. */
function lowerBound(entries, hostCap, latencyMs) {
  const perHost = new Map();
  for (const entry of entries) for (const address of entry.hops) perHost.set(address, (perHost.get(address) ?? 0) + 1);
  let busiest = ['', 0];
  for (const item of perHost) if (item[1] > busiest[1]) busiest = item;
  const minimum = [...perHost.values()].reduce((a, b) => a + b, 0);
  return { address: busiest[0], requests: busiest[1], boundMs: (busiest[1] / hostCap) * latencyMs, minimum };
}

/** Runs one tool `runs` times against fresh mock counters; keeps the median wall time, the largest RSS. */
async function measureTool(tool, { corpus, mock, runs, runTimeoutMs, rssMode }) {
  const walls = [];
  const rss = [];
  let last = null;
  for (let i = 0; i < runs; i++) {
    mock.reset();
    const run = await runMeasured({ command: tool.command, args: tool.args, cwd: corpus, timeoutMs: runTimeoutMs, rssMode,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
    const counters = mock.counters();
    if (run.timedOut) return { error: `timed out after ${runTimeoutMs} ms`, counters };
    if (!tool.okCodes.includes(run.code)) {
      return { error: `exit ${run.code ?? run.signal}: ${(run.stderr.trim().split('\n')[0] ?? '').slice(0, 200)}`, counters };
    }
    let broken;
    try {
      broken = tool.parse(run);
    } catch (error) {
      return { error: `unreadable output: ${error instanceof Error ? error.message : String(error)}`, counters };
    }
    walls.push(run.wallMs);
    if (run.rssKb !== null) rss.push(run.rssKb);
    last = { broken, counters };
  }
  return { wallMs: median(walls), rssMb: rss.length > 0 ? Math.max(...rss) / 1024 : null, ...last };
}

function score(broken, truth) {
  let tp = 0;
  for (const url of broken) if (truth.has(url)) tp++;
  return { precision: broken.size === 0 ? null : tp / broken.size, recall: truth.size === 0 ? null : tp / truth.size,
    falsePositives: [...broken].filter((u) => !truth.has(u)), missed: [...truth].filter((u) => !broken.has(u)) };
}

/**
 * Runs the networked section and prints its report.
 * @param {{root: string, workDir: string, seed: number, rssMode: 'time'|'wrapper', log: (line: string) => void,
 *   urls: number, hosts: number, latencyMs: number, hostCap: number, requestTimeoutMs: number,
 *   runTimeoutMs: number, runs: number, tools?: string[]}} options
 */
export async function runNetSection(options) {
  const { root, workDir, seed, rssMode, log, urls, hosts, latencyMs, hostCap, requestTimeoutMs, runTimeoutMs, runs } = options;
  const only = options.tools ?? null;
  const corpus = join(workDir, 'net');
  const slowMs = requestTimeoutMs * 4;
  const mock = await startMockWeb({ hosts, latencyMs, hostCap, slowMs, lifetimeMs: 4 * runs * runTimeoutMs + 60_000 });
  try {
    log(`## Section 2: networked (external URLs against a local mock web)\n`);
    const { entries, routes } = generateNetCorpus({ dir: corpus, seed, urls, hosts, port: mock.port, closedPort: mock.closedPort });
    mock.setRoutes(routes);
    const truth = new Set(entries.filter((e) => e.broken).map((e) => normalizeUrl(e.url)));
    const kinds = Object.keys(BROKEN_KINDS).map((k) => `${k} ${entries.filter((e) => e.kind === k).length}`).join(', ');
    const bound = lowerBound(entries, hostCap, latencyMs);
    const hostIndex = Number(bound.address.split('.')[3]) - 1;
    log(`seed ${seed}; corpus in ${corpus}: ${entries.length} unique URLs over ${hosts} hosts ` +
      `(h01.test … ${hostName(hosts)} = ${hostAddress(1)} … ${hostAddress(hosts)}, port ${mock.port}; URLs use the IP literals)`);
    log(`known broken: ${truth.size} (${kinds}); refused ones use closed port ${mock.closedPort}`);
    log(`mock: ${latencyMs} ms latency, ${hostCap} in flight per host (beyond: 429 + Retry-After: 1), ` +
      `slow headers after ${slowMs} ms; every tool gets a ${requestTimeoutMs} ms request timeout`);
    log(`lower bound: busiest host ${hostName(hostIndex)} needs ${bound.requests} requests ÷ ${hostCap} × ${latencyMs} ms = ` +
      `${fmt(bound.boundMs)} ms; a correct run needs ≥ ${bound.minimum} requests (${fmt(bound.minimum / entries.length, 3)} per URL), ` +
      `and cannot end before the ${requestTimeoutMs} ms request timeout of the slow-header URLs\n`);
    const rows = [];
    const notes = [];
    const results = new Map();
    for (const tool of netTools({ root, corpus, requestTimeoutMs, waymarkRules: ['dead-link', 'unverifiable'] })) {
      if (only !== null && !only.some((name) => tool.name.startsWith(name))) continue;
      if (tool.skip) {
        log(`${tool.name}: ${tool.skip}`);
        continue;
      }
      if (tool.note) notes.push(tool.note);
      const result = await measureTool(tool, { corpus, mock, runs, runTimeoutMs, rssMode });
      if (result.error) {
        rows.push([tool.name, `failed: ${result.error}`, '—', fmt(result.counters.requests / entries.length, 2),
          String(result.counters.sent429), String(result.counters.maxInFlight), '—', '—', '—']);
        continue;
      }
      // Reports on the input files themselves (not URLs) are listed apart and kept out of precision.
      const inputs = [...result.broken].filter((u) => !/^https?:\/\//.test(u));
      const urlsReported = new Set([...result.broken].filter((u) => /^https?:\/\//.test(u)));
      if (inputs.length > 0) notes.push(`${tool.name}: reported ${inputs.length} input file(s) as broken (not counted as URLs): ${inputs.slice(0, 3).join(', ')}`);
      const { precision, recall, falsePositives, missed } = score(urlsReported, truth);
      const c = result.counters;
      rows.push([tool.name, fmt(result.wallMs), fmt(result.rssMb, 1), fmt(c.requests / entries.length, 2), String(c.sent429),
        String(c.maxInFlight), fmt(precision, 2), fmt(recall, 2), `${fmt(result.wallMs / bound.boundMs, 2)}×`]);
      notes.push(`${tool.name}: last request reached the mock at ${fmt(c.lastRequestMs)} ms; ${c.capped429} 429s from the cap; ` +
        `methods ${[...c.methods].map(([m, n]) => `${m} ${n}`).join(', ')}`);
      notes.push(`${tool.name}: requests per URL by kind: ${perKind(c.perUrl, routes, entries)}`);
      results.set(tool.name, { ...result, score: { precision, recall } });
      if (falsePositives.length > 0) notes.push(`${tool.name}: ${falsePositives.length} false positive(s), by kind: ${byKind(falsePositives, entries)}; ` +
        `e.g. ${falsePositives.slice(0, 2).join(', ')}`);
      if (missed.length > 0) notes.push(`${tool.name}: ${missed.length} missed, by kind: ${byKind(missed, entries)}`);
    }
    log('');
    log(renderTable(['tool', 'wall time (ms)', 'peak RSS (MB)', 'requests/URL', '429s received', 'max in-flight/host',
      'precision', 'recall', 'vs lower bound'], rows, ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r']));
    log('');
    for (const note of notes) log(note);
    log('');
    log(targetsLine(results, bound.boundMs, entries.length));
  } finally {
    await mock.close();
  }
}

/** The issue's targets for Waymark, each marked PASS or FAIL from this run's numbers. */
function targetsLine(results, boundMs, urlCount) {
  const head = 'Targets: ≤ 1.25× the lower bound, ≤ 1.05 requests per URL, precision and recall 1.00, ≤ 150 MB RSS, ahead of every peer';
  const own = results.get('waymark');
  if (own === undefined) return `${head} — waymark: no measurement`;
  const mark = (ok) => (ok ? 'PASS' : 'FAIL');
  const ratio = own.wallMs / boundMs;
  const perUrl = own.counters.requests / urlCount;
  const peers = [...results.entries()].filter(([name]) => name !== 'waymark');
  const checks = [
    `bound: ${mark(ratio <= 1.25)} (${fmt(ratio, 2)}×)`,
    `requests/URL: ${mark(perUrl <= 1.05)} (${fmt(perUrl, 3)})`,
    `precision/recall: ${mark(own.score.precision === 1 && own.score.recall === 1)} (${fmt(own.score.precision, 2)}/${fmt(own.score.recall, 2)})`,
    own.rssMb === null ? 'RSS: not measured' : `RSS: ${mark(own.rssMb <= 150)} (${fmt(own.rssMb, 1)} MB)`,
    ...peers.map(([name, r]) => `ahead of ${name}: ${mark(own.wallMs < r.wallMs)} (${fmt(own.wallMs)} vs ${fmt(r.wallMs)} ms)`),
  ];
  return `${head} — waymark: ${checks.join('; ')}`;
}

/** Requests the mock saw per URL of each kind (redirect hops count towards the URL's kind). */
function perKind(perUrl, routes, entries) {
  const requests = {};
  for (const [key, n] of perUrl) {
    const kind = routes.get(key)?.kind ?? 'unknown';
    requests[kind] = (requests[kind] ?? 0) + n;
  }
  const urls = {};
  for (const entry of entries) urls[entry.kind] = (urls[entry.kind] ?? 0) + 1;
  return Object.entries(requests).map(([kind, n]) => `${kind} ${fmt(n / (urls[kind] ?? 1), 2)}`).join(', ');
}

function byKind(urls, entries) {
  const kindOf = new Map(entries.map((e) => [normalizeUrl(e.url), e.kind]));
  const counts = {};
  for (const url of urls) {
    const kind = kindOf.get(url) ?? 'not in corpus';
    counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return Object.entries(counts).map(([k, n]) => `${k} ${n}`).join(', ');
}
