// A load balancer on loopback for HQ instances, as a bank puts in front of them: each HTTP
// request goes to the next instance in turn (so a device's consecutive calls land on different
// instances), an instance that refuses connections is skipped, and one that dies mid-request
// leaves the caller with a reset connection, as a real balancer would. Answers stream through
// unbuffered (a change stream stays open). `onForward` lets a test act once a request has been
// handed to an instance (kill it there, say).
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface Balancer {
  url: string;
  /** The instances' base URLs, in turn order; replace an entry to point at a restarted one. */
  targets: string[];
  /** Which target each request went to, in order: "<method> <path> -> <index>". */
  log: string[];
  /**
   * Runs as a request reaches an instance; 'drop' throws its answer away and resets the caller's
   * connection, as when the instance dies before answering.
   */
  onForward?: (request: { method: string; path: string; target: number }) => void | 'drop';
  close(): Promise<void>;
}

// Headers that describe one connection, not the message (RFC 9110 §7.6.1): a proxy answers for
// its own connections and never passes these on. Passing the instance's `Keep-Alive: timeout=72`
// through told the client to keep an idle connection 72 s that this balancer closes after 5 s:
// a request sent as the balancer closed it met a reset.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

function endToEnd(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const named = new Set(
    String(headers.connection ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase()),
  );
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name) && !named.has(name)),
  );
}

export async function startBalancer(targets: string[]): Promise<Balancer> {
  let turn = 0;
  const sockets = new Set<Socket>();
  const balancer: Balancer = {
    url: '',
    targets,
    log: [],
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  const forward = (
    incoming: http.IncomingMessage,
    outgoing: http.ServerResponse,
    body: Buffer,
    tries: number,
  ) => {
    const index = turn++ % balancer.targets.length;
    const target = new URL(balancer.targets[index]!);
    const path = incoming.url ?? '/';
    const request = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: incoming.method,
        path,
        headers: { ...endToEnd(incoming.headers), host: target.host },
        agent: false,
      },
      (answer) => {
        if (dropped) {
          answer.destroy();
          outgoing.destroy();
          return;
        }
        outgoing.writeHead(answer.statusCode ?? 502, endToEnd(answer.headers));
        answer.pipe(outgoing);
        answer.on('error', () => outgoing.destroy());
        answer.on('aborted', () => outgoing.destroy());
        outgoing.on('close', () => answer.destroy());
      },
    );
    let handed = false;
    let dropped = false;
    request.on('error', (error: NodeJS.ErrnoException) => {
      // Refused before anything was sent: the next instance takes it, as a balancer's health
      // check would have sent it there. Anything else: the caller sees the connection drop.
      if (!handed && error.code === 'ECONNREFUSED' && tries < balancer.targets.length)
        forward(incoming, outgoing, body, tries + 1);
      else outgoing.destroy();
    });
    request.on('socket', (socket) =>
      socket.on('connect', () => {
        handed = true;
        balancer.log.push(`${incoming.method} ${path.split('?')[0]} -> ${index}`);
        dropped =
          balancer.onForward?.({ method: incoming.method ?? 'GET', path, target: index }) ===
          'drop';
      }),
    );
    request.end(body);
  };
  const server = http.createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => forward(incoming, outgoing, Buffer.concat(chunks), 1));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  balancer.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return balancer;
}
