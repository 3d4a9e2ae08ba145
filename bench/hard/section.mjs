/**
 * Section 3 (hard web): bot walls, dead hosts, healthy hosts with a generous in-flight limit and strict hosts with a
 * small one, all on a local mock web (hard/mock-hard.mjs). Scores each tool's "dead" verdicts per truth class
 * (dead / blocked / alive) and its politeness (429s, in-flight per host, requests beyond the limit after a 429),
 * then compares Waymark and lychee on the healthy hosts alone.
 */
import { join } from 'node:path';
import { median, runMeasured } from '../lib/measure.mjs';
import { fmt, renderTable } from '../lib/table.mjs';
import { netTools, normalizeUrl } from '../net/tools.mjs';
import { HARD_CLASSES, planHardWeb, startHardWeb, writeHardMarkdown } from './mock-hard.mjs';

const TOOLS = ['waymark', 'lychee', 'linkinator'];
const CLASS_SHORT = { healthy: 'h', strict: 's', dead: 'd', cloudflare: 'cf', linkedin: '999' };

/** The lower bound each host's real limit allows: max over hosts of requests ÷ limit × latency (one request per URL). */
function lowerBound(entries, hosts, latencyMs) {
  const limit = new Map(hosts.map((h) => [h.address, h.limit]));
  const perHost = new Map();
  for (const e of entries) perHost.set(e.address, (perHost.get(e.address) ?? 0) + 1);
  let best = { address: '', requests: 0, limit: 1, boundMs: 0 };
  for (const [address, requests] of perHost) {
    const boundMs = (requests / limit.get(address)) * latencyMs;
    if (boundMs > best.boundMs) best = { address, requests, limit: limit.get(address), boundMs };
  }
  return best;
}

