// A throwaway PostgreSQL cluster for tests: Debian's initdb and pg_ctl, a temp folder, loopback
// only, removed afterwards. PostgreSQL refuses to run as root, so as root it runs as `postgres`.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export interface PostgresCluster {
  url: string;
  /** The server's own process (its postmaster), parent of each connection's backend. */
  serverPid(): number;
  stop(): void;
}

export function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions)
    if (existsSync(join(root, version, 'bin', 'initdb'))) return join(root, version, 'bin');
  throw new Error(
    "PostgreSQL's initdb was not found: install Debian's postgresql package (.ci/run does).",
  );
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/** `settings`: more server settings (`name=value`), e.g. a benchmark's pg_stat_statements. */
export async function startPostgres(settings: string[] = []): Promise<PostgresCluster> {
  const bin = binDir();
  const asRoot = userInfo().uid === 0;
  const root = mkdtempSync(join(tmpdir(), 'branchdesk-pg-'));
  chmodSync(root, 0o755);
  const dataDir = join(root, 'data');
  const run = (command: string, args: string[]) => {
    const [file, argv] = asRoot
      ? ['runuser', ['-u', 'postgres', '--', command, ...args]]
      : [command, args];
    execFileSync(file, argv, { stdio: ['ignore', 'ignore', 'pipe'], cwd: root, timeout: 120_000 });
  };
  if (asRoot) {
    const postgresUid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const postgresGid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(root, postgresUid, postgresGid);
  }
  run(join(bin, 'initdb'), [
    '-D',
    dataDir,
    '-A',
    'trust',
    '-U',
    'postgres',
    '--no-sync',
    '-E',
    'UTF8',
    '--locale',
    'C',
  ]);
  const port = await freePort();
  run(join(bin, 'pg_ctl'), [
    '-D',
    dataDir,
    '-l',
    join(root, 'server.log'),
    '-w',
    '-t',
    '60',
    '-o',
    [
      `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off`,
      ...settings.map((setting) => `-c ${setting}`),
    ].join(' '),
    'start',
  ]);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    serverPid: () => Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]),
    stop() {
      const [file, argv] = asRoot
        ? [
            'runuser',
            [
              '-u',
              'postgres',
              '--',
              join(bin, 'pg_ctl'),
              '-D',
              dataDir,
              '-m',
              'immediate',
              '-w',
              'stop',
            ],
          ]
        : [join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', 'stop']];
      spawnSync(file, argv, { stdio: 'ignore', timeout: 60_000 });
      rmSync(root, { recursive: true, force: true });
    },
  };
}
