/**
 * A scripted HTTP server on 127.0.0.1 that stands in for named hosts: each route is keyed by the
 * host name the client asked for (its `Host` header) and the path, so `www.linkedin.com` and
 * `example.test` can answer differently from one port. Tests reach it through a lookup that maps
 * every name to 127.0.0.1 ({@link fakeLookup}), and count what each route saw.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Lookup } from '../../src/net/index.js';

/** What a route does with its n-th request (1-based). */
export type FakeHandler = (request: IncomingMessage, response: ServerResponse, n: number) => void;

/** A running fake. */
export interface FakeHosts {
  readonly port: number;
  /** `http://<hostname>:<port><path>`. */
  url(hostname: string, path: string): string;
  /** Scripts `hostname` + `path` (without query). */
  route(hostname: string, path: string, handler: FakeHandler): void;
  /** The methods of the requests a route saw, in order. */
  methods(hostname: string, path: string): readonly string[];
  close(): Promise<void>;
}

/** Answers every name with 127.0.0.1, where the fake listens. */
export const fakeLookup: Lookup = () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]);

/** Sends a status with headers and an optional body. */
export function answer(response: ServerResponse, status: number, headers: Record<string, string> = {}, body = ''): void {
  response.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers });
  response.end(response.req.method === 'HEAD' ? undefined : body);
}

/** Starts the fake on 127.0.0.1, port 0. Unscripted routes answer 404. */
export async function startFakeHosts(): Promise<FakeHosts> {
  const routes = new Map<string, FakeHandler>();
  const seen = new Map<string, string[]>();
  const sockets = new Set<Socket>();
  const server = createServer((request, response) => {
    const hostname = (request.headers.host ?? '').replace(/:\d+$/, '');
    const key = `${hostname}${new URL(request.url ?? '/', 'http://x').pathname}`;
    const log = seen.get(key) ?? [];
    log.push(request.method ?? '');
    seen.set(key, log);
    const handler = routes.get(key);
    if (handler === undefined) answer(response, 404);
    else handler(request, response, log.length);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // listen() on a TCP host always yields an AddressInfo.
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: (hostname, path) => `http://${hostname}:${port}${path}`,
    route: (hostname, path, handler) => void routes.set(`${hostname}${path}`, handler),
    methods: (hostname, path) => seen.get(`${hostname}${path}`) ?? [],
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
