import { isReference } from './link-kinds.js';
import { defineRule } from './rule.js';

/** Relative links must point at files that exist, spelled with the right case, inside the repository. */
export const missingFile = defineRule({
  id: 'missing-file',
  description: 'Local links must point at existing files inside the repository',
  severity: 'error',
  run({ resolved }, emit) {
    for (const { link, target, file } of resolved) {
      if (isReference(link)) continue;
      if (target.kind === 'outside-root') {
        emit(link, `Unexpected link above the repository root: \`${target.path}\``);
        continue;
      }
      if (target.kind !== 'local' || file === undefined) continue;
      if (file.kind === 'missing') {
        emit(link, `Cannot find file \`${target.path}\``, {
          ...(file.suggestion === undefined ? {} : { hint: `did you mean \`${file.suggestion}\`?` }),
        });
      } else if (file.kind === 'outside') {
        emit(link, `Cannot find file \`${target.path}\` inside the repository: a symlink leads outside it`);
      } else if (file.kind === 'case-mismatch') {
        emit(link, `Cannot find file \`${target.path}\` (file names are case-sensitive)`, {
          hint: `did you mean \`${file.actual}\`?`,
        });
      }
    }
  },
});
