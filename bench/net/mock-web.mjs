/**
 * A local mock web: one Node HTTP server per mock host on 127.0.0.x, all on one shared port.
 *
 * Every request waits `latencyMs` before it is answered. Each host accepts at most `hostCap` requests in flight;
 * a request beyond that is answered, after the same latency, with 429 and `Retry-After: 1`. The servers count requests per URL,
 * 429s sent (by the cap and by scripted routes) and the largest number of requests in flight at one host.
 */
import { createServer } from 'node:http';
import { hostAddress } from './corpus.mjs';

const PAGE = '<!doctype html><html><head><title>ok</title></head><body><h1 id="top">ok</h1></body></html>\n';

/** Creates fresh counters. */
function emptyCounters() {
  return { requests: 0, perUrl: new Map(), sent429: 0, capped429: 0, maxInFlight: 0, maxInFlightHost: '', routeHits: new Map(),
    methods: new Map(), startedAt: performance.now(), lastRequestMs: 0 };
}

/**
 * Starts the mock web.
 * @param {{hosts: number, latencyMs: number, hostCap: number, slowMs: number,
 *   lifetimeMs: number}} options
 * @returns {Promise<{port: number, closedPort: number, setRoutes: (routes: Map<string, object>) => void,
 *   reset: () => void, counters: () => ReturnType<typeof emptyCounters>, close: () => Promise<void>}>}
 */
export async function startMockWeb({ hosts, latencyMs, hostCap, slowMs, lifetimeMs }) {
  let routes = new Map();
  let counters = emptyCounters();
  const inFlight = new Map();
  const accepted = new Map();
  const timers = new Set();
  const later = (ms, fn) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
    return timer;
  };

  const handle = (address) => (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const key = `${address} ${path}`;
    counters.requests++;
    counters.methods.set(req.method ?? '?', (counters.methods.get(req.method ?? '?') ?? 0) + 1);
    counters.lastRequestMs = performance.now() - counters.startedAt;
    counters.perUrl.set(key, (counters.perUrl.get(key) ?? 0) + 1);
    // Every request, rejected or not, counts towards the in-flight maximum; only accepted ones towards the cap.
    const current = (inFlight.get(address) ?? 0) + 1;
    inFlight.set(address, current);
    if (current > counters.maxInFlight) {
      counters.maxInFlight = current;
      counters.maxInFlightHost = address;
    }
    const isAccepted = (accepted.get(address) ?? 0) < hostCap;
    if (isAccepted) accepted.set(address, (accepted.get(address) ?? 0) + 1);
    let done = false;
    let timer = null;
    res.on('close', () => {
      if (timer !== null) {
        clearTimeout(timer);
        timers.delete(timer);
      }
      if (!done) {
        inFlight.set(address, (inFlight.get(address) ?? 1) - 1);
        if (isAccepted) accepted.set(address, (accepted.get(address) ?? 1) - 1);
      }
      done = true;
    });
    if (!isAccepted) {
      counters.sent429++;
      counters.capped429++;
      timer = later(latencyMs, () => {
        timer = null;
        res.writeHead(429, { 'retry-after': '1', 'content-type': 'text/plain' }).end('Too Many Requests\n');
      });
      return;
    }
    const route = routes.get(key);
    timer = later(route?.type === 'slow-header' ? slowMs : latencyMs, () => {
      timer = null;
      respond(req, res, key, route);
    });
  };

  const respond = (req, res, key, route) => {
    const body = (text) => (req.method === 'HEAD' ? res.end() : res.end(text));
    if (route === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return body('Not Found\n');
    }
    switch (route.type) {
      case 'status':
        res.writeHead(route.status, { 'content-type': 'text/html; charset=utf-8' });
        return body(PAGE);
      case 'slow-header':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return body(PAGE);
      case 'redirect':
        res.writeHead(route.status, { location: route.location, 'content-type': 'text/plain' });
        return body('Moved\n');
      case 'reset':
        return req.socket.destroy();
      case 'retry-after': {
        const hits = (counters.routeHits.get(key) ?? 0) + 1;
        counters.routeHits.set(key, hits);
        if (hits <= route.first) {
          counters.sent429++;
          res.writeHead(429, { 'retry-after': '1', 'content-type': 'text/plain' });
          return body('Too Many Requests\n');
        }
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return body(PAGE);
      }
      default:
        res.writeHead(500);
        return body('unknown route\n');
    }
  };

  // Hosts 1 … n listen on 127.0.0.2 … 127.0.0.(n+1).
  const servers = await listenAll(Array.from({ length: hosts }, (_, i) => hostAddress(i + 1)), { addressOf: (address) => address, handle });
  const port = servers[0].address().port;
  const closedPort = await freePort();
  const close = closer(servers, timers, lifetimeMs);
  return {
    port,
    closedPort,
    setRoutes: (next) => {
      routes = next;
    },
    reset: () => {
      counters = emptyCounters();
    },
    counters: () => counters,
    close,
  };
}

/**
 * Listens on each host's address with one port shared by all, retrying with another port on a
 * clash. `addressOf(host)` is where a host listens, `handle(host)` its request handler and
 * `onConnection(host)` hears of each TCP connection it accepts.
 */
export async function listenAll(hosts, { addressOf, handle, onConnection }) {
  for (let attempt = 0; attempt < 10; attempt++) {
    const servers = [];
    try {
      let port = 0;
      for (const host of hosts) {
        const server = createServer({ keepAliveTimeout: 5000 }, handle(host));
        if (onConnection !== undefined) server.on('connection', () => onConnection(host));
        await new Promise((resolve, reject) => {
          server.once('error', reject);
          server.listen({ host: addressOf(host), port, exclusive: true }, () => resolve());
        });
        servers.push(server);
        port = server.address().port;
      }
      return servers;
    } catch (error) {
      await Promise.all(servers.map((s) => new Promise((resolve) => s.close(() => resolve()))));
      if (attempt === 9) throw error;
    }
  }
  throw new Error('unreachable');
}

/** A port nothing listens on (bound on 127.0.0.1, then released). */
async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, () => resolve()));
  const { port } = server.address();
  await new Promise((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Closes a mock web's servers and drops its pending timers; also called by itself after
 * `lifetimeMs`, so a benchmark that dies never leaves the servers behind.
 */
export function closer(servers, timers, lifetimeMs) {
  const close = async () => {
    clearTimeout(lifetime);
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    await Promise.all(servers.map((server) => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    })));
  };
  const lifetime = setTimeout(() => void close(), lifetimeMs);
  lifetime.unref();
  return close;
}
