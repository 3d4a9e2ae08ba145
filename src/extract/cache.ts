/**
 * The parse cache (`.waymark/parse-cache.json`): what extraction gave for a file, keyed by the
 * SHA-256 of its text, so a file that did not change is not parsed again. The whole cache
 * belongs to one Waymark version; another version's cache is ignored. A cache that cannot be
 * read is ignored and one that cannot be written is a warning: the run never depends on it.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { escapesRoot, isInside, safeWrite } from '../io/write.js';
import type { Document } from '../types.js';

/** What is stored per file: the document without its name (the same text may live at two paths). */
type Stored = Omit<Document, 'file'>;

/** The parse cache of one run. */
export interface ParseCache {
  /** The key a text is stored under (its SHA-256); computed once per file and passed to the others. */
  key(text: string): string;
  /** The extraction stored under `key`, named `file`, when that text was extracted before. */
  get(file: string, key: string): Document | undefined;
  /** Records an extraction under `key`. */
  set(document: Document, key: string): void;
  /** Writes the entries used this run (and only those), atomically, unless that is what the file holds; a problem is a warning. */
  save(): Promise<string | undefined>;
}

const arrayKeys = ['links', 'anchors', 'headings', 'undefinedReferences', 'unusedDefinitions', 'directives', 'listEntries'] as const;

function isStored(value: unknown): value is Stored {
  if (typeof value !== 'object' || value === null) return false;
  return arrayKeys.every((key) => Array.isArray((value as Record<string, unknown>)[key]));
}

function hashOf(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The cache file's text, one entry at a time: a run over 200,000 links would otherwise build a
 * string of the whole cache (and its copy as bytes) at the end of the run, its memory peak.
 */
function* serialize(version: string, entries: ReadonlyMap<string, Stored>): Generator<string> {
  yield `{"version":${JSON.stringify(version)},"entries":{`;
  let first = true;
  for (const [hash, entry] of entries) {
    yield `${first ? '' : ','}${JSON.stringify(hash)}:${JSON.stringify(entry)}`;
    first = false;
  }
  yield '}}\n';
}

/** Opens the cache at `file` for Waymark `version`; `root` is where writes must stay. */
export async function openParseCache(file: string, version: string, root: string): Promise<ParseCache | undefined> {
  // A `.waymark` (or cache file) that is a symlink out of the repository is never read or written.
  if ((await escapesRoot(file, root)) !== undefined) return undefined;
  const stored = new Map<string, Stored>();
  try {
    const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
    if (typeof parsed === 'object' && parsed !== null && 'version' in parsed && parsed.version === version && 'entries' in parsed) {
      const entries = parsed.entries;
      if (typeof entries === 'object' && entries !== null) {
        for (const [hash, entry] of Object.entries(entries)) if (isStored(entry)) stored.set(hash, entry);
      }
    }
  } catch {
    // Missing or unreadable: start empty.
  }
  const used = new Map<string, Stored>();
  let added = false;
  const inside = (target: string): boolean => isInside(target, path.resolve(root));
  return {
    key: hashOf,
    get(name, key) {
      const entry = stored.get(key);
      if (entry === undefined) return undefined;
      used.set(key, entry);
      return { file: name, ...entry };
    },
    set(document, key) {
      const { file: _file, ...entry } = document;
      used.set(key, entry);
      added = true;
    },
    async save() {
      // Nothing new and nothing to drop: the file on disk already says exactly this.
      if (!added && used.size === stored.size) return undefined;
      try {
        await mkdir(path.dirname(file), { recursive: true });
        await safeWrite(file, serialize(version, used), { allow: inside });
        return undefined;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        return `Cannot write the parse cache (${reason}); files are parsed again next run`;
      }
    },
  };
}
