// HQ's console reaching a running HQ on PGlite (hq/console-socket.ts): one request a connection,
// one JSON line each way, over a Unix socket in HQ's data folder.
import { z } from 'zod';

/** What the console asks: its arguments as typed, where it runs, and its language. */
export const ConsoleRequest = z.object({
  argv: z.array(z.string().max(4096)).max(64),
  /** The console's working folder: relative file paths are its, not HQ's. */
  cwd: z.string().min(1).max(4096),
  lang: z.enum(['zh-CN', 'en']),
});
export type ConsoleRequest = z.infer<typeof ConsoleRequest>;

/** What the command printed and its exit status, as if the console had run it itself. */
export const ConsoleAnswer = z.object({
  status: z.number().int().min(0).max(255),
  stdout: z.string(),
  stderr: z.string(),
});
export type ConsoleAnswer = z.infer<typeof ConsoleAnswer>;
