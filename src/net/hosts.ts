/**
 * Built-in host profiles: how many requests in flight a host is known to take. Kept as data, one
 * entry per host family, each with the public evidence for its numbers. A host not listed starts
 * at {@link startLimit} and may grow to the configured `hostConcurrency`; a host named in the
 * config's `hosts` ignores its profile.
 */

/** What is known about a host's tolerance. */
export interface HostProfile {
  /** A short name, for `waymark explain` and the docs. */
  readonly name: string;
  /** Host names it applies to: exact names, or `.example.com` for every subdomain. */
  readonly hosts: readonly string[];
  /** Requests in flight at the start. */
  readonly start: number;
  /** Most requests in flight it may grow to. */
  readonly cap: number;
}

/** Where an unknown host's limit starts; it grows while the host keeps up, up to `hostConcurrency`. */
export const startLimit = 4;

/** The table; the first entry that matches a host wins. */
export const hostProfiles: readonly HostProfile[] = [
  // github.com pages answer bursts with 429 and `retry-after: 60` (NLeSC/python-template#298,
  // packit/packit.dev#209: runs of 429 on pull-request pages; pyOpenSci/software-peer-review#310:
  // "this happens with github primarily"). Low and steady beats waiting out the 60 s.
  { name: 'GitHub pages', hosts: ['github.com', 'www.github.com', 'gist.github.com'], start: 2, cap: 3 },
  // Twitter/X throttles after a few requests and answers 429 to the rest
  // (gaurav-nelson/github-action-markdown-link-check#56: 18 profile links, all 429).
  { name: 'X (Twitter)', hosts: ['twitter.com', '.twitter.com', 'x.com', '.x.com'], start: 1, cap: 1 },
  // LinkedIn answers bursts (and most checkers) with its non-standard 999 "Request denied"
  // (gjtorikian/html-proofer#215, dkhamsing/awesome_bot#165); one at a time keeps it calm.
  { name: 'LinkedIn', hosts: ['linkedin.com', '.linkedin.com'], start: 1, cap: 1 },
  // Medium answers 429 in CI runs with a handful of links (navapbc/template-infra#858).
  { name: 'Medium', hosts: ['medium.com', '.medium.com'], start: 1, cap: 2 },
  // npmjs.com package pages rate-limit a checker with many package links (linkchecker/linkchecker#347).
  { name: 'npm website', hosts: ['npmjs.com', 'www.npmjs.com'], start: 2, cap: 2 },
  // YouTube answers 429 to CI link checks of a lecture series (rust-lang/rustc-dev-guide#385).
  { name: 'YouTube', hosts: ['youtube.com', '.youtube.com', 'youtu.be'], start: 2, cap: 2 },
  // The Wayback Machine answers 429 beyond a few requests at once
  // (hartator/wayback-machine-downloader#160: "don't use a value higher than three").
  { name: 'Wayback Machine', hosts: ['web.archive.org', 'archive.org'], start: 2, cap: 3 },
  // crates.io's crawler policy asks for at most one request per second (rust-lang/crates.io#1535).
  { name: 'crates.io', hosts: ['crates.io'], start: 1, cap: 1 },
  // GNU and sourceware.org answer 429 to markdown-link-check runs (ARM-software/acle#457).
  { name: 'GNU and sourceware', hosts: ['gnu.org', '.gnu.org', 'sourceware.org'], start: 1, cap: 2 },
  // Blogspot blogs answer 429 to link checkers (checkstyle/checkstyle#17750).
  { name: 'Blogger', hosts: ['.blogspot.com'], start: 1, cap: 2 },
];

/** The profile for a host name, if the table has one. */
export function profileOf(hostname: string): HostProfile | undefined {
  const host = hostname.toLowerCase();
  return hostProfiles.find((profile) =>
    profile.hosts.some((name) => (name.startsWith('.') ? host.endsWith(name) : host === name)),
  );
}
