/**
 * One copy of each repeated string across a run's documents. Documents that come back from a parse
 * worker or out of the parse cache carry a copy of every string per object (structured clone and
 * JSON make no attempt to share them), so the same URL linked from a hundred files, and the link kind
 * and syntax of every link, would each be held a hundred times.
 */
import type { Anchor, Document, Heading, Link } from '../types.js';

/** A value whose fields may be set. */
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Shares the repeated strings of documents (link kinds, syntaxes, URLs, texts and labels; anchor sources and ids; heading texts and slugs) as they arrive. */
export class SharedStrings {
  readonly #seen = new Map<string, string>();

  /** Replaces the repeated strings of `documents` by the one copy already seen (harmless to repeat). */
  share(documents: readonly Document[]): void {
    for (const document of documents) {
      for (const link of document.links as readonly Mutable<Link>[]) {
        link.kind = this.#one(link.kind);
        link.syntax = this.#one(link.syntax);
        link.url = this.#one(link.url);
        link.text = this.#one(link.text);
        if (link.label !== undefined) link.label = this.#one(link.label);
      }
      for (const anchor of document.anchors as readonly Mutable<Anchor>[]) {
        anchor.source = this.#one(anchor.source);
        anchor.id = this.#one(anchor.id);
      }
      for (const heading of document.headings as readonly Mutable<Heading>[]) {
        heading.text = this.#one(heading.text);
        heading.slug = this.#one(heading.slug);
      }
    }
  }

  #one<T extends string>(value: T): T {
    const known = this.#seen.get(value) as T | undefined;
    if (known !== undefined) return known;
    this.#seen.set(value, value);
    return value;
  }
}
