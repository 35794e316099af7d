// Runs the real branchctl in a child process, as IT would.
import { spawn, spawnSync } from 'node:child_process';
import { branchctlPath } from './node-hosts';

export { branchctlPath };

export interface CliRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function branchctl(args: string[], env: NodeJS.ProcessEnv = process.env): CliRun {
  const result = spawnSync(process.execPath, [branchctlPath, ...args], {
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return {
    status: result.status,
    signal: result.signal,
    stdout: result.stdout,
    stderr: result.stderr,
  };
}

/** Like `branchctl` but asynchronous, so a test can kill it mid-flight. */
export function branchctlAsync(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const child = spawn(process.execPath, [branchctlPath, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<CliRun>((resolve) =>
    child.on('exit', (status, signal) => resolve({ status, signal, stdout, stderr })),
  );
  return { child, done };
}
