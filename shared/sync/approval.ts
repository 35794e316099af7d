// What a supervisor approves, as one digest both ends compute: the mutation the device will push
// (its id, customer, base version, maker and every field's from and to), canonicalised. HQ
// recomputes it from the pushed mutation, so an approval covers that mutation and nothing else.
// SHA-256 comes from the caller (node:crypto on both ends), as for the audit chain.
import { canonicalJson } from './canonical';

export interface ApprovedMutation {
  mutationId: string;
  customerId: string;
  baseVersion: number | null;
  actor: string;
  fields: Record<string, { from?: unknown; to?: unknown } | undefined>;
}

export function approvalDigest(sha256Hex: (text: string) => string, m: ApprovedMutation): string {
  return sha256Hex(
    canonicalJson({
      purpose: 'branchdesk.identity-approval.v1',
      mutationId: m.mutationId,
      customerId: m.customerId,
      baseVersion: m.baseVersion,
      actor: m.actor,
      fields: m.fields,
    }),
  );
}
