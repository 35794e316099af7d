// The web harness: the core as a plain Node process serving the built renderer to a browser and
// bridging the command contract over a WebSocket on loopback. For development and the
// end-to-end tests; the desktop build uses Electron IPC. A per-run random token (the WebSocket
// subprotocol `branchdesk.<token>`) and the page's own origin are required; anything else is
// refused before a desk exists. The counter's customer screen is a second page with a token of
// its own (`/display`, subprotocol `branchdesk-display.<token>`): neither token opens the other.
import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { extname, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  BRIDGE_PROTOCOL_PREFIX,
  BRIDGE_RESUME_PREFIX,
  DISPLAY_PROTOCOL_PREFIX,
} from '../../../../shared/protocol/bridge';
import { serveDesk, type DeskChannel } from '../desk/channel';
import { serveDisplay, type DisplayChannel } from '../desk/display-channel';
import type { CoreHost } from '../desk/host';
import {
  deskContentTypes,
  deskPageCsp,
  deskResponseHeaders,
  resolveAsset,
  withStyleNonce,
} from '../desk/page';
import { log } from '../../log';

export { resolveAsset } from '../desk/page';

/** Where `electron-vite build` puts the renderer: the repository's out/renderer. */
export const builtRendererDir = fileURLToPath(new URL('../../../../out/renderer', import.meta.url));

/** The Content-Security-Policy of a harness page: the desk's, plus its WebSockets. */
export function harnessCsp(origin: string, nonce: string): string {
  const ws = origin.replace(/^http/, 'ws');
  return deskPageCsp(nonce, [`${ws}/bridge`, `${ws}/display`]);
}

const sha256 = (text: string) => createHash('sha256').update(text).digest();

export interface Harness {
  url: string;
  /** The page address with the token in its fragment (never sent to the server). */
  pageUrl: string;
  token: string;
  /** The customer screen's page (客户确认屏), with its own token in the fragment. */
  displayUrl: string;
  close(): Promise<void>;
}

export async function startHarness(options: {
  host: CoreHost;
  rendererDir: string;
  port?: number;
  token?: string;
  /**
   * How long a signed-in session waits for its page after the connection drops, so a reload
   * keeps it (default 10 s); 0: it ends at once.
   */
  resumeGraceMs?: number;
}): Promise<Harness> {
  const resumeGraceMs = options.resumeGraceMs ?? 10_000;
  const token = options.token ?? randomBytes(24).toString('base64url');
  const tokenDigest = sha256(token);
  const displayToken = randomBytes(24).toString('base64url');
  const displayDigest = sha256(displayToken);
  const root = normalize(options.rendererDir);
  let origin = '';

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const send = (status: number, body: string, type = 'text/plain; charset=utf-8') => {
      response.writeHead(status, { 'content-type': type, 'x-content-type-options': 'nosniff' });
      response.end(body);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return send(405, 'method not allowed');
    const file = resolveAsset(root, request.url ?? '/');
    if (!file) return send(404, 'not found');
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return send(404, 'not found');
    }
    const headers: Record<string, string> = {
      'content-type': deskContentTypes[extname(file)] ?? 'application/octet-stream',
      ...deskResponseHeaders,
    };
    if (extname(file) === '.html') {
      // A fresh nonce per page for the UI library's style tags (no 'unsafe-inline').
      const nonce = randomBytes(16).toString('base64');
      headers['content-security-policy'] = harnessCsp(origin, nonce);
      body = Buffer.from(withStyleNonce(body.toString('utf8'), nonce));
    }
    response.writeHead(200, headers);
    response.end(request.method === 'HEAD' ? undefined : body);
  }

  const server = createServer((request, response) => {
    serve(request, response).catch(() => {
      response.writeHead(500);
      response.end();
    });
  });
  const sockets = new WebSocketServer({
    noServer: true,
    maxPayload: 1024 * 1024,
    // The token's subprotocol is the one agreed, never the resume token's.
    handleProtocols: (offered) =>
      [...offered].find(
        (protocol) =>
          protocol.startsWith(BRIDGE_PROTOCOL_PREFIX) ||
          protocol.startsWith(DISPLAY_PROTOCOL_PREFIX),
      ) ?? false,
  });
  const clients = new Set<WebSocket>();

  const refuse = (socket: Duplex, status: string) => {
    socket.write(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
    socket.destroy();
  };

  server.on('upgrade', (request, socket, head) => {
    const offered = (request.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((protocol) => protocol.trim());
    const presented = offered
      .find((protocol) => protocol.startsWith(BRIDGE_PROTOCOL_PREFIX))
      ?.slice(BRIDGE_PROTOCOL_PREFIX.length);
    const path = (request.url ?? '').split('?')[0];
    if (path !== '/bridge' && path !== '/display') return refuse(socket, '404 Not Found');
    // Another page in the same browser must not drive the core: the origin must be ours.
    if (request.headers.origin !== origin) return refuse(socket, '403 Forbidden');
    if (path === '/display') {
      const shown = offered
        .find((protocol) => protocol.startsWith(DISPLAY_PROTOCOL_PREFIX))
        ?.slice(DISPLAY_PROTOCOL_PREFIX.length);
      if (!shown || !timingSafeEqual(sha256(shown), displayDigest)) {
        log('warn', 'harness.refused', { reason: 'display_token' });
        return refuse(socket, '401 Unauthorized');
      }
      sockets.handleUpgrade(request, socket, head, (ws) => displayConnected(ws));
      return;
    }
    if (!presented || !timingSafeEqual(sha256(presented), tokenDigest)) {
      log('warn', 'harness.refused', { reason: 'token' });
      return refuse(socket, '401 Unauthorized');
    }
    const resume = offered
      .find((protocol) => protocol.startsWith(BRIDGE_RESUME_PREFIX))
      ?.slice(BRIDGE_RESUME_PREFIX.length);
    sockets.handleUpgrade(request, socket, head, (ws) => connected(ws, resume));
  });

  /** A connection as the desk's (or customer screen's) channel: JSON over the WebSocket. */
  function channelOf(ws: WebSocket): DeskChannel & DisplayChannel {
    clients.add(ws);
    return {
      send: (message) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
      },
      onMessage: (listener) => ws.on('message', (data) => listener(String(data))),
      onClose: (listener) =>
        ws.on('close', () => {
          clients.delete(ws);
          listener();
        }),
    };
  }

  function displayConnected(ws: WebSocket): void {
    serveDisplay(options.host.counter, channelOf(ws));
  }

  function connected(ws: WebSocket, resume: string | undefined): void {
    const deskOptions = resumeGraceMs > 0 ? { resumeGraceMs, ...(resume ? { resume } : {}) } : {};
    serveDesk(options.host, channelOf(ws), deskOptions);
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: origin,
    pageUrl: `${origin}/#token=${token}`,
    token,
    displayUrl: `${origin}/#display&token=${displayToken}`,
    async close() {
      for (const client of clients) client.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
