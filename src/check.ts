import path from 'node:path';
import { collectFiles, toPosix } from './collect/index.js';
import { decodeSource } from './collect/decode.js';
import { maxNesting, tooDeep } from './collect/nesting.js';
import { defaultConfig } from './config/defaults.js';
import type { Config } from './config/types.js';
import { extractDocument } from './extract/index.js';
import { memoize } from './memo.js';
import { nodeFileSystem, type FileSystem } from './io/fs.js';
import { detectGit, type GitInfo } from './io/git.js';
import { classifyLink, type Repository } from './plan/classify.js';
import { AnchorIndex } from './resolve/anchors.js';
import { checkExternal, type NetOverrides } from './resolve/external.js';
import { LocalResolver, isMarkdownPath } from './resolve/local.js';
import { urlKey } from './net/url.js';
import { tool } from './tool.js';
import { fragmentTarget } from './rules/fragment-target.js';
import { rules } from './rules/index.js';
import type { ResolvedLink } from './rules/rule.js';
import type { UrlResult } from './net/index.js';
import { suppression } from './rules/suppress.js';
import type { Document, Finding, Notice, Report, RuleLevel, Severity } from './types.js';

/** The edges of the pipeline: file system, git, network and clock, replaceable in tests. */
export interface Io {
  readonly fs: FileSystem;
  readonly git: (cwd: string, fs: FileSystem) => Promise<GitInfo>;
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
  /** The resolved configuration (default: the built-in defaults; see `loadConfig`). */
  readonly config?: Config;
  readonly io?: Partial<Io>;
}

const defaultIo: Io = { fs: nodeFileSystem, git: detectGit, now: () => performance.now(), net: {} };

interface Loaded {
  readonly documents: Document[];
  readonly notices: Notice[];
}

/**
 * Checks markdown files and returns the report the CLI prints: collect → extract → plan →
 * check → rules. Throws an `InputError` when a named path does not exist.
 */
export async function check(options: CheckOptions = {}): Promise<Report> {
  const io: Io = { ...defaultIo, ...options.io };
  const config = options.config ?? defaultConfig;
  const started = io.now();
  const cwd = toPosix(path.resolve(options.cwd ?? process.cwd()));
  const files = await collectFiles({ cwd, paths: options.paths ?? [], exclude: config.exclude, fs: io.fs });
  const { documents, notices } = await loadDocuments(files, cwd, io.fs);
  const anchors = new AnchorIndex();
  for (const document of documents) anchors.add(document);

  const detected = await io.git(cwd, io.fs);
  const gitInfo = config.root === undefined ? detected : { ...detected, root: config.root };
  const repository = repositoryOf(config, gitInfo);
  const ignoreUrls = config.ignoreUrls.map((source) => new RegExp(source));
  const resolver = new LocalResolver(io.fs, cwd);
  const roots = new RootFinder(io.fs, toPosix(gitInfo.root));
  const resolvedByFile = await Promise.all(
    documents.map(async (document) => {
      const root = await roots.of(path.posix.join(cwd, document.file));
      const context = { cwd, root, file: document.file, ignoreUrls, ...(repository && { repository }) };
      return Promise.all(
        document.links.map(async (link): Promise<ResolvedLink> => {
          const target = classifyLink(link.url, context);
          if (target.kind !== 'local') return { link, target };
          return { link, target, file: await resolver.status(target.path) };
        }),
      );
    }),
  );

  // Second pass: markdown files that fragments point into but that were not collected.
  const extra = new Set<string>();
  resolvedByFile.forEach((resolved, i) => {
    const file = documents[i]?.file ?? '';
    for (const entry of resolved) {
      const target = fragmentTarget(entry, file);
      if (target.kind === 'markdown' && !anchors.has(target.path)) extra.add(target.path);
    }
  });
  const more = await loadDocuments([...extra].filter(isMarkdownPath), cwd, io.fs);
  for (const document of more.documents) anchors.add(document);

  const external = await checkExternal(
    resolvedByFile.flatMap((resolved) => resolved.map((entry) => entry.target)),
    {
      config,
      version: tool.version,
      ...(tool.homepage === undefined ? {} : { homepage: tool.homepage }),
      cachePath: path.join(gitInfo.root, '.waymark', 'cache.json'),
      net: io.net,
    },
  );
  const findings: Finding[] = [];
  let links = 0;
  let skipped = 0;
  documents.forEach((document, i) => {
    const resolved = (resolvedByFile[i] ?? []).map((entry) => withRemote(entry, external.results));
    skipped += resolved.filter(({ target }) => target.kind === 'skipped').length;
    links += document.links.length;
    findings.push(...runRules({ document, resolved, anchors, config }));
  });
  findings.sort(byPosition);
  const errors = findings.filter((finding) => finding.severity === 'error').length;
  const statuses = [...external.results.values()].map((result) => result.status);
  const offline = statuses.filter((status) => status.kind === 'unverifiable' && status.reason === 'offline').length;
  const privateSkipped = statuses.filter((status) => status.kind === 'unverifiable' && status.reason === 'private-address').length;
  return {
    summary: {
      files: documents.length,
      links,
      uniqueUrls: external.unique,
      checked: external.offline === undefined ? external.results.size - offline - privateSkipped : 0,
      errors,
      warnings: findings.length - errors,
      skipped: skipped + privateSkipped,
      offline: external.offline === 'requested' ? external.unique : offline,
      durationMs: Math.round(io.now() - started),
    },
    findings,
    notices,
    offline: external.offline !== undefined,
    ...(external.offline === undefined ? {} : { offlineReason: external.offline }),
  };
}

