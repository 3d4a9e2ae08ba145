/**
 * Remote fragments: reads at most a few megabytes of a page with a streaming HTML parser,
 * collecting element ids, `<a name>` anchors and the visible text, then answers whether each
 * fragment (`#id` or a text fragment `#:~:text=`) exists.
 */
import { Parser } from 'htmlparser2';
import { closest } from '../suggest.js';
import type { NetError } from '../types.js';
import { header, type BodyReader, type ResponseHeaders } from './client.js';
import { classify } from './errors.js';
import type { FragmentStatus } from './types.js';

/** What a page contains that a fragment can point at. */
export interface PageScan {
  readonly isHtml: boolean;
  readonly ids: ReadonlySet<string>;
  /** Visible text, lowercased, runs of white space collapsed to one space. */
  readonly text: string;
  /** Text inside `<script>` elements (GitHub embeds rendered READMEs in JSON there). */
  readonly scriptText: string;
  /** How many `<script>` elements the page has. */
  readonly scripts: number;
  /** The text of the page's `<title>`, white space collapsed, if it has one. */
  readonly title?: string;
  /** The text of the page's first `<h1>`, white space collapsed, if it has one. */
  readonly heading?: string;
  /** True when reading stopped before the end of the page (the cap, or every id already found). */
  readonly isTruncated: boolean;
  /** The error that stopped reading the body, if any. */
  readonly error?: NetError;
}

/** Pages with less visible text than this and some script are taken to render on the client. */
const clientRenderedTextLength = 200;

const hiddenElements = new Set(['script', 'style', 'noscript', 'template', 'head', 'title']);

/** The most characters of a title or heading kept. */
const headTextLength = 300;

function squeeze(text: string): string | undefined {
  const squeezed = text.replace(/\s+/g, ' ').trim().slice(0, headTextLength);
  return squeezed === '' ? undefined : squeezed;
}

