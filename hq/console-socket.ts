// HQ's console while HQ runs on PGlite. PGlite is one process's database (db/lock.ts), so a
// console command used to need HQ stopped. A serving HQ now listens on a Unix socket in its data
// folder, `console.sock`, made readable and writable by its owner alone: whoever may connect may
// already open the folder's files, the trust the console always had. The console sends its
// command there and HQ runs it on its own connection, between requests, exactly as the console
// would have (the same parsing, audit record and output); the answer is what it printed and its
// exit status. Nothing listens on Windows, where a named pipe has no such file permissions, nor
// on PostgreSQL, where the console opens the database beside HQ.
import { chmodSync, existsSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { BranchDeskError, serializeError } from '../shared/errors';
import { ConsoleAnswer, ConsoleRequest } from '../shared/protocol/hq-console';

/** The socket's path in a data folder. */
export const consoleSocketPath = (dataDir: string) => join(dataDir, 'console.sock');

/** Requests bigger than this are refused: a command line is a few hundred bytes. */
const MAX_REQUEST_BYTES = 64 * 1024;

/** How long a connection may take to send its request. */
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * Listens for console commands on the data folder's socket; `run` answers one at a time, in the
 * order they came. Resolves to undefined where no socket can be made (Windows, a path too long
 * for a socket): the console then needs HQ stopped, as before.
 */
export async function serveConsole(
  dataDir: string,
  run: (request: ConsoleRequest) => Promise<ConsoleAnswer>,
  onProblem: (problem: string) => void,
): Promise<{ close(): Promise<void> } | undefined> {
  if (process.platform === 'win32') return undefined;
  const path = consoleSocketPath(dataDir);
  // Left by an HQ that was killed: this process holds the folder's lock, so nobody serves it.
  rmSync(path, { force: true });
  let queue = Promise.resolve();
  const server: Server = createServer((socket) => {
    let received = '';
    socket.setEncoding('utf8');
    socket.on('error', () => socket.destroy());
    // A console sends its command at once; a connection that sends nothing is not kept open
    // (HQ's stop waits for open connections). Once the command runs, the wait is for its answer.
    socket.setTimeout(REQUEST_TIMEOUT_MS, () => {
      if (!received.includes('\n')) socket.destroy();
    });
    socket.on('data', (chunk: string) => {
      received += chunk;
      if (received.length > MAX_REQUEST_BYTES) return void socket.destroy();
      const end = received.indexOf('\n');
      if (end < 0) return;
      socket.pause();
      let request: ConsoleRequest;
      try {
        request = ConsoleRequest.parse(JSON.parse(received.slice(0, end)));
      } catch {
        socket.end(
          `${JSON.stringify(
            refused(
              new BranchDeskError('INPUT_INVALID', {
                issues: 'not a console request HQ understands',
              }),
            ),
          )}\n`,
        );
        return;
      }
      queue = queue.then(async () => {
        const answer = await run(request).catch((error: unknown) => refused(error));
        socket.end(`${JSON.stringify(answer)}\n`);
      });
    });
  });
  const listening = await new Promise<boolean>((resolve) => {
    server.once('error', (error) => {
      onProblem((error as NodeJS.ErrnoException).code ?? 'error');
      resolve(false);
    });
    server.listen(path, () => resolve(true));
  });
  if (!listening) return undefined;
  chmodSync(path, 0o600);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        rmSync(path, { force: true });
      }),
  };
}

/** A request HQ does not run: its typed error, in both languages (the request's may be unknown). */
function refused(error: unknown): ConsoleAnswer {
  const { code, message } = serializeError(error);
  return { status: 1, stdout: '', stderr: `Error [${code}]: ${message['zh-CN']}\n${message.en}\n` };
}

/**
 * Sends a console command to the HQ serving `dataDir`, if one is; undefined when none answers
 * (no socket, or one an HQ killed left behind): the console then opens the folder itself.
 */
export async function askRunningHq(
  dataDir: string,
  request: ConsoleRequest,
): Promise<ConsoleAnswer | undefined> {
  const path = consoleSocketPath(dataDir);
  if (process.platform === 'win32' || !existsSync(path)) return undefined;
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    let received = '';
    let connected = false;
    socket.setEncoding('utf8');
    socket.on('connect', () => {
      connected = true;
      socket.write(`${JSON.stringify(request)}\n`);
    });
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // Nobody listening: the HQ that made the socket is gone.
      if (!connected && (error.code === 'ECONNREFUSED' || error.code === 'ENOENT'))
        resolve(undefined);
      else reject(error);
    });
    socket.on('end', () => {
      try {
        resolve(ConsoleAnswer.parse(JSON.parse(received)));
      } catch (error) {
        reject(error);
      }
    });
  });
}
