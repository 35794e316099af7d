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
import { generateCustomers } from '../shared/synthetic';
import {
  QUALITY_RULES_REVISION,
  qualityFacts,
  qualityRules,
  recordOnlyRules,
} from '../shared/quality/rules';

/**
 * The rules as this release judges them: their ids and revision, the phone number ranges they
 * know (libphonenumber-js's release), and what they find in a fixed sample of synthetic records
 * with problems planted in half of them (so a changed check, a changed province list or e-mail
 * rule changes the stamp even when nobody raised the revision). Any change gives a new stamp,
 * and every record is judged again once. Worked out at the first use in a process (~0.1 s).
 */
export function qualityRulesStamp(): string {
  if (stamp) return stamp;
  const hash = createHash('sha256').update(
    JSON.stringify({
      rules: qualityRules.map((rule) => rule.id),
      revision: QUALITY_RULES_REVISION,
      recordOnly: recordOnlyRules,
      phoneRanges: (
        createRequire(import.meta.url)('libphonenumber-js/package.json') as { version: string }
      ).version,
    }),
  );
  for (const customer of generateCustomers({
    seed: 32100,
    count: 500,
    branches: ['B001', 'B002'],
    rmsPerBranch: 2,
    plant: { today: '2026-01-01', rate: 0.5 },
  }))
    hash.update(JSON.stringify(qualityFacts(customer)));
  return (stamp = hash.digest('hex').slice(0, 16));
}
let stamp: string | undefined;

/** The columns after `content_hash` in a writer's statement: stamp, flags and the three dates. */
export function qualityColumns(customer: Customer, contentHash: string) {
  const facts = qualityFacts(customer);
  return [
    `${contentHash}:${qualityRulesStamp()}`,
    facts.flags,
    facts.expiresOn,
    facts.kycDue,
    facts.confirmedOn,
  ] as const;
}
