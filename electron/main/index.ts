// The Electron main process: the hardened shell around the renderer and the core. It decides
// nothing itself: every security decision is a pure function in ./policy.ts (tested under plain
// Node); this file wires them to Electron. docs/SECURITY.md maps Electron's security checklist
// to the lines here.
//
// - The core runs in a utility process (./core-process.ts), restarted with backoff.
// - The renderer is served from app://branchdesk/ with a CSP header and a per-page style nonce,
//   never from file://.
// - A window gets a MessagePort to the core only when its top-level app frame asks.
// - No navigation, no new windows, no webviews, no permissions; allowed https links open in the
//   OS browser. Devtools only in development builds. One instance.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  MessageChannelMain,
  screen,
  protocol,
  session,
  shell,
  type WebContents,
} from 'electron';
import { DESK_CONNECT_CHANNEL, DESK_PORT_CHANNEL } from '../../shared/protocol/channels';
import type { MachineConfig } from '../../shared/protocol/machine-config';
import {
  deskContentTypes,
  deskPageCsp,
  deskResponseHeaders,
  withStyleNonce,
} from '../core/hosts/desk/page';
import { defaultDataDir } from '../core/hosts/cli/data-dir';
import { main as branchctl, INSTALLED_VERBS } from '../core/hosts/cli/main';
import { CoreProcess } from './core-process';
import { loadMachineConfig, machineConfigPath } from '../core/device/machine-config';
import {
  APP_ENTRY,
  APP_SCHEME,
  appAssetPath,
  debugSwitchIn,
  isTrustedSender,
  navigationAllowed,
  permissionAllowed,
  windowOpenDecision,
} from './policy';
import { startUpdates } from './updates';

const rendererDir = join(import.meta.dirname, '../renderer');

// Before `ready`: app:// behaves like https (standard, secure origin), and nothing more.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

/** Serves the renderer build: its files only, the page with its CSP and a fresh style nonce. */
async function serveApp(request: Request): Promise<Response> {
  const file = appAssetPath(rendererDir, request.url);
  if (!file) return new Response('not found', { status: 404 });
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    return new Response('not found', { status: 404 });
  }
  const headers: Record<string, string> = {
    ...deskResponseHeaders,
    'content-type': deskContentTypes[extname(file)] ?? 'application/octet-stream',
  };
  if (extname(file) === '.html') {
    const nonce = randomBytes(16).toString('base64');
    headers['content-security-policy'] = deskPageCsp(nonce);
    return new Response(withStyleNonce(body.toString('utf8'), nonce), { headers });
  }
  return new Response(new Uint8Array(body), { headers });
}

