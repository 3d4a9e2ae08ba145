/**
 * The tools compared in the offline section: how each is invoked on the corpus and how its output is read.
 *
 * Each tool's `parse` returns the locations it reported (`file:line`, relative to the corpus root) so they can
 * be matched against the known broken links, or throws when the output cannot be read.
 */
import { join } from 'node:path';

/** The findings of `waymark --format json` that concern local files and anchors. */
const WAYMARK_RULES = new Set(['missing-anchor', 'missing-file']);

const normalize = (file) => file.replace(/\\/g, '/').replace(/^\.\//, '');

/** Reads a Waymark JSON report. */
function parseWaymark(stdout) {
  const report = JSON.parse(stdout);
  if (!Array.isArray(report.findings)) throw new Error('JSON report has no `findings` array');
  const relevant = report.findings.filter((f) => WAYMARK_RULES.has(f.ruleId));
  return {
    findings: relevant.length,
    locations: relevant.map((f) => `${normalize(f.file)}:${f.line}`),
    note: `summary: ${JSON.stringify(report.summary)}`,
  };
}

/** Reads remark-cli's default reporter output (uncoloured): a file line, then `line:col-line:col  warning …`. */
function parseRemark(output) {
  const locations = [];
  let file = null;
  for (const line of output.split('\n')) {
    const header = /^(\S.*\.md)$/.exec(line);
    if (header) {
      file = normalize(header[1]);
      continue;
    }
    const message = /^\s*(\d+):\d+(?:-\d+:\d+)?\s+warning\s/.exec(line);
    if (message && file !== null) locations.push(`${file}:${message[1]}`);
  }
  return { findings: locations.length, locations };
}

/** Reads markdownlint-cli2's default output: `file:line[:col] error MD051/link-fragments …`. */
function parseMarkdownlint(output) {
  const locations = [];
  for (const line of output.split('\n')) {
    const match = /^(.+?\.md):(\d+)(?::\d+)? (?:error|warning) MD051\//.exec(line);
    if (match) locations.push(`${normalize(match[1])}:${match[2]}`);
  }
  return { findings: locations.length, locations };
}

/** Reads `rumdl check --output-format json`: an array of `{file, line, rule, …}`. */
function parseRumdl(stdout) {
  const report = JSON.parse(stdout);
  if (!Array.isArray(report)) throw new Error('JSON output is not an array');
  const relevant = report.filter((w) => w.rule === 'MD051' || w.rule === 'MD057');
  return { findings: relevant.length, locations: relevant.map((w) => `${normalize(w.file)}:${w.line}`) };
}

/** Reads `lychee --format json`: `error_map` (and `fail_map` in older versions) keyed by input file, with spans. */
function parseLychee(stdout) {
  const report = JSON.parse(stdout);
  const locations = [];
  for (const key of ['error_map', 'fail_map', 'timeout_map']) {
    for (const [file, list] of Object.entries(report[key] ?? {})) {
      for (const item of list) locations.push(`${normalize(file)}:${item?.span?.line ?? '?'}`);
    }
  }
  return { findings: locations.length, locations };
}

/** Reads parse-only.mjs's one JSON line (no findings: it only parses). */
function parseParseOnly(stdout) {
  const out = JSON.parse(stdout);
  return { findings: 0, locations: [], note: null, nodes: out.nodes };
}

/**
 * The tool table for the offline section; a tool that cannot run here carries `skip` with the reason.
 * @param {{root: string, corpus: string, targets: string[], native: {lychee: {path: string|null, note: string},
 *   rumdl: {path: string|null, note: string}}, parseOnly?: boolean}} options
 *   `targets` are the paths every tool is given (`.` for the corpus, or the large file); `parseOnly` adds the
 *   reference rows: remark-parse + remark-gfm, and micromark's tokenizer without the tree
 */
export function offlineTools({ root, corpus, targets, native, parseOnly = false }) {
  const bin = (name) => join(root, 'bench', 'node_modules', '.bin', name);
  const globs = targets.map((t) => (t === '.' ? '**/*.md' : t));
  const list = [
    {
      name: 'waymark',
      command: process.execPath,
      args: [join(root, 'dist', 'bundle', 'cli', 'bin.js'), '--offline', '--no-config', '--root', '.', '--format', 'json', ...targets],
      cwd: corpus,
      okCodes: [0, 1],
      parse: (run) => parseWaymark(run.stdout),
    },
    {
      name: 'remark-validate-links',
      command: bin('remark'),
      args: ['--no-config', '--no-stdout', '--no-color', '--quiet', '--use', 'remark-gfm',
        '--use', 'remark-validate-links=repository:false', ...targets],
      cwd: corpus,
      okCodes: [0, 1],
      parse: (run) => parseRemark(`${run.stdout}\n${run.stderr}`),
    },
    {
      name: 'markdownlint-cli2 (MD051)',
      command: bin('markdownlint-cli2'),
      args: globs,
      cwd: corpus,
      okCodes: [0, 1],
      parse: (run) => parseMarkdownlint(`${run.stdout}\n${run.stderr}`),
    },
    native.rumdl.path === null
      ? { name: 'rumdl (MD051, MD057)', skip: native.rumdl.note }
      : {
          name: 'rumdl (MD051, MD057)',
          command: native.rumdl.path,
          args: ['check', '--no-config', '--enable', 'MD051,MD057', '--output-format', 'json', '--color', 'never', ...targets],
          cwd: corpus,
          okCodes: [0, 1],
          parse: (run) => parseRumdl(run.stdout),
        },
    native.lychee.path === null
      ? { name: 'lychee (--offline)', skip: native.lychee.note }
      : {
          name: 'lychee (--offline)',
          command: native.lychee.path,
          args: ['--offline', '--include-fragments', '--format', 'json', '--no-progress', ...targets],
          cwd: corpus,
          okCodes: [0, 2],
          parse: (run) => parseLychee(run.stdout),
        },
  ];
  if (parseOnly) {
    const floor = (name, flags) => ({
      name,
      reference: true,
      command: process.execPath,
      args: [join(root, 'bench', 'offline', 'parse-only.mjs'), ...flags, root, ...targets],
      cwd: corpus,
      okCodes: [0],
      parse: (run) => parseParseOnly(run.stdout),
    });
    list.push(floor(PARSE_FLOOR, []), floor(TOKEN_FLOOR, ['--tokens']));
  }
  return list;
}

/** The reference rows: the parse Waymark builds on, and the tokenizer under it without the syntax tree. */
export const PARSE_FLOOR = 'remark-parse + remark-gfm alone';
export const TOKEN_FLOOR = 'micromark tokenizer alone';

/** Config that turns off every markdownlint rule except MD051 (link fragments). */
export const MARKDOWNLINT_CONFIG = '{ "config": { "default": false, "MD051": true } }\n';
