// Every security decision the Electron shell makes, as pure functions of parsed input, so each is
// tested under plain Node with the attacks it must refuse (test/unit/shell-policy.test.ts). The
// main process only wires them to Electron's events. Nothing here imports Electron.
//
// URLs are always parsed with the WHATWG URL parser and compared by their parsed parts; no
// decision rests on a substring or prefix of a URL string.
import { resolveAsset } from '../core/hosts/desk/page';

/** The app's own scheme and host: the packaged renderer is served from app://branchdesk/. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'branchdesk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** True for a URL of the app itself: scheme app:, host branchdesk, no credentials, no port. */
export function isAppUrl(url: string): boolean {
  const parsed = parse(url);
  return (
    parsed !== undefined &&
    parsed.protocol === `${APP_SCHEME}:` &&
    // Chromium lowercases a standard scheme's host; Node keeps a custom scheme's as written.
    parsed.hostname.toLowerCase() === APP_HOST &&
    parsed.port === '' &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

/**
 * Whether a message to the main process may be trusted (the request for a port to the core):
 * only from the top-level frame of an app page, never a subframe, never another origin.
 */
export function isTrustedSender(frame: { url: string; isTopLevel: boolean } | null): boolean {
  return frame !== null && frame.isTopLevel && isAppUrl(frame.url);
}

/** In-window navigation: the desk is one page; it never navigates anywhere, itself included. */
export function navigationAllowed(_url: string): boolean {
  return false;
}

/**
 * A link the page asks to open (window.open, target=_blank): never a new window. It may open in
 * the OS browser when its parsed origin is on the allow-list and its scheme is https.
 */
export function windowOpenDecision(
  url: string,
  allowedOrigins: readonly string[],
): { action: 'deny'; openExternally: string | null } {
  return { action: 'deny', openExternally: externalUrlAllowed(url, allowedOrigins) ? url : null };
}

/** An https URL whose origin (scheme, host, port) equals one on the list, exactly. */
export function externalUrlAllowed(url: string, allowedOrigins: readonly string[]): boolean {
  const parsed = parse(url);
  if (!parsed || parsed.protocol !== 'https:' || parsed.username || parsed.password) return false;
  return allowedOrigins.some((allowed) => parse(allowed)?.origin === parsed.origin);
}

/** Camera, microphone, notifications, geolocation, clipboard…: the desk needs none. */
export function permissionAllowed(_permission: string): boolean {
  return false;
}

/**
 * The file of the renderer build an app:// request names, or undefined: another scheme or host,
 * a port or credentials, a path that escapes the build folder (`..`, encoded or not), a
 * backslash or NUL. `/` is the page itself.
 */
export function appAssetPath(root: string, url: string): string | undefined {
  // The path itself is judged as the web harness judges its own (one rule for both hosts).
  return isAppUrl(url) ? resolveAsset(root, new URL(url).pathname) : undefined;
}

/**
 * How long to wait before starting the core again after it stopped for the `attempt`th time in a
 * row (1, 2, …): doubling from half a second up to half a minute.
 */
export function restartDelayMs(attempt: number): number {
  return Math.min(30_000, 500 * 2 ** Math.max(0, attempt - 1));
}

/** After this many failed starts in a row the shell stops trying and says why. */
export const MAX_CORE_RESTARTS = 6;

/** Chromium and Node switches that would open the app to a debugger: refused when installed. */
const DEBUG_SWITCH = /^--(remote-debugging-(port|pipe|address)|inspect(-brk|-port)?|js-flags)(=|$)/;

export function debugSwitchIn(argv: readonly string[]): string | undefined {
  return argv.find((arg) => DEBUG_SWITCH.test(arg));
}
