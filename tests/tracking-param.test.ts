import { describe, expect, it } from 'vitest';
import type { Config } from '../src/config/types.js';
import type { ResolvedLink, RuleContext } from '../src/rules/rule.js';
import { trackingParam } from '../src/rules/tracking-param.js';
import { cleanUrl } from '../src/rules/tracking/clean.js';
import { trackingProviders } from '../src/rules/tracking/table.js';
import type { TrackingProvider } from '../src/rules/tracking/table.js';
import type { Edit, Finding, Link, LinkSyntax, LinkTarget, Point, Range } from '../src/types.js';
import { urlKey } from '../src/plan/url-key.js';
import { resolvedLink } from '../src/resolve/fragment-target.js';

const colab =
  'https://colab.research.google.com/github/google/eng-edu/blob/main/ml/cc/exercises/numpy_ultraquick_tutorial.ipynb';

describe('cleanUrl on real links', () => {
  it.each([
    [
      'https://www.amazon.com/Machine-Learning-AI-Essential-Questions/dp/1718503768/ref=sr_1_1' +
        '?crid=N6POWOVAERX9&dib=eyJ2IjoiMSJ9.abc&dib_tag=se&keywords=machine+learning+q+and+ai' +
        '&qid=1718026169&sprefix=machine+learning+q+and+a%2Caps%2C117&sr=8-1',
      'https://www.amazon.com/Machine-Learning-AI-Essential-Questions/dp/1718503768',
      ['ref=sr_1_1', 'crid', 'dib', 'dib_tag', 'keywords', 'qid', 'sprefix', 'sr'],
    ],
    [
      `${colab}?utm_source=mlcc&utm_campaign=colab-external&utm_medium=referral&utm_content=mlcc-prework&hl=en`,
      `${colab}?hl=en`,
      ['utm_source', 'utm_campaign', 'utm_medium', 'utm_content'],
    ],
    ['https://youtu.be/ID?si=X&t=339', 'https://youtu.be/ID?t=339', ['si']],
    [
      'https://arxiv.org/abs/2503.01840?utm_source=chatgpt.com',
      'https://arxiv.org/abs/2503.01840',
      ['utm_source'],
    ],
    [
      'https://developers.google.com/machine-learning/data-prep/' +
        '?utm_source=mlcc&utm_campaign=mlcc-next-steps&utm_medium=referral&utm_content=data-prep-ss',
      'https://developers.google.com/machine-learning/data-prep/',
      ['utm_source', 'utm_campaign', 'utm_medium', 'utm_content'],
    ],
  ])('cleans %s', (input, url, removed) => {
    expect(cleanUrl(input)).toEqual({ url, removed });
  });
});

/** Per provider: hosts it must cover, parameters it must remove and parameters it must keep. */
const providerCases: Record<string, { hosts: string[]; removed: string[]; kept: string[] }> = {
  everywhere: {
    hosts: ['example.test', 'www.youtube.com', 'www.amazon.co.uk', 'github.com'],
    removed: [
      ...['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content', 'utm_id'],
      ...['fbclid', 'gclid', 'dclid', 'gbraid', 'wbraid', 'msclkid', 'yclid', 'mc_cid', 'mc_eid'],
      ...['igshid', '_hsenc', '_hsmi', 'mkt_tok', 'WT.mc_id'],
    ],
    kept: [],
  },
  YouTube: {
    hosts: ['youtube.com', 'www.youtube.com', 'm.youtube.com', 'music.youtube.com', 'youtu.be'],
    removed: ['si', 'ab_channel', 'feature', 'pp'],
    kept: ['v', 't', 'list', 'index'],
  },
  Amazon: {
    hosts: ['amazon.com', 'www.amazon.com', 'smile.amazon.com', 'www.amazon.co.uk', 'www.amazon.de', 'amazon.com.au'],
    removed: [
      ...['crid', 'dib', 'dib_tag', 'keywords', 'qid', 'sprefix', 'sr', 'ref', 'ref_', 'social_share'],
      ...['pd_rd_w', 'pd_rd_r', 'pd_rd_wg', 'pf_rd_p', 'pf_rd_r'],
    ],
    kept: [],
  },
  X: {
    hosts: ['x.com', 'twitter.com', 'www.twitter.com', 'mobile.twitter.com'],
    removed: ['s', 't', 'ref_src'],
    kept: [],
  },
  Medium: { hosts: ['medium.com', 'someone.medium.com'], removed: ['source'], kept: ['sk'] },
  Gumroad: { hosts: ['gumroad.com', 'someone.gumroad.com'], removed: ['referrer'], kept: ['wanted'] },
  LinkedIn: { hosts: ['linkedin.com', 'www.linkedin.com'], removed: ['trk'], kept: [] },
  Spotify: { hosts: ['open.spotify.com'], removed: ['si'], kept: [] },
  'Hugging Face': { hosts: ['huggingface.co'], removed: [], kept: ['fw'] },
  Google: { hosts: ['www.google.com', 'colab.research.google.com'], removed: [], kept: ['hl'] },
  'Google Docs': { hosts: ['docs.google.com', 'drive.google.com'], removed: [], kept: ['id', 'resourcekey'] },
  GitHub: { hosts: ['github.com'], removed: [], kept: ['q', 'type', 'tab'] },
  Coursera: { hosts: ['www.coursera.org'], removed: [], kept: ['action'] },
};

