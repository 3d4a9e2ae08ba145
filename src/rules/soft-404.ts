import type { TargetStatus } from '../types.js';
import { isReference } from './link-kinds.js';
import { defineRule } from './rule.js';

/** Paths that are the home page under another name: a redirect from them to `/` is no sign. */
const indexPath = /^\/(?:index|default)\.[a-z]+$/i;

/** A login page, by its path (`/login`, `/users/sign_in`, `/oauth/authorize`) or its host (`login.…`). */
const loginPath = /(?:^|\/)(?:log-?in|sign-?in|sign_in|sso|auth|session\/new|sessions\/new|oauth2?\/authori[sz]e)(?:\/|$|\.)/i;
const loginHost = /^(?:login|signin|sso|auth|accounts)\./i;

/**
 * A title or heading that says "not found": `Page not found`, `404 Not Found`, `404 | Vercel`,
 * `Error 404 (Not Found)`. A 404 that is only part of a name (`404 Media`, `Designing a 404
 * page`) is not enough.
 */
const notFoundText =
  /^(?:error\s*)?404(?:$|\s*(?:[-:|–—.!(]|not\b|error\b|page\b))|\bpage not found\b|\bfile not found\b|^not found$|\bpage (?:does not|doesn't) exist\b|\bpage (?:could not|cannot|can't) be found\b/i;

/** Whether a URL points below a site's home page: a path other than `/`, or a query. */
function isDeep(url: URL): boolean {
  return (url.pathname !== '/' && url.pathname !== '') || url.search !== '';
}

function siteOf(hostname: string): string {
  return hostname.toLowerCase().replace(/^www\./, '');
}

/** What makes a working answer look like a missing page, in words, if anything does. */
function softNotFound(linked: URL, status: Extract<TargetStatus, { kind: 'ok' }>): { message: string; hint?: string } | undefined {
  if (!isDeep(linked)) return undefined;
  const final = status.redirects.at(-1)?.to;
  const landed = final !== undefined && URL.canParse(final) ? new URL(final) : undefined;
  if (landed !== undefined && !isDeep(landed) && siteOf(landed.hostname) === siteOf(linked.hostname) && !indexPath.test(linked.pathname)) {
    return {
      message: `Unexpected redirect of a deep link to the site's home page \`${landed.href}\`: the page is probably gone`,
      hint: 'find where the page went, or link to an archived copy',
    };
  }
  const isLogin = (url: URL): boolean => loginPath.test(url.pathname) || loginHost.test(url.hostname);
  if (landed !== undefined && isLogin(landed) && !isLogin(linked)) {
    return { message: `Unexpected redirect to a login page \`${landed.href}\`: the page may be gone or private` };
  }
  const { title, heading } = status.page ?? {};
  if (title !== undefined && notFoundText.test(title)) {
    return { message: `Cannot find the page: it answers HTTP ${status.status}, but its title says \`${title}\`` };
  }
  if (heading !== undefined && notFoundText.test(heading)) {
    return { message: `Cannot find the page: it answers HTTP ${status.status}, but its heading says \`${heading}\`` };
  }
  return undefined;
}

/**
 * A link that works on paper but lands nowhere: a deep link redirected to the site's home page or
 * to a login page, or a page that answers 200 while its title or first heading says "not found".
 */
export const soft404 = defineRule({
  id: 'soft-404',
  description: 'Deep links must not land on a home, login or "not found" page',
  severity: 'warning',
  run({ resolved }, emit) {
    for (const { link, target, remote } of resolved) {
      if (remote?.status.kind !== 'ok' || isReference(link) || target.kind !== 'external') continue;
      if (!URL.canParse(target.url)) continue;
      const found = softNotFound(new URL(target.url), remote.status);
      if (found !== undefined) emit(link, found.message, found.hint === undefined ? {} : { hint: found.hint });
    }
  },
});
