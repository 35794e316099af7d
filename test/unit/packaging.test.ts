// The packaging configuration, checked here since installers cannot be built on this machine
// (no Electron download, no signing credentials): electron-builder's own schema accepts it, it
// asks for what IT needs (per-machine silent NSIS, hardened and notarized dmg, deb and AppImage),
// signing comes only from the environment, and the fuses are the ones the shell issue requires.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const root = new URL('../../', import.meta.url);
interface BuilderConfig {
  appId: string;
  files: string[];
  npmRebuild: boolean;
  afterPack: string;
  icon: string;
  publish: { url: string }[];
  nsis: Record<string, unknown>;
  mac: { target: { target: string }[]; entitlements: string } & Record<string, unknown>;
  linux: { target: string[] };
}
const config = require('../../electron-builder.config.cjs') as BuilderConfig;

describe('packaging', () => {
  it('passes electron-builder’s configuration schema', async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
      validateConfiguration(config: unknown, logger: unknown): Promise<void>;
    };
    const logger = { isEnabled: false, add() {} };
    await expect(validateConfiguration(config, logger)).resolves.toBeUndefined();
    await expect(validateConfiguration({ ...config, notAnOption: 1 }, logger)).rejects.toThrow();
  });

  it('builds the installers IT deploys, signed from the environment only', () => {
    expect(config.appId).toBe('cn.branchdesk.desk');
    expect(config.nsis).toMatchObject({ perMachine: true, oneClick: false });
    expect(config.mac).toMatchObject({ hardenedRuntime: true, notarize: true });
    expect(config.mac.target[0]!.target).toBe('dmg');
    expect(config.linux.target).toEqual(['deb', 'AppImage']);
    expect(config.npmRebuild).toBe(true);
    expect(config.files).toEqual(['out/**', 'package.json', '!**/*.map']);
    expect(config.publish[0]!.url).toBe('${env.BRANCHDESK_UPDATE_URL}');
    const text = readFileSync(new URL('electron-builder.config.cjs', root), 'utf8');
    expect(text).not.toMatch(/cscLink|cscKeyPassword|appleIdPassword|password\s*:/i);
    expect(config.nsis.include).toBe('build/installer.nsh');
    expect(readFileSync(new URL('build/installer.nsh', root), 'utf8')).toContain('icacls');
    for (const file of [config.afterPack, config.icon, config.mac.entitlements])
      expect(existsSync(new URL(file, root)), file).toBe(true);
    const icon = readFileSync(new URL(config.icon, root));
    expect(icon.readUInt32BE(16)).toBeGreaterThanOrEqual(512); // PNG width
  });

  it('flips exactly the fuses the shell requires', () => {
    const { fuses, fuseConfig } = require('../../build/fuses.cjs') as {
      fuses: Record<string, boolean>;
      fuseConfig(): Record<string | number, unknown>;
    };
    expect(fuses).toEqual({
      RunAsNode: false,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableCookieEncryption: true,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
      GrantFileProtocolExtraPrivileges: false,
    });
    const { FuseV1Options, FuseVersion } = require('@electron/fuses') as {
      FuseV1Options: Record<string, number>;
      FuseVersion: Record<string, string>;
    };
    const flipped = fuseConfig();
    expect(flipped.version).toBe(FuseVersion.V1);
    expect(flipped[FuseV1Options.RunAsNode!]).toBe(false);
    expect(flipped[FuseV1Options.OnlyLoadAppFromAsar!]).toBe(true);
    expect(Object.keys(flipped)).toHaveLength(8);
  });
});

describe('the sandboxed preload', () => {
  it('loads nothing at run time but Electron and the channel names', () => {
    const source = readFileSync(new URL('electron/preload/index.ts', root), 'utf8');
    const runtimeImports = [...source.matchAll(/^import (?!type )[^;]*?from '([^']+)';/gms)].map(
      (match) => match[1],
    );
    expect(runtimeImports).toEqual(['electron', '../../shared/protocol/channels']);
    const channels = readFileSync(new URL('shared/protocol/channels.ts', root), 'utf8');
    expect(channels).not.toMatch(/^import /m);
    expect(source).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer/);
  });
});
