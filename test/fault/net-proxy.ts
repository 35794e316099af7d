// A fault-injecting HTTP proxy on loopback, for the Jepsen-style sync simulation: the branch
// client talks to HQ through it, and `decide` picks, request by request, what the "network"
// does to each one. Faults are real at the socket level: a dropped request or response reaches
// the client as a reset connection, exactly as a flaky WAN would deliver it. A `drop_response`
// happens only after HQ has answered in full, so HQ has committed what the client never hears
// about; a `duplicate` delivers the request twice, and the client sees the second answer.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault = 'pass' | 'drop_request' | 'drop_response' | 'duplicate' | 'error_503';

export interface FaultRequest {
  method: string;
  /** The path without its query string. */
  path: string;
  /** The request's arrival order at the proxy, from 0. */
  n: number;
}

export interface FaultProxy {
  /** Where the client should send its requests, e.g. http://127.0.0.1:54321 */
  url: string;
  /** Points the proxy at another upstream, e.g. HQ restarted on a new port. */
  setTarget(target: string): void;
  /** How many times each fault was chosen. */
  stats(): Record<Fault, number>;
  close(): Promise<void>;
}

const FAULTS: Fault[] = ['pass', 'drop_request', 'drop_response', 'duplicate', 'error_503'];

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

const UNAVAILABLE = JSON.stringify({
  code: 'HQ_UNAVAILABLE',
  details: {},
  message: { 'zh-CN': '总行服务暂时不可用', en: 'HQ is temporarily unavailable' },
});

interface Reply {
  status: number;
  headers: http.OutgoingHttpHeaders;
  body: Buffer;
}

function endToEnd(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name)));
}

async function readBody(stream: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startFaultProxy(options: {
  target: string;
  decide: (request: FaultRequest) => Fault;
}): Promise<FaultProxy> {
  let target = new URL(options.target);
  let arrivals = 0;
  const counts = Object.fromEntries(FAULTS.map((fault) => [fault, 0])) as Record<Fault, number>;
  const upstreams = new Set<http.ClientRequest>();

  /** Sends the buffered request upstream on a fresh connection; resolves with the whole reply. */
  function forward(req: http.IncomingMessage, body: Buffer): Promise<Reply> {
    const headers = endToEnd(req.headers);
    headers.host = target.host;
    if (body.length > 0 || req.headers['content-length'] !== undefined)
      headers['content-length'] = String(body.length);
    return new Promise((resolve, reject) => {
      const upstream = http.request(
        {
          hostname: target.hostname.replace(/^\[|\]$/g, ''),
          port: target.port,
          method: req.method,
          path: req.url,
          headers,
          agent: false,
        },
        (res) => {
          readBody(res).then((replyBody) => {
            const replyHeaders = endToEnd(res.headers);
            replyHeaders['content-length'] ??= String(replyBody.length);
            resolve({ status: res.statusCode ?? 502, headers: replyHeaders, body: replyBody });
          }, reject);
        },
      );
      upstreams.add(upstream);
      upstream.on('close', () => upstreams.delete(upstream));
      upstream.on('error', reject);
      upstream.end(body);
    });
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const n = arrivals++;
    const body = await readBody(req);
    const path = (req.url ?? '/').split('?')[0]!;
    const fault = options.decide({ method: req.method ?? 'GET', path, n });
    counts[fault]++;
    let reply: Reply;
    switch (fault) {
      case 'drop_request':
        req.socket.destroy();
        return;
      case 'error_503':
        res.writeHead(503, {
          'content-type': 'application/json; charset=utf-8',
          'content-length': Buffer.byteLength(UNAVAILABLE),
        });
        res.end(UNAVAILABLE);
        return;
      case 'drop_response':
        await forward(req, body);
        req.socket.destroy();
        return;
      case 'duplicate':
        await forward(req, body);
        reply = await forward(req, body);
        break;
      case 'pass':
        reply = await forward(req, body);
        break;
    }
    res.writeHead(reply.status, reply.headers);
    res.end(reply.body);
  }

  const server = http.createServer((req, res) => {
    res.on('error', () => {});
    // Any failure (upstream unreachable, client gone, decide threw) looks like a network failure.
    handle(req, res).catch(() => req.socket.destroy());
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    setTarget: (next) => (target = new URL(next)),
    stats: () => ({ ...counts }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const upstream of upstreams) upstream.destroy();
      }),
  };
}
