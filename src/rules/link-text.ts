import type { Link } from '../types.js';
import { defineRule } from './rule.js';

/**
 * Link text tells a reader, and a screen reader reading a list of links, where the link goes:
 * "here", "click here" or "read more" says nothing out of context. Compared without case,
 * punctuation or extra spaces against `nonDescriptiveText`. A URL as the text of an inline or
 * reference link is a finding too (name the page instead); an autolink `<https://…>` or a bare
 * URL is a deliberate choice to show the address, and is left alone. Images need alt text, and
 * a link whose only content is an image without alt text has no text at all.
 */
export const linkText = defineRule({
  id: 'link-text',
  description: 'Links say where they go and images have alt text',
  severity: 'warning',
  run({ document, config }, emit) {
    const vague = new Set(config.nonDescriptiveText.map(normalize));
    for (const link of document.links) {
      if (link.syntax === 'definition' || link.syntax === 'autolink' || link.syntax === 'literal' || link.syntax === 'html') continue;
      if (link.kind === 'image') {
        if (link.text.trim() === '') emit(link, 'Unexpected image without alt text', { hint: 'describe the image in `![…]`' });
        continue;
      }
      if (link.kind !== 'link') continue;
      const problem = textProblem(link, vague);
      if (problem !== undefined) emit(link, problem.message, { hint: problem.hint });
    }
  },
});

/** Lower case, punctuation and symbols dropped, spaces collapsed: `Click here!` → `click here`. */
function normalize(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\p{P}\p{S}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const urlText = /^(?:https?:\/\/|www\.)\S+$/i;

function textProblem(link: Link, vague: ReadonlySet<string>): { message: string; hint: string } | undefined {
  const text = link.text.trim();
  if (text === '') {
    // `[![](badge.svg)](url)`: the image has no alt text, so the link has no text either.
    return { message: 'Unexpected link without text', hint: 'give it text, or alt text to the image inside it' };
  }
  if (urlText.test(text)) {
    return { message: `Unexpected URL as link text: \`${text}\``, hint: 'name the page the link leads to' };
  }
  const normalized = normalize(text);
  if (normalized !== '' && vague.has(normalized)) {
    return { message: `Unexpected non-descriptive link text \`${text}\``, hint: 'say where the link goes' };
  }
  return undefined;
}
