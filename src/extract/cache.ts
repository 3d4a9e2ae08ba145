/**
 * The parse cache (`.waymark/parse-cache/`): what extraction gave for a file, one JSON file per
 * entry, named by the SHA-256 of Waymark's version and the file's text, so a file that did not
 * change is not parsed again and another version's entries never match. Entries never change
 * once written, so a run writes only the entries it added and removes those it did not use:
 * editing one file of two hundred writes one small file, not the whole cache. A cache that
 * cannot be read is ignored and one that cannot be written is a warning: the run never depends
 * on it.
 */
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, readdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import pLimit from 'p-limit';
import { codeOf, escapesRoot, isInside, safeWrite, WriteError } from '../io/write.js';
import type { Document } from '../types.js';
import { decodeEntry, encodeEntry } from './cache-format.js';

/** What is stored per file: the document without its name (the same text may live at two paths). */
type Stored = Omit<Document, 'file'>;

/** The parse cache of one run. */
export interface ParseCache {
  /** The key a text is stored under; computed once per file and passed to the others. */
  key(text: string): string;
  /** The extraction of `text` stored under `key`, named `file`, when that text was extracted before. */
  get(file: string, key: string, text: string): Promise<Document | undefined>;
  /** Records the extraction of `text` under `key`; it is written in the background. */
  set(document: Document, key: string, text: string): void;
  /** Waits for the entries this run added, removes the ones it did not use; a problem is a warning. */
  save(): Promise<string | undefined>;
}

const arrayKeys = ['links', 'anchors', 'headings', 'undefinedReferences', 'unusedDefinitions', 'directives', 'listEntries'] as const;

function isStored(value: unknown): value is Stored {
  if (typeof value !== 'object' || value === null) return false;
  return arrayKeys.every((key) => Array.isArray((value as Record<string, unknown>)[key]));
}

/** An entry's file name: 64 hex digits and `.json`. */
const entryName = /^[0-9a-f]{64}\.json$/;

/** Entry files read or written at once. */
const ioConcurrency = 16;

/** The entry at `file` for `text`, when there is a valid one; a symlink is never followed. */
async function readEntry(file: string, text: string): Promise<Stored | undefined> {
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
    const parsed: unknown = JSON.parse(await handle.readFile('utf8'));
    return isStored(parsed) ? (decodeEntry(parsed, text) as Stored) : undefined;
  } catch {
    // Missing, a symlink, unreadable or not JSON: a miss.
    return undefined;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/**
 * Opens the cache in `directory` for Waymark `version`; `root` is where reads and writes must
 * stay, so a `.waymark` or cache directory that is a symlink out of the repository gives no cache.
 */
export async function openParseCache(directory: string, version: string, root: string): Promise<ParseCache | undefined> {
  if ((await escapesRoot(directory, root)) !== undefined) return undefined;
  const limit = pLimit(ioConcurrency);
  const used = new Set<string>();
  const writes: Promise<string | undefined>[] = [];
  const inside = (target: string): boolean => isInside(target, path.resolve(root));
  const fileOf = (key: string): string => path.join(directory, `${key}.json`);
  let made: Promise<void> | undefined;
  const write = async (key: string, json: string): Promise<string | undefined> => {
    try {
      made ??= mkdir(directory, { recursive: true }).then(() => undefined);
      await made;
      await safeWrite(fileOf(key), json, { allow: inside });
      return undefined;
    } catch (error) {
      return error instanceof WriteError ? error.message : (codeOf(error) ?? String(error));
    }
  };
  return {
    key: (text) => createHash('sha256').update(version).update('\0').update(text).digest('hex'),
    async get(name, key, text) {
      const entry = await limit(() => readEntry(fileOf(key), text));
      if (entry === undefined) return undefined;
      used.add(key);
      return { file: name, ...entry };
    },
    set(document, key, text) {
      if (used.has(key)) return;
      used.add(key);
      const { file: _file, ...entry } = document;
      // Encoded when its turn to be written comes, so at most a few entries' JSON exist at once.
      writes.push(limit(() => {
        const json = encodeEntry(entry, text);
        return json === undefined ? Promise.resolve(undefined) : write(key, json);
      }));
    },
    async save() {
      const problem = (await Promise.all(writes)).find((reason) => reason !== undefined);
      if (problem !== undefined) return `Cannot write the parse cache (${problem}); files are parsed again next run`;
      const names = await readdir(directory).catch(() => [] as string[]);
      const stale = names.filter((name) => entryName.test(name) && !used.has(name.slice(0, -'.json'.length)));
      await Promise.all(stale.map((name) => limit(() => unlink(path.join(directory, name)).catch(() => undefined))));
      return undefined;
    },
  };
}
