// What the privacy commands write holds people's data (a copy) or data about them (an extract):
// a new file only its owner can read, never one written over.
import { writeFileSync } from 'node:fs';
import { BranchDeskError } from '../../shared/errors';

export function writeNewFile(path: string, text: string): void {
  try {
    writeFileSync(path, text, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      throw new BranchDeskError('OUTPUT_FILE_EXISTS', { path });
    throw error;
  }
}