function isHtmlType(headers: ResponseHeaders): boolean {
  const type = header(headers, 'content-type')?.split(';')[0]?.trim().toLowerCase();
  return type === undefined || type === 'text/html' || type === 'application/xhtml+xml';
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** True when the scan already answers every plain id fragment, so reading can stop. */
function hasAllIds(ids: ReadonlySet<string>, wanted: readonly string[]): boolean {
  return wanted.every((id) => ids.has(id) || ids.has(`user-content-${id}`));
}

/**
 * Creates a body reader that scans at most `maxBytes` of an HTML page. It stops early once every
 * plain id fragment in `fragments` has been seen (with no fragments: once the title and the first
 * `<h1>` have been read), and never throws: a failed read is recorded.
 */
export function createPageReader(fragments: readonly string[], maxBytes: number): BodyReader<PageScan> {
  const wantedIds = fragments.filter((fragment) => !isTrivialFragment(fragment)).map(safeDecode);
  const isIdOnly = fragments.every((fragment) => !fragment.includes(':~:'));
  return async (body, headers) => {
    const ids = new Set<string>();
    let text = '';
    let scriptText = '';
    let hidden = 0;
    let inScript = 0;
    let scripts = 0;
    // The title and first heading: `undefined` before the element opens, text while it is open.
    let title: string | undefined;
    let heading: string | undefined;
    let inTitle = false;
    let inHeading = false;
    const parser = new Parser(
      {
        onopentag(name, attributes) {
          const id = attributes['id'];
          if (id !== undefined) ids.add(id);
          const anchorName = attributes['name'];
          if (name === 'a' && anchorName !== undefined) ids.add(anchorName);
          if (name === 'script') {
            scripts += 1;
            inScript += 1;
          }
          if (hiddenElements.has(name)) hidden += 1;
          if (name === 'title' && title === undefined) {
            title = '';
            inTitle = true;
          }
          if (name === 'h1' && heading === undefined) {
            heading = '';
            inHeading = true;
          }
        },
        onclosetag(name) {
          if (name === 'title') inTitle = false;
          if (name === 'h1') inHeading = false;
          if (name === 'script') inScript = Math.max(0, inScript - 1);
          if (hiddenElements.has(name)) hidden = Math.max(0, hidden - 1);
        },
        ontext(data) {
          if (inTitle && title !== undefined && title.length < headTextLength) title += data;
          if (inHeading && heading !== undefined && heading.length < headTextLength) heading += data;
          if (hidden === 0) text += data;
          else if (inScript > 0) scriptText += data;
        },
      },
      { decodeEntities: true },
    );
    const scan = (extra: { isTruncated: boolean; error?: NetError }): PageScan => {
      const head = { title: squeeze(title ?? ''), heading: squeeze(heading ?? '') };
      return {
        isHtml: true,
        ids,
        text: text.replace(/\s+/g, ' ').trim().toLowerCase(),
        scriptText,
        scripts,
        ...(head.title === undefined ? {} : { title: head.title }),
        ...(head.heading === undefined ? {} : { heading: head.heading }),
        isTruncated: extra.isTruncated,
        ...(extra.error === undefined ? {} : { error: extra.error }),
      };
    };
    if (!isHtmlType(headers)) return { ...scan({ isTruncated: false }), isHtml: false };
    const decoder = new TextDecoder('utf-8');
    let bytes = 0;
    try {
      for await (const chunk of body) {
        const room = maxBytes - bytes;
        bytes += chunk.byteLength;
        parser.write(decoder.decode(chunk.byteLength > room ? chunk.subarray(0, room) : chunk, { stream: true }));
        if (bytes >= maxBytes) return scan({ isTruncated: true });
        // Without ids to find, only the title and the first heading are wanted.
        const hasHead = title !== undefined && !inTitle && heading !== undefined && !inHeading;
        if (isIdOnly && hasAllIds(ids, wantedIds) && (wantedIds.length > 0 || hasHead)) return scan({ isTruncated: true });
      }
      parser.end();
      return scan({ isTruncated: false });
    } catch (error) {
      return scan({ isTruncated: true, error: classify(error) });
    }
  };
}

/** True when a page has so little visible text that scripts must render it. */
export function isClientRendered(scan: PageScan): boolean {
  return scan.text.length < clientRenderedTextLength && scan.scripts > 0;
}

/** Matches a text fragment (`:~:text=[prefix-,]start[,end][,-suffix]`) against the visible text. */
function matchesTextDirective(directive: string, text: string): boolean {
  const parts = directive.split(',').map((part) => safeDecode(part).replace(/\s+/g, ' ').trim().toLowerCase());
  if (parts[0]?.endsWith('-') === true && parts.length > 1) parts.shift();
  if (parts.at(-1)?.startsWith('-') === true && parts.length > 1) parts.pop();
  const [start, end] = parts;
  if (start === undefined || start === '') return false;
  const at = text.indexOf(start);
  if (at === -1) return false;
  return end === undefined || end === '' || text.indexOf(end, at + start.length) !== -1;
}

function isGitHub(hostname: string): boolean {
  return hostname === 'github.com' || hostname.endsWith('.github.com');
}

function hasId(scan: PageScan, id: string, hostname: string): boolean {
  if (scan.ids.has(id) || scan.ids.has(`user-content-${id}`)) return true;
  if (!isGitHub(hostname)) return false;
  const lower = id.toLowerCase();
  // GitHub scrolls to `user-content-<id>` case-insensitively and renders some pages from embedded JSON.
  return scan.ids.has(`user-content-${lower}`) || scan.scriptText.includes(`user-content-${lower}`);
}

/** Answers one fragment (without `#`, as written) against a scanned page of `url`. */
export function matchFragment(fragment: string, scan: PageScan, url: URL): FragmentStatus {
  if (!scan.isHtml) return { kind: 'unverifiable', reason: 'not-html' };
  const [element = '', directives] = fragment.split(':~:', 2);
  if (directives !== undefined) {
    const texts = directives
      .split('&')
      .filter((directive) => directive.startsWith('text='))
      .map((directive) => directive.slice('text='.length));
    if (texts.length > 0 && texts.every((directive) => matchesTextDirective(directive, scan.text))) {
      return { kind: 'found' };
    }
    if (element === '') return missing(scan, undefined);
  }
  const id = safeDecode(element);
  if (id === '' || id.toLowerCase() === 'top') return { kind: 'found' };
  if (isGitHub(url.hostname) && /^L\d+(C\d+)?(-L\d+(C\d+)?)?$/.test(id)) return { kind: 'found' };
  if (hasId(scan, id, url.hostname)) return { kind: 'found' };
  return missing(scan, id);
}

function missing(scan: PageScan, id: string | undefined): FragmentStatus {
  if (scan.error !== undefined) return { kind: 'unverifiable', reason: 'body-error', error: scan.error };
  if (isClientRendered(scan)) return { kind: 'unverifiable', reason: 'client-rendered' };
  if (scan.isTruncated) return { kind: 'unverifiable', reason: 'too-large' };
  const candidates = [...scan.ids].map((candidate) => candidate.replace(/^user-content-/, ''));
  const suggestion = id === undefined ? undefined : closest(id, candidates);
  return suggestion === undefined ? { kind: 'missing' } : { kind: 'missing', suggestion };
}

/** Fragments that need no page at all: the empty fragment and `top` always exist. */
export function isTrivialFragment(fragment: string): boolean {
  return fragment === '' || fragment.toLowerCase() === 'top';
}
