// Packaging: `npm run dist` (electron-builder) makes signed installers for Windows (NSIS,
// per-machine, silent for IT), macOS (dmg, hardened runtime, notarized) and Linux (deb,
// AppImage). Signing is driven entirely by environment variables (docs/OPERATIONS.md):
//   Windows  CSC_LINK / CSC_KEY_PASSWORD (or WIN_CSC_LINK / WIN_CSC_KEY_PASSWORD)
//   macOS    CSC_LINK / CSC_KEY_PASSWORD, and APPLE_ID, APPLE_APP_SPECIFIC_PASSWORD, APPLE_TEAM_ID
//            for notarization
//   updates  BRANCHDESK_UPDATE_URL: the https feed IT hosts (electron-updater reads it from the
//            app-update.yml this writes)
// test/unit/packaging.test.ts validates this file against electron-builder's own schema.
'use strict';

module.exports = {
  appId: 'cn.branchdesk.desk',
  productName: 'BranchDesk',
  copyright: 'Copyright © 2026 BranchDesk',
  directories: { output: 'dist', buildResources: 'resources' },
  // The built app only: main, preload, the core's utility process, the renderer.
  files: ['out/**', 'package.json', '!**/*.map'],
  asar: true,
  // Native modules must load from disk. The asar integrity fuse covers app.asar only: these are
  // covered by the installer's code signature (macOS checks it at load; on Windows and Linux they
  // are as safe as the install folder, writable by administrators only).
  asarUnpack: ['**/*.node'],
  // Rebuild native modules (SQLCipher, Argon2, the keychain) for Electron's ABI when packing.
  npmRebuild: true,
  buildDependenciesFromSource: false,
  afterPack: 'build/after-pack.cjs',
  icon: 'resources/icon.png',
  publish: [{ provider: 'generic', url: '${env.BRANCHDESK_UPDATE_URL}' }],
  win: {
    target: [{ target: 'nsis', arch: ['x64'] }],
    // The update check compares the installer's signer with the running app's; electron-builder
    // takes the publisher name from the signing certificate itself.
    signtoolOptions: { signingHashAlgorithms: ['sha256'] },
  },
  nsis: {
    // Installed once for every user of the branch PC; `BranchDesk-Setup.exe /S` is silent.
    perMachine: true,
    oneClick: false,
    allowElevation: true,
    allowToChangeInstallationDirectory: false,
    deleteAppDataOnUninstall: false,
    artifactName: 'BranchDesk-Setup-${version}.${ext}',
    // Creates C:\\ProgramData\\BranchDesk writable by administrators only (machine configuration).
    include: 'build/installer.nsh',
  },
  mac: {
    target: [{ target: 'dmg', arch: ['x64', 'arm64'] }],
    category: 'public.app-category.finance',
    hardenedRuntime: true,
    gatekeeperAssess: false,
    entitlements: 'resources/entitlements.mac.plist',
    entitlementsInherit: 'resources/entitlements.mac.plist',
    notarize: true,
  },
  linux: {
    target: ['deb', 'AppImage'],
    category: 'Office',
    maintainer: 'BranchDesk <it@branchdesk.example>',
    executableName: 'branchdesk',
  },
  deb: { depends: ['gnome-keyring', 'libsecret-1-0'] },
};
