/**
 * A real HTTP(S) server on a loopback address with scripted routes, for the network tests. It
 * logs every request and tracks how many were in flight at once.
 *
 * Routes (the query string configures some of them):
 * - `/ok?delay=ms` 200; `/status/<code>` that status; `/redirect/<code>?to=<url>` a redirect
 * - `/loop/a` ↔ `/loop/b` a redirect loop; `/chain/<n>` n redirects, then 200
 * - `/rate-limit/<id>?times=n&after=s` 429 with `Retry-After: s` n times, then 200
 * - `/unavailable/<id>?times=n[&after=s]` 503 n times, then 200
 * - `/head-405`, `/head-404` that status for HEAD, 200 for GET
 * - `/slow-headers` never answers; `/drip` headers, then one byte a second forever
 * - `/huge` a 200 MB body (streamed); `/reset` the socket is destroyed
 * - `/ids?ids=a,b` an HTML page with those ids; `/busy?delay=ms` 429 when more than `cap` are in flight
 * - anything registered with `page(path, body)`
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';

/** One request as the server saw it. */
export interface RequestRecord {
  readonly method: string;
  /** Path and query. */
  readonly path: string;
  readonly time: number;
  readonly userAgent?: string;
}

/** A running test server. */
export interface TestServer {
  /** `http://<host>:<port>` (or `https://`). */
  readonly origin: string;
  readonly host: string;
  readonly port: number;
  /** The absolute URL of `path`. */
  url(path: string): string;
  /** Every request, in arrival order. */
  readonly log: readonly RequestRecord[];
  /** Requests whose path (without query) is `pathname`. */
  count(pathname: string): number;
  /** The most requests that were in flight at once. */
  readonly maxInFlight: number;
  /** Serves `body` at `path` with the given content type (HTML by default). */
  page(path: string, body: string, contentType?: string): void;
  /** Stops the server, destroying open sockets and pending timers. */
  close(): Promise<void>;
}

/** Where and how to listen. */
export interface ServerOptions {
  /** A loopback address; 127.0.0.1 by default. */
  readonly host?: string;
  /** Serve HTTPS with a self-signed certificate for 127.0.0.1. */
  readonly tls?: boolean;
  /**
   * Serve plain HTTP and HTTPS on the same port (the first byte of each connection tells them
   * apart), so an `http://` URL and its `https://` twin both reach this server.
   */
  readonly dual?: boolean;
  /** For `/busy`: most requests in flight before it answers 429. */
  readonly cap?: number;
}

const hugeSize = 200 * 1024 * 1024;
const chunk = Buffer.alloc(64 * 1024, 'a');

