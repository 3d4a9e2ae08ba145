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

/**
 * The tool table for the offline section.
 * @param {{root: string, corpus: string}} paths the repository root and the corpus directory
 */
export function offlineTools({ root, corpus }) {
  const bin = (name) => join(root, 'bench', 'node_modules', '.bin', name);
  return [
    {
      name: 'waymark',
      command: process.execPath,
      args: [join(root, 'dist', 'cli', 'bin.js'), '--offline', '--no-config', '--format', 'json', '.'],
      cwd: corpus,
      okCodes: [0, 1],
      parse: (run) => parseWaymark(run.stdout),
    },
    {
      name: 'remark-validate-links',
      command: bin('remark'),
      args: ['--no-config', '--no-stdout', '--no-color', '--quiet', '--use', 'remark-gfm',
        '--use', 'remark-validate-links=repository:false', '.'],
      cwd: corpus,
      okCodes: [0, 1],
      parse: (run) => parseRemark(`${run.stdout}\n${run.stderr}`),
    },
    {
      name: 'markdownlint-cli2 (MD051)',
      command: bin('markdownlint-cli2'),
      args: ['**/*.md'],
      cwd: corpus,
      okCodes: [0, 1],
      parse: (run) => parseMarkdownlint(`${run.stdout}\n${run.stderr}`),
    },
  ];
}

/** Config that turns off every markdownlint rule except MD051 (link fragments). */
export const MARKDOWNLINT_CONFIG = '{ "config": { "default": false, "MD051": true } }\n';