/** Whether a table pattern (`utm_*` or an exact name) matches a parameter name. */
function covers(pattern: string, name: string): boolean {
  return pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern;
}

describe('provider table', () => {
  it('has a test case for every provider, tracking parameter and kept parameter', () => {
    const names = trackingProviders.map((provider) => provider.name);
    expect(names.sort()).toEqual(Object.keys(providerCases).sort());
    for (const provider of trackingProviders) {
      const cases = providerCases[provider.name];
      for (const pattern of provider.params) {
        const isCovered = cases?.removed.some((name) => covers(pattern, name));
        expect(isCovered, `${provider.name}: ${pattern}`).toBe(true);
      }
      expect([...(provider.keep ?? [])].sort()).toEqual([...(cases?.kept ?? [])].sort());
    }
  });

  it('never lists a parameter that an entry for the same hosts keeps', () => {
    const keeps = trackingProviders.flatMap((provider) => provider.keep ?? []);
    for (const provider of trackingProviders) {
      const clashes = keeps.filter((name) => provider.params.some((pattern) => covers(pattern, name)));
      // `t` is kept on YouTube and tracking on X; the host patterns keep them apart.
      expect(clashes, provider.name).toEqual(provider.name === 'X' ? ['t'] : []);
    }
  });

  for (const [name, cases] of Object.entries(providerCases)) {
    for (const host of cases.hosts) {
      it.each(cases.removed)(`${name} on ${host} removes %s`, (param) => {
        const input = `https://${host}/page?page=2&${param}=abc#top`;
        expect(cleanUrl(input)).toEqual({ url: `https://${host}/page?page=2#top`, removed: [param] });
      });
      it.each(cases.kept)(`${name} on ${host} keeps %s`, (param) => {
        const input = `https://${host}/page?${param}=1&utm_source=feed`;
        const url = `https://${host}/page?${param}=1`;
        expect(cleanUrl(input)).toEqual({ url, removed: ['utm_source'] });
      });
    }
  }

  it.each([
    'https://example.test/page?si=1&t=2&source=x&ref=y&s=20&trk=z&referrer=a&sr=8&feature=share',
    'https://aws.amazon.com/blogs/post?sr=1&qid=2&ref=nav',
    'https://example.test/dp/1718503768/ref=sr_1_1',
    'https://notyoutube.com/watch?v=a&si=b',
    'https://notmedium.com/post?source=rss',
    'https://open.spotify.com.example.test/track/1?si=abc',
    'https://spotify.com/track/1?si=abc',
    'https://www.youtube.com/watch?v=abc&t=339&list=PL1&index=2',
  ])('leaves provider parameters alone on other hosts: %s', (input) => {
    expect(cleanUrl(input)).toEqual({ url: input, removed: [] });
  });

  it('lets a kept parameter win over any entry that lists it, on matching hosts only', () => {
    const table: TrackingProvider[] = [
      { name: 'all', host: { kind: 'any' }, params: ['ref*', 'id'] },
      { name: 'shop', host: { kind: 'domain', domains: ['shop.test'] }, params: ['sid'], keep: ['id', 'ref_keep'] },
      { name: 'cdn', host: { kind: 'regexp', pattern: /^cdn\d\.test$/ }, params: [], pathSegments: [/^s=/] },
    ];
    const input = '/p/s=1?id=1&ref_a=2&ref_keep=3&sid=4';
    expect(cleanUrl(`https://a.shop.test${input}`, table)).toEqual({
      url: 'https://a.shop.test/p/s=1?id=1&ref_keep=3',
      removed: ['ref_a', 'sid'],
    });
    expect(cleanUrl(`https://other.test${input}`, table)).toEqual({
      url: 'https://other.test/p/s=1?sid=4',
      removed: ['id', 'ref_a', 'ref_keep'],
    });
    expect(cleanUrl(`https://cdn1.test${input}`, table)).toEqual({
      url: 'https://cdn1.test/p?sid=4',
      removed: ['s=1', 'id', 'ref_a', 'ref_keep'],
    });
    expect(cleanUrl(`https://notshop.test${input}`, table).url).toBe('https://notshop.test/p/s=1?sid=4');
  });

  it('strips Amazon `ref=` path segments wherever they sit', () => {
    expect(cleanUrl('https://www.amazon.com/ref=nav_logo')).toEqual({
      url: 'https://www.amazon.com/',
      removed: ['ref=nav_logo'],
    });
    expect(cleanUrl('https://www.amazon.de/gp/product/B0/ref=as_li_tl/?tag=x-21#reviews')).toEqual({
      url: 'https://www.amazon.de/gp/product/B0/?tag=x-21#reviews',
      removed: ['ref=as_li_tl'],
    });
  });
});