/** A self-signed certificate for 127.0.0.1, valid until 2126. */
const tlsKey = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgwRSPUP7edLF+Aoxy
mYZmVu2KyOwWcRS2h5WoScgfImihRANCAAQAZIqckEoHYLz+7Pa/4SiKof0DJc8H
02V9lKX0MOMlCJHxSjOY331/Z4UDfE0tHgQNvPNlYHaZgB+4/+8tx2X8
-----END PRIVATE KEY-----
`;
const tlsCert = `-----BEGIN CERTIFICATE-----
MIIBjzCCATagAwIBAgIUF7vd8XCvZ4mi+emcJx/7mASUgBgwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTEyNTEzMDAyOFoYDzIxMjYxMTAx
MTMwMDI4WjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAAQAZIqckEoHYLz+7Pa/4SiKof0DJc8H02V9lKX0MOMlCJHxSjOY331/
Z4UDfE0tHgQNvPNlYHaZgB+4/+8tx2X8o2QwYjAdBgNVHQ4EFgQU1keTqHfyzMDZ
YHcGoWyTe8Ah5kgwHwYDVR0jBBgwFoAU1keTqHfyzMDZYHcGoWyTe8Ah5kgwDwYD
VR0TAQH/BAUwAwEB/zAPBgNVHREECDAGhwR/AAABMAoGCCqGSM49BAMCA0cAMEQC
IHWq1hq9M+WpTVOA/cy74L0FVIvELSmRcEIxs/abqiISAiA37KhE0k31Pheaxjv5
s1Wz4aoerJJRwwP6CE5S94jeBA==
-----END CERTIFICATE-----
`;

function* hugeBody(): Generator<Buffer> {
  for (let sent = 0; sent < hugeSize; sent += chunk.length) yield chunk;
}

/** Starts a server on `host` (127.0.0.1 by default), port 0. */
export async function startServer(options: ServerOptions = {}): Promise<TestServer> {
  const host = options.host ?? '127.0.0.1';
  const log: RequestRecord[] = [];
  const pages = new Map<string, { body: string; type: string }>();
  const counters = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();
  let inFlight = 0;
  let maxInFlight = 0;

  const later = (ms: number, action: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      action();
    }, ms);
    timers.add(timer);
  };
  const hit = (key: string): number => {
    const count = (counters.get(key) ?? 0) + 1;
    counters.set(key, count);
    return count;
  };

  const route = (request: IncomingMessage, response: ServerResponse, url: URL): void => {
    const isHead = request.method === 'HEAD';
    const query = (name: string): number => Number(url.searchParams.get(name) ?? '0');
    const send = (status: number, headers: Record<string, string> = {}, body = ''): void => {
      response.writeHead(status, { 'content-type': 'text/plain', ...headers });
      response.end(body);
    };
    const [, first = '', second = ''] = url.pathname.split('/');
    const page = pages.get(url.pathname);
    if (page !== undefined) return send(200, { 'content-type': page.type }, page.body);
    switch (first) {
      case 'ok':
        return later(query('delay'), () => send(200, {}, 'ok'));
      case 'status':
        return send(Number(second));
      case 'redirect':
        return send(Number(second), { location: url.searchParams.get('to') ?? '/ok' });
      case 'loop':
        return send(302, { location: second === 'a' ? '/loop/b' : '/loop/a' });
      case 'chain': {
        const left = Number(second);
        return left > 0 ? send(302, { location: `/chain/${left - 1}` }) : send(200, {}, 'end of chain');
      }
      case 'rate-limit':
        return hit(url.pathname) <= query('times') ? send(429, { 'retry-after': String(query('after')) }) : send(200);
      case 'unavailable': {
        const after = url.searchParams.get('after');
        const headers: Record<string, string> = after === null ? {} : { 'retry-after': after };
        return hit(url.pathname) <= query('times') ? send(503, headers) : send(200);
      }
      case 'head-405':
      case 'head-404':
        return send(isHead ? Number(first.slice('head-'.length)) : 200);
      case 'slow-headers':
        return; // never answers; the socket is destroyed on close
      case 'drip': {
        response.writeHead(200, { 'content-type': 'text/html' });
        if (isHead) return void response.end();
        const timer = setInterval(() => response.write('x'), 1000);
        timers.add(timer);
        response.on('close', () => clearInterval(timer));
        return void response.write('<p>');
      }
      case 'huge': {
        response.writeHead(200, { 'content-type': 'text/html', 'content-length': String(hugeSize) });
        if (isHead) return void response.end();
        const body = Readable.from(hugeBody());
        response.on('close', () => body.destroy());
        return void body.pipe(response);
      }
      case 'reset':
        return void request.socket.destroy();
      case 'ids': {
        const ids = (url.searchParams.get('ids') ?? '').split(',').filter((id) => id !== '');
        const body = ids.map((id) => `<h2 id="${id}">${id}</h2><p>Some text about ${id}.</p>`).join('\n');
        return send(200, { 'content-type': 'text/html; charset=utf-8' }, `<!doctype html><title>t</title>${body}`);
      }
      case 'busy':
        if (inFlight > (options.cap ?? Infinity)) return send(429, { 'retry-after': '0' });
        return later(query('delay'), () => send(200));
      default:
        return send(404);
    }
  };

  const handler = (request: IncomingMessage, response: ServerResponse): void => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const userAgent = request.headers['user-agent'];
    log.push({
      method: request.method ?? '',
      path: `${url.pathname}${url.search}`,
      time: Date.now(),
      ...(userAgent === undefined ? {} : { userAgent }),
    });
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let isDone = false;
    const done = (): void => {
      if (!isDone) inFlight -= 1;
      isDone = true;
    };
    response.on('finish', done);
    response.on('close', done);
    route(request, response, url);
  };

  const plain = createHttpServer(handler);
  const secure = createHttpsServer({ key: tlsKey, cert: tlsCert }, handler);
  const server = options.dual === true ? dualServer(plain, secure) : options.tls === true ? secure : plain;
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  // listen() on a TCP host always yields an AddressInfo.
  const { port } = server.address() as AddressInfo;
  const origin = `${options.tls === true ? 'https' : 'http'}://${host}:${port}`;

  return {
    origin,
    host,
    port,
    url: (path) => `${origin}${path}`,
    log,
    count: (pathname) => log.filter((record) => record.path.split('?')[0] === pathname).length,
    get maxInFlight() {
      return maxInFlight;
    },
    page(path, body, contentType = 'text/html; charset=utf-8') {
      pages.set(path, { body, type: contentType });
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      plain.closeAllConnections();
      secure.closeAllConnections();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const sockets = new Set<Socket>();

/** One TCP server that hands each connection to `plain` or `secure` by its first byte (0x16 opens a TLS handshake). */
function dualServer(plain: Server, secure: Server): NetServer {
  return createNetServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.once('data', (first) => {
      socket.pause();
      socket.unshift(first);
      (first[0] === 0x16 ? secure : plain).emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
  });
}

/** A URL on a port where nothing listens (a server is started there and closed again). */
export async function closedPortUrl(host = '127.0.0.1'): Promise<string> {
  const server = createHttpServer();
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  // listen() on a TCP host always yields an AddressInfo.
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://${host}:${port}/`;
}
