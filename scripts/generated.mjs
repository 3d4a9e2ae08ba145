// Shared by the scripts that write committed, generated files (schema.json, action/index.mjs):
// write the text atomically, or with `--check` only compare and exit 1 when the file is stale.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';

/** Writes `text` to `target` (a file URL), or checks it is already there; `command` regenerates it. */
export function writeOrCheck(target, text, command) {
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(target, 'utf8');
    } catch {
      // Missing counts as stale.
    }
    if (current !== text) {
      console.error(`${target.pathname.split('/').slice(-2).join('/')} is stale: run \`${command}\``);
      process.exit(1);
    }
    return;
  }
  const temp = new URL(`${target.href}.${process.pid}.tmp`);
  writeFileSync(temp, text);
  renameSync(temp, target);
}
