import { isReference } from './link-kinds.js';
import { defineRule } from './rule.js';

/** `owner/name` of a github.com URL. */
function repositoryOf(url: string): string {
  const [owner = '', name = ''] = (URL.canParse(url) ? new URL(url).pathname : '').split('/').slice(1);
  return `${owner}/${name.replace(/\.git$/, '')}`;
}

/**
 * Links into a GitHub repository that its owner archived (read-only, no longer maintained), as the
 * GitHub API says with `GITHUB_TOKEN`. Opt-in: an archived project is often still the right link.
 */
export const githubArchived = defineRule({
  id: 'github-archived',
  description: 'Links into archived GitHub repositories need a look',
  severity: 'warning',
  isOptIn: true,
  run({ resolved }, emit) {
    for (const { link, target, remote } of resolved) {
      if (remote?.provider?.name !== 'github' || remote.provider.archived !== true) continue;
      if (isReference(link) || target.kind !== 'external') continue;
      emit(link, `Unexpected link into the archived repository \`${repositoryOf(target.url)}\`: it is read-only and no longer maintained`, {
        hint: 'link a maintained fork or successor if there is one',
      });
    }
  },
});
