/**
 * The result cache (`.waymark/cache.json`): a success stays fresh for `maxCacheAge` seconds, a
 * failure for at most an hour, so a scheduled run and a pull-request run don't re-hit every host.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import * as v from 'valibot';
import type { NetError, TargetStatus } from '../types.js';
import type { FragmentStatus, UrlResult } from './types.js';

/** Failures are never trusted for longer than this, in seconds. */
export const maxFailureAge = 3600;

/** One cached verdict. */
interface CacheEntry {
  readonly checkedAt: number;
  readonly status: TargetStatus;
  readonly fragments: Readonly<Record<string, FragmentStatus>>;
  readonly error?: NetError;
}

interface CacheFile {
  readonly version: 1;
  readonly entries: Readonly<Record<string, CacheEntry>>;
}

const netErrorSchema = v.object({
  kind: v.picklist([
    'dns',
    'refused',
    'reset',
    'connect-timeout',
    'response-timeout',
    'tls',
    'redirect-loop',
    'too-many-redirects',
    'body-too-large',
    'unknown',
  ]),
  code: v.optional(v.string()),
  message: v.string(),
  hint: v.optional(v.string()),
});
const redirectsSchema = v.array(v.object({ status: v.number(), from: v.string(), to: v.string() }));
const statusSchema = v.variant('kind', [
  v.object({ kind: v.literal('ok'), status: v.number(), redirects: redirectsSchema }),
  v.object({ kind: v.literal('http-error'), status: v.number(), redirects: redirectsSchema }),
  v.object({ kind: v.literal('net-error'), error: netErrorSchema, redirects: redirectsSchema }),
  v.object({
    kind: v.literal('unverifiable'),
    reason: v.picklist(['auth-required', 'bot-wall', 'rate-limited', 'tls', 'client-rendered', 'unsupported-scheme']),
    status: v.optional(v.number()),
  }),
]);
const fragmentSchema = v.variant('kind', [
  v.object({ kind: v.literal('found') }),
  v.object({ kind: v.literal('missing'), suggestion: v.optional(v.string()) }),
  v.object({
    kind: v.literal('unverifiable'),
    reason: v.picklist(['not-html', 'client-rendered', 'too-large', 'body-error']),
    error: v.optional(netErrorSchema),
  }),
]);
const fileSchema = v.object({
  version: v.literal(1),
  entries: v.record(
    v.string(),
    v.object({
      checkedAt: v.number(),
      status: statusSchema,
      fragments: v.record(v.string(), fragmentSchema),
      error: v.optional(netErrorSchema),
    }),
  ),
});

/** A cache of URL results, keyed by normalised URL. */
export interface UrlCache {
  /** A fresh result for `url` that answers every fragment in `fragments`, if there is one. */
  get(url: string, fragments: readonly string[]): UrlResult | undefined;
  /** Records a result (results that depend on this machine, like `offline`, are not kept). */
  set(result: UrlResult): void;
  /** Writes the cache file (atomically), dropping stale entries. */
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
}

async function readEntries(path: string): Promise<Map<string, CacheEntry>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
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
  // Valid JSON never holds `undefined`, so the optional keys the schema allows are simply absent.
  return parsed.success ? new Map(Object.entries((parsed.output as unknown as CacheFile).entries)) : new Map();
}

function isKept(status: TargetStatus): boolean {
  if (status.kind === 'excluded') return false;
  return !(status.kind === 'unverifiable' && (status.reason === 'offline' || status.reason === 'private-address'));
}

/** Opens the cache at `options.path`; a missing or unreadable file starts an empty cache. */
export async function openCache(options: CacheOptions): Promise<UrlCache> {
  const now = options.now ?? Date.now;
  const entries = await readEntries(options.path);
  const isFresh = (entry: CacheEntry): boolean => {
    const ageSeconds = (now() - entry.checkedAt) / 1000;
    const limit = entry.status.kind === 'ok' ? options.maxAge : Math.min(options.maxAge, maxFailureAge);
    return ageSeconds >= 0 && ageSeconds <= limit;
  };
  return {
    get(url, fragments) {
      const entry = entries.get(url);
      if (entry === undefined || !isFresh(entry)) return undefined;
      if (fragments.some((fragment) => entry.fragments[fragment] === undefined && entry.status.kind === 'ok')) {
        return undefined;
      }
      const found = new Map(fragments.flatMap((fragment) => {
        const status = entry.fragments[fragment];
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
      };
    },
    set(result) {
      if (result.cached || !isKept(result.status)) return;
      entries.set(result.url, {
        checkedAt: now(),
        status: result.status,
        fragments: Object.fromEntries(result.fragments),
        ...(result.error === undefined ? {} : { error: result.error }),
      });
    },
    async save() {
      const fresh = Object.fromEntries([...entries].filter(([, entry]) => isFresh(entry)));
      const file: CacheFile = { version: 1, entries: fresh };
      await mkdir(dirname(options.path), { recursive: true });
      const temporary = `${options.path}.${process.pid}.tmp`;
      await writeFile(temporary, `${JSON.stringify(file)}\n`);
      await rename(temporary, options.path);
    },
  };
}
