// How a test starts HQ and branchctl as processes: from the run's bundles when the global setup
// built them (global-setup.ts), otherwise from the TypeScript through tsx. The same code either
// way; the bundles only load faster.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NODE_HOSTS_VARIABLE } from './variables';

const built = process.env[NODE_HOSTS_VARIABLE];

/** Node's arguments that run HQ's command line (hq/main.ts); its own arguments follow. */
export function hqArgs(): string[] {
  return built
    ? [join(built, 'hq.mjs')]
    : ['--import', 'tsx', fileURLToPath(new URL('../../hq/main.ts', import.meta.url))];
}

/** The script that runs branchctl: Node's first argument, branchctl's own follow. */
export const branchctlPath = built
  ? join(built, 'branchctl.mjs')
  : fileURLToPath(new URL('../../bin/branchctl.mjs', import.meta.url));
