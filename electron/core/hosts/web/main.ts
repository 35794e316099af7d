// `npm run dev:web`: the core as a plain Node process with the web harness in front of it.
//   --data-dir DIR   the branch profile (default: BRANCHDESK_DATA_DIR or the OS default)
//   --port N         listen on 127.0.0.1:N (default 5874; 0 picks a free port)
// Prints the page address with its per-run token; the renderer must be built
// (`npm run build`, or `npm test`, which builds it).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { serializeError } from '../../../../shared/errors';
import { HarnessOptions } from '../../../../shared/protocol/bridge';
import { defaultDataDir } from '../cli/data-dir';
import { CoreHost } from '../desk/host';
import { OsSecretStore } from '../../secrets';
import { builtRendererDir, startHarness } from './harness';

const USAGE = 'usage: npm run dev:web -- [--data-dir DIR] [--port N] [--renderer-dir DIR]';

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        'data-dir': { type: 'string' },
        port: { type: 'string' },
        'renderer-dir': { type: 'string' },
      },
    }));
  } catch (error) {
    console.error(`${USAGE}\n${(error as Error).message}`);
    return 2;
  }
  const parsed = HarnessOptions.safeParse(values);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    console.error(`${USAGE}\n${issues.join('; ')}`);
    return 2;
  }
  const rendererDir = resolve(parsed.data['renderer-dir'] ?? builtRendererDir);
  if (!existsSync(resolve(rendererDir, 'index.html'))) {
    console.error(`The renderer is not built (${rendererDir}); run npm run build first.`);
    return 1;
  }
  const host = new CoreHost({
    dataDir: resolve(parsed.data['data-dir'] ?? defaultDataDir()),
    secrets: new OsSecretStore(),
  });
  try {
    host.start();
  } catch (error) {
    const body = serializeError(error);
    console.error(`Error [${body.code}]: ${body.message['zh-CN']} / ${body.message.en}`);
    return 1;
  }
  const harness = await startHarness({ host, rendererDir, port: parsed.data.port });
  console.log(`BranchDesk web harness: ${harness.pageUrl}`);
  console.log(`Customer screen (客户确认屏): ${harness.displayUrl}`);
  await new Promise<void>((done) => {
    const stop = () =>
      void harness
        .close()
        .then(() => host.stop())
        .then(done);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}

process.exitCode = await main();
