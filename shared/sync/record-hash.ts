// A master record's content hash: SHA-256 (passed in, as each end has its own) of its canonical
// JSON. The scope digest compares these, not version numbers alone: HQ reissues versions after a
// restore from a backup, so the same version can hold other content. Both ends hash the record
// exactly as HQ stores and sends it.
import { canonicalJson } from './canonical';

export function recordHash(sha256Hex: (text: string) => string, record: unknown): string {
  return sha256Hex(canonicalJson(record));
}
