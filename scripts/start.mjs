#!/usr/bin/env node
// `npm start`: the demo on embedded defaults. It starts HQ on embedded PGlite (seeded with
// synthetic customers the first time), enrolls a demo branch profile with HQ, syncs the branch's
// customers into its encrypted vault, and opens the teller's desk: as the desktop app where the
// Electron runtime is installed, otherwise through the web harness in a browser, printing the
// address. Either way it prints the demo staff's credentials; HQ and the desk run until Ctrl-C.
//
// `npm run training` (this script with --training) is the same on a training HQ and a training
// profile of their own (培训模式: synthetic customers, the watermark 培训 on every screen, never
// connected to a production HQ), in .branchdesk-demo/training-*, on ports 8797 and 5884.
//
// On a Linux machine with no desktop keychain session (a server, a container, CI), the demo runs
// its own gnome-keyring whose keyring files live in .branchdesk-demo/keyring, unlocked with a
// fixed demo password, so the demo key survives between runs. That is for the demo only: a
// branch PC uses the signed-in user's own keychain.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const demoDir = resolve(root, '.branchdesk-demo');
const training = process.argv.includes('--training');
const dataDir = resolve(
  process.env.BRANCHDESK_DATA_DIR ?? join(demoDir, training ? 'training-profile' : 'profile'),
);
const hqDataDir = resolve(
  process.env.HQ_DATA_DIR ?? join(demoDir, training ? 'training-hq' : 'hq'),
);
const port = Number(process.env.HQ_PORT ?? (training ? 8797 : 8787));
const deskPort = Number(process.env.DESK_PORT ?? (training ? 5884 : 5874));
const customers = Number(process.env.DEMO_CUSTOMERS ?? (training ? 2000 : 20000));
const hqUrl = `http://127.0.0.1:${port}`;

const needsOwnKeyring = process.platform === 'linux' && !process.env.DBUS_SESSION_BUS_ADDRESS;
const env = {
  ...process.env,
  HQ_DATA_DIR: hqDataDir,
  HQ_LOG_LEVEL: process.env.HQ_LOG_LEVEL ?? 'warn',
  ...(needsOwnKeyring
    ? {
        BRANCHDESK_KEYRING_DIR: join(demoDir, 'keyring'),
        BRANCHDESK_KEYRING_PASSWORD: 'branchdesk-demo',
      }
    : {}),
};
delete env.DATABASE_URL; // the demo is the embedded default

const hq = (args, options = {}) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(root, 'hq/main.ts'), ...args], {
    env,
    encoding: 'utf8',
    ...options,
  });

function branchctl(args) {
  const command = [
    process.execPath,
    join(root, 'bin/branchctl.mjs'),
    ...args,
    '--data-dir',
    dataDir,
  ];
  const [file, ...rest] = needsOwnKeyring
    ? [join(root, 'scripts/with-keyring.sh'), ...command]
    : command;
  return spawnSync(file, rest, { stdio: 'inherit', env }).status ?? 1;
}

// The demo speaks the desk's first language, zh-CN, with the English beside each heading.
function step(title, english) {
  console.log(`\n▶ ${title}（${english}）`);
}

console.log('BranchDesk 演示（demo）');
if (needsOwnKeyring)
  console.log(
    `（本机没有桌面钥匙串会话：使用演示用 gnome-keyring，位于 ${join(demoDir, 'keyring')}）`,
  );

