/**
 * Seeded generator for the offline corpus: markdown files that link to each other's headings, to files and
 * images, through reference definitions and to external `.test`/`.invalid` URLs, with a known set of broken
 * anchors and missing files.
 *
 * Ground truth: every slug is computed with github-slugger (GitHub's algorithm) from the heading's text content,
 * so valid links are valid on GitHub. Each broken link sits alone on its own line, which is how findings from
 * every tool are matched to it (file + line). Code blocks carry link-like text that no tool should report.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import GithubSlugger from 'github-slugger';
import { createRandom } from '../lib/prng.mjs';

const DIRS = [
  { dir: 'docs', count: 70 },
  { dir: 'guide', count: 50 },
  { dir: 'api/v1', count: 40 },
  { dir: 'api/v2/reference', count: 30 },
  { dir: '', count: 10 },
];
const TOPICS = ['getting-started', 'install', 'config', 'deploy', 'models', 'training', 'storage', 'auth', 'cli',
  'plugins', 'metrics', 'routing', 'cache', 'testing', 'release'];
const HEADINGS = ['Getting Started', 'Installation & Setup', "What's New in v2.3?", 'FAQ', 'Configuration (Advanced)',
  'API: `createClient()`', 'Step 3 — Deploy', 'C++ / Rust interop', 'Known Issues', 'Usage *with* Docker',
  'Troubleshooting: Error E042', 'Section 4.1: Results', "Don't Panic!", 'Q&A', 'Tips, Tricks, and Gotchas',
  'Part 2 - The Sequel', 'Überblick über Modelle', 'Bias and Variance', 'The `--dry-run` flag', 'Limits & Quotas',
  'Migrating from 1.x to 2.x', 'Environment variables', 'Why **not** YAML?', 'Performance tuning', 'Security model',
  'Rate limiting (429)', 'Glossary', 'Appendix A: Formats', 'Using the REST API', 'Roll back a release'];
const REPEATED = ['Examples', 'Notes', 'See also', 'Options'];
const WORDS = ['the', 'model', 'server', 'returns', 'a', 'value', 'when', 'config', 'is', 'missing', 'each', 'request',
  'uses', 'cache', 'and', 'retries', 'with', 'backoff', 'for', 'users', 'who', 'deploy', 'often', 'read', 'this'];
const EXTERNAL_HOSTS = ['docs.example.test', 'api.example.test', 'cdn.assets.test', 'blog.invalid', 'mirror.invalid'];
const ASSETS = 24;
/** A 1×1 transparent PNG. */
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');

