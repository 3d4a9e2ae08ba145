/**
 * The result cache (`.waymark/cache.json`): a success stays fresh for `maxCacheAge` seconds, a
 * failure for at most an hour, so a scheduled run and a pull-request run don't re-hit every host.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import * as v from 'valibot';
import { codeOf, escapesRoot, safeWrite, WriteError } from '../io/write.js';
import {
  fragmentUnverifiableReasons,
  isUntried,
  netErrorKinds,
  providerNames,
  responseUnverifiableReasons,
  type NetError,
  type ProviderFacts,
  type TargetStatus,
} from '../types.js';
import type { FragmentStatus, UrlResult } from './types.js';

/** Failures are never trusted for longer than this, in seconds. */
export const maxFailureAge = 3600;

/** One cached verdict. */
interface CacheEntry {
  readonly checkedAt: number;
  readonly status: TargetStatus;
  /** Keyed by user data (fragments as linked), so a `Map`: `toString` or `__proto__` is just a key. */
  readonly fragments: ReadonlyMap<string, FragmentStatus>;
  readonly error?: NetError;
  readonly provider?: ProviderFacts;
}

/** An entry as stored in the file. */
interface StoredEntry extends Omit<CacheEntry, 'fragments'> {
  readonly fragments: Readonly<Record<string, FragmentStatus>>;
}

interface CacheFile {
  readonly version: 1;
  readonly entries: Readonly<Record<string, StoredEntry>>;
}

const netErrorSchema = v.object({
  kind: v.picklist(netErrorKinds),
  code: v.optional(v.string()),
  message: v.string(),
  hint: v.optional(v.string()),
});
const redirectsSchema = v.array(v.object({ status: v.number(), from: v.string(), to: v.string() }));
const weakFailureSchema = v.variant('kind', [
  v.object({ kind: v.literal('http'), status: v.number() }),
  v.object({ kind: v.literal('net'), error: netErrorSchema }),
]);
const pageSchema = v.object({ title: v.optional(v.string()), heading: v.optional(v.string()) });
const statusSchema = v.variant('kind', [
  v.object({ kind: v.literal('ok'), status: v.number(), redirects: redirectsSchema, page: v.optional(pageSchema) }),
  v.object({ kind: v.literal('http-error'), status: v.number(), redirects: redirectsSchema }),
  v.object({ kind: v.literal('net-error'), error: netErrorSchema, redirects: redirectsSchema }),
  v.object({
    kind: v.literal('unverifiable'),
    reason: v.picklist(responseUnverifiableReasons),
    status: v.optional(v.number()),
    wall: v.optional(v.string()),
    failures: v.optional(v.array(weakFailureSchema)),
  }),
]);
const fragmentSchema = v.variant('kind', [
  v.object({ kind: v.literal('found') }),
  v.object({ kind: v.literal('missing'), suggestion: v.optional(v.string()) }),
  v.object({
    kind: v.literal('unverifiable'),
    reason: v.picklist(fragmentUnverifiableReasons),
    error: v.optional(netErrorSchema),
  }),
]);
const providerSchema = v.object({
  name: v.picklist(providerNames),
  isVerdict: v.boolean(),
  apiStatus: v.optional(v.number()),
  archived: v.optional(v.boolean()),
});
// The fragment and URL maps are read by hand: a schema record drops keys such as `constructor`.
const entrySchema = v.object({
  checkedAt: v.number(),
  status: statusSchema,
  fragments: v.custom<Record<string, unknown>>(isPlainObject),
  error: v.optional(netErrorSchema),
  provider: v.optional(providerSchema),
});
const fileSchema = v.object({ version: v.literal(1), entries: v.custom<Record<string, unknown>>(isPlainObject) });

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A cache of URL results, keyed by normalised URL. */
export interface UrlCache {
  /** A fresh result for `url` that answers every fragment in `fragments`, if there is one. */
  get(url: string, fragments: readonly string[]): UrlResult | undefined;
  /** When `url` was last verified (milliseconds since the epoch), fresh or not; undefined if never. */
  checkedAt(url: string): number | undefined;
  /** Records a result (results that depend on this machine, like `offline`, are not kept). */
  set(result: UrlResult): void;
  /**
   * Writes the cache file (see src/io/write.ts), dropping stale entries. Never rejects: a cache
   * that cannot be written, or whose path leads out of the root, is reported to `onWarning`.
   */
  save(): Promise<void>;
}

