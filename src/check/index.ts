import path from 'node:path';
import { collectFiles, toPosix } from '../collect/index.js';
import { defaultConfig } from '../config/defaults.js';
import { ConfigError } from '../config/errors.js';
import { compilePattern, type UrlPattern } from '../config/pattern.js';
import { mergeConfig } from '../config/load.js';
import type { Config } from '../config/types.js';
import { openParseCache, type ParseCache } from '../extract/cache.js';
import { loadDocuments } from '../extract/load.js';
import { nodeFileSystem, type FileSystem } from '../io/fs.js';
import { detectGit, readChanges, type ChangeSet, type GitInfo } from '../io/git.js';
import { InputError } from '../errors.js';
import { changedLinks, selectChanged, type ChangedLines } from '../plan/changed.js';
import { type ClassifyMemo, classifyLink, type Repository } from '../plan/classify.js';
import { AnchorIndex } from '../resolve/anchors.js';
import { checkExternal, type ExternalResults, type NetOverrides } from '../resolve/external.js';
import { LocalResolver, isMarkdownPath } from '../resolve/local.js';
import { tool } from '../tool.js';
import { resolvedLink } from '../resolve/fragment-target.js';
import { byPosition, checkedUrls, reportedLink, summarize, tokenNotice } from './report.js';
import { runRules } from '../rules/run.js';
import { unknownDirectiveRules } from '../rules/directives.js';
import { RootFinder } from '../resolve/roots.js';
import type { RequestEvent } from '../net/types.js';
import type { ChangedSince, Document, FileStatus, LinkTarget, Notice, Report, ResolvedLink } from '../types.js';

/** The edges of the pipeline: file system, git, network and clock, replaceable in tests. */
export interface Io {
  readonly fs: FileSystem;
  readonly git: (cwd: string, fs: FileSystem) => Promise<GitInfo>;
  /** What changed since a ref, for `changedSince`; `wantLines` says which files' changed lines to read. */
  readonly changes: (cwd: string, ref: string, wantLines: (file: string) => boolean) => Promise<ChangeSet>;
  readonly now: () => number;
  /** HTTP engine settings that are not configuration: an injected lookup, address guard, callbacks. */
  readonly net: NetOverrides;
}

/** What to check and how. */
export interface CheckOptions {
  /** Working directory: paths are taken and reported relative to it (default `process.cwd()`). */
  readonly cwd?: string;
  /** Files, directories or globs (default `.`). */
  readonly paths?: readonly string[];
  /**
   * Settings laid over the built-in defaults, as a config file's are: `{ offline: true }` is
   * enough. A whole configuration from `loadConfig` works as it is.
   */
  readonly config?: Partial<Config>;
  readonly io?: Partial<Io>;
  /** Called once with the collected files (relative to `cwd`), before any is read. */
  readonly onFiles?: (files: readonly string[]) => void;
  /** Called with the bytes of every markdown file read (absolute path), so `--fix` can tell when one changed since. */
  readonly onRead?: (file: string, bytes: Uint8Array) => void;
  /**
   * PR mode: a git ref (`origin/main`). Only the collected files that changed since the merge
   * base of the ref and `HEAD` (working tree included) are checked, plus the files that link
   * into them; external URLs only on changed lines. `Report.changedSince` says what the
   * comparison could be made against. Throws an `InputError` outside a git repository.
   */
  readonly changedSince?: string;
}

const defaultIo: Io = { fs: nodeFileSystem, git: detectGit, changes: readChanges, now: () => performance.now(), net: { proxyEnv: process.env } };

/**
 * Checks markdown files and returns the report the CLI prints: collect → extract → plan →
 * check → rules. Throws an `InputError` when a named path does not exist.
 */
