/**
 * The tools compared in the networked section: availability, invocation and how their broken URLs are read.
 *
 * Every tool gets the same per-request timeout and its own option for obeying 429 + `Retry-After`; everything
 * else stays at its defaults. `parse` returns the set of URLs the tool reported broken.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The request URL of a link: fragment dropped, otherwise as the URL parser normalises it. */
export function normalizeUrl(text) {
  try {
    const url = new URL(text);
    url.hash = '';
    return url.href;
  } catch {
    return text;
  }
}

/** Finds an executable on PATH. */
function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir !== '' && existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}

/** Waymark's `--help` text, or an empty string when the bin does not run. */
function waymarkHelp(bin) {
  const help = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8', timeout: 30_000 });
  return `${help.stdout ?? ''}${help.stderr ?? ''}`;
}

/**
 * Picks Waymark's timeout flags from its `--help` (the total per request and the wait for headers), each in the
 * unit its help line names: milliseconds, as in the config, unless the line says seconds.
 */
function waymarkTimeoutArgs(text, ms) {
  const args = [];
  for (const flag of ['--timeout', '--headers-timeout', '--request-timeout']) {
    const line = text.split('\n').find((l) => new RegExp(`${flag}(?![\\w-])`).test(l));
    if (line === undefined) continue;
    args.push(flag, /\bsec(ond)?s?\b/i.test(line) ? String(Math.max(1, Math.round(ms / 1000))) : String(ms));
  }
  return args.length > 0 ? args : null;
}

function parseLinkinator(stdout) {
  const report = JSON.parse(stdout);
  if (!Array.isArray(report.links)) throw new Error('JSON output has no `links` array');
  return new Set(report.links.filter((l) => l.state === 'BROKEN').map((l) => normalizeUrl(l.url)));
}

function parseMarkdownLinkCheck(output) {
  const broken = new Set();
  for (const line of output.split('\n')) {
    const match = /\[✖\]\s+(\S+)/.exec(line);
    if (match) broken.add(normalizeUrl(match[1]));
  }
  return broken;
}

/** Collects every `url` inside lychee's `fail_map` and `error_map` (older and newer output shapes). */
function parseLychee(stdout) {
  const report = JSON.parse(stdout);
  const broken = new Set();
  for (const key of ['fail_map', 'error_map', 'timeout_map']) {
    for (const list of Object.values(report[key] ?? {})) {
      for (const item of list) if (typeof item?.url === 'string') broken.add(normalizeUrl(item.url));
    }
  }
  return broken;
}

function parseWaymark(stdout, rules) {
  const report = JSON.parse(stdout);
  if (!Array.isArray(report.findings)) throw new Error('JSON report has no `findings` array');
  // A weak failure (5xx, reset, timeout) that fails its re-check too is an `unverifiable` warning, not
  // `dead-link`: it is still reported, so it counts as found here, as the other tools' errors do.
  return new Set(report.findings.filter((f) => rules.includes(f.ruleId)).map((f) => normalizeUrl(f.url)));
}

/**
 * The tool table for the networked section; a tool that cannot run here carries `skip` with the reason.
 * lychee is `lycheePath` when given (run.mjs passes the one ensureNativePeers found), else the one native-peers.mjs
 * installs into bench/.work/venv, else the first on PATH.
 * `waymarkRules` are the rules whose findings count as Waymark calling a URL broken: `dead-link` alone
 * for verdicts (section 3), and also `unverifiable` where any report counts (section 2: a weak failure
 * that fails its re-check is an `unverifiable` warning, as the others' errors are reports).
 * @param {{root: string, corpus: string, requestTimeoutMs: number, lycheePath?: string|null, waymarkRules?: string[]}} options
 */
export function netTools({ root, corpus, requestTimeoutMs, lycheePath = null, waymarkRules = ['dead-link'] }) {
  const bin = (name) => join(root, 'bench', 'node_modules', '.bin', name);
  const files = readdirSync(corpus).filter((f) => f.endsWith('.md')).sort();
  const seconds = Math.max(1, Math.round(requestTimeoutMs / 1000));
  const mlcConfig = join(corpus, '.markdown-link-check.json');
  writeFileSync(mlcConfig, `${JSON.stringify({ timeout: `${requestTimeoutMs}ms`, retryOn429: true, fallbackRetryDelay: '1s' })}\n`);
  const waymarkBin = join(root, 'dist', 'bundle', 'cli', 'bin.js');
  const netDir = join(root, 'dist', 'net');
  const netBuilt = existsSync(waymarkBin) && existsSync(netDir) && readdirSync(netDir).some((f) => f.endsWith('.js'));
  const help = netBuilt ? waymarkHelp(waymarkBin) : '';
  // The engine counts as built once dist/net exists and the CLI offers the switch this section needs.
  const engineBuilt = netBuilt && /--allow-private(?![\w-])/.test(help);
  const waymarkTimeout = engineBuilt ? waymarkTimeoutArgs(help, requestTimeoutMs) : null;
  const venvLychee = join(root, 'bench', '.work', 'venv', process.platform === 'win32' ? 'Scripts' : 'bin', 'lychee');
  const lychee = (lycheePath && existsSync(lycheePath) ? lycheePath : null) ?? (existsSync(venvLychee) ? venvLychee : null) ?? onPath('lychee');
  return [
    engineBuilt
      ? {
          name: 'waymark',
          command: process.execPath,
          args: [waymarkBin, '--no-config', '--format', 'json', '--allow-private', ...(waymarkTimeout ?? []), ...files],
          note: waymarkTimeout ? `waymark ran with ${waymarkTimeout.join(' ')}` : 'waymark: no timeout flag in --help; ran with its default timeouts',
          okCodes: [0, 1],
          parse: (run) => parseWaymark(run.stdout, waymarkRules),
        }
      : { name: 'waymark', skip: `HTTP engine not built yet (${netBuilt ? 'the CLI has no --allow-private flag' : 'dist/net is missing'})` },
    {
      name: 'linkinator',
      command: bin('linkinator'),
      args: [...files, '--markdown', '--format', 'json', '--timeout', String(requestTimeoutMs), '--retry'],
      okCodes: [0, 1],
      parse: (run) => parseLinkinator(run.stdout),
    },
    {
      name: 'markdown-link-check',
      command: bin('markdown-link-check'),
      args: ['--config', mlcConfig, '--quiet', '--retry', ...files],
      okCodes: [0, 1],
      parse: (run) => parseMarkdownLinkCheck(`${run.stdout}\n${run.stderr}`),
    },
    lychee
      ? {
          name: 'lychee',
          command: lychee,
          args: ['--format', 'json', '--no-progress', '--timeout', String(seconds), '--max-redirects', '10', ...files],
          okCodes: [0, 2],
          parse: (run) => parseLychee(run.stdout),
        }
      : { name: 'lychee', skip: 'not installed (neither in bench/.work/venv nor on PATH), skipped' },
  ];
}