/** The URLs Waymark reported `unverifiable` because of a bot wall, with the wall's words. */
function waymarkBlocked(stdout) {
  const report = JSON.parse(stdout);
  const blocked = new Map();
  for (const f of report.findings ?? []) {
    if (f.ruleId !== 'unverifiable') continue;
    const reason = f.reason ?? /blocked by ([^(]+?)\s*(\(|$)/.exec(f.message ?? '')?.[1];
    if (reason) blocked.set(normalizeUrl(f.url), reason);
  }
  return blocked;
}

/** Every finding Waymark made, URL → `ruleId: message` (for the notes). */
function waymarkFindings(stdout) {
  const out = new Map();
  for (const f of JSON.parse(stdout).findings ?? []) out.set(normalizeUrl(f.url), `${f.ruleId}: ${f.message}`);
  return out;
}

/** Runs one tool `runs` times on fresh counters; median wall time, the last run's verdicts and counters. */
async function measureTool(tool, { dir, mock, runs, runTimeoutMs, rssMode }) {
  const walls = [];
  let last = null;
  for (let i = 0; i < runs; i++) {
    mock.reset();
    const run = await runMeasured({ command: tool.command, args: tool.args, cwd: dir, timeoutMs: runTimeoutMs, rssMode,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
    const counters = mock.counters();
    if (run.timedOut) return { error: `timed out after ${runTimeoutMs} ms`, counters };
    if (!tool.okCodes.includes(run.code)) {
      return { error: `exit ${run.code ?? run.signal}: ${(run.stderr.trim().split('\n')[0] ?? '').slice(0, 200)}`, counters };
    }
    let dead;
    try {
      dead = new Set([...tool.parse(run)].filter((u) => /^https?:\/\//.test(u)));
    } catch (error) {
      return { error: `unreadable output: ${error instanceof Error ? error.message : String(error)}`, counters };
    }
    walls.push(run.wallMs);
    last = { dead, run, counters };
  }
  return { wallMs: median(walls), ...last };
}

/** Politeness figures from the per-host counters: totals and the max in flight per class. */
function politeness(counters, hosts) {
  const byClass = {};
  let sent429 = 0;
  let beyond = 0;
  let requests = 0;
  let connections = 0;
  for (const host of hosts) {
    const c = counters.perHost.get(host.address);
    sent429 += c.sent429;
    beyond += c.beyondAfter429;
    requests += c.requests;
    connections += c.connections;
    const k = byClass[host.cls] ?? (byClass[host.cls] = { maxInFlight: 0, requests: 0, sent429: 0, beyond: 0, methods: {} });
    k.maxInFlight = Math.max(k.maxInFlight, c.maxInFlight);
    k.requests += c.requests;
    k.sent429 += c.sent429;
    k.beyond += c.beyondAfter429;
    for (const [m, n] of c.methods) k.methods[m] = (k.methods[m] ?? 0) + n;
  }
  return { byClass, sent429, beyond, requests, connections };
}

const inFlightCell = (p, classes) => classes.map((cls) => String(p.byClass[cls]?.maxInFlight ?? 0)).join('/');

/**
 * Runs the hard-web section and prints its report.
 * @param {{root: string, workDir: string, seed: number, rssMode: 'time'|'wrapper', log: (line: string) => void,
 *   latencyMs: number, requestTimeoutMs: number, runTimeoutMs: number, runs: number, lycheePath?: string|null,
 *   tools?: string[]}} options
 */
export async function runHardSection(options) {
  const { root, workDir, seed, rssMode, log, latencyMs, requestTimeoutMs, runTimeoutMs, runs } = options;
  const only = options.tools ?? null;
  const dir = join(workDir, 'hard');
  const healthyDir = join(dir, 'healthy');
  const { hosts, entries } = planHardWeb(seed);
  const mock = await startHardWeb({ hosts, entries, latencyMs, lifetimeMs: 8 * runs * runTimeoutMs + 60_000 });
  try {
    log('## Section 3: hard web (bot walls, dead hosts, in-flight limits)\n');
    const urlOf = (e) => `http://${e.address}:${mock.port}${e.path}`;
    const truthOf = new Map(entries.map((e) => [normalizeUrl(urlOf(e)), e]));
    const healthy = entries.filter((e) => e.cls === 'healthy');
    writeHardMarkdown(dir, entries.map(urlOf), seed, 6);
    writeHardMarkdown(healthyDir, healthy.map(urlOf), seed, 3);
    const bound = lowerBound(entries, hosts, latencyMs);
    const healthyBound = lowerBound(healthy, hosts, latencyMs);
    const first = (cls) => hosts.find((h) => h.cls === cls).address;
    const last = (cls) => hosts.filter((h) => h.cls === cls).at(-1).address;
    log(`seed ${seed}; corpus in ${dir} (6 files, ${entries.length} unique URLs, each linked once) and ${healthyDir} ` +
      `(3 files, the ${healthy.length} healthy-host URLs); mock port ${mock.port}, ${latencyMs} ms latency per answer`);
    for (const c of HARD_CLASSES) {
      const what = { healthy: '200', strict: '200', dead: `404/410 (${entries.filter((e) => e.status === 404).length} × 404, ` +
        `${entries.filter((e) => e.status === 410).length} × 410)`, cloudflare: '403 + cf-mitigated: challenge, server: cloudflare, "Just a moment..." page',
      linkedin: '999 to everything' }[c.cls];
      log(`- ${c.cls}: ${c.hosts} host(s) ${first(c.cls)}${c.hosts > 1 ? ` … ${last(c.cls)}` : ''} × ${c.urls} URLs, ` +
        `${c.limit} in flight (beyond: 429 + Retry-After: 1); answers ${what}; truth: ${c.truth}`);
    }
    log(`lower bound: ${bound.address} (${hosts.find((h) => h.address === bound.address).cls}) needs ${bound.requests} ` +
      `requests ÷ ${bound.limit} × ${latencyMs} ms = ${fmt(bound.boundMs)} ms; healthy hosts alone: ` +
      `${healthyBound.requests} ÷ ${healthyBound.limit} × ${latencyMs} ms = ${fmt(healthyBound.boundMs)} ms\n`);

    const classes = HARD_CLASSES.map((c) => c.cls);
    const truthCount = (t) => entries.filter((e) => e.truth === t).length;
    const rows = [];
    const notes = [];
    const results = new Map();
    const wanted = (name) => TOOLS.includes(name) && (only === null || only.some((o) => name.startsWith(o)));
    for (const tool of netTools({ root, corpus: dir, requestTimeoutMs, lycheePath: options.lycheePath ?? null })) {
      if (!wanted(tool.name)) continue;
      if (tool.skip) {
        notes.push(`${tool.name}: ${tool.skip}`);
        continue;
      }
      if (tool.note) notes.push(tool.note);
      const result = await measureTool(tool, { dir, mock, runs, runTimeoutMs, rssMode });
      const p = politeness(result.counters, hosts);
      if (result.error) {
        rows.push([tool.name, `failed: ${result.error}`, '—', '—', '—', '—', '—', String(p.sent429), inFlightCell(p, classes), String(p.beyond)]);
        continue;
      }
      const deadBy = { dead: [], blocked: [], alive: [], unknown: [] };
      for (const url of result.dead) deadBy[truthOf.get(url)?.truth ?? 'unknown'].push(url);
      const tp = deadBy.dead.length;
      const precision = result.dead.size === 0 ? null : tp / result.dead.size;
      const recall = tp / truthCount('dead');
      rows.push([tool.name, fmt(precision, 2), fmt(recall, 2), `${deadBy.blocked.length}/${truthCount('blocked')}`,
        `${deadBy.alive.length}/${truthCount('alive')}`, fmt(result.wallMs), `${fmt(result.wallMs / bound.boundMs, 2)}×`,
        String(p.sent429), inFlightCell(p, classes), String(p.beyond)]);
      results.set(tool.name, { ...result, p, deadBy });
      notes.push(`${tool.name}: ${p.requests} requests (${fmt(p.requests / entries.length, 2)} per URL) over ${p.connections} TCP connections; last request at ` +
        `${fmt(result.counters.lastRequestMs)} ms; per class requests/URL, methods, 429s: ` +
        classes.map((cls) => {
          const k = p.byClass[cls];
          const n = entries.filter((e) => e.cls === cls).length;
          return `${cls} ${fmt(k.requests / n, 2)} (${Object.entries(k.methods).map(([m, c]) => `${m} ${c}`).join(', ') || 'none'}; ${k.sent429} × 429)`;
        }).join(', '));
      const deadByClass = classes.map((cls) => `${cls} ${[...result.dead].filter((u) => truthOf.get(u)?.cls === cls).length}`).join(', ');
      notes.push(`${tool.name}: reported dead by class: ${deadByClass}` +
        (deadBy.unknown.length > 0 ? `; ${deadBy.unknown.length} URL(s) not in the corpus, e.g. ${deadBy.unknown[0]}` : ''));
      if (tool.name === 'linkinator') {
        // Its default JSON lists only BROKEN links; by its source (build/src/index.js) a 999, or a 403 with a
        // `cf-mitigated` header, is SKIPPED ("bot-protected"), so the blocked URLs it left out are the ones it skipped.
        const listed = new Set((JSON.parse(result.run.stdout).links ?? []).map((l) => normalizeUrl(l.url)));
        const blockedUrls = entries.filter((e) => e.truth === 'blocked').map((e) => normalizeUrl(urlOf(e)));
        notes.push(`linkinator: ${blockedUrls.filter((u) => !listed.has(u)).length}/${blockedUrls.length} blocked URLs not called ` +
          'BROKEN (its rule for 999 and for 403 + cf-mitigated marks them SKIPPED, which its default JSON leaves out)');
      }
      if (tool.name === 'waymark') {
        const blocked = waymarkBlocked(result.run.stdout);
        const findings = waymarkFindings(result.run.stdout);
        const reasons = {};
        for (const [url, reason] of blocked) {
          const cls = truthOf.get(url)?.cls ?? 'not in corpus';
          reasons[`${cls}: ${reason}`] = (reasons[`${cls}: ${reason}`] ?? 0) + 1;
        }
        const truthBlocked = entries.filter((e) => e.truth === 'blocked').map((e) => normalizeUrl(urlOf(e)));
        notes.push(`waymark: reported blocked (unverifiable, "blocked by …") ${blocked.size}/${truthBlocked.length} of the ` +
          `blocked URLs: ${Object.entries(reasons).map(([k, n]) => `${k} × ${n}`).join(', ') || 'none'}`);
        const missed = truthBlocked.filter((u) => !blocked.has(u));
        for (const url of missed.slice(0, 3)) {
          notes.push(`waymark: MISBEHAVED on ${url} (${truthOf.get(url).cls}, mock answers HTTP ${truthOf.get(url).status}): ` +
            `${findings.get(url) ?? 'no finding (reported fine)'}`);
        }
        for (const url of deadBy.alive.slice(0, 3)) {
          notes.push(`waymark: MISBEHAVED: alive ${url} (${truthOf.get(url).cls}, HTTP 200 within the limit) reported ` +
            `${findings.get(url) ?? 'dead'}`);
        }
        const others = [...findings].filter(([url, text]) => truthOf.get(url)?.truth === 'alive' && !text.startsWith('dead-link'));
        if (others.length > 0) notes.push(`waymark: ${others.length} other finding(s) on alive URLs, e.g. ${others[0][0]}: ${others[0][1]}`);
      }
    }
    log(renderTable(['tool', 'dead precision', 'dead recall', 'blocked→dead', 'alive→dead', 'wall (ms)', 'vs bound',
      '429s recv', `max in flight ${classes.map((c) => CLASS_SHORT[c]).join('/')}`, 'beyond limit after 1st 429'], rows,
      ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r']));
    log('');
    for (const note of notes) log(note);

    // Healthy hosts alone: Waymark against lychee.
    log('');
    log(`### Healthy hosts only (${healthy.length} URLs on ${hosts.filter((h) => h.cls === 'healthy').length} hosts, ` +
      `lower bound ${fmt(healthyBound.boundMs)} ms)\n`);
    const healthyRows = [];
    const healthyWalls = new Map();
    const healthyNotes = [];
    for (const tool of netTools({ root, corpus: healthyDir, requestTimeoutMs, lycheePath: options.lycheePath ?? null })) {
      if (!['waymark', 'lychee'].includes(tool.name) || !wanted(tool.name)) continue;
      if (tool.skip) {
        healthyNotes.push(`${tool.name}: ${tool.skip}`);
        continue;
      }
      const result = await measureTool(tool, { dir: healthyDir, mock, runs, runTimeoutMs, rssMode });
      const p = politeness(result.counters, hosts);
      // The process's start-up alone (`--version`), so the network part of the wall time can be read off.
      const startup = await runMeasured({ command: tool.command, args: [...(tool.name === 'waymark' ? [tool.args[0]] : []), '--version'],
        cwd: healthyDir, timeoutMs: 30_000, rssMode });
      healthyNotes.push(`${tool.name}: \`--version\` alone takes ${fmt(startup.wallMs)} ms; its last request reached the mock at ` +
        `${fmt(result.counters?.lastRequestMs)} ms; ${p.requests} requests over ${p.connections} TCP connections`);
      if (result.error) {
        healthyRows.push([tool.name, `failed: ${result.error}`, '—', String(p.requests), String(p.connections), String(p.sent429), String(p.byClass.healthy.maxInFlight), '—']);
        continue;
      }
      healthyWalls.set(tool.name, result.wallMs);
      healthyRows.push([tool.name, fmt(result.wallMs), `${fmt(result.wallMs / healthyBound.boundMs, 2)}×`, String(p.requests),
        String(p.connections), String(p.sent429), String(p.byClass.healthy.maxInFlight), String(result.dead.size)]);
    }
    log(renderTable(['tool', 'wall (ms)', 'vs bound', 'requests', 'connections', '429s recv', 'max in flight/host', 'reported dead'],
      healthyRows, ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r']));
    log('');
    for (const note of healthyNotes) log(note);
    const own = healthyWalls.get('waymark');
    const peer = healthyWalls.get('lychee');
    const head = 'Target: wall time on healthy hosts, waymark ≤ 0.8× lychee';
    if (own === undefined || peer === undefined) log(`${head} — not measured (${own === undefined ? 'waymark' : 'lychee'} did not run)`);
    else log(`${head} — ${own <= 0.8 * peer ? 'PASS' : 'FAIL'} (${fmt(own)} vs ${fmt(peer)} ms = ${fmt(own / peer, 2)}×)`);
  } finally {
    await mock.close();
  }
}
