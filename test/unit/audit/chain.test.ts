// The chain's definition, shared by the device and HQ: what a hash covers, and what breaks it.
import { hash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  AuditEntry,
  auditGenesis,
  auditHash,
  auditPayload,
  auditRow,
  verifyChain,
  type AuditFields,
} from '../../../shared/audit/entry';

const sha256 = (text: string) => hash('sha256', text, 'hex');
const device = 'd2de6a4e-f466-4f0d-b39f-6d84fb5d0a2d';

function chain(length: number): AuditEntry[] {
  const entries: AuditEntry[] = [];
  let prevHash = auditGenesis(sha256, device);
  for (let seq = 1; seq <= length; seq++) {
    const fields: AuditFields = {
      seq,
      at: new Date(Date.UTC(2026, 10, 27, 9, 0, seq)).toISOString(),
      actor: 'user:teller.li',
      device,
      action: seq % 2 ? 'search' : 'view',
      target: seq % 2 ? null : `c-${seq}`,
      details: JSON.stringify({ query: '张伟', n: seq }),
    };
    const entry = AuditEntry.parse({
      ...fields,
      prevHash,
      hash: auditHash(sha256, fields, prevHash),
    });
    entries.push(entry);
    prevHash = entry.hash;
  }
  return entries;
}

describe('the audit chain', () => {
  const anchor = { seq: 0, hash: auditGenesis(sha256, device) };

  it('verifies a whole chain and returns its head', () => {
    const entries = chain(20);
    expect(verifyChain(sha256, anchor, entries.map(auditRow))).toEqual({
      ok: true,
      count: 20,
      anchor: { seq: 20, hash: entries[19]!.hash },
    });
  });

  it('covers every field: changing any one breaks that entry', () => {
    const fields = ['at', 'actor', 'device', 'action', 'target', 'details'] as const;
    for (const field of fields) {
      const entries = chain(5);
      (entries[2] as Record<string, unknown>)[field] =
        field === 'target' ? 'c-x' : `${entries[2]![field]}!`;
      const result = verifyChain(sha256, anchor, entries.map(auditRow));
      expect(result, field).toMatchObject({
        ok: false,
        count: 2,
        break: { seq: 3, problem: 'hash_mismatch' },
      });
    }
  });

  it('binds the chain to its device from the first entry', () => {
    const other = { seq: 0, hash: auditGenesis(sha256, 'another-device') };
    expect(verifyChain(sha256, other, chain(3).map(auditRow))).toMatchObject({
      ok: false,
      break: { seq: 1, problem: 'prev_hash_mismatch' },
    });
  });

  it('spells each entry one way: no field can hold the separator, a null target differs from any id', () => {
    const base = chain(1)[0]!;
    expect(() => AuditEntry.parse({ ...base, actor: 'user:a\u001fb' })).toThrow();
    expect(() => AuditEntry.parse({ ...base, target: '' })).toThrow();
    expect(auditPayload({ ...base, target: null })).not.toBe(
      auditPayload({ ...base, target: 'x' }),
    );
    // Moving text between neighbouring fields changes the payload.
    expect(auditPayload({ ...base, actor: 'user:ab', action: 'view' })).not.toBe(
      auditPayload({ ...base, actor: 'user:a', action: 'view' }),
    );
  });
});
