/**
 * Shared types for every stage of the pipeline: collect → extract → plan → check → report → fix.
 *
 * Every outcome is a discriminated union on `kind`; a `switch` over one ends in `assertNever`, so a
 * new variant that some stage does not handle fails the build.
 */

import type { Link, Range } from './syntax.js';
import type { TargetStatus, UrlResult } from './verdicts.js';

/** Public rule ids. Once released an id is never renamed or reused. */
export type RuleId =
  | 'dead-link'
  | 'missing-anchor'
  | 'missing-file'
  | 'tracking-param'
  | 'redirect'
  | 'insecure-link'
  | 'unverifiable'
  | 'remote-fragment'
  | 'duplicate-link'
  | 'link-text'
  | 'empty-link'
  | 'toc-mismatch'
  | 'unused-definition'
  | 'github-archived'
  | 'soft-404';

/** How serious a finding is: only errors fail a run. */
export type Severity = 'error' | 'warning';

/** A rule's configured level; `off` disables it. */
export type RuleLevel = 'off' | 'warn' | 'error';

/** One unique URL to check: its key (src/plan/url-key.ts) and every fragment it is linked with. */
export interface PlannedUrl {
  readonly key: string;
  readonly fragments?: readonly string[];
}

/** Where a link points, decided by the plan stage. */
export type LinkTarget =
  | { readonly kind: 'same-file'; readonly fragment: string }
  | { readonly kind: 'local'; readonly path: string; readonly fragment?: string; readonly renamed?: RenamedBranch }
  /** `url` is as written, without its fragment; `key` is its normalised form (src/plan/url-key.ts), which the engine checks and reports under. */
  | { readonly kind: 'external'; readonly url: string; readonly key: string; readonly fragment?: string }
  | { readonly kind: 'outside-root'; readonly path: string }
  | { readonly kind: 'empty'; readonly scheme?: string }
  | { readonly kind: 'skipped'; readonly reason: SkipReason };

/**
 * A link to this repository's former default branch (`blob/master/…` after a rename to `main`),
 * which GitHub redirects: checked as a local file, with the URL on the current branch.
 */
export interface RenamedBranch {
  readonly from: string;
  readonly to: string;
  /** The link's URL with the current branch in place of the former one. */
  readonly url: string;
}

/** Why a link is not checked at all. */
export type SkipReason = 'scheme' | 'ignored-url' | 'invalid-url';

/** A link with what the plan and check stages learned about it. */
export interface ResolvedLink {
  readonly link: Link;
  readonly target: LinkTarget;
  /** For `local` targets: what the file system says. */
  readonly file?: FileStatus;
  /** For `external` targets: the result of checking the URL (absent when offline). */
  readonly remote?: UrlResult;
  /** For a working `http://` URL: the result of checking its `https://` twin. */
  readonly secure?: UrlResult;
  /** Where the link's fragment is looked up (src/resolve/fragment-target.ts), worked out once. */
  readonly fragmentTarget: FragmentTarget;
}

/** Where a link's fragment has to be looked up, as the `missing-anchor` and `unverifiable` rules see it. */
export type FragmentTarget =
  | { readonly kind: 'none' }
  | { readonly kind: 'markdown'; readonly path: string; readonly fragment: string; readonly sameFile: boolean }
  | { readonly kind: 'no-readme'; readonly path: string; readonly fragment: string }
  | { readonly kind: 'not-markdown'; readonly path: string; readonly fragment: string };



/** What the file system says about a local target. */
export type FileStatus =
  | { readonly kind: 'file'; readonly isMarkdown: boolean }
  | { readonly kind: 'directory'; readonly readme?: string }
  | { readonly kind: 'missing'; readonly suggestion?: string }
  | { readonly kind: 'case-mismatch'; readonly actual: string }
  /** The path exists only through a symlink whose real path is outside the repository. */
  | { readonly kind: 'outside' };

// What extraction finds in a file (Document, Link, Range…) lives in syntax.ts, the verdicts of the
// HTTP engine (TargetStatus, UrlResult and their closed lists) in verdicts.ts; both are part of
// this module's exports.
export * from './syntax.js';
export * from './verdicts.js';

/** The answer to "does this fragment exist in that file?". */
export type AnchorMatch =
  | { readonly kind: 'found' }
  | {
      readonly kind: 'missing';
      /** The closest anchor, for a hint. */
      readonly suggestion?: string;
      /** The anchor the fragment certainly means, when exactly one does: what `--fix` writes. */
      readonly certain?: string;
    }
  | { readonly kind: 'unknown' };

/** Looks up fragments in the anchor index shared by every file. */
export interface AnchorLookup {
  /** Matches `fragment` (as written, still percent-encoded) against the anchors of `path`. */
  match(path: string, fragment: string): AnchorMatch;
}

/** A replacement of the UTF-16 range [start, end) of a file's decoded text. */
export interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** One problem found by a rule. */
export interface Finding {
  readonly ruleId: RuleId;
  readonly severity: Severity;
  /** Relative to the working directory, with `/` separators. */
  readonly file: string;
  readonly range: Range;
  /** The destination as written, after reference resolution. */
  readonly url?: string;
  readonly message: string;
  readonly hint?: string;
  readonly fix?: Edit;
}