export async function check(options: CheckOptions = {}): Promise<Report> {
  const io: Io = { ...defaultIo, ...options.io };
  const config = options.config === undefined ? defaultConfig : mergeConfig(defaultConfig, options.config);
  if (config.budget !== undefined && !config.cache) {
    throw new InputError('budget', 'needs the result cache (--cache) to know which URLs were verified least recently');
  }
  // Before any file is read or cache entry written: a bad pattern stops the run with nothing under way.
  const ignoreUrls = compileIgnoreUrls(config.ignoreUrls);
  const started = io.now();
  const cwd = toPosix(path.resolve(options.cwd ?? process.cwd()));
  const skipped: Notice[] = [];
  const onSkip = (notice: Notice): void => void skipped.push(notice);
  const files = await collectFiles({ cwd, paths: options.paths ?? [], exclude: config.exclude, fs: io.fs, onSkip });
  options.onFiles?.(files);
  const detected = await io.git(cwd, io.fs);
  const git = config.root === undefined ? detected : { ...detected, root: config.root };
  // Unchanged files are not parsed again (see src/extract/cache.ts); a real run only.
  const parseCacheDir = path.join(git.root, '.waymark', 'parse-cache');
  const parseCache =
    config.parseCache && io.fs === nodeFileSystem ? await openParseCache(parseCacheDir, tool.version, git.root) : undefined;
  const readFs = observeReads(io.fs, options.onRead);
  const loaded = await loadDocuments(files, cwd, readFs, parseCache);
  const anchors = new AnchorIndex();
  for (const document of loaded.documents) anchors.add(document);

  const context: ResolveContext = { cwd, config, git, fs: io.fs, ignoreUrls };
  const plannedAll = await planLinks(loaded.documents, context);
  const pr =
    options.changedSince === undefined ? undefined : await prMode(options.changedSince, loaded.documents, plannedAll, cwd, io);
  const chosen = loaded.documents.flatMap((document, i) =>
    pr?.selection === undefined || pr.selection.has(document.file) ? [{ document, planned: plannedAll[i] ?? [] }] : [],
  );
  const documents = chosen.map((entry) => entry.document);
  const kept = (notice: Notice): boolean =>
    pr?.selection === undefined || pr.selection.has(notice.file) || pr.changed.has(notice.file);
  const notices = [...skipped, ...loaded.notices].filter(kept);
  const resolvedByFile = await resolveFiles(chosen, context);
  await indexFragmentTargets(resolvedByFile, anchors, cwd, readFs, parseCache);
  if (parseCache !== undefined) {
    const warning = await parseCache.save();
    if (warning !== undefined) io.net.onCacheWarning?.(warning, parseCacheDir);
  }
  // In PR mode only the external links on changed lines are checked; the rest get no result.
  const checkedByFile = documents.map((document) => {
    const lines = pr?.selection?.get(document.file);
    return lines === undefined ? document.links.map(() => true) : changedLinks(document.links, lines);
  });
  const targets = resolvedByFile.flatMap((resolved, i) =>
    resolved.filter((_, j) => checkedByFile[i]?.[j] === true).map((entry) => entry.target),
  );
  // 429s per host, for the HTML report's host table; the caller's own listener still hears every request.
  const rateLimited: Record<string, number> = Object.create(null) as Record<string, number>;
  const countRateLimits = (event: RequestEvent): void => {
    if (event.status === 429) {
      const host = new URL(event.url).host;
      rateLimited[host] = (rateLimited[host] ?? 0) + 1;
    }
    io.net.onRequest?.(event);
  };
  const external = await checkExternal(targets, {
    config,
    version: tool.version,
    ...(tool.homepage === undefined ? {} : { homepage: tool.homepage }),
    cachePath: path.join(git.root, '.waymark', 'cache.json'),
    net: { ...io.net, onRequest: countRateLimits },
  });

  const checked = documents.map((document, i) => {
    const marks = checkedByFile[i] ?? [];
    return {
      document,
      resolved: (resolvedByFile[i] ?? []).map((entry, j) => (marks[j] === true ? withRemote(entry, external) : entry)),
      marks,
    };
  });
  const findings = checked.flatMap(({ document, resolved }) => runRules({ document, resolved, anchors, config }));
  findings.sort(byPosition);
  const unchanged = uniqueExternal(resolvedByFile.flat().map((entry) => entry.target)).size - external.unique;
  return {
    summary: summarize(documents.length, resolvedByFile, findings, external, unchanged, Math.round(io.now() - started)),
    findings,
    notices: [...notices, ...documents.flatMap(unknownDirectiveRules), ...tokenNotice(checked, external.withoutToken ?? [])],
    files: checked.map(({ document, resolved, marks }) => ({
      file: document.file,
      links: resolved.map((entry, j) => reportedLink(entry, marks[j] === true)),
    })),
    urls: checkedUrls(checked),
    ...(Object.keys(rateLimited).length === 0 ? {} : { rateLimited: { ...rateLimited } }),
    offline: external.offline !== undefined,
    ...(external.offline === undefined ? {} : { offlineReason: external.offline }),
    ...(pr === undefined ? {} : { changedSince: pr.report }),
  };
}

