// The test balancer in front of HQ instances answers for its own connections, as a real one does:
// an instance's keep-alive announcement never reaches the client. When it did, the client kept an
// idle connection for the instance's 72 s that the balancer closed after 5 s, and a request sent as
// it closed met a reset (instances.test.ts failed so under load).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBalancer, type Balancer } from '../../support/balancer';

function get(url: string, headers: http.OutgoingHttpHeaders = {}) {
  return new Promise<{ headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    http
      .get(url, { headers, agent: false }, (answer) => {
        let body = '';
        answer.on('data', (chunk: Buffer) => (body += chunk.toString()));
        answer.on('end', () => resolve({ headers: answer.headers, body }));
      })
      .on('error', reject);
  });
}

describe('the test balancer', () => {
  let upstream: http.Server;
  let balancer: Balancer;
  const seen: http.IncomingHttpHeaders[] = [];

  beforeAll(async () => {
    upstream = http.createServer((request, answer) => {
      seen.push(request.headers);
      answer.setHeader('x-upstream', 'yes');
      answer.end('ok');
    });
    upstream.keepAliveTimeout = 72_000;
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', () => resolve()));
    balancer = await startBalancer([
      `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`,
    ]);
  });

  afterAll(async () => {
    await balancer.close();
    await new Promise((resolve) => upstream.close(resolve));
  });

  it("announces its own keep-alive timeout, never the instance's", async () => {
    const direct = await get(`http://127.0.0.1:${(upstream.address() as AddressInfo).port}/`, {
      connection: 'keep-alive',
    });
    expect(direct.headers['keep-alive']).toBe('timeout=72');
    const through = await get(`${balancer.url}/`, { connection: 'keep-alive' });
    expect(through.body).toBe('ok');
    expect(through.headers['x-upstream']).toBe('yes');
    expect(through.headers['keep-alive']).toBe('timeout=5');
  });

  it('passes end-to-end headers on and drops the ones naming the connection', async () => {
    seen.length = 0;
    await get(`${balancer.url}/`, {
      connection: 'keep-alive, x-hop',
      'x-hop': 'this connection only',
      'x-device': 'D1',
    });
    expect(seen[0]!['x-device']).toBe('D1');
    expect(seen[0]!['x-hop']).toBeUndefined();
  });
});
