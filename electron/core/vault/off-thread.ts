// SQL that takes seconds, run on a worker thread so the core's own thread goes on answering the
// desks meanwhile (a search must not wait for it). The worker opens the file with its own
// connection and the vault's cipher, runs the statements in order, and closes it. It is plain
// JavaScript evaluated in the worker: it needs nothing of the core but the SQLite driver, and so
// runs the same from TypeScript under tsx, from the bundled core, and in tests.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { cipherPragmas, DRIVER_MODULE } from './sqlcipher';

const worker = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
try {
  for (const pragma of workerData.pragmas) db.pragma(pragma);
  for (const sql of workerData.statements) db.exec(sql);
} finally {
  db.close();
}
parentPort.postMessage('done');
`;

/** Runs `statements` on the encrypted database `file` on a worker thread; resolves when done. */
export function runOffThread(
  file: string,
  keyHex: string,
  statements: readonly string[],
  pragmas: readonly string[] = [],
): Promise<void> {
  const driver = createRequire(import.meta.url).resolve(DRIVER_MODULE);
  return new Promise((resolve, reject) => {
    const thread = new Worker(worker, {
      eval: true,
      workerData: {
        driver,
        file,
        pragmas: [...cipherPragmas(keyHex), ...pragmas],
        statements: [...statements],
      },
    });
    let finished = false;
    thread.once('message', () => {
      finished = true;
      resolve();
    });
    thread.once('error', reject);
    thread.once('exit', (code) => {
      if (!finished) reject(new Error(`the SQL worker stopped (exit ${code}) before finishing`));
    });
  });
}
