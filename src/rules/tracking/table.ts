/**
 * The tracking-parameter table, modelled on ClearURLs: one entry per provider, scoped to the hosts
 * it serves. Data only; `clean.ts` applies it.
 */

/** Which hosts a provider entry applies to; host names are compared lowercased, without a trailing dot. */
export type HostPattern =
  | { readonly kind: 'any' }
  /** One of these host names exactly. */
  | { readonly kind: 'exact'; readonly hosts: readonly string[] }
  /** One of these domains or any subdomain of it (`medium.com` also covers `blog.medium.com`). */
  | { readonly kind: 'domain'; readonly domains: readonly string[] }
  /** A host name matching this expression, which anchors both ends. */
  | { readonly kind: 'regexp'; readonly pattern: RegExp };

/** One provider's tracking parameters and the parameters it needs kept. */
export interface TrackingProvider {
  readonly name: string;
  readonly host: HostPattern;
  /** Tracking query parameter names, matched after percent-decoding; a trailing `*` makes a prefix (`utm_*`). */
  readonly params: readonly string[];
  /** Patterns for whole path segments that only track (`/ref=sr_1_1` on Amazon). */
  readonly pathSegments?: readonly RegExp[];
  /** Parameters that carry meaning on these hosts; they are never removed, whatever another entry says. */
  readonly keep?: readonly string[];
}

/** Every provider entry; an entry with no `params` only documents the parameters that must stay. */
export const trackingProviders: readonly TrackingProvider[] = [
  {
    name: 'everywhere',
    host: { kind: 'any' },
    params: [
      'utm_*',
      'fbclid',
      'gclid',
      'dclid',
      'gbraid',
      'wbraid',
      'msclkid',
      'yclid',
      'mc_cid',
      'mc_eid',
      'igshid',
      '_hsenc',
      '_hsmi',
      'mkt_tok',
      'WT.mc_id',
    ],
  },
  {
    name: 'YouTube',
    host: {
      kind: 'exact',
      hosts: ['youtube.com', 'www.youtube.com', 'm.youtube.com', 'music.youtube.com', 'youtu.be'],
    },
    params: ['si', 'ab_channel', 'feature', 'pp'],
    keep: ['v', 't', 'list', 'index'],
  },
  {
    name: 'Amazon',
    // amazon.com, amazon.de, amazon.co.uk, amazon.com.au … and their www/smile/m hosts, but not
    // services such as aws.amazon.com.
    host: { kind: 'regexp', pattern: /^(?:(?:www|smile|m)\.)?amazon\.(?:com?\.)?[a-z]{2,3}$/ },
    params: [
      'crid',
      'dib',
      'dib_tag',
      'keywords',
      'qid',
      'sprefix',
      'sr',
      'ref',
      'ref_',
      'social_share',
      'pd_rd_*',
      'pf_rd_*',
    ],
    pathSegments: [/^ref=/],
  },
  {
    name: 'X',
    host: {
      kind: 'exact',
      hosts: ['x.com', 'www.x.com', 'mobile.x.com', 'twitter.com', 'www.twitter.com', 'mobile.twitter.com'],
    },
    params: ['s', 't', 'ref_src'],
  },
  {
    name: 'Medium',
    host: { kind: 'domain', domains: ['medium.com'] },
    params: ['source'],
    keep: ['sk'],
  },
  {
    name: 'Gumroad',
    host: { kind: 'domain', domains: ['gumroad.com'] },
    params: ['referrer'],
    keep: ['wanted'],
  },
  {
    name: 'LinkedIn',
    host: { kind: 'domain', domains: ['linkedin.com'] },
    params: ['trk'],
  },
  {
    name: 'Spotify',
    host: { kind: 'exact', hosts: ['open.spotify.com'] },
    params: ['si'],
  },
  {
    name: 'Hugging Face',
    host: { kind: 'domain', domains: ['huggingface.co'] },
    params: [],
    keep: ['fw'],
  },
  {
    name: 'Google',
    host: { kind: 'domain', domains: ['google.com'] },
    params: [],
    keep: ['hl'],
  },
  {
    name: 'Google Docs',
    host: { kind: 'exact', hosts: ['docs.google.com', 'drive.google.com'] },
    params: [],
    keep: ['id', 'resourcekey'],
  },
  {
    name: 'GitHub',
    host: { kind: 'exact', hosts: ['github.com', 'www.github.com'] },
    params: [],
    keep: ['q', 'type', 'tab'],
  },
  {
    name: 'Coursera',
    host: { kind: 'domain', domains: ['coursera.org'] },
    params: [],
    keep: ['action'],
  },
];

/**
 * A redirect wrapper: a link-tracking page that only sends the reader on to the URL in one of its
 * query parameters (`https://www.google.com/url?q=<target>`). The wrapped URL is what to link.
 */
export interface RedirectWrapper {
  readonly name: string;
  readonly host: HostPattern;
  /** The wrapper's path (compared case-insensitively); `undefined` means any path. */
  readonly path?: RegExp;
  /** Parameters that may hold the wrapped URL, tried in order. */
  readonly params: readonly string[];
}

/** Well-known redirect wrappers. */
export const redirectWrappers: readonly RedirectWrapper[] = [
  {
    name: 'Google',
    host: { kind: 'regexp', pattern: /^(?:www\.)?google\.(?:com?\.)?[a-z]{2,3}$/ },
    path: /^\/url$/i,
    params: ['q', 'url'],
  },
  { name: 'Facebook', host: { kind: 'exact', hosts: ['l.facebook.com', 'lm.facebook.com', 'l.messenger.com'] }, path: /^\/l\.php$/i, params: ['u'] },
  { name: 'Instagram', host: { kind: 'exact', hosts: ['l.instagram.com'] }, path: /^\/?$/, params: ['u'] },
  { name: 'Reddit', host: { kind: 'exact', hosts: ['out.reddit.com'] }, params: ['url'] },
  { name: 'YouTube', host: { kind: 'exact', hosts: ['www.youtube.com', 'youtube.com', 'm.youtube.com'] }, path: /^\/redirect$/i, params: ['q'] },
  { name: 'LinkedIn', host: { kind: 'exact', hosts: ['www.linkedin.com', 'linkedin.com'] }, path: /^\/redir\/redirect\/?$/i, params: ['url'] },
  { name: 'Slack', host: { kind: 'exact', hosts: ['slack-redir.net'] }, path: /^\/link$/i, params: ['url'] },
  { name: 'Steam', host: { kind: 'exact', hosts: ['steamcommunity.com'] }, path: /^\/linkfilter\/?$/i, params: ['url', 'u'] },
  { name: 'VK', host: { kind: 'exact', hosts: ['vk.com', 'm.vk.com', 'away.vk.com'] }, path: /^\/away\.php$/i, params: ['to'] },
  { name: 'DuckDuckGo', host: { kind: 'exact', hosts: ['duckduckgo.com'] }, path: /^\/l\/?$/i, params: ['uddg'] },
  { name: 'Outlook Safe Links', host: { kind: 'domain', domains: ['safelinks.protection.outlook.com'] }, params: ['url'] },
  { name: 'Tumblr', host: { kind: 'exact', hosts: ['t.umblr.com'] }, path: /^\/redirect$/i, params: ['z'] },
];
