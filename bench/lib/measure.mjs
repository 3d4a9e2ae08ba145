/**
 * Runs a tool as a child process and measures its wall time and peak resident set size.
 *
 * Peak RSS comes from GNU `/usr/bin/time -f %M` when it works here, otherwise from `rss-wrap.mjs`, which runs a
 * Node script in-process and reads `process.resourceUsage().maxRSS` at exit (only Node tools can be measured that
 * way; others get no RSS figure). Children run asynchronously so the bench's own mock servers keep serving.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const wrapper = fileURLToPath(new URL('./rss-wrap.mjs', import.meta.url));
const gnuTime = '/usr/bin/time';

/**
 * Finds out how peak RSS can be measured on this machine.
 * @param {'auto'|'time'|'wrapper'} wanted
 * @returns {'time'|'wrapper'}
 */
export function detectRssMode(wanted = 'auto') {
  if (wanted === 'wrapper') return 'wrapper';
  const works = existsSync(gnuTime) && probeGnuTime();
  if (wanted === 'time' && !works) throw new Error(`${gnuTime} -f %M does not work here`);
  return works ? 'time' : 'wrapper';
}

function probeGnuTime() {
  const dir = mkdtempSync(join(tmpdir(), 'waymark-bench-'));
  try {
    const out = join(dir, 'rss');
    const result = spawnSync(gnuTime, ['-o', out, '-f', '%M', process.execPath, '-e', '0']);
    return result.status === 0 && Number(readFileSync(out, 'utf8').trim()) > 0;
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** True when a command is a Node script the wrapper can load. */
function isNodeScript(command) {
  try {
    const real = realpathSync(command);
    if (/\.(mjs|cjs|js)$/.test(real)) return true;
    return /^#!.*\bnode\b/.test(readFileSync(real, 'utf8').slice(0, 200));
  } catch {
    return false;
  }
}

/**
 * Runs one command once.
 * @param {{command: string, args: string[], cwd: string, timeoutMs: number, rssMode: 'time'|'wrapper',
 *   env?: NodeJS.ProcessEnv}} options
 * @returns {Promise<{wallMs: number, rssKb: number|null, code: number|null, signal: string|null,
 *   timedOut: boolean, stdout: string, stderr: string}>}
 */
export async function runMeasured({ command, args, cwd, timeoutMs, rssMode, env = process.env }) {
  const dir = mkdtempSync(join(tmpdir(), 'waymark-bench-'));
  const rssFile = join(dir, 'rss');
  let file = command;
  let argv = args;
  if (rssMode === 'time') {
    file = gnuTime;
    argv = ['-o', rssFile, '-f', '%M', command, ...args];
  } else if (isNodeScript(command)) {
    file = process.execPath;
    argv = [wrapper, rssFile, realpathSync(command), ...args];
  }
  const started = process.hrtime.bigint();
  const child = spawn(file, argv, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout = [];
  const stderr = [];
  child.stdout.on('data', (chunk) => stdout.push(chunk));
  child.stderr.on('data', (chunk) => stderr.push(chunk));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  }, timeoutMs);
  const { code, signal } = await new Promise((resolve) => {
    child.on('error', (error) => {
      stderr.push(Buffer.from(`cannot start ${file}: ${error.message}\n`));
      resolve({ code: null, signal: 'spawn-error' });
    });
    child.on('close', (exitCode, exitSignal) => resolve({ code: exitCode, signal: exitSignal }));
  });
  clearTimeout(timer);
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  let rssKb = null;
  try {
    const numbers = readFileSync(rssFile, 'utf8').match(/^\d+$/gm);
    if (numbers) rssKb = Number(numbers[numbers.length - 1]);
  } catch {
    rssKb = null;
  }
  rmSync(dir, { recursive: true, force: true });
  return {
    wallMs,
    rssKb,
    code,
    signal,
    timedOut,
    stdout: Buffer.concat(stdout).toString('utf8'),
    stderr: Buffer.concat(stderr).toString('utf8'),
  };
}

/** The median of a non-empty list of numbers. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