/** Plain text content of a heading, as GitHub slugs it (markup stripped). */
const headingText = (heading) => heading.replace(/[`*]/g, '');

function planFiles(random, scale) {
  const files = [];
  for (const { dir, count } of DIRS) {
    for (let i = 0; i < count * scale; i++) {
      const name = dir === '' && i === 0 ? 'README.md' : `${random.pick(TOPICS)}-${String(files.length).padStart(3, '0')}.md`;
      files.push({ path: dir === '' ? name : `${dir}/${name}`, headings: [], slugs: [] });
    }
  }
  for (const file of files) {
    const slugger = new GithubSlugger();
    const title = `${file.path.replace(/\.md$/, '').split('/').pop()} guide`;
    const count = random.int(14, 22);
    file.headings.push({ depth: 1, text: title });
    for (let i = 0; i < count; i++) {
      const text = random.chance(0.3) ? random.pick(REPEATED) : random.pick(HEADINGS);
      file.headings.push({ depth: random.int(2, 3), text });
    }
    file.slugs = file.headings.map((h) => slugger.slug(headingText(h.text)));
  }
  return files;
}

/** A misspelled slug that matches no anchor of the target file, case-insensitively. */
function brokenSlug(random, target) {
  const taken = new Set(target.slugs.map((s) => s.toLowerCase()));
  for (;;) {
    const base = random.pick(target.slugs);
    const candidate = random.chance(0.5) && base.length > 3
      ? base.slice(0, 1) + base.slice(2)
      : `${base}-${random.pick(['old', 'v1', 'draft', '9'])}`;
    if (!taken.has(candidate.toLowerCase()) && candidate !== 'top') return candidate;
  }
}

const rel = (from, to) => {
  const path = posix.relative(posix.dirname(from), to);
  return path.startsWith('.') ? path : `./${path}`;
};

function sentence(random, links) {
  const words = Array.from({ length: random.int(6, 12) }, () => random.pick(WORDS));
  for (const link of links) words.splice(random.int(0, words.length), 0, link);
  const text = words.join(' ');
  return `${text[0]?.toUpperCase() ?? ''}${text.slice(1)}.`;
}

/** Builds one valid link (inline markdown) from `file`; reference links are returned as definitions. */
function validLink(random, file, files, refs) {
  const label = random.pick(WORDS) + ' ' + random.pick(WORDS);
  const kind = random.weighted([20, 25, 15, 8, 12, 20]);
  const other = random.pick(files);
  if (kind === 0) return `[${label}](#${random.pick(file.slugs)})`;
  if (kind === 1) return `[${label}](${rel(file.path, other.path)}#${random.pick(other.slugs)})`;
  if (kind === 2) return `[${label}](${rel(file.path, other.path)})`;
  if (kind === 3) return `![${label}](${rel(file.path, `assets/diagram-${random.int(0, ASSETS - 1)}.png`)})`;
  if (kind === 4) {
    const id = `ref-${refs.length + 1}`;
    const target = random.chance(0.5) ? `${rel(file.path, other.path)}#${random.pick(other.slugs)}` : `#${random.pick(file.slugs)}`;
    refs.push(`[${id}]: ${target}`);
    return random.chance(0.5) ? `[${label}][${id}]` : `[${id}]`;
  }
  const url = `https://${random.pick(EXTERNAL_HOSTS)}/${random.pick(TOPICS)}/${random.int(1, 500)}?page=${random.int(1, 9)}`;
  return random.chance(0.8) ? `[${label}](${url})` : `<${url}>`;
}

/** Builds one broken link and its kind. */
function brokenLink(random, file, files) {
  const other = random.pick(files.filter((f) => f !== file));
  const kind = random.pick(['anchor-in-file', 'anchor-cross-file', 'missing-file', 'missing-image']);
  if (kind === 'anchor-in-file') return { kind, text: `[broken here](#${brokenSlug(random, file)})` };
  if (kind === 'anchor-cross-file') return { kind, text: `[broken there](${rel(file.path, other.path)}#${brokenSlug(random, other)})` };
  if (kind === 'missing-file') return { kind, text: `[gone](${rel(file.path, other.path.replace(/\.md$/, '-removed.md'))})` };
  return { kind, text: `![gone](${rel(file.path, `assets/missing-${random.int(0, 99)}.png`)})` };
}

/**
 * Writes the corpus into `dir` (replacing it) and returns its ground truth.
 * `scale` multiplies the number of files in every folder (1: 200 files, 10: 2,000).
 * @param {{dir: string, seed: number, scale?: number, linksPerFile?: number, brokenPerFile?: [number, number]}} options
 * @returns {{files: number, links: number, definitions: number, known: {file: string, line: number, kind: string}[]}}
 */
export function generateOfflineCorpus({ dir, seed, scale = 1, linksPerFile = 92, brokenPerFile = [0, 4] }) {
  const random = createRandom(seed);
  const files = planFiles(random, scale);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'assets'), { recursive: true });
  for (let i = 0; i < ASSETS; i++) writeFileSync(join(dir, 'assets', `diagram-${i}.png`), PNG);
  const known = [];
  let links = 0;
  let definitions = 0;
  for (const file of files) {
    const lines = [];
    const refs = [];
    const perHeading = Math.ceil(linksPerFile / file.headings.length);
    let broken = random.int(brokenPerFile[0], brokenPerFile[1]);
    file.headings.forEach((heading, h) => {
      lines.push(`${'#'.repeat(heading.depth)} ${heading.text}`, '');
      let left = perHeading;
      while (left > 0 && links < Infinity) {
        const n = Math.min(left, random.int(1, 4));
        lines.push(sentence(random, Array.from({ length: n }, () => validLink(random, file, files, refs))));
        left -= n;
        links += n;
      }
      lines.push('');
      if (broken > 0 && random.chance(0.25)) {
        const link = brokenLink(random, file, files);
        lines.push(`- See ${link.text} for details.`, '');
        known.push({ file: file.path, line: lines.length - 1, kind: link.kind });
        links++;
        broken--;
      }
      if (h % 5 === 2) lines.push('```md', `[not a link](#${brokenSlug(random, file)}) and [nor this](./nowhere.md)`, '```', '');
    });
    lines.push(...refs, '');
    definitions += refs.length;
    const path = join(dir, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, lines.join('\n'));
  }
  return { files: files.length, links, definitions, known };
}

