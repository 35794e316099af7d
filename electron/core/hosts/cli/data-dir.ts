// Where a profile lives when --data-dir is not given.
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.BRANCHDESK_DATA_DIR) return env.BRANCHDESK_DATA_DIR;
  switch (process.platform) {
    case 'win32':
      return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'BranchDesk');
    case 'darwin':
      return join(homedir(), 'Library', 'Application Support', 'BranchDesk');
    default:
      return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'BranchDesk');
  }
}
