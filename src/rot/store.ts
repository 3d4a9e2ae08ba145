/**
 * Reading and writing the ledger file (default `.waymark/ledger.json`). A missing file is a first
 * run; a file that is not a ledger, or of another version, is an error naming the file: it is
 * never silently replaced (`--reset-ledger` starts over on purpose). Writes are atomic.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import * as v from 'valibot';
import { InputError } from '../errors.js';
import { codeOf, safeWrite, WriteError } from '../io/write.js';
import { emptyLedger, ledgerVersion, type Ledger } from './ledger.js';

/** The default ledger path, relative to the repository root. */
export const defaultLedgerPath = '.waymark/ledger.json';

const outcome = v.picklist(['ok', 'failed', 'unverifiable']);
const date = v.pipe(v.string(), v.isoTimestamp());
const entry = v.object({
  url: v.string(),
  firstFailed: v.optional(date),
  consecutiveFailures: v.pipe(v.number(), v.integer(), v.minValue(0)),
  unverifiableRuns: v.pipe(v.number(), v.integer(), v.minValue(0)),
  lastSuccess: v.optional(date),
  lastChecked: date,
  lastOutcome: outcome,
  lastReason: v.string(),
  linkedAt: v.array(v.object({ file: v.string(), line: v.pipe(v.number(), v.integer(), v.minValue(1)) })),
  fix: v.optional(v.string()),
  history: v.array(outcome),
});
const ledgerSchema = v.object({
  version: v.literal(ledgerVersion),
  runs: v.array(date),
  issue: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  urls: v.record(v.string(), entry),
});

/** Reads the ledger at `file` (`shown` names it in errors); a missing file gives an empty ledger. */
export async function readLedger(file: string, shown: string): Promise<Ledger> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = codeOf(error);
    if (code === 'ENOENT') return emptyLedger;
    throw new InputError(shown, `Cannot read the ledger (${code ?? 'error'})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new InputError(shown, 'Unexpected content: not a JSON ledger; fix or move it, or pass --reset-ledger to start over');
  }
  const version = typeof parsed === 'object' && parsed !== null && 'version' in parsed ? parsed.version : undefined;
  if (version !== ledgerVersion) {
    throw new InputError(
      shown,
      `Unexpected ledger version ${JSON.stringify(version)}, expected ${ledgerVersion}; pass --reset-ledger to start over`,
    );
  }
  const result = v.safeParse(ledgerSchema, parsed);
  if (!result.success) {
    const where = result.issues[0].path?.map((item) => String(item.key)).join('.') ?? '';
    throw new InputError(shown, `Unexpected ledger content at \`${where}\`; pass --reset-ledger to start over`);
  }
  const urls = Object.assign(Object.create(null) as Record<string, Ledger['urls'][string]>, result.output.urls);
  return { ...result.output, urls } as Ledger;
}

/** Writes the ledger atomically, creating its directory. */
export async function writeLedger(file: string, shown: string, ledger: Ledger): Promise<void> {
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await safeWrite(file, `${JSON.stringify(ledger, null, 2)}\n`);
  } catch (error) {
    if (error instanceof WriteError) throw new InputError(shown, error.message);
    throw new InputError(shown, `Cannot write the ledger (${codeOf(error) ?? 'error'})`);
  }
}
