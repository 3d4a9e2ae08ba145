#!/usr/bin/env node
/**
 * Waymark's benchmark. `npm run bench` builds the project and runs this file.
 *
 * Usage: node bench/run.mjs [flags]
 *
 *   (no section flag)       section 1 only: offline files and anchors (quick)
 *   --net                   section 2 only: external URLs against a local mock web on 127.0.0.x
 *   --hard                  section 3 only: bot walls, dead hosts and in-flight limits on a local "hard web"
 *   --all                   all three sections
 *   --tools <list>          comma-separated tool names to run (default: all), e.g. waymark,linkinator
 *   --seed <n>              corpus seed (default 1337); printed in the output
 *   --runs <n>              runs per tool in section 1; wall time is the median (default 3)
 *   --timeout <ms>          cap on one tool run in section 1 (default 120000)
 *   --rss <mode>            auto | time | wrapper: how peak RSS is read (default auto: /usr/bin/time -f %M when it
 *                           works, else a wrapper reading process.resourceUsage().maxRSS)
 *   --net-urls <n>          unique URLs in the networked corpus (default 2500)
 *   --net-hosts <n>         mock hosts, served on 127.0.0.2 … 127.0.0.(n+1) (default 50, at most 200)
 *   --latency <ms>          mock per-request latency (default 20)
 *   --host-cap <n>          mock per-host in-flight cap; above it the host answers 429 + Retry-After: 1 (default 4)
 *   --request-timeout <ms>  per-request timeout given to every tool; the slow-header URLs answer later (default 2000)
 *   --net-run-timeout <ms>  cap on one tool run in section 2 (default 300000)
 *   --net-runs <n>          runs per tool in section 2; wall time is the median (default 1)
 *   --hard-runs <n>         runs per tool in section 3; wall time is the median (default 1)
 *   --hard-run-timeout <ms> cap on one tool run in section 3 (default 300000)
 *   (section 3 also uses --latency and --request-timeout)
 *
 * Every figure printed comes from a run in this invocation. Generated corpora go under bench/.work/.
 */
import { parseArgs } from 'node:util';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { detectRssMode } from './lib/measure.mjs';
import { ensureNativePeers } from './lib/native-peers.mjs';
import { runOfflineSection } from './offline/section.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here);

const options = {
  options: {
    net: { type: 'boolean', default: false },
    hard: { type: 'boolean', default: false },
    tools: { type: 'string' },
    all: { type: 'boolean', default: false },
    seed: { type: 'string', default: '1337' },
    runs: { type: 'string', default: '3' },
    timeout: { type: 'string', default: '120000' },
    rss: { type: 'string', default: 'auto' },
    'net-urls': { type: 'string', default: '2500' },
    'net-hosts': { type: 'string', default: '50' },
    latency: { type: 'string', default: '20' },
    'host-cap': { type: 'string', default: '4' },
    'request-timeout': { type: 'string', default: '2000' },
    'net-run-timeout': { type: 'string', default: '300000' },
    'net-runs': { type: 'string', default: '1' },
    'hard-runs': { type: 'string', default: '1' },
    'hard-run-timeout': { type: 'string', default: '300000' },
  },
  strict: true,
};
let values;
try {
  ({ values } = parseArgs(options));
} catch (error) {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}

/** Reads a positive integer flag or exits with a usage error. */
function positive(name) {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value < 1) {
    process.stderr.write(`bench: --${name}: expected a positive integer, got \`${values[name]}\`\n`);
    process.exit(2);
  }
  return value;
}

if (!['auto', 'time', 'wrapper'].includes(values.rss)) {
  process.stderr.write(`bench: --rss: expected one of auto, time, wrapper, got \`${values.rss}\`\n`);
  process.exit(2);
}

const log = (line) => process.stdout.write(`${line}\n`);
const workDir = join(here, '.work');
const seed = positive('seed');
const runs = positive('runs');
const timeoutMs = positive('timeout');
const net = {
  urls: positive('net-urls'),
  hosts: Math.min(positive('net-hosts'), 200),
  latencyMs: positive('latency'),
  hostCap: positive('host-cap'),
  requestTimeoutMs: positive('request-timeout'),
  runTimeoutMs: positive('net-run-timeout'),
  runs: positive('net-runs'),
};
let rssMode;
try {
  rssMode = detectRssMode(values.rss);
} catch (error) {
  process.stderr.write(`bench: --rss: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}
const tools = values.tools === undefined ? undefined : values.tools.split(',').map((t) => t.trim()).filter(Boolean);
const runOffline = values.all || (!values.net && !values.hard);
const runNet = values.all || values.net;
const runHard = values.all || values.hard;
const hard = { latencyMs: net.latencyMs, requestTimeoutMs: net.requestTimeoutMs, runTimeoutMs: positive('hard-run-timeout'),
  runs: positive('hard-runs') };
mkdirSync(workDir, { recursive: true });
installPeers();
const native = ensureNativePeers({ benchDir: here, workDir, log });

log(`# Waymark benchmark (node ${process.version}, seed ${seed})\n`);
if (runOffline) await runOfflineSection({ root, workDir, seed, runs, timeoutMs, rssMode, log, native, ...(tools ? { tools } : {}) });
if (runNet) {
  if (runOffline) log('');
  const { runNetSection } = await import('./net/section.mjs');
  await runNetSection({ root, workDir, seed, rssMode, log, native, ...net, ...(tools ? { tools } : {}) });
}
if (runHard) {
  if (runOffline || runNet) log('');
  const { runHardSection } = await import('./hard/section.mjs');
  await runHardSection({ root, workDir, seed, rssMode, log, lycheePath: native.lychee.path, ...hard, ...(tools ? { tools } : {}) });
}

/**
 * The peers are the benchmark's dependencies, not the product's: they live in bench/package.json and
 * are installed into bench/node_modules the first time the benchmark runs (and again when the lock
 * file changes), so the product's own `npm ci` never pulls them.
 */
function installPeers() {
  const lock = join(here, 'package-lock.json');
  const marker = join(here, 'node_modules', '.package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  log('Installing the benchmark peers into bench/node_modules (npm ci --prefix bench)…');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci', '--prefix', here, '--no-audit', '--no-fund', '--silent'], { stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write('bench: cannot install the peers from bench/package-lock.json; run `npm ci --prefix bench` to see why\n');
    process.exit(2);
  }
}
