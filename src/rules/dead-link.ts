import { isReference } from './link-kinds.js';
import { remoteVerdict } from './remote-verdict.js';
import { defineRule } from './rule.js';

/** External URLs must answer: 404, 410, 5xx after retries, DNS failures, refusals, resets and timeouts are dead. */
export const deadLink = defineRule({
  id: 'dead-link',
  description: 'External URLs must answer with a success',
  severity: 'error',
  run({ resolved }, emit) {
    for (const { link, remote } of resolved) {
      if (remote === undefined || isReference(link)) continue;
      const verdict = remoteVerdict(remote);
      if (verdict.kind !== 'dead') continue;
      const target = link.url.split('#')[0] ?? link.url;
      // "Connection refused" reads as part of the sentence; "HTTP 404" keeps its capitals.
      const reason = /^[A-Z][a-z]/.test(verdict.reason) ? verdict.reason.charAt(0).toLowerCase() + verdict.reason.slice(1) : verdict.reason;
      emit(link, `Cannot reach \`${target}\` (${reason})`, verdict.hint === undefined ? {} : { hint: verdict.hint });
    }
  },
});
