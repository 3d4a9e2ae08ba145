import type { UrlResult } from '../types.js';
import { destinationEdit } from './destination-edit.js';
import { isReference } from './link-kinds.js';
import { defineRule } from './rule.js';

/**
 * An `http://` URL whose `https://` twin works should use `https://`. The fix is offered only when
 * the twin answered with a success without ever leaving `https://` or its host.
 */
export const insecureLink = defineRule({
  id: 'insecure-link',
  description: 'Use https:// where the secure URL works',
  severity: 'warning',
  run({ resolved }, emit) {
    for (const { link, secure } of resolved) {
      if (secure?.status.kind !== 'ok' || isReference(link) || !/^http:/i.test(link.url)) continue;
      const https = `https:${link.url.slice('http:'.length)}`;
      const hint = `use \`${https}\``;
      const fix = staysSecure(secure) ? destinationEdit(link, https) : undefined;
      emit(link, 'Unexpected insecure `http://` URL: its `https://` twin works', fix === undefined ? { hint } : { hint, fix });
    }
  },
});

/** Whether every redirect of the twin stayed on `https://` and on the twin's own host. */
function staysSecure(secure: UrlResult): boolean {
  if (secure.status.kind !== 'ok') return false;
  const host = URL.canParse(secure.url) ? new URL(secure.url).host : undefined;
  return secure.status.redirects.every(({ to }) => URL.canParse(to) && new URL(to).protocol === 'https:' && new URL(to).host === host);
}
