#!/usr/bin/env node
/**
 * Runs a Node script in this process and, when the process exits, writes its peak RSS (KiB) to a file.
 * Used when `/usr/bin/time` is not available: `node rss-wrap.mjs <out-file> <script> [args…]`.
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [outFile, script, ...rest] = process.argv.slice(2);
if (outFile === undefined || script === undefined) {
  process.stderr.write('usage: rss-wrap.mjs <out-file> <script> [args…]\n');
  process.exit(2);
}
process.argv = [process.argv[0] ?? 'node', script, ...rest];
process.on('exit', () => writeFileSync(outFile, `${process.resourceUsage().maxRSS}\n`));
await import(pathToFileURL(script).href);
