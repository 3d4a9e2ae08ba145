import path from 'node:path';
import type { UrlPattern } from '../config/pattern.js';
import type { LinkTarget, RenamedBranch } from '../types.js';
import { keyOf } from './url-key.js';

/** This repository on GitHub, so links to its own default branch are checked as local files. */
export interface Repository {
  readonly owner: string;
  readonly name: string;
  readonly defaultBranch: string;
  /**
   * Branch and tag names git knows locally (local and remote-tracking branches, tags). A link to
   * the usual former default branch (`master` for `main`, and the reverse) that is not one of them
   * is taken for a link from before a rename, which GitHub redirects, and checked locally.
   */
  readonly knownRefs?: ReadonlySet<string>;
}

/** The query GitHub adds to a repository home page's links into its README. */
const homeReadmeTab = '?tab=readme-ov-file';

/** The default branch each usual default was renamed from. */
const formerDefaults: ReadonlyMap<string, string> = new Map([
  ['main', 'master'],
  ['master', 'main'],
]);

/** What classifying a link needs to know about where it is. */
export interface ClassifyContext {
  /** Absolute path of the working directory, `/`-separated. */
  readonly cwd: string;
  /** Absolute path of the repository root, `/`-separated; no relative link may climb above it. */
  readonly root: string;
  /** The linking file, relative to `cwd`. */
  readonly file: string;
  /** The linking file's folder, absolute and `/`-separated, when the caller has it already. */
  readonly dir?: string;
  readonly repository?: Repository;
  /** URLs matching one of these are never checked. */
  readonly ignoreUrls: readonly UrlPattern[];
  /**
   * Targets already worked out this run, shared by every file of the run: files in one folder
   * write the same relative links, and a list repeats the same URLs, so each is resolved once
   * and its target object shared (targets are never changed).
   */
  readonly memo?: ClassifyMemo;
}

/** What `classifyLink` has already worked out, by root, folder and URL without its fragment. */
export type ClassifyMemo = Map<string, LinkTarget>;

const schemePattern = /^([a-z][a-z0-9+.-]*):/i;

/** A scheme and nothing else: `https:`, `http://`, `mailto:`. */
const schemeOnlyPattern = /^([a-z][a-z0-9+.-]*):\/*$/i;

/**
 * Decides where a link points: a fragment of the same file, a local file (with an optional
 * fragment), an external URL (fragment split off), outside the repository, or nothing to check.
 */
export function classifyLink(url: string, context: ClassifyContext): LinkTarget {
  const trimmed = url.trim();
  if (trimmed === '') return { kind: 'empty' };
  if (context.ignoreUrls.some((pattern) => pattern.test(trimmed))) return { kind: 'skipped', reason: 'ignored-url' };
  if (schemeOnlyPattern.test(trimmed)) return { kind: 'empty', scheme: trimmed };
  if (trimmed.startsWith('#')) return { kind: 'same-file', fragment: trimmed.slice(1) };
  const scheme = schemePattern.exec(trimmed)?.[1]?.toLowerCase();
  if (scheme === 'http' || scheme === 'https' || trimmed.startsWith('//')) {
    const key = `${context.root}\u0000${trimmed}`;
    const known = context.memo?.get(key);
    if (known !== undefined) return known;
    const target = classifyExternal(trimmed.startsWith('//') ? `https:${trimmed}` : trimmed, context);
    context.memo?.set(key, target);
    return target;
  }
  if (scheme !== undefined) return { kind: 'skipped', reason: 'scheme' };
  return classifyLocal(trimmed, context);
}

function classifyExternal(url: string, context: ClassifyContext): LinkTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { kind: 'skipped', reason: 'invalid-url' };
  }
  const own = context.repository === undefined ? undefined : ownRepositoryPath(parsed, url, context.repository);
  if (own !== undefined) {
    const fragment = splitFragment(url).fragment;
    const target = insideRoot(path.posix.join(context.root, own.path), context.root, context.cwd);
    if (target === undefined) return { kind: 'outside-root', path: own.path };
    return {
      kind: 'local',
      path: target,
      ...(fragment === undefined ? {} : { fragment }),
      ...(own.renamed === undefined ? {} : { renamed: own.renamed }),
    };
  }
  const { base, fragment } = splitFragment(url);
  // The written URL itself when it is already normal: one string instead of two.
  const normal = keyOf(parsed);
  const key = normal === base ? base : normal;
  return fragment === undefined ? { kind: 'external', url: base, key } : { kind: 'external', url: base, key, fragment };
}

/** Where a URL of this repository points inside it, and the branch rename it went through. */
interface OwnPath {
  /** Relative to the repository root, starting with `/`. */
  readonly path: string;
  readonly renamed?: RenamedBranch;
}