/** A problem with an input file that is reported but does not stop the run. */
export interface Notice {
  readonly kind:
    | 'binary'
    | 'invalid-utf8'
    | 'invalid-name'
    | 'symlink'
    | 'unreadable'
    | 'too-large'
    | 'too-deep'
    | 'too-complex'
    | 'unparsable'
    | 'unknown-rule'
    /** GitHub links fetched from github.com's pages for want of a `GITHUB_TOKEN` (at the first such link). */
    | 'github-token';
  readonly file: string;
  /** 1-based line of the offending byte, when there is one. */
  readonly line?: number;
  /** 1-based column (in bytes) of the offending byte, when there is one. */
  readonly column?: number;
  readonly message: string;
}

/** Counts for the whole run. */
export interface Summary {
  readonly files: number;
  readonly links: number;
  readonly uniqueUrls: number;
  readonly checked: number;
  readonly errors: number;
  readonly warnings: number;
  readonly skipped: number;
  readonly offline: number;
  /** Unique external URLs found dead: a strong signal (404, 410, a name that does not exist, a confirmed refusal). */
  readonly dead: number;
  /** Unique external URLs behind a known bot wall. */
  readonly blocked: number;
  /** Unique external URLs that got no verdict for another reason (a weak failure twice, 401, 403, 429, TLS). */
  readonly unverified: number;
  /**
   * With `changedSince`: unique external URLs not checked because every link to them is on an
   * unchanged line (0 otherwise).
   */
  readonly unchanged: number;
  /** With `budget`: unique external URLs left for a later run (0 otherwise). */
  readonly budget: number;
  readonly durationMs: number;
}

/** One unique external URL of the run and what checking it gave (the link rot ledger reads these). */
export interface CheckedUrl {
  /** The normalised URL, without its fragment. */
  readonly url: string;
  /** The verdict; `unverifiable` with reason `offline` when the run did not reach the network. */
  readonly status: TargetStatus;
  /** The destinations as written that lead here. */
  readonly linkedAs: readonly string[];
  /** Every file and line that links here. */
  readonly linkedAt: readonly { readonly file: string; readonly line: number }[];
  /** Milliseconds to the verdict (0 when cached or not checked). */
  readonly durationMs: number;
  /** HTTP requests sent for it, redirects and retries included. */
  readonly requests: number;
}

/**
 * Why a link got no verdict: a `SkipReason` for one that is never checked (another scheme, an
 * `ignoreUrls` match, an invalid URL), `offline` for an external link the run could not check,
 * `private-address` for one that resolves to a private address, `budget` for one `--budget` left
 * for a later run, `unchanged` for an external link PR mode left alone.
 */
export type UncheckedReason = SkipReason | 'offline' | 'private-address' | 'budget' | 'unchanged';

/** One link of a checked file, as the report lists it. */
export interface ReportedLink {
  /** The destination as written, after reference resolution. */
  readonly url: string;
  readonly range: Range;
  /** Absent when the link was checked; findings about it are in `Report.findings`. */
  readonly unchecked?: UncheckedReason;
}

/** A checked file and its links, in document order. */
export interface ReportedFile {
  /** Relative to the working directory, with `/` separators, as in findings. */
  readonly file: string;
  readonly links: readonly ReportedLink[];
}

/**
 * What a `changedSince` run compared the working tree with. `merge-base`: the merge base of the
 * ref and `HEAD`, line by line; `ref`: there was no merge base (a shallow clone, unrelated
 * histories), so the files that differ from the ref itself were checked in full; `none`: the
 * ref is unknown here (or git could not diff), so every file was checked.
 */
export type ChangedSince =
  | (ChangedSinceCommit & { readonly base: 'merge-base' })
  | (ChangedSinceCommit & { readonly base: 'ref' })
  | { readonly ref: string; readonly base: 'none'; readonly reason: 'unknown-ref' | 'diff-failed'; readonly shallow: boolean };

/** A `changedSince` run that had a commit to compare with. */
export interface ChangedSinceCommit {
  /** The ref as given. */
  readonly ref: string;
  /** The commit compared with (the merge base, or the ref's own commit). */
  readonly commit: string;
  /** Whether the repository is a shallow clone. */
  readonly shallow: boolean;
  /** Checked files that changed themselves, not counting the ones selected for linking into them. */
  readonly changed: number;
}

/** The result of a run: what the CLI prints and the library returns. */
export interface Report {
  readonly summary: Summary;
  readonly findings: readonly Finding[];
  readonly notices: readonly Notice[];
  /** Every unique external URL with its verdict, in first-linked order; `check()` always fills it. */
  readonly urls?: readonly CheckedUrl[];
  /** 429 answers received, by host (`host:port` as in the URL), when there were any. */
  readonly rateLimited?: Readonly<Record<string, number>>;
  /**
   * Every checked file with every link in it, in the order files were checked; `check()` always
   * fills it. Formats that list passing links as well as findings (JUnit) read it; a report made
   * without it gets those formats' findings-only form.
   */
  readonly files?: readonly ReportedFile[];
  /** True when external links were not checked because the run was offline. */
  readonly offline: boolean;
  /** Why: `--offline` was given (`requested`) or the network could not be reached (`unreachable`). */
  readonly offlineReason?: 'requested' | 'unreachable';
  /** Present when the run was asked to check only what changed since a git ref. */
  readonly changedSince?: ChangedSince;
}

/** Fails the build when a `switch` misses a variant of a union. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
