import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { run } from '../../src/cli/run.js';

/** Collects everything written to it. */
export class Capture extends Writable {
  text = '';
  isTTY = false;

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString();
    callback();
  }
}

/** The outcome of one in-process CLI run. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in-process in `cwd` with captured streams and no colour unless `env` asks. */
export async function runCli(
  cwd: string,
  argv: readonly string[],
  env: Record<string, string> = {},
  terminal?: { readonly isTTY: boolean; readonly columns: number },
): Promise<CliResult> {
  const stdout = Object.assign(new Capture(), terminal);
  const stderr = new Capture();
  const code = await run({ argv, cwd, env, stdout, stderr });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** A temporary directory filled with the given files (paths relative to it; strings or bytes). */
export async function tempTree(files: Record<string, string | Uint8Array>): Promise<{ dir: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'waymark-test-'));
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
  }
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