describe('cleanUrl keeps every other byte', () => {
  it.each([
    [
      'odd encodings',
      'https://example.test/a%2fb/%E2%82%AC?q=%e2%82%ac&utm_source=x&x=a%2Bb+c&y=%zz#Frag%20',
      'https://example.test/a%2fb/%E2%82%AC?q=%e2%82%ac&x=a%2Bb+c&y=%zz#Frag%20',
    ],
    ['`+` in values', 'https://example.test/s?q=a+b&utm_medium=c+d', 'https://example.test/s?q=a+b'],
    ['duplicates', 'https://example.test/?utm_source=a&x=1&utm_source=b&x=1', 'https://example.test/?x=1&x=1'],
    ['empty values', 'https://example.test/?utm_source=&a=&b', 'https://example.test/?a=&b'],
    ['a bare name', 'https://example.test/?utm_source&a=1', 'https://example.test/?a=1'],
    ['`&&`', 'https://example.test/?a=1&&utm_source=x&b=2', 'https://example.test/?a=1&&b=2'],
    ['a middle parameter', 'https://example.test/?a=1&utm_source=x&b=2', 'https://example.test/?a=1&b=2'],
    ['a first parameter', 'https://example.test/?utm_source=x&b=2', 'https://example.test/?b=2'],
    ['the `?` when nothing is left', 'https://example.test/p?utm_source=x&fbclid=y&', 'https://example.test/p'],
    [
      'a fragment after the query',
      'https://example.test/?utm_source=x#part?utm_medium=y',
      'https://example.test/#part?utm_medium=y',
    ],
    ['a query-less host', 'https://example.test?utm_source=x', 'https://example.test'],
    [
      'case, port and credentials',
      'HTTPS://user:pw@WWW.YouTube.COM:443/watch?v=A&si=B',
      'HTTPS://user:pw@WWW.YouTube.COM:443/watch?v=A',
    ],
  ])('keeps %s', (_, input, url) => {
    expect(cleanUrl(input).url).toBe(url);
  });

  it('matches encoded names and reports each name once, decoded', () => {
    expect(cleanUrl('https://example.test/?utm%5Fsource=a&utm_source=b&%zz=1&gclid=c')).toEqual({
      url: 'https://example.test/?%zz=1',
      removed: ['utm_source', 'gclid'],
    });
  });

  it('returns the very same string when nothing is tracking', () => {
    const input = 'https://example.test/a b?x=%7e&&y=&z#utm_source=x';
    expect(cleanUrl(input)).toEqual({ url: input, removed: [] });
  });

  it.each([
    './notes.md?utm_source=x',
    '/docs?utm_source=x',
    '//example.test/?utm_source=x',
    '#utm_source=x',
    'mailto:someone@example.test?utm_source=x',
    'ftp://example.test/?utm_source=x',
    'https://[::1/?utm_source=x',
    'https://exa mple.test/?utm_source=x',
    'https://%zz/?utm_source=x',
    'http://',
    '',
  ])('leaves %j untouched and never throws', (input) => {
    expect(cleanUrl(input)).toEqual({ url: input, removed: [] });
  });
});

