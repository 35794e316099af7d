// What an identity approval binds (the digest both ends compute) and who counts as its maker at
// HQ (every spelling of `user:<name>` the device may write).
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { actorId } from '../../electron/core/audit/actor';
import { actorNames } from '../../hq/approvals';
import { approvalDigest, type ApprovedMutation } from '../../shared/sync/approval';

const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

const approved: ApprovedMutation = {
  mutationId: '6f1c1f7e-2a61-4c1b-9d7e-0d6b6f8f3a11',
  customerId: '0b8e3a2c-6f57-4b53-8b1a-1c2d3e4f5a6b',
  baseVersion: 4,
  actor: 'user:teller1',
  fields: { legalName: { from: '王小明', to: '王晓明' }, englishName: { to: 'WANG XIAOMING' } },
};

describe('approvalDigest', () => {
  it('is the same whatever order the keys were written in, and for an absent and an undefined from', () => {
    const reordered: ApprovedMutation = {
      fields: {
        englishName: { from: undefined, to: 'WANG XIAOMING' },
        legalName: { to: '王晓明', from: '王小明' },
      },
      actor: 'user:teller1',
      baseVersion: 4,
      customerId: approved.customerId,
      mutationId: approved.mutationId,
    };
    expect(approvalDigest(sha256Hex, reordered)).toBe(approvalDigest(sha256Hex, approved));
  });

  it('changes with the mutation id, customer, base version, maker and each value', () => {
    const digest = approvalDigest(sha256Hex, approved);
    const variants: ApprovedMutation[] = [
      { ...approved, mutationId: 'a7c3b9e2-5d14-4f6a-8e2b-9c0d1e2f3a4b' },
      { ...approved, customerId: 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f' },
      { ...approved, baseVersion: 5 },
      { ...approved, baseVersion: null },
      { ...approved, actor: 'user:rm1' },
      { ...approved, fields: { ...approved.fields, legalName: { from: '王小明', to: '王晓敏' } } },
      { ...approved, fields: { legalName: approved.fields.legalName } },
    ];
    for (const variant of variants) expect(approvalDigest(sha256Hex, variant)).not.toBe(digest);
  });
});

describe('actorNames (HQ: is the maker the approver?)', () => {
  it('matches the device’s spelling of a username, and no other user', () => {
    expect(actorNames('user:supervisor1', 'supervisor1')).toBe(true);
    expect(actorNames('user:supervisor10', 'supervisor1')).toBe(false);
    expect(actorNames('os:supervisor1', 'supervisor1')).toBe(false);
    expect(actorNames(actorId({ kind: 'user', username: '陈静' }), '陈静')).toBe(true);
  });

  it('matches a long name cut at 64 or cut and ended with its hash', () => {
    const long = `supervisor.${'x'.repeat(60)}`;
    const whole = `user:${long}`;
    expect(actorNames(whole.slice(0, 64), long)).toBe(true);
    expect(actorNames(`${whole.slice(0, 47)}:${sha256Hex(whole).slice(0, 16)}`, long)).toBe(true);
    expect(actorNames(actorId({ kind: 'user', username: long }), long)).toBe(true);
    expect(actorNames(whole.slice(0, 64), `supervisor.${'y'.repeat(60)}`)).toBe(false);
  });
});
