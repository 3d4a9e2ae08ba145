import { fragmentUnverifiable, remoteVerdict } from './remote-verdict.js';
import { isReference } from './link-kinds.js';
import { defineRule, type Emit, type ResolvedLink } from './rule.js';

/** Links whose target exists but whose fragment or status cannot be confirmed are flagged for a human. */
export const unverifiable = defineRule({
  id: 'unverifiable',
  description: 'Links that cannot be verified need a human look',
  severity: 'warning',
  run({ document, resolved }, emit) {
    for (const entry of resolved) {
      if (isReference(entry.link)) continue;
      const target = entry.fragmentTarget;
      remote(entry, emit);
      if (target.kind === 'no-readme') {
        emit(entry.link, `Cannot verify fragment \`#${target.fragment}\`: directory \`${target.path}\` has no README`);
      } else if (target.kind === 'not-markdown') {
        emit(entry.link, `Cannot verify fragment \`#${target.fragment}\` in \`${target.path}\`, which is not markdown`);
      }
    }
  },
});

/** External links: a status or a fragment that could not be judged either way. */
function remote({ link, target, remote: result }: ResolvedLink, emit: Emit): void {
  if (result === undefined || target.kind !== 'external') return;
  const verdict = remoteVerdict(result);
  if (verdict.kind === 'unverifiable') {
    emit(link, `Cannot verify \`${target.url}\`: ${verdict.reason}`, verdict.hint === undefined ? {} : { hint: verdict.hint });
    return;
  }
  if (target.fragment === undefined || target.fragment === '') return;
  const status = result.fragments.get(target.fragment);
  if (status?.kind === 'unverifiable') {
    emit(link, `Cannot verify fragment \`#${target.fragment}\` in \`${target.url}\`: ${fragmentUnverifiable(status)}`);
  }
}
