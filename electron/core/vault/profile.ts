// vault.json: the non-secret descriptor of a profile, written atomically beside branch.db.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { BranchDeskError } from '../../../shared/errors';

export const PROFILE_FILE = 'vault.json';
export const DATABASE_FILE = 'branch.db';
export const PROFILE_FORMAT_VERSION = 1;

export const VaultProfile = z
  .object({
    profileId: z.uuid(),
    formatVersion: z.literal(PROFILE_FORMAT_VERSION),
    createdAt: z.iso.datetime(),
  })
  .strict();
export type VaultProfile = z.infer<typeof VaultProfile>;

export const vaultPaths = (dataDir: string) => ({
  profile: join(dataDir, PROFILE_FILE),
  database: join(dataDir, DATABASE_FILE),
});

/** The keychain account that holds a profile's current key, and the one used mid-rotation. */
export const keyAccounts = (profileId: string) => ({
  current: `vault:${profileId}`,
  staging: `vault:${profileId}:staging`,
});

export function readProfile(file: string): VaultProfile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new BranchDeskError('VAULT_NOT_FOUND', { dataDir: dirname(file) });
    }
    throw new BranchDeskError('VAULT_METADATA_INVALID', { file }, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new BranchDeskError('VAULT_METADATA_INVALID', { file }, { cause: error });
  }
  const parsed = VaultProfile.safeParse(json);
  if (!parsed.success) throw new BranchDeskError('VAULT_METADATA_INVALID', { file });
  return parsed.data;
}

/** Writes the descriptor via a temp file, fsync and rename, so a crash leaves old or new. */
export function writeProfile(file: string, profile: VaultProfile): void {
  const temp = `${file}.${process.pid}.tmp`;
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(profile, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
  fsyncDirectory(dirname(file));
}

export function fsyncDirectory(dir: string): void {
  if (process.platform === 'win32') return; // Directories cannot be opened for fsync there.
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
