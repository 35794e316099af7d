// The Electron shell's security decisions (electron/main/policy.ts), tried with the attacks
// they exist to refuse. The main process only wires these to Electron's events.
import { describe, expect, it } from 'vitest';
import {
  APP_ENTRY,
  appAssetPath,
  debugSwitchIn,
  externalUrlAllowed,
  isAppUrl,
  isTrustedSender,
  navigationAllowed,
  permissionAllowed,
  restartDelayMs,
  windowOpenDecision,
} from '../../electron/main/policy';
import {
  loadMachineConfig,
  machineConfigPath,
  parseMachineConfig,
} from '../../electron/core/device/machine-config';
import { deskPageCsp, withStyleNonce } from '../../electron/core/hosts/desk/page';
import { INSTALLED_VERBS, main as branchctl } from '../../electron/core/hosts/cli/main';
import { MAX_IDLE_LOCK_MINUTES } from '../../shared/protocol/machine-config';

const root = '/opt/BranchDesk/resources/app.asar/out/renderer';
const hq = ['https://hq.example.com'];

describe('app:// serves the renderer build and nothing else', () => {
  it('maps app pages and assets into the build folder', () => {
    expect(appAssetPath(root, APP_ENTRY)).toBe(`${root}/index.html`);
    expect(appAssetPath(root, 'app://branchdesk/')).toBe(`${root}/index.html`);
    expect(appAssetPath(root, 'app://branchdesk/assets/index-3f2a.js?v=1#x')).toBe(
      `${root}/assets/index-3f2a.js`,
    );
  });

  it('refuses traversal, encoded or not, backslashes and NUL', () => {
    // The URL parser folds `..` and `%2e%2e` segments away: what is left stays inside the build.
    expect(appAssetPath(root, 'app://branchdesk/../../etc/passwd')).toBe(`${root}/etc/passwd`);
    expect(appAssetPath(root, 'app://branchdesk/%2e%2e/%2e%2e/etc/passwd')).toBe(
      `${root}/etc/passwd`,
    );
    // Slashes hidden from the parser would escape once decoded: refused.
    for (const url of [
      'app://branchdesk/..%2f..%2fetc/passwd',
      'app://branchdesk/assets/..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd',
      'app://branchdesk/a%5c..%5c..%5cx',
      'app://branchdesk/index.html%00.js',
      'app://branchdesk/%E0%A4%A',
    ])
      expect(appAssetPath(root, url), url).toBeUndefined();
  });

  it('refuses other hosts, schemes, ports and credentials', () => {
    for (const url of [
      'app://evil/index.html',
      'app://branchdesk.evil.test/index.html',
      'app://branchdesk:8080/index.html',
      'app://user:pw@branchdesk/index.html',
      'file:///etc/passwd',
      'https://branchdesk/index.html',
      'javascript:alert(1)',
      'not a url',
    ])
      expect(appAssetPath(root, url), url).toBeUndefined();
  });
});

describe('who may ask the main process for the core', () => {
  it('trusts only the top-level frame of an app page', () => {
    expect(isTrustedSender({ url: APP_ENTRY, isTopLevel: true })).toBe(true);
    expect(isTrustedSender({ url: APP_ENTRY, isTopLevel: false })).toBe(false); // a subframe
    expect(isTrustedSender({ url: 'https://hq.example.com/', isTopLevel: true })).toBe(false);
    expect(isTrustedSender({ url: 'app://branchdesk.evil.test/', isTopLevel: true })).toBe(false);
    expect(isTrustedSender({ url: 'file:///tmp/x.html', isTopLevel: true })).toBe(false);
    expect(isTrustedSender(null)).toBe(false); // the frame is gone
    expect(isAppUrl('app://BRANCHDESK/index.html')).toBe(true); // hosts are case-insensitive
  });
});

