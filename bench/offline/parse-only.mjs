#!/usr/bin/env node
/**
 * The floor for the large-file row: parse the named markdown files with unified + remark-parse + remark-gfm (the
 * versions Waymark itself uses, resolved from the repository's node_modules) and do nothing else.
 * Usage: node parse-only.mjs <repository root> <file…>
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [root, ...files] = process.argv.slice(2);
const require = createRequire(join(root, 'package.json'));
const load = async (name) => (await import(pathToFileURL(require.resolve(name)).href)).default;
const [unified, remarkParse, remarkGfm] = await Promise.all([
  import(pathToFileURL(require.resolve('unified')).href).then((m) => m.unified),
  load('remark-parse'),
  load('remark-gfm'),
]);
const processor = unified().use(remarkParse).use(remarkGfm);
let nodes = 0;
const count = (node) => {
  nodes++;
  for (const child of node.children ?? []) count(child);
};
for (const file of files) count(processor.parse(readFileSync(file, 'utf8')));
process.stdout.write(`${JSON.stringify({ files: files.length, nodes })}\n`);
