// The content hash HQ stores beside each master record (HQ migrations 011 and 013): the SHA-256
// of the record's canonical JSON, as the scope digest and a device's own check compute it.
import { recordHash } from '../shared/sync/record-hash';
import { sha256Hex } from './crypto';

/** The hash of a record as it will read back from the database (canonical JSON of plain data). */
export const contentHash = (record: unknown): string => recordHash(sha256Hex, record);
