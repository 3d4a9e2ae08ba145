import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config/defaults.js';
import { extractDocument } from '../src/extract/document.js';
import { tocMismatch } from '../src/rules/toc-mismatch.js';
import type { AnchorLookup, Finding } from '../src/types.js';

const anchors = { has: () => false } as unknown as AnchorLookup;

function lint(text: string): Finding[] {
  const document = extractDocument('README.md', text);
  return tocMismatch.check({ document, resolved: [], anchors, config: defaultConfig }, 'warning');
}

/** The text with the finding's fix applied. */
function fixed(text: string): string {
  const [finding] = lint(text);
  const fix = finding?.fix;
  if (fix === undefined) throw new Error('no fix');
  return text.slice(0, fix.start) + fix.text + text.slice(fix.end);
}

const headings = '\n## Install\n\n## Configure\n\n### Files\n\n## Usage\n';

describe('toc-mismatch', () => {
  it('says what differs first: an entry without heading, a missing heading, the order, the nesting', () => {
    const message = (list: string): string | undefined => lint(`# Guide\n\n${list}\n${headings}`)[0]?.message;
    expect(message('- [Install](#install)\n- [Setup](#setup)\n- [Configure](#configure)\n  - [Files](#files)\n- [Usage](#usage)')).toBe(
      'Unexpected table of contents: entry `#setup` has no heading after the list',
    );
    expect(message('- [Install](#install)\n- [Configure](#configure)\n  - [Files](#files)')).toBe(
      'Unexpected table of contents: heading `Usage` is missing',
    );
    expect(message('- [Configure](#configure)\n  - [Files](#files)\n- [Install](#install)\n- [Usage](#usage)')).toBe(
      'Unexpected table of contents: entry `#configure` is out of order, expected `#install` there',
    );
    expect(message('- [Install](#install)\n- [Configure](#configure)\n- [Files](#files)\n- [Usage](#usage)')).toBe(
      // A flat list covers one level only, so `Files` is not required, but listed flat it is at the wrong level.
      'Unexpected table of contents: entry `#files` is at nesting level 1, expected 2',
    );
    expect(message('- [Install](#install)\n- [Configure](#configure)\n  - [Files](#files)\n- [Usage](#usage)')).toBeUndefined();
    expect(message('- [Install](#install)\n- [Configure](#configure)\n  - [Files](#files)\n- [Usage](#usage)\n- [Usage](#usage)')).toBe(
      'Unexpected table of contents: entry `#usage` appears twice',
    );
  });

  it('leaves a one-level list alone when deeper headings are missing from it', () => {
    expect(lint(`# Guide\n\n- [Install](#install)\n- [Configure](#configure)\n- [Usage](#usage)\n${headings}`)).toEqual([]);
  });

  it('is no table of contents below the third heading, or with other text in its items', () => {
    expect(lint(`# A\n\n## B\n\n## C\n\n- [Install](#install)\n- [Usage](#usage)\n${headings}`)).toEqual([]);
    expect(lint(`# Guide\n\n- [Install](#install) first\n- [Usage](#usage)\n${headings}`)).toEqual([]);
  });

  it('allows an entry for the title above the list, and leaves lists that reach HTML anchors alone', () => {
    const titled = `# Guide\n\n- [Guide](#guide)\n  - [Install](#install)\n  - [Configure](#configure)\n  - [Usage](#usage)\n${headings}`;
    expect(lint(titled)).toEqual([]);
    const stale = lint(`# Guide\n\n- [Guide](#guide)\n  - [Install](#install)\n  - [Usage](#usage)\n${headings}`);
    expect(stale.map((finding) => finding.message)).toEqual(['Unexpected table of contents: heading `Configure` is missing']);
    // Written again from the headings, the title entry would be lost: a hint, no fix.
    expect(stale[0]?.fix).toBeUndefined();
    const html = `# Guide\n\n- [C#](#csharp)\n- [Install](#install)\n\n<a id="csharp"></a>\n\n## C\\#\n${headings}`;
    expect(lint(html)).toEqual([]);
  });

  it('regenerates the list in place, keeping its marker and indentation, and the fix is then clean', () => {
    const text = `# Guide\n\n* [Usage](#usage)\n* [Install](#install)\n    * [Files](#files)\n${headings}\nAfter.\n`;
    const result = fixed(text);
    expect(result).toBe(
      `# Guide\n\n* [Install](#install)\n* [Configure](#configure)\n    * [Files](#files)\n* [Usage](#usage)\n${headings}\nAfter.\n`,
    );
    expect(lint(result)).toEqual([]);
  });

  it('numbers an ordered list per level, and escapes brackets in heading text', () => {
    const text = '# Guide\n\n1. [One](#one)\n2. [Two](#two)\n\n## One\n\n## [Draft] two\n\n### Part\n\n## Two\n';
    const result = fixed(text);
    expect(result).toBe('# Guide\n\n1. [One](#one)\n2. [\\[Draft\\] two](#draft-two)\n3. [Two](#two)\n\n## One\n\n## [Draft] two\n\n### Part\n\n## Two\n');
    expect(lint(result)).toEqual([]);
  });
});