/** Where the cache lives and how long entries stay fresh. */
export interface CacheOptions {
  /** Path of the cache file, usually `<root>/.waymark/cache.json`. */
  readonly path: string;
  /** Seconds a success stays fresh; failures stay at most {@link maxFailureAge}. */
  readonly maxAge: number;
  /** Milliseconds since the epoch; injected so tests can move time. */
  readonly now?: () => number;
  /**
   * The directory the cache must stay in (default: the parent of the cache's directory, the
   * repository root). A symlinked `.waymark` or `cache.json` leading out of it is neither read nor written.
   */
  readonly root?: string;
  /** Told, in one line, why the cache was not written; the run goes on. */
  readonly onWarning?: (message: string, file: string) => void;
}

async function readEntries(file: string): Promise<Map<string, CacheEntry>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return new Map();
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return new Map();
  }
  const parsed = v.safeParse(fileSchema, data);
  if (!parsed.success) return new Map();
  const entries = new Map<string, CacheEntry>();
  for (const [url, raw] of Object.entries(parsed.output.entries)) {
    const entry = v.safeParse(entrySchema, raw);
    if (!entry.success) return new Map();
    const fragments = new Map<string, FragmentStatus>();
    for (const [fragment, status] of Object.entries(entry.output.fragments)) {
      const checked = v.safeParse(fragmentSchema, status);
      if (!checked.success) return new Map();
      fragments.set(fragment, checked.output as FragmentStatus);
    }
    // Valid JSON never holds `undefined`, so the optional keys the schema allows are simply absent.
    entries.set(url, { ...(entry.output as unknown as Omit<CacheEntry, 'fragments'>), fragments });
  }
  return entries;
}

/** Whether `inner` is `outer` or inside it. */
/**
 * Why the cache file may not be used: its directory, or the file itself, is a symlink that leads
 * out of the repository (see `escapesRoot`).
 */
async function escapes(file: string, root: string): Promise<string | undefined> {
  const escape = await escapesRoot(file, root);
  return escape === undefined ? undefined : `\`${escape}\` is a symlink that leads out of the repository; the result cache is not used`;
}

function isKept(status: TargetStatus): boolean {
  return !isUntried(status);
}

/** Opens the cache at `options.path`; a missing or unreadable file starts an empty cache. */
export async function openCache(options: CacheOptions): Promise<UrlCache> {
  const now = options.now ?? Date.now;
  const root = options.root ?? path.dirname(path.dirname(options.path));
  const escape = await escapes(options.path, root);
  const entries = escape === undefined ? await readEntries(options.path) : new Map<string, CacheEntry>();
  const isFresh = (entry: CacheEntry): boolean => {
    const ageSeconds = (now() - entry.checkedAt) / 1000;
    const limit = entry.status.kind === 'ok' ? options.maxAge : Math.min(options.maxAge, maxFailureAge);
    return ageSeconds >= 0 && ageSeconds <= limit;
  };
  return {
    get(url, fragments) {
      const entry = entries.get(url);
      if (entry === undefined || !isFresh(entry)) return undefined;
      if (fragments.some((fragment) => !entry.fragments.has(fragment) && entry.status.kind === 'ok')) {
        return undefined;
      }
      const found = new Map(fragments.flatMap((fragment) => {
        const status = entry.fragments.get(fragment);
        return status === undefined ? [] : [[fragment, status] as const];
      }));
      return {
        url,
        status: entry.status,
        fragments: found,
        durationMs: 0,
        requests: 0,
        cached: true,
        ...(entry.error === undefined ? {} : { error: entry.error }),
        ...(entry.provider === undefined ? {} : { provider: entry.provider }),
      };
    },
    checkedAt(url) {
      return entries.get(url)?.checkedAt;
    },
    set(result) {
      if (result.cached || !isKept(result.status)) return;
      entries.set(result.url, {
        checkedAt: now(),
        status: result.status,
        fragments: new Map(result.fragments),
        ...(result.error === undefined ? {} : { error: result.error }),
        ...(result.provider === undefined ? {} : { provider: result.provider }),
      });
    },
    async save() {
      // `Object.fromEntries` defines own properties, so a `__proto__` key is stored as data.
      const fresh = Object.fromEntries(
        [...entries]
          .filter(([, entry]) => isFresh(entry))
          .map(([url, entry]) => [url, { ...entry, fragments: Object.fromEntries(entry.fragments) }] as const),
      );
      const file: CacheFile = { version: 1, entries: fresh };
      const warn = (message: string): void => options.onWarning?.(message, options.path);
      try {
        const late = escape ?? (await escapes(options.path, root));
        if (late !== undefined) return warn(late);
        await mkdir(path.dirname(options.path), { recursive: true });
        await safeWrite(options.path, `${JSON.stringify(file)}\n`);
      } catch (error) {
        const code = error instanceof WriteError ? error.code : codeOf(error);
        warn(`Cannot write the result cache (${code ?? 'error'}); the report is not affected`);
      }
    },
  };
}