step(`总行服务：嵌入式 PGlite，数据在 ${hqDataDir}`, 'HQ on embedded PGlite');
// The seed prints every demo user's credentials; the summary at the end gives what signing in
// needs (password and the current code), so only the seed's first line is shown here.
const seeded = hq(
  [
    'seed',
    '--customers',
    String(customers),
    '--branches',
    '3',
    '--seed',
    '2026',
    ...(training ? ['--training'] : []),
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
if (seeded.status !== 0) process.exit(seeded.status ?? 1);
console.log(seeded.stdout.split('\n')[0]);
const enrolled = existsSync(join(dataDir, 'vault.json'));
let code = '';
if (!enrolled) {
  const made = hq(['enroll-code', '--branch', 'B001']);
  if (made.status !== 0) {
    process.stderr.write(made.stderr);
    process.exit(made.status ?? 1);
  }
  code = made.stdout.trim();
}

const server = spawn(
  process.execPath,
  ['--import', 'tsx', join(root, 'hq/main.ts'), 'serve', '--port', String(port)],
  { env, stdio: ['ignore', 'pipe', 'inherit'] },
);
await new Promise((resolveStarted) => {
  let output = '';
  server.stdout.on('data', (chunk) => {
    output += chunk;
    process.stdout.write(chunk);
    if (output.includes('HQ listening on')) resolveStarted();
  });
  server.on('exit', (code) => {
    if (output.includes('HQ listening on')) return;
    console.error(
      `总行服务未能启动（HQ exited with ${code}）：端口 ${port} 是否已被占用？可用 HQ_PORT 指定其他端口。`,
    );
    process.exit(code || 1);
  });
});
const stop = () => server.kill('SIGTERM');
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

let status = 0;
if (!enrolled) {
  step(`向总行登记演示支行档案 ${dataDir}（登记码 ${code}）`, 'enroll the demo branch profile');
  status = branchctl([
    'enroll',
    '--hq',
    hqUrl,
    '--code',
    code,
    '--device-name',
    training ? 'training-counter' : 'demo-counter',
    ...(training ? ['--training'] : []),
  ]);
}
if (status === 0) {
  step('把支行的客户同步到本机加密库', "sync the branch's customers into its encrypted vault");
  status = branchctl(['sync']);
}
if (status === 0) {
  step('本机加密库检查', 'vault health');
  branchctl(['doctor']);
}
if (
  status === 0 &&
  !(
    existsSync(join(root, 'out/renderer/index.html')) && existsSync(join(root, 'out/main/index.js'))
  )
) {
  step('构建柜员工作台', "build the teller's desk");
  status =
    spawnSync(
      process.execPath,
      [
        join(root, 'node_modules/electron-vite/bin/electron-vite.js'),
        'build',
        '--logLevel',
        'warn',
      ],
      {
        cwd: root,
        stdio: 'inherit',
      },
    ).status ?? 1;
}
let desk;
const electron = electronBinary();
if (status === 0 && electron) {
  step('柜员工作台：桌面应用（Electron）', "the teller's desk, in the desktop app");
  const command = [electron, join(root, 'out/main/index.js')];
  const [file, ...rest] = needsOwnKeyring
    ? [join(root, 'scripts/with-keyring.sh'), ...command]
    : command;
  desk = spawn(file, rest, {
    env: { ...env, BRANCHDESK_DATA_DIR: dataDir },
    stdio: 'inherit',
    detached: true,
  });
  const staff = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(root, 'scripts/demo-staff.ts')],
    {
      encoding: 'utf8',
    },
  );
  console.log(`
演示员工（合成数据；动态口令每 30 秒变化：npm run demo:totp -- teller1）
Demo staff (synthetic; the code changes every 30 s):
${staff.stdout}
总行 HQ：${hqUrl}。关闭窗口或按 Ctrl-C 停止（close the window or press Ctrl-C to stop）。`);
  desk.on('exit', () => stopAll());
} else if (status === 0) {
  if (!electron)
    console.log(
      '\n（本机没有安装 Electron 运行时，工作台在浏览器中打开。The Electron runtime is not installed here, so the desk opens in a browser.）',
    );
  step('柜员工作台：浏览器（web harness）', "the teller's desk, through the web harness");
  const command = [
    process.execPath,
    '--import',
    'tsx',
    join(root, 'electron/core/hosts/web/main.ts'),
    '--data-dir',
    dataDir,
    '--port',
    String(deskPort),
  ];
  const [file, ...rest] = needsOwnKeyring
    ? [join(root, 'scripts/with-keyring.sh'), ...command]
    : command;
  // Its own process group: the keyring wrapper's D-Bus session and daemon stop with it.
  desk = spawn(file, rest, { env, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  // A desk that cannot start must not leave HQ running behind the demo.
  const address = await new Promise((resolveAddress) => {
    let output = '';
    desk.stdout.on('data', (chunk) => {
      output += chunk;
      const found = /BranchDesk web harness: (\S+)/.exec(output);
      const screen = /Customer screen \(客户确认屏\): (\S+)/.exec(output);
      if (found && screen) resolveAddress({ desk: found[1], screen: screen[1] });
    });
    desk.on('exit', (code) => {
      console.error(`工作台未能启动（the desk exited with ${code} before it was ready）`);
      status = code || 1;
      stopAll();
    });
  });
  const staff = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(root, 'scripts/demo-staff.ts')],
    {
      encoding: 'utf8',
    },
  );
  console.log(`
在浏览器中打开柜员工作台（open the teller's desk in a browser）：
  ${address.desk}
客户确认屏（the counter's customer screen; open it in a second window）：
  ${address.screen}

演示员工（合成数据；动态口令每 30 秒变化：npm run demo:totp -- teller1）
Demo staff (synthetic; the code changes every 30 s):
${staff.stdout}
总行 HQ：${hqUrl}（curl ${hqUrl}/openapi.json）。按 Ctrl-C 停止总行和工作台（Ctrl-C stops HQ and the desk）。`);
}
/** The Electron binary npm installed, if it could be downloaded (never triggers the download). */
function electronBinary() {
  const pathFile = join(root, 'node_modules/electron/path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(root, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

function stopAll() {
  if (desk?.pid) {
    try {
      process.kill(-desk.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  stop();
  setTimeout(() => process.exit(status), 2000).unref();
}
process.on('SIGINT', stopAll);
process.on('SIGTERM', stopAll);
if (status !== 0) stopAll();
