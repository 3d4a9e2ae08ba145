#!/usr/bin/env node
/**
 * The floors for the cold and large-file rows: parse the named markdown files (a directory stands for every
 * `.md` file under it) with the versions Waymark itself uses, resolved from the repository's node_modules, and do
 * nothing else. By default that is unified + remark-parse + remark-gfm, the syntax tree Waymark walks; with
 * `--tokens` it is micromark with the GFM extension alone, the tokenizer under remark-parse, without the tree.
 * Usage: node parse-only.mjs [--tokens] <repository root> <file or directory…>
 */
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fg from 'fast-glob';

const args = process.argv.slice(2);
const tokensOnly = args[0] === '--tokens';
const [root, ...targets] = tokensOnly ? args.slice(1) : args;
const files = targets.flatMap((target) =>
  statSync(target).isDirectory() ? fg.sync('**/*.md', { cwd: target }).map((file) => join(target, file)) : [target]);
const require = createRequire(join(root, 'package.json'));
const load = async (name) => import(pathToFileURL(require.resolve(name)).href);

/** Parses one text; returns how many nodes (tree) or events (tokens) it gave. */
let parse;
if (tokensOnly) {
  const [{ parse: micromarkParse, postprocess, preprocess }, { gfm }] = await Promise.all([load('micromark'), load('micromark-extension-gfm')]);
  const extensions = [gfm()];
  parse = (text) => postprocess(micromarkParse({ extensions }).document().write(preprocess()(text, undefined, true))).length;
} else {
  const [{ unified }, remarkParse, remarkGfm] = await Promise.all([load('unified'), load('remark-parse'), load('remark-gfm')]);
  const processor = unified().use(remarkParse.default).use(remarkGfm.default);
  const count = (node) => 1 + (node.children ?? []).reduce((sum, child) => sum + count(child), 0);
  parse = (text) => count(processor.parse(text));
}
let nodes = 0;
for (const file of files) nodes += parse(readFileSync(file, 'utf8'));
process.stdout.write(`${JSON.stringify({ files: files.length, nodes })}\n`);
