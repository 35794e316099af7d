// The Electron fuses every packaged build carries (@electron/fuses, flipped by after-pack.cjs
// into the app's own Electron binary, so no environment variable or flag can undo them).
// test/unit/packaging.test.ts checks this list against the desktop-shell issue.
'use strict';
const { FuseV1Options, FuseVersion } = require('@electron/fuses');

/** Fuse → value; keys are FuseV1Options names. */
const fuses = {
  // No ELECTRON_RUN_AS_NODE: the binary cannot be used as a plain Node.
  RunAsNode: false,
  // No NODE_OPTIONS and no --inspect: nothing can be injected into the main process.
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  // Cookies encrypted at rest with the OS keychain.
  EnableCookieEncryption: true,
  // The app is only ever loaded from app.asar, and that archive's integrity is checked.
  EnableEmbeddedAsarIntegrityValidation: true,
  OnlyLoadAppFromAsar: true,
  // file:// gets no extra privileges (the desk is served from app://).
  GrantFileProtocolExtraPrivileges: false,
};

function fuseConfig() {
  const config = { version: FuseVersion.V1 };
  for (const [name, value] of Object.entries(fuses)) config[FuseV1Options[name]] = value;
  return config;
}

module.exports = { fuses, fuseConfig };