/** The file system, telling `onRead` about every file it reads; the same object without one. */
function observeReads(fs: FileSystem, onRead: CheckOptions['onRead']): FileSystem {
  if (onRead === undefined) return fs;
  return {
    ...fs,
    readFile: async (file, maxBytes) => {
      const bytes = await fs.readFile(file, maxBytes);
      onRead(file, bytes);
      return bytes;
    },
  };
}

/** What PR mode decided: the files to check with their changed lines (absent: every file), for the report. */
interface PrMode {
  readonly selection?: ReadonlyMap<string, ChangedLines>;
  /** The changed paths, whose notices (a binary file, say) are kept. */
  readonly changed: ReadonlySet<string>;
  readonly report: ChangedSince;
}

/**
 * Asks git what changed since `ref` and picks the files to check. With no merge base the changed
 * files are checked in full; with nothing to compare with, every file is.
 */
async function prMode(
  ref: string,
  documents: readonly Document[],
  planned: readonly (readonly PlannedLink[])[],
  cwd: string,
  io: Io,
): Promise<PrMode> {
  const collected = new Set(documents.map((document) => document.file));
  const { base, changes } = await io.changes(cwd, ref, (file) => collected.has(file));
  if (base.kind === 'no-repository') {
    throw new InputError('--changed-since', 'not inside a git repository, so there is nothing to compare with');
  }
  const changed = new Set(changes.map((change) => change.path));
  if (base.kind === 'none') return { changed, report: { ref, base: 'none', reason: base.reason, shallow: base.shallow } };
  const linking = documents.map((document, i) => ({
    file: document.file,
    targets: (planned[i] ?? []).map((entry) => entry.target),
  }));
  const selection = selectChanged(linking, changes);
  const direct = changes.filter((change) => change.kind !== 'deleted' && selection.has(change.path)).length;
  return { selection, changed, report: { ref, base: base.kind, commit: base.commit, shallow: base.shallow, changed: direct } };
}

/** The unique external URLs (by key) among some targets. */
function uniqueExternal(targets: readonly LinkTarget[]): Set<string> {
  return new Set(targets.flatMap((target) => (target.kind === 'external' ? [target.key] : [])));
}

interface ResolveContext {
  readonly cwd: string;
  readonly config: Config;
  readonly git: GitInfo;
  readonly fs: FileSystem;
  readonly ignoreUrls: readonly UrlPattern[];
}

/** A link and where it points, before the file system is asked about local targets. */
interface PlannedLink {
  readonly link: ResolvedLink['link'];
  readonly target: LinkTarget;
  /** The repository root the linking file's relative links may not climb above. */
  readonly root: string;
}