describe('navigation, new windows, external links, permissions', () => {
  it('never navigates, not even to itself', () => {
    for (const url of [APP_ENTRY, 'https://hq.example.com/', 'javascript:alert(1)', 'file:///'])
      expect(navigationAllowed(url)).toBe(false);
  });

  it('opens no window; an allowed https origin opens in the OS browser', () => {
    expect(windowOpenDecision('https://hq.example.com/help', hq)).toEqual({
      action: 'deny',
      openExternally: 'https://hq.example.com/help',
    });
    for (const url of [
      'https://hq.example.com.evil.test/',
      'https://evil.test/?https://hq.example.com',
      'https://hq.example.com@evil.test/',
      'https://user@hq.example.com/',
      'http://hq.example.com/',
      'https://hq.example.com:8443/',
      'javascript:alert(1)',
      'file:///etc/passwd',
      'app://branchdesk/index.html',
    ]) {
      expect(externalUrlAllowed(url, hq), url).toBe(false);
      expect(windowOpenDecision(url, hq)).toEqual({ action: 'deny', openExternally: null });
    }
  });

  it('grants no permission', () => {
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'openExternal',
    ])
      expect(permissionAllowed(permission)).toBe(false);
  });
});

describe('the page’s Content-Security-Policy', () => {
  it('allows no inline script, no eval, and styles only with the page’s nonce', () => {
    const csp = deskPageCsp('bm9uY2Vub25jZW5vbmNl');
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-(eval|inline)/);
    expect(csp).toContain("style-src 'self' 'nonce-bm9uY2Vub25jZW5vbmNl'");
    expect(csp).toContain("connect-src 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(() => deskPageCsp("x' 'unsafe-inline")).toThrow(RangeError);
    expect(withStyleNonce('<html><head></head></html>', 'abc')).toContain(
      '<meta name="branchdesk-style-nonce" content="abc" />',
    );
  });
});

describe('the core’s restart backoff', () => {
  it('doubles from half a second up to half a minute', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 12].map(restartDelayMs)).toEqual([
      500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000,
    ]);
  });
});

describe('machine-wide configuration', () => {
  it('lives where only administrators write, per OS', () => {
    expect(machineConfigPath('win32')).toBe('C:\\ProgramData\\BranchDesk\\config.json');
    expect(machineConfigPath('darwin')).toBe('/Library/Application Support/BranchDesk/config.json');
    expect(machineConfigPath('linux')).toBe('/etc/branchdesk/config.json');
  });

  it('defaults when absent, and refuses a typo or a looser policy with a clear error', () => {
    expect(loadMachineConfig('/nonexistent/branchdesk/config.json')).toEqual({
      customerScreen: 'auto',
      contentProtection: true,
      externalOrigins: [],
    });
    expect(
      parseMachineConfig('\uFEFF{"idleLockMinutes": 3, "contentProtection": false}'),
    ).toMatchObject({
      idleLockMinutes: 3,
      contentProtection: false,
    });
    for (const text of [
      '{',
      '{"idleLockMinute": 3}',
      '{"customerScreen": "always"}',
      `{"idleLockMinutes": ${MAX_IDLE_LOCK_MINUTES + 1}}`,
      '{"updateFeedUrl": "http://hq.example.com/updates"}',
      '{"externalOrigins": ["javascript:alert(1)"]}',
      '{"externalOrigins": ["https://intranet.bank.example/branch/only"]}',
    ])
      expect(() => parseMachineConfig(text), text).toThrow(
        expect.objectContaining({ code: 'INPUT_INVALID' }),
      );
  });
});

describe('an installed app', () => {
  it('refuses to start under a debugger', () => {
    for (const argv of [
      ['BranchDesk', '--remote-debugging-port=9222'],
      ['BranchDesk', '--remote-debugging-pipe'],
      ['BranchDesk', '--inspect-brk=9229'],
      ['BranchDesk', '--js-flags=--allow-natives-syntax'],
    ])
      expect(debugSwitchIn(argv), argv.join(' ')).toBeDefined();
    expect(debugSwitchIn(['BranchDesk', '--branchctl', 'doctor'])).toBeUndefined();
  });

  it('lets branchctl look after the device but not read or change customers', async () => {
    const said: string[] = [];
    const io = { out: (text: string) => said.push(text), err: (text: string) => said.push(text) };
    for (const argv of [
      ['customer', 'show', 'C1234567890'],
      ['--data-dir', '/tmp/x', 'customer', 'update', '--file', 'x.json'],
      ['duplicates'],
      ['conflicts', 'resolve', '1', '--take', 'local'],
      ['audit', 'export'],
    ]) {
      said.length = 0;
      expect(await branchctl(argv, io, { allowedVerbs: INSTALLED_VERBS }), argv.join(' ')).toBe(2);
      expect(said.join('\n')).toContain('只做设备维护');
    }
    expect(await branchctl(['help', '--lang', 'en'], io, { allowedVerbs: INSTALLED_VERBS })).toBe(
      0,
    );
  });
});
