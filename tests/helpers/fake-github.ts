/**
 * A fake of the GitHub REST API's issue endpoints on 127.0.0.1, recording every request. It
 * pages issue lists by `per_page`/`page` with a `Link` header as GitHub does, and can be told to
 * fail the next requests (500s, a secondary rate limit with `retry-after`).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  labels: string[];
  comments: string[];
  pull_request?: boolean;
}

export interface FakeRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization?: string;
  readonly body?: unknown;
}

export interface FakeGitHub {
  readonly url: string;
  readonly issues: FakeIssue[];
  readonly labels: Set<string>;
  readonly requests: FakeRequest[];
  /** Answers the next requests with these statuses (and headers) before behaving again. */
  failNext(...failures: Array<{ status: number; headers?: Record<string, string>; body?: unknown }>): void;
  /** Requests that changed something: POST and PATCH. */
  writes(): FakeRequest[];
  close(): Promise<void>;
}

export async function startFakeGitHub(repository = 'acme/list'): Promise<FakeGitHub> {
  const issues: FakeIssue[] = [];
  const labels = new Set<string>();
  const requests: FakeRequest[] = [];
  const failures: Array<{ status: number; headers?: Record<string, string>; body?: unknown }> = [];
  let origin = '';
  const json = (res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(value));
  };
  const view = (issue: FakeIssue) => ({
    number: issue.number,
    title: issue.title,
    body: issue.body,
    state: issue.state,
    html_url: `https://github.com/${repository}/issues/${issue.number}`,
    labels: issue.labels.map((name) => ({ name })),
    ...(issue.pull_request === true ? { pull_request: {} } : {}),
  });
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const body = text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>);
      const url = new URL(req.url ?? '/', 'http://fake');
      requests.push({ method: req.method ?? 'GET', path: url.pathname + url.search, ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}), ...(body === undefined ? {} : { body }) });
      const failure = failures.shift();
      if (failure !== undefined) return json(res, failure.status, failure.body ?? { message: 'failure' }, failure.headers);
      const prefix = `/repos/${repository}`;
      const path = url.pathname;
      const number = Number(/\/issues\/(\d+)/.exec(path)?.[1]);
      const issue = issues.find((candidate) => candidate.number === number);
      if (req.method === 'GET' && path === `${prefix}/issues`) {
        const state = url.searchParams.get('state') ?? 'open';
        const perPage = Number(url.searchParams.get('per_page') ?? 30);
        const page = Number(url.searchParams.get('page') ?? 1);
        const list = issues.filter((candidate) => state === 'all' || candidate.state === state).toSorted((a, b) => b.number - a.number);
        const slice = list.slice((page - 1) * perPage, page * perPage);
        const last = Math.max(1, Math.ceil(list.length / perPage));
        const link = page < last ? { link: `<${origin}${prefix}/issues?state=${state}&per_page=${perPage}&page=${page + 1}>; rel="next"` } : {};
        return json(res, 200, slice.map(view), link);
      }
      if (req.method === 'GET' && issue !== undefined && path === `${prefix}/issues/${number}`) return json(res, 200, view(issue));
      if (req.method === 'POST' && path === `${prefix}/issues`) {
        const created: FakeIssue = {
          number: issues.reduce((max, candidate) => Math.max(max, candidate.number), 0) + 1,
          title: String(body?.['title']),
          body: String(body?.['body'] ?? ''),
          state: 'open',
          labels: (body?.['labels'] as string[] | undefined) ?? [],
          comments: [],
        };
        issues.push(created);
        return json(res, 201, view(created));
      }
      if (req.method === 'PATCH' && issue !== undefined) {
        if (typeof body?.['body'] === 'string') issue.body = body['body'];
        if (body?.['state'] === 'open' || body?.['state'] === 'closed') issue.state = body['state'];
        return json(res, 200, view(issue));
      }
      if (req.method === 'POST' && issue !== undefined && path.endsWith('/comments')) {
        issue.comments.push(String(body?.['body']));
        return json(res, 201, { id: issue.comments.length });
      }
      if (req.method === 'POST' && path === `${prefix}/labels`) {
        const name = String(body?.['name']);
        if (labels.has(name)) return json(res, 422, { message: 'Validation Failed' });
        labels.add(name);
        return json(res, 201, { name });
      }
      return json(res, 404, { message: 'Not Found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    issues,
    labels,
    requests,
    failNext: (...list) => void failures.push(...list),
    writes: () => requests.filter((request) => request.method === 'POST' || request.method === 'PATCH'),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
