// electron-builder's afterPack hook: flip the fuses (build/fuses.cjs) in the packed Electron
// binary, before it is signed.
'use strict';
const path = require('node:path');
const { flipFuses } = require('@electron/fuses');
const { fuseConfig } = require('./fuses.cjs');

const executables = {
  darwin: (context) =>
    path.join(context.appOutDir, `${context.packager.appInfo.productFilename}.app`),
  win32: (context) =>
    path.join(context.appOutDir, `${context.packager.appInfo.productFilename}.exe`),
  linux: (context) => path.join(context.appOutDir, context.packager.executableName),
};

exports.default = async function afterPack(context) {
  const platform = context.electronPlatformName;
  const executable = executables[platform](context);
  await flipFuses(executable, {
    ...fuseConfig(),
    // Apple silicon needs an ad-hoc signature again after the binary changed; the real signature
    // comes after this hook.
    resetAdHocDarwinSignature: platform === 'darwin' && context.arch === 3,
  });
};
