/**
 * The "hard web" for section 3: mock hosts that behave like the parts of the real web link checkers get wrong.
 *
 * One Node HTTP server per host on 127.0.2.N (N = 1 … hosts), all on one shared port, so URLs use IP literals.
 * Every answer waits the latency. Each host has an in-flight limit; a request that arrives while the host already
 * has `limit` accepted requests in flight is answered, after the same latency, with 429 and `Retry-After: 1`.
 *
 * Host classes and the truth for their URLs:
 * - `cloudflare`: 403 with `cf-mitigated: challenge`, `server: cloudflare` and a "Just a moment..." page → blocked
 * - `linkedin`:   999 to everything (LinkedIn's non-standard refusal), `server: linkedin-like` → blocked
 * - `dead`:       404 or 410 pages (drawn from the seed) → dead
 * - `healthy`:    200, limit 12 in flight → alive
 * - `strict`:     200, limit 2 in flight → alive
 *
 * Per host the servers count TCP connections, requests, methods, the largest number in flight (rejected requests included), 429s
 * sent and the requests that arrived beyond the limit after that host had sent its first 429.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRandom } from '../lib/prng.mjs';
import { closer, listenAll } from '../net/mock-web.mjs';

/** The classes, in the order hosts are numbered; `hosts` × `urls` URLs each, `limit` in flight per host. */
export const HARD_CLASSES = [
  { cls: 'healthy', hosts: 12, urls: 40, limit: 12, truth: 'alive' },
  { cls: 'strict', hosts: 3, urls: 20, limit: 2, truth: 'alive' },
  { cls: 'dead', hosts: 3, urls: 10, limit: 12, truth: 'dead' },
  { cls: 'cloudflare', hosts: 3, urls: 10, limit: 12, truth: 'blocked' },
  { cls: 'linkedin', hosts: 1, urls: 10, limit: 12, truth: 'blocked' },
];

const WORDS = ['intro', 'guide', 'paper', 'notes', 'lecture', 'course', 'dataset', 'model', 'tutorial', 'blog',
  'chapter', 'slides', 'video', 'repo', 'docs', 'in', 'company', 'posts', 'pulse'];

export const hardAddress = (i) => `127.0.2.${i}`;

const PAGE = '<!doctype html><html><head><title>ok</title></head><body><h1 id="top">ok</h1><p>Some content.</p></body></html>\n';
const GONE = (status) => `<!doctype html><html><head><title>${status === 404 ? 'Not Found' : 'Gone'}</title></head>` +
  `<body><h1>${status} ${status === 404 ? 'Not Found' : 'Gone'}</h1><p>The page you asked for is not here.</p></body></html>\n`;
// Modelled on Cloudflare's managed challenge page (title, noscript text, the challenge platform script).
const CHALLENGE = '<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>' +
  '<meta http-equiv="Content-Type" content="text/html; charset=UTF-8"><meta name="robots" content="noindex,nofollow">' +
  '</head><body><div class="main-wrapper" role="main"><div class="main-content"><noscript><div class="h2">' +
  '<span id="challenge-error-text">Enable JavaScript and cookies to continue</span></div></noscript></div></div>' +
  '<script>(function(){window._cf_chl_opt={cvId: \'3\',cZone: "example",cType: \'managed\'};' +
  'var cpo=document.createElement(\'script\');cpo.src=\'/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1\';' +
  'document.getElementsByTagName(\'head\')[0].appendChild(cpo);}());</script></body></html>\n';
// LinkedIn's 999 answer is a tiny page that sends a browser to a script; this is its shape.
const LINKEDIN = '<html><head>\n<script type="text/javascript">\nwindow.onload = function() {\n' +
  '  var trk = "bf";\n  window.location.href = "/authwall?trk=" + trk;\n}\n</script>\n</head></html>\n';

/**
 * The hosts and URL paths of the hard web, drawn from the seed (no port yet: the servers pick it).
 * @param {number} seed
 * @returns {{hosts: {address: string, cls: string, limit: number, truth: string}[],
 *   entries: {address: string, path: string, cls: string, truth: string, status: number}[]}}
 */
export function planHardWeb(seed) {
  const random = createRandom(seed ^ 0x4a5d);
  const hosts = [];
  const entries = [];
  for (const { cls, hosts: count, urls, limit, truth } of HARD_CLASSES) {
    for (let h = 0; h < count; h++) {
      const address = hardAddress(hosts.length + 1);
      hosts.push({ address, cls, limit, truth });
      for (let u = 0; u < urls; u++) {
        const path = cls === 'linkedin' ? `/in/${random.pick(WORDS)}-${random.pick(WORDS)}-${u}`
          : `/${random.pick(WORDS)}/${u}-${random.pick(WORDS)}`;
        const status = cls === 'dead' ? (random.chance(0.6) ? 404 : 410)
          : cls === 'cloudflare' ? 403 : cls === 'linkedin' ? 999 : 200;
        entries.push({ address, path, cls, truth, status });
      }
    }
  }
  return { hosts, entries };
}