/**
 * Writes one link-dense markdown file, `big.md` (about 500 KB: `items` list items under 400 headings, three links
 * each), beside 20 small target files in `t/`, and returns its ground truth. Links go to headings of the same file,
 * to the target files and to their headings; one item in 40 carries one broken link (a misspelled heading of the
 * same file or a missing file), alone of its kind on that line.
 * @param {{dir: string, seed: number, items?: number}} options
 * @returns {{file: string, bytes: number, items: number, links: number, known: {file: string, line: number, kind: string}[]}}
 */
export function generateLargeFile({ dir, seed, items = 8000 }) {
  const random = createRandom(seed ^ 0x5eed);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 't'), { recursive: true });
  const targets = Array.from({ length: 20 }, (_, i) => {
    const slugger = new GithubSlugger();
    const headings = Array.from({ length: 8 }, () => random.pick(HEADINGS));
    const path = `t/t${String(i).padStart(2, '0')}.md`;
    writeFileSync(join(dir, path), `${headings.map((h) => `## ${h}\n\nText.\n`).join('\n')}`);
    return { path, slugs: headings.map((h) => slugger.slug(headingText(h))) };
  });
  const sections = 400;
  const perSection = Math.ceil(items / sections);
  const slugger = new GithubSlugger();
  const headings = Array.from({ length: sections }, () => random.pick([...HEADINGS, ...REPEATED]));
  const self = { slugs: headings.map((h) => slugger.slug(headingText(h))) };
  const lines = ['# Link index', ''];
  const known = [];
  let links = 0;
  let item = 0;
  const link = () => {
    const label = random.pick(['a', 'b', 'c', 'x', 'y', 'z']);
    const kind = random.weighted([35, 45, 20]);
    if (kind === 0) return `[${label}](#${random.pick(self.slugs)})`;
    const target = random.pick(targets);
    return kind === 1 ? `[${label}](${target.path})` : `[${label}](${target.path}#${random.pick(target.slugs)})`;
  };
  for (let s = 0; s < sections && item < items; s++) {
    lines.push(`## ${headings[s]}`, '');
    for (let i = 0; i < perSection && item < items; i++, item++) {
      const parts = [link(), link(), link()];
      if (item % 40 === 17) {
        const missing = random.chance(0.5);
        parts[random.int(0, 2)] = missing
          ? `[gone](t/t${random.int(20, 99)}-removed.md)`
          : `[broken](#${brokenSlug(random, self)})`;
        known.push({ file: 'big.md', line: lines.length + 1, kind: missing ? 'missing-file' : 'anchor-in-file' });
      }
      lines.push(`- ${parts.join(' ')}`);
      links += 3;
    }
    lines.push('');
  }
  const text = lines.join('\n');
  writeFileSync(join(dir, 'big.md'), text);
  return { file: 'big.md', bytes: Buffer.byteLength(text), items: item, links, known };
}
