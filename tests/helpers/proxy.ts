/**
 * A forward proxy on 127.0.0.1 that plays several named hosts: a `CONNECT name:port` tunnel
 * reaches the local server standing in for `name`; a name it does not know gets 502 (as a proxy
 * answers when the name does not resolve), and a denied one gets 403. Every tunnel asked for is
 * recorded, so tests can see what went through the proxy and what did not.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

/** A running fake proxy. */
export interface FakeProxy {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Every `CONNECT` target (`host:port`), in arrival order. */
  readonly connects: readonly string[];
  close(): Promise<void>;
}

/** What the proxy does for a host name: tunnel to a local port, or refuse with 403. */
export type ProxiedHost = number | 'deny';

/** Starts a proxy that knows `hosts` (name → local port, or `'deny'`). */
export async function startProxy(hosts: Readonly<Record<string, ProxiedHost>>): Promise<FakeProxy> {
  const connects: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((_request, response) => {
    // Waymark always tunnels; a plain proxied request is a test failure worth seeing.
    response.writeHead(400).end('this proxy only tunnels');
  });
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  };
  server.on('connection', track);
  server.on('connect', (request: IncomingMessage, client: Socket, head: Buffer) => {
    const target = request.url ?? '';
    connects.push(target);
    const name = target.replace(/:\d+$/, '');
    const host = hosts[name];
    if (host === undefined || host === 'deny') {
      client.end(host === 'deny' ? 'HTTP/1.1 403 Forbidden\r\n\r\n' : 'HTTP/1.1 502 Bad Gateway\r\n\r\n');
      return;
    }
    const upstream = connect(host, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    track(upstream);
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connects,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