/** Writes the URLs into a few markdown files in `dir` (old .md files there are removed); each URL linked once. */
export function writeHardMarkdown(dir, urls, seed, files) {
  const random = createRandom(seed ^ 0x77aa);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const buckets = Array.from({ length: files }, () => []);
  random.shuffle(urls).forEach((url, i) => buckets[i % files].push(`- [${random.pick(WORDS)} ${random.pick(WORDS)}](${url})`));
  buckets.forEach((lines, i) => {
    writeFileSync(join(dir, `links-${String(i + 1).padStart(2, '0')}.md`), [`# Links ${i + 1}`, '', ...lines, ''].join('\n'));
  });
}

function emptyHostCounters() {
  return { connections: 0, requests: 0, methods: new Map(), inFlight: 0, accepted: 0, maxInFlight: 0, sent429: 0, first429: false,
    beyondAfter429: 0 };
}

/**
 * Starts the hard web.
 * @param {{hosts: {address: string, cls: string, limit: number}[], entries: {address: string, path: string,
 *   status: number}[], latencyMs: number, lifetimeMs: number}} options
 */
export async function startHardWeb({ hosts, entries, latencyMs, lifetimeMs }) {
  const statusOf = new Map(entries.map((e) => [`${e.address} ${e.path}`, e.status]));
  let counters = new Map(hosts.map((h) => [h.address, emptyHostCounters()]));
  let startedAt = performance.now();
  let lastRequestMs = 0;
  const timers = new Set();

  const handle = (host) => (req, res) => {
    const c = counters.get(host.address);
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    c.requests++;
    c.methods.set(req.method ?? '?', (c.methods.get(req.method ?? '?') ?? 0) + 1);
    lastRequestMs = performance.now() - startedAt;
    c.inFlight++;
    if (c.inFlight > c.maxInFlight) c.maxInFlight = c.inFlight;
    const accepted = c.accepted < host.limit;
    if (accepted) c.accepted++;
    else if (c.first429) c.beyondAfter429++;
    const epoch = c;
    let done = false;
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (done) return;
      if (!accepted) {
        epoch.sent429++;
        epoch.first429 = true;
        res.writeHead(429, { 'retry-after': '1', 'content-type': 'text/plain' }).end('Too Many Requests\n');
        return;
      }
      respond(req, res, host, statusOf.get(`${host.address} ${path}`));
    }, latencyMs);
    timers.add(timer);
    res.on('close', () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      timers.delete(timer);
      epoch.inFlight--;
      if (accepted) epoch.accepted--;
    });
  };

  const respond = (req, res, host, status) => {
    const send = (code, headers, text) => {
      // Content-Length on every answer (HEAD included), as a static server sends it, so clients can keep connections.
      res.writeHead(code, { 'content-type': 'text/html; charset=utf-8', 'content-length': String(Buffer.byteLength(text)), ...headers });
      return req.method === 'HEAD' ? res.end() : res.end(text);
    };
    if (status === undefined) return send(404, {}, GONE(404));
    switch (host.cls) {
      case 'cloudflare':
        return send(403, { 'cf-mitigated': 'challenge', server: 'cloudflare', 'cf-ray': '8f0c1d2e3a4b5c6d-AMS',
          'cache-control': 'private, max-age=0, no-store, no-cache, must-revalidate' }, CHALLENGE);
      case 'linkedin':
        return send(999, { server: 'linkedin-like' }, LINKEDIN);
      case 'dead':
        return send(status, {}, GONE(status));
      default:
        return send(200, {}, PAGE);
    }
  };

  const servers = await listenAll(hosts, { addressOf: (host) => host.address, handle, onConnection: (host) => counters.get(host.address).connections++ });
  const port = servers[0].address().port;
  const close = closer(servers, timers, lifetimeMs);
  return {
    port,
    reset: () => {
      counters = new Map(hosts.map((h) => [h.address, emptyHostCounters()]));
      startedAt = performance.now();
      lastRequestMs = 0;
    },
    /** Per-host counters (address → counters) and when the last request arrived, ms after the reset. */
    counters: () => ({ perHost: counters, lastRequestMs }),
    close,
  };
}
