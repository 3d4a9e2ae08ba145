/**
 * Fakes of the providers' APIs on 127.0.0.1, one server for all, recording every request:
 * - `POST /graphql`: GitHub's GraphQL API for `rN: repository(owner:, name:)` aliases, with
 *   `NOT_FOUND` errors for missing repositories, `x-ratelimit-*` headers and a bearer token check;
 * - `/npm/<name>`: an npm registry (`@scope%2fname` for scoped names);
 * - `/oembed?url=…`: YouTube's oEmbed, each video id answering its scripted status;
 * - `/se/questions/<ids>?site=`: the Stack Exchange API, listing the ids that exist.
 * And `startPageServer`: a stand-in for the sites' own pages (github.com, npmjs.com) that answers
 * every request with one status, to prove the pages were not asked.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

export interface FakeRequest {
  readonly method: string;
  readonly path: string;
  readonly accept?: string;
  readonly authorization?: string;
  readonly body?: string;
}

export interface FakeRepository {
  readonly nameWithOwner: string;
  readonly isArchived?: boolean;
}

/** A scripted answer to the next GraphQL request(s) instead of the normal one. */
export interface Scripted {
  readonly status: number;
  readonly headers?: Record<string, string>;
}

export interface FakeApis {
  readonly origin: string;
  /** Repositories by `owner/name` in lower case. */
  readonly repositories: Map<string, FakeRepository>;
  readonly token: string;
  /** Headers added to every GraphQL answer (rate-limit headers). */
  graphqlHeaders: Record<string, string>;
  /** Answers the next GraphQL requests with these before behaving again. */
  readonly graphqlFailures: Scripted[];
  readonly packages: Set<string>;
  /** Video id → the status oEmbed answers (absent: 404). */
  readonly videos: Map<string, number>;
  /** Site → question ids that exist. */
  readonly questions: Map<string, Set<number>>;
  /** The `backoff` (seconds) the Stack Exchange API adds to its answers, if any. */
  backoff?: number;
  readonly requests: FakeRequest[];
  /** Requests whose path starts with `prefix`. */
  count(prefix: string): number;
  close(): Promise<void>;
}

function json(response: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(value));
}

function graphql(fake: FakeApis, request: FakeRequest, response: ServerResponse): void {
  if (request.authorization !== `bearer ${fake.token}`) return json(response, 401, { message: 'Bad credentials' });
  const failure = fake.graphqlFailures.shift();
  if (failure !== undefined) return json(response, failure.status, { message: 'scripted' }, failure.headers);
  const query = (JSON.parse(request.body ?? '{}') as { query?: string }).query ?? '';
  const data: Record<string, unknown> = {};
  const errors: unknown[] = [];
  for (const match of query.matchAll(/(r\d+): repository\(owner: "([^"]*)", name: "([^"]*)"\) \{ nameWithOwner isArchived url \}/g)) {
    const [, alias = '', owner = '', name = ''] = match;
    const repository = fake.repositories.get(`${owner}/${name}`.toLowerCase());
    if (repository === undefined) {
      data[alias] = null;
      errors.push({ type: 'NOT_FOUND', path: [alias], message: `Could not resolve to a Repository with the name '${owner}/${name}'.` });
    } else {
      const { nameWithOwner, isArchived = false } = repository;
      data[alias] = { nameWithOwner, isArchived, url: `https://github.com/${nameWithOwner}` };
    }
  }
  json(response, 200, errors.length === 0 ? { data } : { data, errors }, fake.graphqlHeaders);
}

