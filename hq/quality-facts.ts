// The quality facts HQ keeps beside each master record (HQ migration 29): what the shared rules
// read of it (shared/quality/rules.ts, qualityFacts), so that `quality report` counts a bank in
// SQL instead of judging every record (hq/quality.ts). HQ's writers store them with the record.
//
// They hold for one record and one set of rules, which `quality_stamp` names: the record's content
// hash (cleared or changed whenever the record changes, migrations 11 and 13) and the rules' stamp
// below. A record changed by a statement that does not write them, or rules that changed in a
// release, leave them stale, and the report judges those records again before it counts.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Customer } from '../shared/customer';
import {
  QUALITY_RULES_REVISION,
  qualityFacts,
  qualityRules,
  recordOnlyRules,
} from '../shared/quality/rules';

/**
 * The rules as this release judges them: their ids and revision, the record-only ones' bits, and
 * the phone number ranges they know (libphonenumber-js's release). Any change gives a new stamp,
 * and every record is judged again once.
 */
export const QUALITY_RULES_STAMP = createHash('sha256')
  .update(
    JSON.stringify({
      rules: qualityRules.map((rule) => rule.id),
      revision: QUALITY_RULES_REVISION,
      recordOnly: recordOnlyRules,
      phoneRanges: (
        createRequire(import.meta.url)('libphonenumber-js/package.json') as { version: string }
      ).version,
    }),
  )
  .digest('hex')
  .slice(0, 16);

/** The stamp of facts judged on a record with this content hash (none when the hash is unknown). */
export const qualityStamp = (contentHash: string | null): string | null =>
  contentHash === null ? null : `${contentHash}:${QUALITY_RULES_STAMP}`;

/** The columns after `content_hash` in a writer's statement: stamp, flags and the three dates. */
export function qualityColumns(customer: Customer, contentHash: string) {
  const facts = qualityFacts(customer);
  return [
    qualityStamp(contentHash),
    facts.flags,
    facts.expiresOn,
    facts.kycDue,
    facts.confirmedOn,
  ] as const;
}