/** Plans every link: where it points. Pure apart from finding each file's repository root. */
function planLinks(documents: readonly Document[], { cwd, config, git, fs, ignoreUrls }: ResolveContext): Promise<PlannedLink[][]> {
  const repository = repositoryOf(config, git);
  const roots = new RootFinder(fs, toPosix(git.root));
  const memo: ClassifyMemo = new Map();
  return Promise.all(
    documents.map(async (document) => {
      const absolute = path.posix.join(cwd, document.file);
      const root = await roots.of(absolute);
      const dir = path.posix.dirname(absolute);
      const context = { cwd, root, file: document.file, dir, ignoreUrls, memo, ...(repository && { repository }) };
      return document.links.map((link) => ({ link, target: classifyLink(link.url, context), root }));
    }),
  );
}

/**
 * Resolves the local targets of the planned links against the file system, once per path: the
 * distinct paths are asked first, then every link is built from their answers (a promise per path,
 * not one per link, which for 200,000 links was tens of megabytes at once).
 */
async function resolveFiles(
  files: readonly { readonly document: Document; readonly planned: readonly PlannedLink[] }[],
  { cwd, fs }: ResolveContext,
): Promise<ResolvedLink[][]> {
  const resolver = new LocalResolver(fs, cwd);
  const keyOf = (path: string, root: string): string => `${root}\u0000${path}`;
  const asked = new Map<string, Promise<FileStatus>>();
  for (const { planned } of files) {
    for (const { target, root } of planned) {
      if (target.kind !== 'local') continue;
      const key = keyOf(target.path, root);
      if (!asked.has(key)) asked.set(key, resolver.status(target.path, root));
    }
  }
  const statuses = new Map(await Promise.all([...asked].map(async ([key, status]) => [key, await status] as const)));
  return files.map(({ document, planned }) =>
    planned.map(({ link, target, root }) =>
      resolvedLink(link, target, target.kind === 'local' ? statuses.get(keyOf(target.path, root)) : undefined, document.file),
    ),
  );
}

/**
 * Compiles `ignoreUrls` once per run. A config from `loadConfig` holds only valid patterns; one
 * passed to `check()` by hand may not, and a bad pattern is then a `ConfigError` at its index.
 */
function compileIgnoreUrls(sources: readonly string[]): readonly UrlPattern[] {
  return sources.map((source, index) => {
    try {
      return compilePattern(source);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new ConfigError(`ignoreUrls[${index}]`, `expected a regular expression, got ${JSON.stringify(source)} (${message})`);
    }
  });
}

/** Second pass: reads the markdown files that fragments point into but that were not collected. */
async function indexFragmentTargets(
  resolvedByFile: readonly (readonly ResolvedLink[])[],
  anchors: AnchorIndex,
  cwd: string,
  fs: FileSystem,
  cache: ParseCache | undefined,
): Promise<void> {
  const extra = new Set<string>();
  for (const resolved of resolvedByFile) {
    for (const { fragmentTarget: target } of resolved) {
      if (target.kind === 'markdown' && !anchors.has(target.path) && isMarkdownPath(target.path)) extra.add(target.path);
    }
  }
  const more = await loadDocuments([...extra], cwd, fs, cache);
  for (const document of more.documents) anchors.add(document);
}

/** Attaches the engine's results (and the `https://` twin's, for `http://` URLs) to an external link. */
function withRemote(entry: ResolvedLink, external: ExternalResults): ResolvedLink {
  if (entry.target.kind !== 'external') return entry;
  const remote = external.results.get(entry.target.key);
  if (remote === undefined) return entry;
  const secure = external.twins.get(entry.target.key);
  return { ...entry, remote, ...(secure === undefined ? {} : { secure }) };
}

function repositoryOf(config: Config, git: GitInfo): Repository | undefined {
  const slug = config.repository ?? git.slug;
  if (slug === undefined) return undefined;
  const [owner = '', name = ''] = slug.split('/');
  const defaultBranch = config.defaultBranch ?? git.branch ?? 'main';
  return { owner, name, defaultBranch, ...(git.refs === undefined ? {} : { knownRefs: new Set(git.refs) }) };
}
