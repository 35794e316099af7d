// Where IT puts the machine-wide configuration on each OS, and reading it (the desktop app at
// start; branchctl enroll for the HQ address). A missing file is the
// defaults; a file that does not parse or fails the schema stops the app with a clear message
// (a typo must not silently drop a policy IT meant to set). Nothing here imports Electron.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { BranchDeskError } from '../../../shared/errors';
import { MachineConfig } from '../../../shared/protocol/machine-config';

/** The system-wide file per OS: only administrators can write these folders. */
export function machineConfigPath(platform: NodeJS.Platform): string {
  switch (platform) {
    case 'win32':
      // Not %ProgramData% from the environment: whoever starts the app controls that.
      return 'C:\\ProgramData\\BranchDesk\\config.json';
    case 'darwin':
      return '/Library/Application Support/BranchDesk/config.json';
    default:
      return '/etc/branchdesk/config.json';
  }
}

/** The configuration in `text` (the file's contents), or the defaults when there is no file. */
export function parseMachineConfig(text: string | undefined): MachineConfig {
  if (text === undefined) return MachineConfig.parse({});
  let json: unknown;
  try {
    // Windows editors often save UTF-8 with a byte-order mark.
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw new BranchDeskError('INPUT_INVALID', { issues: 'machine configuration is not JSON' });
  }
  const parsed = MachineConfig.safeParse(json);
  if (!parsed.success)
    throw new BranchDeskError('INPUT_INVALID', {
      issues: z.prettifyError(parsed.error).slice(0, 500),
    });
  return parsed.data;
}

export function loadMachineConfig(path: string): MachineConfig {
  let text: string | undefined;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return parseMachineConfig(text);
}