/**
 * For `https://github.com/<owner>/<name>/blob|tree|raw/<default branch>/<path>`, the path inside
 * the repository (relative to its root); the same for the usual former default branch when git
 * does not know a branch or tag of that name; the root for the repository's home page with a
 * fragment (`https://github.com/<owner>/<name>#readme`, also with `?tab=readme-ov-file`), which
 * shows the root README; `undefined`
 * for any other URL, other refs included.
 */
function ownRepositoryPath(url: URL, written: string, repository: Repository): OwnPath | undefined {
  if (url.hostname !== 'github.com' && url.hostname !== 'www.github.com') return undefined;
  const segments = url.pathname.split('/').slice(1);
  const [owner, name, view, ...rest] = segments;
  if (owner?.toLowerCase() !== repository.owner.toLowerCase()) return undefined;
  if (name?.replace(/\.git$/, '').toLowerCase() !== repository.name.toLowerCase()) return undefined;
  const isHome = view === undefined || (view === '' && rest.length === 0);
  if (isHome && url.hash !== '' && (url.search === '' || url.search === homeReadmeTab)) return { path: '/' };
  if (view !== 'blob' && view !== 'tree' && view !== 'raw') return undefined;
  const branch = repository.defaultBranch.split('/');
  if (rest.length >= branch.length && branch.every((part, i) => rest[i] === part)) {
    return { path: `/${rest.slice(branch.length).map(safeDecode).join('/')}` };
  }
  const former = formerDefaults.get(repository.defaultBranch);
  if (former === undefined || rest[0] !== former || repository.knownRefs?.has(former) === true) return undefined;
  const inside = `/${rest.slice(1).map(safeDecode).join('/')}`;
  return { path: inside, renamed: { from: former, to: repository.defaultBranch, url: onBranch(written, url, view, former, repository.defaultBranch) } };
}

/** The written URL with the branch segment after `/<view>/` replaced, everything else byte for byte. */
function onBranch(written: string, url: URL, view: string, from: string, to: string): string {
  const at = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]+\/[^/?#]*\/[^/?#]*\/[^/?#]*\//i.exec(written);
  if (at !== null && written.startsWith(from, at[0].length)) {
    return `${at[0]}${to}${written.slice(at[0].length + from.length)}`;
  }
  const [, owner = '', name = ''] = url.pathname.split('/');
  const rest = url.pathname.split('/').slice(5).join('/');
  return `${url.origin}/${owner}/${name}/${view}/${to}${rest === '' ? '' : `/${rest}`}${url.search}${url.hash}`;
}

function classifyLocal(url: string, context: ClassifyContext): LinkTarget {
  const { base, fragment } = splitFragment(url);
  const pathPart = base.split('?')[0] ?? '';
  if (pathPart === '') {
    // `?query#frag` on its own still points at this file.
    return fragment === undefined ? { kind: 'local', path: context.file } : { kind: 'same-file', fragment };
  }
  const fromDir = context.dir ?? path.posix.dirname(path.posix.join(context.cwd, context.file));
  const key = `${context.root}\u0000${fromDir}\u0000${pathPart}`;
  let place = context.memo?.get(key);
  if (place === undefined) {
    place = localPlace(pathPart, fromDir, context);
    context.memo?.set(key, place);
  }
  return fragment === undefined || place.kind !== 'local' ? place : { kind: 'local', path: place.path, fragment };
}

/** Where a local path written in a file of `fromDir` points: a path relative to `cwd`, or outside the root. */
function localPlace(pathPart: string, fromDir: string, context: ClassifyContext): LinkTarget {
  const decoded = safeDecode(pathPart);
  const absolute = decoded.startsWith('/')
    ? path.posix.join(context.root, decoded)
    : path.posix.resolve(fromDir, decoded);
  const target = insideRoot(absolute, context.root, context.cwd);
  return target === undefined ? { kind: 'outside-root', path: decoded } : { kind: 'local', path: target };
}

/** Returns an absolute path relative to `cwd`, or `undefined` when it lies above the root. */
function insideRoot(absolute: string, root: string, cwd: string): string | undefined {
  if (absolute !== root && !absolute.startsWith(root.endsWith('/') ? root : `${root}/`)) return undefined;
  const relative = path.posix.relative(cwd, absolute);
  return relative === '' ? '.' : relative;
}

/** Splits `url#fragment`; the fragment stays as written (still percent-encoded). */
export function splitFragment(url: string): { base: string; fragment?: string } {
  const hash = url.indexOf('#');
  if (hash === -1) return { base: url };
  return { base: url.slice(0, hash), fragment: url.slice(hash + 1) };
}

/** Percent-decodes, keeping the text as it is where it is not valid percent-encoding. */
export function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