/** The guards every web contents gets, the window's and any other that might appear. */
function guard(contents: WebContents, config: MachineConfig): void {
  contents.on('will-navigate', (event, url) => {
    if (!navigationAllowed(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!navigationAllowed(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const decision = windowOpenDecision(url, config.externalOrigins);
    if (decision.openExternally) void shell.openExternal(decision.openExternally);
    return { action: 'deny' };
  });
}

/**
 * The desk's window, or the counter's customer screen (客户确认屏): the same page and the same
 * locked-down preferences; the customer screen opens full-screen on the display given, and its
 * port to the core serves only the screen's own commands.
 */
function createWindow(config: MachineConfig, customerDisplay?: Electron.Display): BrowserWindow {
  const bounds = customerDisplay?.bounds;
  const window = new BrowserWindow({
    width: 1366,
    height: 768,
    minWidth: 1024,
    minHeight: 640,
    ...(bounds ? { x: bounds.x, y: bounds.y, fullscreen: true, frame: false } : {}),
    show: false,
    backgroundColor: '#f5f5f5',
    title: customerDisplay ? 'BranchDesk 客户确认屏' : 'BranchDesk',
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      // Middle-click would open links outside the window-open handler's reach.
      disableBlinkFeatures: 'Auxclick',
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      devTools: !app.isPackaged,
    },
  });
  // Customer data on screen is kept out of screenshots and screen sharing where the OS allows.
  window.setContentProtection(config.contentProtection);
  window.removeMenu();
  window.once('ready-to-show', () => window.show());
  void window.loadURL(customerDisplay ? `${APP_ENTRY}#display` : APP_ENTRY);
  return window;
}

/** A display other than the primary one, where the customer sits; none on a single screen. */
function customerDisplayOf(): Electron.Display | undefined {
  const primary = screen.getPrimaryDisplay().id;
  return screen.getAllDisplays().find((display) => display.id !== primary);
}

function start(): void {
  let config: MachineConfig;
  try {
    config = loadMachineConfig(machineConfigPath(process.platform));
  } catch (error) {
    dialog.showErrorBox('BranchDesk', `机器配置文件有误，请联系科技运维。\n${String(error)}`);
    app.exit(1);
    return;
  }

  protocol.handle(APP_SCHEME, serveApp);
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback) =>
    callback(permissionAllowed(permission)),
  );
  session.defaultSession.setPermissionCheckHandler((_contents, permission) =>
    permissionAllowed(permission),
  );
  app.on('web-contents-created', (_event, contents) => guard(contents, config));

  const core = new CoreProcess({
    entry: join(import.meta.dirname, 'core.js'),
    // The same folder branchctl uses by default, so IT's `branchctl enroll` needs no --data-dir.
    dataDir: defaultDataDir(process.env),
    ...(config.idleLockMinutes ? { idleLockMinutes: config.idleLockMinutes } : {}),
    onFatal: (message) => {
      dialog.showErrorBox('BranchDesk', message);
      app.exit(1);
    },
  });
  core.start();

  // The customer screen's window, when the PC has a second display: its contents are known here,
  // so its port is the screen's whatever its page asks.
  let customerWindow: BrowserWindow | undefined;
  const showCustomerScreen = () => {
    const display = config.customerScreen === 'auto' ? customerDisplayOf() : undefined;
    if (!display || (customerWindow && !customerWindow.isDestroyed())) return;
    customerWindow = createWindow(config, display);
  };

  // A window asks for its port to the core; only its top-level app frame is answered.
  ipcMain.on(DESK_CONNECT_CHANNEL, (event) => {
    const frame = event.senderFrame;
    const trusted = isTrustedSender(
      frame ? { url: frame.url, isTopLevel: frame === event.sender.mainFrame } : null,
    );
    if (!trusted || !frame) return;
    const { port1, port2 } = new MessageChannelMain();
    const isCustomerScreen =
      customerWindow !== undefined &&
      !customerWindow.isDestroyed() &&
      event.sender.id === customerWindow.webContents.id;
    core.connect(port1, isCustomerScreen ? 'display' : 'desk');
    frame.postMessage(DESK_PORT_CHANNEL, null, [port2]);
  });

  let window = createWindow(config);
  showCustomerScreen();
  screen.on('display-added', showCustomerScreen);
  screen.on('display-removed', () => {
    if (!customerDisplayOf()) customerWindow?.destroy();
  });
  app.on('second-instance', () => {
    if (window.isDestroyed()) window = createWindow(config);
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  // The desk's window closing ends the app, the customer screen with it.
  window.on('closed', () => customerWindow?.destroy());
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => core.stop());
  startUpdates(config);
}

// `BranchDesk --branchctl <verb> …` runs the command-line tool with the app's own runtime and
// exits: installed PCs have no separate Node (and the RunAsNode fuse is off), so this is how IT
// runs `branchctl enroll`, `doctor` and the rest there. No window, no core process.
const cliAt = process.argv.indexOf('--branchctl');
// An installed app refuses to start under a debugger (the RunAsNode and inspect fuses cover Node;
// these are Chromium's and V8's own switches).
const debugSwitch = app.isPackaged ? debugSwitchIn(process.argv) : undefined;
if (debugSwitch) {
  console.error(`BranchDesk: refusing to start with ${debugSwitch.split('=')[0]}`);
  app.exit(2);
} else if (cliAt >= 0) {
  const allowedVerbs = app.isPackaged ? INSTALLED_VERBS : undefined;
  void app
    .whenReady()
    .then(async () =>
      app.exit(await branchctl(process.argv.slice(cliAt + 1), undefined, { allowedVerbs })),
    );
} else if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void app.whenReady().then(start);
}