/** Attaches the engine's results (and the `https://` twin's, for `http://` URLs) to an external link. */
function withRemote(entry: ResolvedLink, results: ReadonlyMap<string, UrlResult>): ResolvedLink {
  if (entry.target.kind !== 'external') return entry;
  const key = urlKey(entry.target.url).key;
  const remote = results.get(key);
  if (remote === undefined) return entry;
  const secure = key.startsWith('http:') ? results.get(`https:${key.slice('http:'.length)}`) : undefined;
  return { ...entry, remote, ...(secure === undefined ? {} : { secure }) };
}

/**
 * The repository root a file's relative links may not climb above: the work tree around the
 * working directory for files inside it; for a file elsewhere, the nearest ancestor holding
 * `.git`, or the file-system root when it is in no repository.
 */
class RootFinder {
  readonly #fs: FileSystem;
  readonly #main: string;
  readonly #search: (dir: string) => Promise<string> = memoize((dir) => this.#nearestGit(dir));

  constructor(fs: FileSystem, main: string) {
    this.#fs = fs;
    this.#main = main;
  }

  of(file: string): Promise<string> {
    if (file.startsWith(this.#main.endsWith('/') ? this.#main : `${this.#main}/`)) return Promise.resolve(this.#main);
    return this.#search(path.posix.dirname(file));
  }

  async #nearestGit(dir: string): Promise<string> {
    for (let current = dir; ; current = path.posix.dirname(current)) {
      if ((await this.#fs.kind(path.join(current, '.git'))) !== undefined) return current;
      if (path.posix.dirname(current) === current) return current;
    }
  }
}

function runRules(context: Parameters<(typeof rules)[number]['check']>[0]): Finding[] {
  const suppressed = suppression(context.document.directives);
  const findings: Finding[] = [];
  for (const rule of rules) {
    const severity = severityOf(context.config.rules[rule.id], rule.severity);
    if (severity === undefined) continue;
    for (const finding of rule.check(context, severity)) if (!suppressed(finding)) findings.push(finding);
  }
  return findings;
}

function severityOf(level: RuleLevel | undefined, fallback: Severity): Severity | undefined {
  if (level === undefined) return fallback;
  if (level === 'off') return undefined;
  return level === 'warn' ? 'warning' : 'error';
}

function repositoryOf(config: Config, git: GitInfo): Repository | undefined {
  const slug = config.repository ?? git.slug;
  if (slug === undefined) return undefined;
  const [owner = '', name = ''] = slug.split('/');
  return { owner, name, defaultBranch: config.defaultBranch ?? git.branch ?? 'main' };
}

async function loadDocuments(files: readonly string[], cwd: string, fs: FileSystem): Promise<Loaded> {
  const documents: Document[] = [];
  const notices: Notice[] = [];
  const loaded = await Promise.all(
    files.map(async (file) => {
      try {
        return { file, decoded: decodeSource(file, await fs.readFile(path.join(cwd, file))) };
      } catch (error) {
        const reason = error instanceof Error && 'code' in error ? String(error.code) : 'read error';
        const notice: Notice = { kind: 'unreadable', file, message: `Cannot read file (${reason}); skipped` };
        return { file, decoded: { kind: 'notice' as const, notice } };
      }
    }),
  );
  for (const { file, decoded } of loaded) {
    if (decoded.kind === 'notice') {
      notices.push(decoded.notice);
      continue;
    }
    const deep = tooDeep(decoded.text);
    if (deep !== undefined) {
      notices.push({ kind: 'too-deep', file, ...deep, message: `Unexpected nesting deeper than ${maxNesting} levels; file skipped` });
      continue;
    }
    try {
      documents.push(extractDocument(file, decoded.text));
    } catch (error) {
      const reason = error instanceof RangeError ? 'nesting too deep' : error instanceof Error ? error.message : String(error);
      notices.push({ kind: 'unparsable', file, message: `Cannot parse markdown (${reason}); file skipped` });
    }
  }
  return { documents, notices };
}

function byPosition(a: Finding, b: Finding): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.range.start.line - b.range.start.line || a.range.start.column - b.range.start.column;
}
