/**
 * Seeded generator for the networked corpus: unique URLs spread over mock hosts with Zipf-like popularity, a
 * known set of broken links of every kind, and the route table the mock web serves them from.
 *
 * Known answers follow Waymark's rules: 404, 410, a 500 that never recovers, a redirect loop, a chain of 11
 * redirects (one more than the 10 allowed), a refused connection, a reset socket and headers that arrive after
 * the request timeout are broken; 301/302 redirects to a working page and a 429 with `Retry-After` that then
 * succeeds are fine.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRandom } from '../lib/prng.mjs';

/** Broken kinds and how many of each a 2,500-URL corpus holds (scaled for other sizes). */
export const BROKEN_KINDS = { 'status-404': 20, 'status-410': 10, 'status-500': 10, 'redirect-loop': 3,
  'redirect-chain-11': 3, refused: 10, reset: 10, 'slow-header': 5 };
/** Working kinds besides a plain 200, with their counts for 2,500 URLs. */
export const SPECIAL_OK_KINDS = { 'redirect-301': 15, 'redirect-302': 10, 'retry-after-429': 10 };
const WORDS = ['intro', 'guide', 'paper', 'notes', 'lecture', 'course', 'dataset', 'model', 'tutorial', 'blog',
  'chapter', 'slides', 'video', 'repo', 'docs'];

/** Address and display name of mock host `i` (1-based): h01.test → 127.0.0.2. */
export const hostAddress = (i) => `127.0.0.${i + 1}`;
export const hostName = (i) => `h${String(i).padStart(2, '0')}.test`;

/**
 * Builds the URL list, the routes and the expected verdicts, and writes the markdown files into `dir`.
 * @param {{dir: string, seed: number, urls: number, hosts: number, port: number, closedPort: number}} options
 */
export function generateNetCorpus({ dir, seed, urls, hosts, port, closedPort }) {
  const random = createRandom(seed);
  const weights = Array.from({ length: hosts }, (_, i) => 1 / (i + 1));
  const scale = urls / 2500;
  const kinds = [];
  for (const [kind, n] of Object.entries({ ...BROKEN_KINDS, ...SPECIAL_OK_KINDS })) {
    for (let i = 0; i < Math.max(1, Math.round(n * scale)); i++) kinds.push(kind);
  }
  while (kinds.length < urls) kinds.push('ok');
  /** @type {Map<string, object>} route key `address path` → behaviour */
  const routes = new Map();
  const entries = [];
  random.shuffle(kinds).forEach((kind, n) => {
    const host = 1 + random.weighted(weights);
    const address = hostAddress(host);
    const path = `/${random.pick(WORDS)}/${n}-${random.pick(WORDS)}`;
    const origin = `http://${address}:${kind === 'refused' ? closedPort : port}`;
    const url = `${origin}${path}`;
    const hops = addRoutes(routes, { kind, address, path, port, random, hosts });
    entries.push({ url, kind, host, broken: kind in BROKEN_KINDS, hops });
  });
  writeMarkdown(dir, entries, random);
  return { entries, routes };
}

/** Registers the routes one URL needs and returns the requests (by host address) a correct checker makes. */
function addRoutes(routes, { kind, address, path, port, random, hosts }) {
  const set = (addr, p, behaviour) => routes.set(`${addr} ${p}`, { ...behaviour, kind });
  switch (kind) {
    case 'ok':
      set(address, path, { type: 'status', status: 200 });
      return [address];
    case 'status-404':
    case 'status-410':
    case 'status-500':
      set(address, path, { type: 'status', status: Number(kind.slice(-3)) });
      return [address];
    case 'reset':
    case 'slow-header':
      set(address, path, { type: kind });
      return [address];
    case 'refused':
      return [];
    case 'retry-after-429':
      set(address, path, { type: 'retry-after', first: 1 });
      return [address, address];
    case 'redirect-loop':
      set(address, path, { type: 'redirect', status: 302, location: `${path}/b` });
      set(address, `${path}/b`, { type: 'redirect', status: 302, location: path });
      return [address, address];
    case 'redirect-chain-11': {
      for (let hop = 0; hop < 11; hop++) {
        set(address, hop === 0 ? path : `${path}/${hop}`, { type: 'redirect', status: 307, location: `${path}/${hop + 1}` });
      }
      set(address, `${path}/11`, { type: 'status', status: 200 });
      return Array.from({ length: 11 }, () => address);
    }
    case 'redirect-301':
    case 'redirect-302': {
      const target = kind === 'redirect-301' ? address : hostAddress(random.int(1, hosts));
      const moved = `${path}-moved`;
      set(address, path, { type: 'redirect', status: Number(kind.slice(-3)), location: `http://${target}:${port}${moved}` });
      set(target, moved, { type: 'status', status: 200 });
      return [address, target];
    }
    default:
      throw new Error(`unknown kind ${kind}`);
  }
}

/** Writes the links as markdown lists; each unique URL is linked one to three times across the files. */
function writeMarkdown(dir, entries, random) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const fileCount = Math.max(1, Math.round(entries.length / 50));
  const files = Array.from({ length: fileCount }, () => []);
  for (const entry of entries) {
    const times = random.int(1, 3);
    for (let i = 0; i < times; i++) files[random.int(0, fileCount - 1)].push(`- [${random.pick(WORDS)} ${random.pick(WORDS)}](${entry.url})`);
  }
  files.forEach((lines, i) => {
    const body = [`# Resources ${i + 1}`, '', ...random.shuffle(lines), ''].join('\n');
    writeFileSync(join(dir, `resources-${String(i + 1).padStart(3, '0')}.md`), body);
  });
}
