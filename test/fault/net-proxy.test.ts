// The fault-injecting proxy against a real upstream: each fault does to the wire what it says.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy, type Fault, type FaultProxy, type FaultRequest } from './net-proxy';

interface Upstream {
  url: string;
  /** How many requests reached each path. */
  seen: Map<string, number>;
  /** The Host header of the last request. */
  lastHost(): string | undefined;
  close(): Promise<void>;
}

/** Answers `{ path, count, body }` (count: the how-manieth request to that path) with ?status. */
async function startUpstream(): Promise<Upstream> {
  const seen = new Map<string, number>();
  let host: string | undefined;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://upstream');
      const count = (seen.get(url.pathname) ?? 0) + 1;
      seen.set(url.pathname, count);
      host = req.headers.host;
      res.writeHead(Number(url.searchParams.get('status') ?? 200), {
        'content-type': 'application/json',
        'x-upstream-count': String(count),
      });
      res.end(
        JSON.stringify({ path: url.pathname, count, body: Buffer.concat(chunks).toString() }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    lastHost: () => host,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function post(base: string, path: string, body = 'hello'): Promise<Response> {
  return fetch(base + path, { method: 'POST', body, headers: { 'content-type': 'text/plain' } });
}

describe('fault proxy', () => {
  let upstream: Upstream;
  let proxy: FaultProxy | undefined;
  beforeAll(async () => (upstream = await startUpstream()));
  afterAll(() => upstream.close());
  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
  });

  async function through(decide: Fault | ((request: FaultRequest) => Fault)): Promise<FaultProxy> {
    proxy = await startFaultProxy({
      target: upstream.url,
      decide: typeof decide === 'function' ? decide : () => decide,
    });
    return proxy;
  }

  it('pass relays status, headers and body, with the Host of the target', async () => {
    const { url } = await through('pass');
    const response = await post(url, '/pass?status=201', 'ping');
    expect(response.status).toBe(201);
    expect(response.headers.get('x-upstream-count')).toBe('1');
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ path: '/pass', count: 1, body: 'ping' });
    expect(upstream.lastHost()).toBe(new URL(upstream.url).host);
    const get = await fetch(`${url}/pass-get`);
    expect(await get.json()).toEqual({ path: '/pass-get', count: 1, body: '' });
  });

  it('drop_request resets the connection and never reaches upstream', async () => {
    const { url } = await through('drop_request');
    await expect(post(url, '/drop-request')).rejects.toThrow();
    expect(upstream.seen.get('/drop-request')).toBeUndefined();
  });

  it('drop_response lets upstream answer in full, then resets the connection', async () => {
    const { url } = await through('drop_response');
    await expect(post(url, '/drop-response')).rejects.toThrow();
    expect(upstream.seen.get('/drop-response')).toBe(1);
  });

  it('duplicate delivers the request twice and relays the second answer', async () => {
    const { url } = await through('duplicate');
    const response = await post(url, '/duplicate', 'twice');
    expect(await response.json()).toEqual({ path: '/duplicate', count: 2, body: 'twice' });
    expect(upstream.seen.get('/duplicate')).toBe(2);
  });

  it('error_503 answers HQ_UNAVAILABLE without forwarding', async () => {
    const { url } = await through('error_503');
    const response = await post(url, '/unavailable');
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      code: 'HQ_UNAVAILABLE',
      details: {},
      message: { 'zh-CN': '总行服务暂时不可用', en: 'HQ is temporarily unavailable' },
    });
    expect(upstream.seen.get('/unavailable')).toBeUndefined();
  });

  it('survives an unreachable upstream and serves again after setTarget', async () => {
    const dead = await startUpstream();
    await dead.close();
    proxy = await startFaultProxy({ target: dead.url, decide: () => 'pass' });
    await expect(post(proxy.url, '/down')).rejects.toThrow();
    await expect(post(proxy.url, '/down')).rejects.toThrow();
    proxy.setTarget(upstream.url);
    const response = await post(proxy.url, '/down');
    expect(await response.json()).toMatchObject({ path: '/down', count: 1 });
  });

  it('asks decide in arrival order from 0 and counts each fault in stats', async () => {
    const plan: Fault[] = [
      'pass',
      'error_503',
      'drop_request',
      'duplicate',
      'drop_response',
      'pass',
    ];
    const asked: FaultRequest[] = [];
    const { url, stats } = await through((request) => {
      asked.push(request);
      return plan[request.n]!;
    });
    for (const _ of plan) await post(url, '/stats?x=1').catch(() => undefined);
    expect(asked.map((request) => request.n)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(asked[0]).toEqual({ method: 'POST', path: '/stats', n: 0 });
    expect(stats()).toEqual({
      pass: 2,
      drop_request: 1,
      drop_response: 1,
      duplicate: 1,
      error_503: 1,
    });
    // pass + duplicate (2) + drop_response + pass
    expect(upstream.seen.get('/stats')).toBe(5);
  });
});
