/**
 * The edge of `--fix`: reads each file with fixes again, makes sure it is the file that was
 * checked, plans (plan.ts) and writes it atomically through src/io/write.ts, or only diffs it.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { codeOf, finalTarget, safeWrite, WriteError } from '../io/write.js';
import type { Finding, RuleId } from '../types.js';
import { unifiedDiff } from './diff.js';
import { planFile, type FilePlan } from './plan.js';

/** What happened to one file that had fixes to make. */
export type FileOutcome =
  /** Written (or, in a dry run, `diff` says what would be). */
  | { readonly kind: 'fixed'; readonly file: string; readonly plan: Extract<FilePlan, { kind: 'plan' }>; readonly diff?: string }
  /** Every fix of the file was left out; `plan.skipped` says why. */
  | { readonly kind: 'unchanged'; readonly file: string; readonly plan: Extract<FilePlan, { kind: 'plan' }> }
  /** Left alone: the file on disk is not the one checked, it is read-only, or it could not be read or written. */
  | { readonly kind: 'left-alone'; readonly file: string; readonly reason: 'changed' | 'read-only' | 'error'; readonly message: string };

/** What `fixFiles` needs. */
export interface FixOptions {
  readonly cwd: string;
  /** Every finding of the run; those of `rules` are fixed. */
  readonly findings: readonly Finding[];
  readonly rules: ReadonlySet<RuleId>;
  /** The SHA-256 (hex) of each file's bytes as the check read them, by absolute path. */
  readonly checked: ReadonlyMap<string, string>;
  /** Plan and diff, write nothing. */
  readonly dryRun: boolean;
}

/** The SHA-256 of some bytes, in hex: how the check's copy of a file is remembered. */
export function digest(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Fixes every file that has a finding with a fix of the chosen rules, one file after another. */
export async function fixFiles(options: FixOptions): Promise<FileOutcome[]> {
  const byFile = new Map<string, Finding[]>();
  for (const finding of options.findings) {
    if (!options.rules.has(finding.ruleId)) continue;
    const list = byFile.get(finding.file);
    if (list === undefined) byFile.set(finding.file, [finding]);
    else list.push(finding);
  }
  const outcomes: FileOutcome[] = [];
  for (const [file, findings] of byFile) {
    if (!findings.some((finding) => finding.fix !== undefined)) continue;
    outcomes.push(await fixFile(file, findings, options));
  }
  return outcomes;
}

async function fixFile(file: string, findings: readonly Finding[], options: FixOptions): Promise<FileOutcome> {
  const absolute = path.resolve(options.cwd, file);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(absolute);
  } catch (error) {
    return leftAlone(file, 'error', `Cannot read file to fix (${codeOf(error) ?? 'read error'}); left as it is`);
  }
  if (options.checked.get(absolute) !== digest(bytes)) return changed(file);
  const plan = planFile(file, bytes, findings);
  if (plan.kind === 'undecodable') return changed(file);
  if (plan.applied.length === 0) return { kind: 'unchanged', file, plan };
  if (options.dryRun) return { kind: 'fixed', file, plan, diff: unifiedDiff(file, bytes, plan.patched) };
  try {
    const target = await finalTarget(absolute);
    if (target.kind === 'file' && (target.mode & 0o222) === 0) {
      return leftAlone(file, 'read-only', 'Cannot fix: the file is read-only; left as it is');
    }
    await safeWrite(absolute, plan.patched, { verify: (real) => sameBytes(real, bytes, file) });
  } catch (error) {
    if (error instanceof ChangedError) return changed(file);
    const message = error instanceof WriteError ? error.message : String(error);
    const readOnly = error instanceof WriteError && (error.code === 'EACCES' || error.code === 'EPERM' || error.code === 'EROFS');
    return leftAlone(file, readOnly ? 'read-only' : 'error', `Cannot fix: ${lowerFirst(message)}; left as it is`);
  }
  return { kind: 'fixed', file, plan };
}

/** Thrown from the last look before the rename when the file is no longer what was read. */
class ChangedError extends WriteError {}

/** Rejects with a {@link ChangedError} when `target` no longer holds `expected`. */
async function sameBytes(target: string, expected: Uint8Array, file: string): Promise<void> {
  const now = await readFile(target).catch(() => undefined);
  if (now === undefined || Buffer.compare(now, expected) !== 0) throw new ChangedError(file, 'changed on disk');
}

function changed(file: string): FileOutcome {
  return leftAlone(file, 'changed', 'Cannot fix: the file changed on disk since it was checked; left as it is (run again)');
}

function leftAlone(file: string, reason: 'changed' | 'read-only' | 'error', message: string): FileOutcome {
  return { kind: 'left-alone', file, reason, message };
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