/** The full configuration with test defaults, typed without casts. */
function makeConfig(overrides: Partial<Config> = {}): Config {
  const config: Config = {
    rules: {},
    exclude: [],
    ignoreUrls: [],
    allowTracking: [],
    nonDescriptiveText: [],
    offline: true,
    parseCache: false,
    concurrency: 8,
    hostConcurrency: 2,
    hosts: {},
    connectTimeout: 1000,
    headersTimeout: 1000,
    timeout: 1000,
    maxRedirects: 5,
    retries: 0,
    recheckDelay: 10,
    failOn: 'error',
    allowPrivate: false,
    insecure: false,
    requireNetwork: false,
    cache: false,
    maxCacheAge: 0,
  };
  return { ...config, ...overrides };
}

/** The 1-based line and column of a UTF-16 offset in `text`. */
function pointAt(text: string, offset: number): Point {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1, offset };
}

/** The range of the first `needle` in `text` at or after `from`. */
function rangeOf(text: string, needle: string, from = 0): Range {
  const start = text.indexOf(needle, from);
  if (start === -1) throw new Error(`not in source: ${needle}`);
  return { start: pointAt(text, start), end: pointAt(text, start + needle.length) };
}

const bookUrl = 'https://www.amazon.com/dp/1718503768/ref=sr_1_1?crid=N6&qid=1';
const source = [
  'Read [the notebook](https://colab.test/nb.ipynb?utm_source=mlcc&hl=en) and [the book][book].',
  'Also [again][book], <a href="https://example.test/?a=1&amp;gclid=2">ads</a> and www.example.test/?fbclid=1 too.',
  'Plus [sponsor](https://sponsor.test/?utm_source=waymark), [docs](./guide.md?utm_source=x)',
  'and [clean](https://example.test/).',
  '',
  `[book]: ${bookUrl}`,
].join('\n');

/** A link in `source`: `node` is its whole text, `written` its destination as written (none for references). */
function link(syntax: LinkSyntax, node: string, url: string, written?: string): Link {
  const range = rangeOf(source, node);
  return {
    kind: syntax === 'definition' ? 'definition' : 'link',
    syntax,
    url,
    text: '',
    range,
    ...(written === undefined ? {} : { urlRange: rangeOf(source, written, range.start.offset) }),
  };
}

/** An inline link whose destination is written as is. */
function inline(text: string, url: string): Link {
  return link('inline', `[${text}](${url})`, url, url);
}

const notebook = inline('the notebook', 'https://colab.test/nb.ipynb?utm_source=mlcc&hl=en');
const html = link(
  'html',
  '<a href="https://example.test/?a=1&amp;gclid=2">',
  'https://example.test/?a=1&gclid=2',
  'https://example.test/?a=1&amp;gclid=2',
);
const bareText = 'www.example.test/?fbclid=1';
const bare = link('literal', bareText, `http://${bareText}`, bareText);
const sponsor = inline('sponsor', 'https://sponsor.test/?utm_source=waymark');
const definition = link('definition', `[book]: ${bookUrl}`, bookUrl, bookUrl);
const docs = inline('docs', './guide.md?utm_source=x');
const clean = inline('clean', 'https://example.test/');

/** An external target for a link. */
function external({ url }: Link): LinkTarget {
  return { kind: 'external', url, key: urlKey(url).key };
}

const resolved: ResolvedLink[] = [
  resolvedLink(notebook, external(notebook), undefined, 'doc.md'),
  resolvedLink(link('full', '[the book][book]', bookUrl), external(definition), undefined, 'doc.md'),
  resolvedLink(link('full', '[again][book]', bookUrl), external(definition), undefined, 'doc.md'),
  resolvedLink(html, external(html), undefined, 'doc.md'),
  resolvedLink(bare, external(bare), undefined, 'doc.md'),
  resolvedLink(sponsor, external(sponsor), undefined, 'doc.md'),
  resolvedLink(docs, { kind: 'local', path: 'guide.md' }, undefined, 'doc.md'),
  resolvedLink(clean, external(clean), undefined, 'doc.md'),
  resolvedLink(definition, external(definition), undefined, 'doc.md'),
];

