// The desk's page as both hosts serve it (the web harness over HTTP, the desktop app over
// app://): one Content-Security-Policy and one way of handing the page its style nonce.
//
// No inline script and no eval anywhere. The UI library (antd) writes <style> tags at run time;
// rather than allow 'unsafe-inline', every page gets a fresh random nonce, carried to the page in
// a meta tag that the renderer reads and passes to antd's ConfigProvider.

import { join, normalize, sep } from 'node:path';

/** The policy for one page. `connect` lists what the page may connect to (the harness's WebSocket). */
export function deskPageCsp(nonce: string, connect: readonly string[] = []): string {
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(nonce))
    throw new RangeError('a style nonce is 16+ base64 characters');
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src ${connect.length ? connect.join(' ') : "'none'"}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** The page's HTML with its style nonce in `meta[name=branchdesk-style-nonce]`. */
export function withStyleNonce(html: string, nonce: string): string {
  if (!html.includes('<head>')) throw new Error('the desk page has no <head>');
  return html.replace(
    '<head>',
    `<head>\n    <meta name="branchdesk-style-nonce" content="${nonce}" />`,
  );
}

/** Headers every desk response carries, page or asset. */
export const deskResponseHeaders: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

/** Content types of the files the renderer build holds. */
export const deskContentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** The file under `root` a URL path names, or undefined for anything that escapes it. */
export function resolveAsset(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0]!.split('#')[0]!);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const relative = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  const full = normalize(join(root, relative));
  return full.startsWith(root.endsWith(sep) ? root : root + sep) ? full : undefined;
}
