/**
 * Fix planning: a file's bytes and its findings in, the edits to make and the patched bytes out.
 *
 * Pure: nothing here reads or writes a file. Each `Finding.fix` is an edit of the decoded text
 * (UTF-16 offsets, see src/types.ts); the planner keeps the edits that are certain and apart from
 * each other, applies them to the bytes (see bytes.ts), and parses the result again, so a fix that
 * would change how the file parses (lose a link, merge two) is dropped rather than written.
 */
import { decodeSource } from '../collect/decode.js';
import { extractDocument } from '../extract/index.js';
import type { Document, Edit, Finding, Link, RuleId } from '../types.js';
import { splitsPair, spliceBytes, spliceText } from './bytes.js';
import { destinationFixRules } from './rules.js';

/** A finding whose fix is applied. */
export interface AppliedFix {
  readonly finding: Finding;
  readonly edit: Edit;
  /** The text the edit replaces. */
  readonly before: string;
}

/** Why a fix was not applied. */
export type SkipReason = 'conflict' | 'out-of-range' | 'misplaced' | 'no-change' | 'reparse';

/** A finding whose fix was left out, and the note saying why. */
export interface SkippedFix {
  readonly finding: Finding;
  readonly reason: SkipReason;
  readonly note: string;
}

/** What fixing one file comes to. */
export type FilePlan =
  | {
      readonly kind: 'plan';
      readonly file: string;
      /** The edits made, in file order, one per edit even when several findings asked for it. */
      readonly applied: readonly AppliedFix[];
      readonly skipped: readonly SkippedFix[];
      /**
       * Every finding the applied edits resolve: those carrying them, those that asked for the
       * same edit, and the other uses of a reference whose definition was fixed.
       */
      readonly fixed: readonly Finding[];
      /** The decoded text before and after (without a BOM). */
      readonly text: string;
      readonly patchedText: string;
      /** The file's bytes after the edits; identical to the input outside them. */
      readonly patched: Uint8Array;
      /** What the patched text extracts to (the parse that vouched for the edits). */
      readonly reparsed: Document;
    }
  | { readonly kind: 'undecodable'; readonly file: string; readonly message: string };

interface Candidate {
  readonly finding: Finding;
  readonly edit: Edit;
  readonly order: number;
}

/**
 * Plans the fixes of one file. `findings` are this file's findings of the rules being fixed, with
 * or without a fix of their own (a reference use has none: the fix sits on the first use).
 * `parsed`, when the caller has it, is what the file's text extracts to, saving a parse.
 */
export function planFile(file: string, bytes: Uint8Array, findings: readonly Finding[], parsed?: Document): FilePlan {
  const decoded = decodeSource(file, bytes);
  if (decoded.kind === 'notice') return { kind: 'undecodable', file, message: decoded.notice.message };
  const { text } = decoded;
  const skipped: SkippedFix[] = [];
  const candidates: Candidate[] = [];
  findings.forEach((finding, order) => {
    const edit = finding.fix;
    if (edit === undefined) return;
    const problem = editProblem(text, edit, finding);
    if (problem !== undefined) skipped.push({ finding, ...problem });
    else candidates.push({ finding, edit, order });
  });
  const { kept, duplicates, conflicts } = separate(candidates);
  skipped.push(...conflicts);
  const before = parsed ?? extractDocument(file, text);
  const { accepted, reparsed } = keepParsing(file, text, before, kept, skipped);
  const edits = accepted.map((candidate) => candidate.edit);
  const patchedText = spliceText(text, edits);
  const acceptedFindings = new Set(accepted.map((candidate) => candidate.finding));
  const alsoFixed = duplicates.filter((duplicate) => acceptedFindings.has(duplicate.of)).map((duplicate) => duplicate.finding);
  const carriers = [...accepted.map((candidate) => candidate.finding), ...alsoFixed];
  return {
    kind: 'plan',
    file,
    applied: accepted.map(({ finding, edit }) => ({ finding, edit, before: text.slice(edit.start, edit.end) })),
    skipped: skipped.sort((a, b) => a.finding.range.start.offset - b.finding.range.start.offset),
    fixed: [...carriers, ...usesOfFixedDefinitions(before, findings, accepted, new Set(carriers))],
    text,
    patchedText,
    patched: edits.length === 0 ? bytes : spliceBytes(bytes, text, edits),
    reparsed,
  };
}

/** Why an edit cannot be applied to this text, if it cannot. */
function editProblem(text: string, edit: Edit, finding: Finding): Omit<SkippedFix, 'finding'> | undefined {
  const { start, end } = edit;
  const inRange = Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= text.length;
  if (!inRange || splitsPair(text, start) || splitsPair(text, end)) {
    return { reason: 'out-of-range', note: 'its edit does not fit the file as it is now' };
  }
  const replaced = text.slice(start, end);
  if (replaced === edit.text) return { reason: 'no-change', note: 'its edit changes nothing' };
  if (destinationFixRules.has(finding.ruleId) && !(finding.url ?? '').includes(replaced)) {
    return { reason: 'misplaced', note: "its edit is not where the link's URL is written" };
  }
  return undefined;
}