/** A rule context over `source` with the given configuration. */
function makeContext(config: Config): RuleContext {
  return {
    document: {
      file: 'docs/links.md',
      links: resolved.map((entry) => entry.link),
      anchors: [],
      headings: [],
      undefinedReferences: [],
      unusedDefinitions: [],
      directives: [],
      listEntries: [],
    },
    resolved,
    anchors: { match: () => ({ kind: 'unknown' }) },
    config,
  };
}

/** Applies non-overlapping edits to `text`. */
function applyEdits(text: string, edits: readonly Edit[]): string {
  const ordered = [...edits].sort((a, b) => b.start - a.start);
  return ordered.reduce((out, edit) => out.slice(0, edit.start) + edit.text + out.slice(edit.end), text);
}

/** The edit replacing a link's written destination. */
function fixAt(at: Link, text: string): Edit {
  return { start: at.urlRange?.start.offset ?? -1, end: at.urlRange?.end.offset ?? -1, text };
}

/** The finding expected at a link; `hint` is the cleaned URL, which the hint proposes. */
function finding(at: Link, message: string, hint: string, fix?: Edit): Finding {
  return {
    ruleId: 'tracking-param',
    severity: 'warning',
    file: 'docs/links.md',
    range: at.range,
    url: at.url,
    message,
    hint: `use \`${hint}\``,
    ...(fix === undefined ? {} : { fix }),
  };
}

describe('tracking-param rule', () => {
  it('has its public metadata', () => {
    expect(trackingParam).toMatchObject({
      id: 'tracking-param',
      severity: 'warning',
      docsUrl: 'README.md#tracking-param',
    });
    expect(trackingParam.description).toMatch(/^[^\n]+[^.]$/);
  });

  it('reports each external link once, at definitions rather than references', () => {
    const one = (name: string): string => `Unexpected tracking parameter \`${name}\` in URL`;
    const names = '`ref=sr_1_1`, `crid`, `qid`';
    const book = 'https://www.amazon.com/dp/1718503768';
    const nb = 'https://colab.test/nb.ipynb?hl=en';
    expect(trackingParam.check(makeContext(makeConfig()), 'warning')).toEqual([
      finding(notebook, one('utm_source'), nb, fixAt(notebook, nb)),
      finding(html, one('gclid'), 'https://example.test/?a=1'),
      finding(bare, one('fbclid'), 'http://www.example.test/', fixAt(bare, 'www.example.test/')),
      finding(sponsor, one('utm_source'), 'https://sponsor.test/', fixAt(sponsor, 'https://sponsor.test/')),
      finding(definition, `Unexpected tracking parameters ${names} in URL`, book, fixAt(definition, book)),
    ]);
  });

  it('places findings and fixes at the written offsets', () => {
    const [first, , , , last] = trackingParam.check(makeContext(makeConfig()), 'warning');
    expect(first?.range.start).toEqual({ line: 1, column: 6, offset: 5 });
    expect(first?.fix).toMatchObject({ start: 20, end: 20 + notebook.url.length });
    const definitionAt = source.lastIndexOf('[book]:');
    expect(last?.range.start).toEqual({ line: 6, column: 1, offset: definitionAt });
    expect(last?.fix).toMatchObject({ start: definitionAt + 8, end: source.length });
  });

  it('fixes the written destinations and nothing else', () => {
    const findings = trackingParam.check(makeContext(makeConfig()), 'warning');
    const fixed = applyEdits(source, findings.flatMap((found) => (found.fix === undefined ? [] : [found.fix])));
    expect(fixed).toBe(
      [
        'Read [the notebook](https://colab.test/nb.ipynb?hl=en) and [the book][book].',
        'Also [again][book], <a href="https://example.test/?a=1&amp;gclid=2">ads</a> and www.example.test/ too.',
        'Plus [sponsor](https://sponsor.test/), [docs](./guide.md?utm_source=x)',
        'and [clean](https://example.test/).',
        '',
        '[book]: https://www.amazon.com/dp/1718503768',
      ].join('\n'),
    );
  });

  it('skips URLs matching `allowTracking`, ignoring invalid expressions', () => {
    const config = makeConfig({ allowTracking: ['(', '^https://sponsor\\.test/', 'amazon\\.com/dp/'] });
    const urls = trackingParam.check(makeContext(config), 'warning').map((found) => found.url);
    expect(urls).toEqual([notebook.url, html.url, bare.url]);
  });
});
