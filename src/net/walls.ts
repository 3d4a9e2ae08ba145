/**
 * Known bot walls: answers that say "automated clients are not let in", not "this page is gone".
 * Kept as data, one entry per wall, each with where the behaviour was observed. A URL whose
 * answer matches an entry is `unverifiable` with reason `blocked` and the wall's name; it is
 * never called dead and never retried.
 *
 * An entry matches when every condition it names holds: the status, the host name (exact, or
 * `.example.com` for every subdomain), the path, each header (a pattern on its first value) and
 * the body (a pattern on the page's title and visible text, from its first bytes only). An entry
 * with a body pattern can only match a GET's answer; see {@link mayNeedBody}.
 */
import type { PageHead } from '../types.js';
import { header, type ResponseHeaders } from './client.js';

/** One known wall. */
export interface BotWall {
  /** Reads after "blocked by": `a Cloudflare challenge`. */
  readonly name: string;
  /** Statuses it answers with. */
  readonly statuses: readonly number[];
  /** Host names it applies to (exact, or `.example.com` for subdomains); absent: every host. */
  readonly hosts?: readonly string[];
  /** The URL paths it applies to; absent: every path. */
  readonly path?: RegExp;
  /** Header name (lowercase) → pattern its first value must match. */
  readonly headers?: Readonly<Record<string, RegExp>>;
  /** A pattern the page's title and visible text (lowercased) must match. */
  readonly body?: RegExp;
}

/** What a page's first bytes held, as far as the walls care. */
export interface PagePeek extends PageHead {
  /** Visible text, lowercased, white space collapsed. */
  readonly text: string;
}

const amazonHosts = ['amazon.com', 'amazon.co.uk', 'amazon.de', 'amazon.fr', 'amazon.it', 'amazon.es', 'amazon.ca', 'amazon.co.jp', 'amazon.in', 'amazon.com.au', 'amzn.to'];

/** The table; the first entry that matches wins. */
export const botWalls: readonly BotWall[] = [
  // Cloudflare documents `cf-mitigated: challenge` on every challenge page it serves
  // (developers.cloudflare.com/cloudflare-challenges/challenge-types/challenge-pages/detect-response);
  // seen as a 403 with it on www.sdrangel.org (hexsecs/awesome-embedded-security#52).
  { name: 'a Cloudflare challenge', statuses: [403, 429, 503], headers: { 'cf-mitigated': /^challenge$/i } },
  // The older challenge and "under attack" pages: 403 or 503 from `server: cloudflare` with a
  // "Just a moment..." page (codepen.io went from 403 to 503, liferay/liferay-frontend-guidelines#164;
  // "Please turn JavaScript on and reload the page", sypets/brofix#289).
  {
    name: 'a Cloudflare challenge',
    statuses: [403, 503],
    headers: { server: /cloudflare/i },
    body: /just a moment\.\.\.|checking your browser before accessing|please turn javascript on and reload the page/,
  },
  // AWS WAF answers a challenge with 202 and `x-amzn-waf-action: challenge`, a CAPTCHA with 405
  // and `x-amzn-waf-action: captcha` (AWS WAF API reference, ChallengeAction and CaptchaAction).
  { name: 'an AWS WAF challenge', statuses: [202, 405], headers: { 'x-amzn-waf-action': /^(challenge|captcha)$/i } },
  // Akamai's "Access Denied" page (403, `server: AkamaiGHost`, "Reference #18.…"), as served
  // for docs.microsoft.com (Ekultek/WhatWaf#1162). The header alone is not enough: Akamai serves
  // ordinary errors too (AynOps/AynOps#194).
  { name: "Akamai's bot protection", statuses: [403], headers: { server: /akamaighost/i }, body: /access denied/ },
  // LinkedIn answers checkers with its non-standard 999 (gjtorikian/html-proofer#215,
  // dkhamsing/awesome_bot#165).
  { name: "LinkedIn's bot wall", statuses: [999], hosts: ['linkedin.com', '.linkedin.com'] },
  // X (Twitter) answers profile and post URLs with 400 "This browser is no longer supported"
  // (stevenvachon/broken-link-checker#210, pulumi/docs#4816) or with 403
  // (PageModifiedOfficial/Check-My-Links#86), whether the page exists or not.
  {
    name: "X's bot wall",
    statuses: [400, 403],
    hosts: ['x.com', 'www.x.com', 'mobile.x.com', 'twitter.com', 'www.twitter.com', 'mobile.twitter.com'],
    path: /^\/[A-Za-z0-9_]{1,15}(\/status(es)?\/\d+)?\/?$/,
  },
  // Amazon's robot check: a 503 page saying "To discuss automated access to Amazon data please
  // contact api-services-support@amazon.com" (tcort/markdown-link-check#25; enaqx/awesome-pentest#341).
  {
    name: "Amazon's robot check",
    statuses: [503],
    hosts: amazonHosts.flatMap((host) => [host, `.${host}`]),
    body: /automated access to amazon data|not a robot|enter the characters you see below/,
  },
  // Medium answers non-browser clients and datacenter addresses with 403 (api3dao/contracts#812,
  // paritytech/polkadot-sdk#11953).
  { name: "Medium's bot wall", statuses: [403], hosts: ['medium.com', '.medium.com'] },
  // Stack Overflow answers CI runners with 403 (jtpereyda/boofuzz#707).
  {
    name: "Stack Overflow's bot wall",
    statuses: [403],
    hosts: ['stackoverflow.com', '.stackoverflow.com', '.stackexchange.com', 'serverfault.com', 'superuser.com', 'askubuntu.com'],
  },
  // npmjs.com package pages answer automated clients with 403 whatever the User-Agent
  // (open-telemetry/opentelemetry-js#5948, coder/coder#26996).
  { name: "npm's bot wall", statuses: [403], hosts: ['npmjs.com', 'www.npmjs.com'] },
  // The non-standard 999 means "request denied" wherever it comes from (LinkedIn's, above, and
  // Yahoo's of old); no server means "dead" by it.
  { name: 'a 999 refusal', statuses: [999] },
];

function hasHost(wall: BotWall, hostname: string): boolean {
  if (wall.hosts === undefined) return true;
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return wall.hosts.some((name) => (name.startsWith('.') ? host.endsWith(name) : host === name));
}

/** Whether everything but the body matches. */
function matchesHead(wall: BotWall, url: URL, status: number, headers: ResponseHeaders): boolean {
  if (!wall.statuses.includes(status) || !hasHost(wall, url.hostname)) return false;
  if (wall.path !== undefined && !wall.path.test(url.pathname)) return false;
  return Object.entries(wall.headers ?? {}).every(([name, pattern]) => pattern.test(header(headers, name) ?? ''));
}

/**
 * The wall an answer comes from, if it is a known one. `page` is what the first bytes of the
 * body held; without it, entries that need a body do not match.
 */
export function matchWall(url: URL, status: number, headers: ResponseHeaders, page?: PagePeek): BotWall | undefined {
  return botWalls.find((wall) => {
    if (!matchesHead(wall, url, status, headers)) return false;
    if (wall.body === undefined) return true;
    return page !== undefined && wall.body.test(`${page.title?.toLowerCase() ?? ''} ${page.text}`);
  });
}

/** Whether a body-less answer (to HEAD) could still be a wall once its body is read with GET. */
export function mayNeedBody(url: URL, status: number, headers: ResponseHeaders): boolean {
  return botWalls.some((wall) => wall.body !== undefined && matchesHead(wall, url, status, headers));
}