/** A finding that asked for exactly the edit another one carries. */
interface Duplicate {
  readonly finding: Finding;
  readonly of: Finding;
}

/**
 * Orders the edits by position and keeps the first of any that touch: a later edit that overlaps
 * a kept one, or starts where it starts (two insertions at one place, an insertion at a
 * replacement's start), is a conflict. An identical edit is a duplicate and rides on the kept one.
 */
function separate(candidates: readonly Candidate[]): { kept: Candidate[]; duplicates: Duplicate[]; conflicts: SkippedFix[] } {
  const sorted = candidates.toSorted((a, b) => a.edit.start - b.edit.start || a.edit.end - b.edit.end || a.order - b.order);
  const kept: Candidate[] = [];
  const duplicates: Duplicate[] = [];
  const conflicts: SkippedFix[] = [];
  for (const candidate of sorted) {
    const last = kept[kept.length - 1];
    if (last === undefined || (candidate.edit.start >= last.edit.end && candidate.edit.start !== last.edit.start)) {
      kept.push(candidate);
      continue;
    }
    if (candidate.edit.start === last.edit.start && candidate.edit.end === last.edit.end && candidate.edit.text === last.edit.text) {
      duplicates.push({ finding: candidate.finding, of: last.finding });
      continue;
    }
    const at = last.finding.range.start;
    conflicts.push({
      finding: candidate.finding,
      reason: 'conflict',
      note: `its edit overlaps the \`${last.finding.ruleId}\` fix at ${at.line}:${at.column}; run --fix again`,
    });
  }
  return { kept, duplicates, conflicts };
}

/** How many links and definitions a document has: the count a fix must not change. */
function linkCount(document: Document): number {
  return document.links.length + document.unusedDefinitions.length;
}

/** Rules whose fix replaces whole blocks of links (a table of contents), so the count may change. */
const blockFixRules: ReadonlySet<RuleId> = new Set<RuleId>(['toc-mismatch']);

/**
 * How many links an edit adds or takes away: none for an edit inside a link (a destination), the
 * links its own text holds less those it replaces for a block (a regenerated table of contents).
 */
function linkDelta(file: string, before: Document, candidate: Candidate): number {
  if (!blockFixRules.has(candidate.finding.ruleId)) return 0;
  const { start, end, text } = candidate.edit;
  const replaced = before.links.filter((link) => link.range.start.offset >= start && link.range.end.offset <= end).length;
  return linkCount(extractDocument(file, text)) - replaced;
}

/**
 * The edits whose result parses into the links the original has, less and plus what block edits
 * take away and bring. All of them, usually; when not, they are tried one at a time in file order
 * and each that changes the count otherwise is dropped.
 */
function keepParsing(
  file: string,
  text: string,
  before: Document,
  kept: readonly Candidate[],
  skipped: SkippedFix[],
): { accepted: Candidate[]; reparsed: Document } {
  if (kept.length === 0) return { accepted: [], reparsed: before };
  const deltas = new Map(kept.map((candidate) => [candidate, linkDelta(file, before, candidate)]));
  const wanted = (subset: readonly Candidate[]): number =>
    subset.reduce((count, candidate) => count + (deltas.get(candidate) ?? 0), linkCount(before));
  const parse = (subset: readonly Candidate[]): Document => extractDocument(file, spliceText(text, subset.map((candidate) => candidate.edit)));
  const all = parse(kept);
  if (linkCount(all) === wanted(kept)) return { accepted: [...kept], reparsed: all };
  const accepted: Candidate[] = [];
  let reparsed = before;
  for (const candidate of kept) {
    const subset = [...accepted, candidate];
    const trial = parse(subset);
    if (linkCount(trial) === wanted(subset)) {
      accepted.push(candidate);
      reparsed = trial;
    } else skipped.push({ finding: candidate.finding, reason: 'reparse', note: 'its edit would change how the file parses' });
  }
  return { accepted, reparsed };
}

/**
 * Findings without a fix of their own at a reference whose definition an applied edit of the same
 * rule rewrote: rules/run.ts keeps a definition's fix on its first use, and fixing it fixes all.
 */
function usesOfFixedDefinitions(
  document: Document,
  findings: readonly Finding[],
  accepted: readonly Candidate[],
  already: ReadonlySet<Finding>,
): Finding[] {
  const byStart = new Map<number, Link>();
  for (const link of document.links) if (link.definition !== undefined) byStart.set(link.range.start.offset, link);
  return findings.filter((finding) => {
    if (already.has(finding) || finding.fix !== undefined) return false;
    const definition = byStart.get(finding.range.start.offset)?.definition;
    if (definition === undefined) return false;
    return accepted.some(
      ({ finding: carrier, edit }) =>
        carrier.ruleId === finding.ruleId && edit.start >= definition.start.offset && edit.end <= definition.end.offset,
    );
  });
}