function route(fake: FakeApis, request: FakeRequest, response: ServerResponse): void {
  const url = new URL(request.path, 'http://fake');
  if (url.pathname === '/graphql' && request.method === 'POST') return graphql(fake, request, response);
  if (url.pathname.startsWith('/npm/')) {
    const name = decodeURIComponent(url.pathname.slice('/npm/'.length));
    const found = fake.packages.has(name);
    response.writeHead(found ? 200 : 404, { 'content-type': 'application/vnd.npm.install-v1+json' });
    return void response.end(request.method === 'HEAD' ? undefined : JSON.stringify(found ? { name } : { error: 'Not found' }));
  }
  if (url.pathname === '/oembed') {
    const id = new URL(url.searchParams.get('url') ?? '', 'https://www.youtube.com').searchParams.get('v') ?? '';
    const status = fake.videos.get(id) ?? 404;
    if (status >= 300 && status < 400) {
      response.writeHead(status, { location: 'https://consent.youtube.com/m?continue=x' });
      return void response.end();
    }
    return status === 200 ? json(response, 200, { title: `Video ${id}`, type: 'video' }) : void (response.writeHead(status), response.end(status === 400 ? 'Bad Request' : ''));
  }
  const se = /^\/se\/questions\/([\d;]+)$/.exec(url.pathname);
  if (se !== null) {
    const site = url.searchParams.get('site') ?? '';
    const known = fake.questions.get(site) ?? new Set<number>();
    const pageSize = Number(url.searchParams.get('pagesize') ?? 30);
    const items = (se[1] ?? '').split(';').map(Number).filter((id) => known.has(id)).slice(0, pageSize).map((id) => ({ question_id: id, title: `Q${id}` }));
    const body = { items, has_more: false, quota_max: 300, quota_remaining: 299, ...(fake.backoff === undefined ? {} : { backoff: fake.backoff }) };
    // The Stack Exchange API compresses every answer.
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-encoding': 'gzip' });
    return void response.end(gzipSync(JSON.stringify(body)));
  }
  json(response, 404, { message: 'Not Found' });
}

/** Starts the fake APIs on 127.0.0.1. */
export async function startFakeApis(): Promise<FakeApis> {
  const requests: FakeRequest[] = [];
  const fake: FakeApis = {
    origin: '',
    repositories: new Map(),
    token: 'test-token-123',
    graphqlHeaders: { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '4999', 'x-ratelimit-reset': '4102444800' },
    graphqlFailures: [],
    packages: new Set(),
    videos: new Map(),
    questions: new Map(),
    requests,
    count: (prefix) => requests.filter((request) => request.path.startsWith(prefix)).length,
    close: async () => undefined,
  };
  const server = createServer((incoming: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const request: FakeRequest = {
        method: incoming.method ?? 'GET',
        path: incoming.url ?? '/',
        ...(incoming.headers.accept === undefined ? {} : { accept: incoming.headers.accept }),
        ...(incoming.headers.authorization === undefined ? {} : { authorization: incoming.headers.authorization }),
        ...(body === '' ? {} : { body }),
      };
      requests.push(request);
      route(fake, request, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // listen() on a TCP host always yields an AddressInfo.
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

/** A stand-in for a site's pages: every request gets `status` unless `paths` names another. */
export interface PageServer {
  readonly port: number;
  readonly requests: string[];
  readonly paths: Map<string, number>;
  close(): Promise<void>;
}

/** Starts a page server on 127.0.0.1 answering `status` (with `retry-after` for a 429). */
export async function startPageServer(status: number): Promise<PageServer> {
  const requests: string[] = [];
  const paths = new Map<string, number>();
  const server = createServer((request, response) => {
    const path = request.url ?? '/';
    requests.push(`${request.method ?? 'GET'} ${path}`);
    const answer = paths.get(path.split('?')[0] ?? path) ?? status;
    response.writeHead(answer, { 'content-type': 'text/html', ...(answer === 429 ? { 'retry-after': '3600' } : {}) });
    response.end('<!doctype html><title>page</title>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // listen() on a TCP host always yields an AddressInfo.
  const { port } = server.address() as AddressInfo;
  return {
    port,
    requests,
    paths,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Resolves every name to 127.0.0.1, so `github.com:<port>` reaches a page server. */
export const loopbackLookup = async (): Promise<readonly { address: string; family: 4 }[]> => [{ address: '127.0.0.1', family: 4 }];
