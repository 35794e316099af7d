// One actor reference for every writer: it always fits the 64 characters HQ and the vault take,
// stays readable, and two people never share one.
import { describe, expect, it } from 'vitest';
import { ACTOR_MAX, actorId, actorOf } from '../../../electron/core/audit/actor';
import { actorOf as commandActor } from '../../../electron/core/commands/customer-commands';
import { sha256Hex } from '../../../electron/core/audit/log';
import { sha256Hex as hqSha256Hex } from '../../../hq/crypto';
import { actorNames } from '../../../hq/approvals';
import { actorReference } from '../../../shared/audit/actor';
import { AuditEntry } from '../../../shared/audit/entry';

const fitsEverywhere = (actor: string) => {
  expect(actor.length).toBeLessThanOrEqual(ACTOR_MAX);
  expect(actor).toMatch(/^[A-Za-z0-9._:@-]{1,64}$/);
  expect(AuditEntry.shape.actor.safeParse(actor).success).toBe(true);
};

describe('actorId', () => {
  it('names staff and OS users as before when the name fits', () => {
    expect(actorId({ kind: 'user', username: 'teller1' })).toBe('user:teller1');
    expect(actorId({ kind: 'local_operator', osUser: 'it admin' })).toBe('os:it@20admin');
    expect(actorId({ kind: 'anonymous' })).toBe('anonymous');
  });

  it('fits a 64-character username, keeping its start and telling apart names that share it', () => {
    const a = `a${'b'.repeat(62)}c`;
    const b = `a${'b'.repeat(62)}d`;
    const actorA = actorId({ kind: 'user', username: a });
    const actorB = actorId({ kind: 'user', username: b });
    fitsEverywhere(actorA);
    fitsEverywhere(actorB);
    expect(actorA.startsWith(`user:${a.slice(0, 40)}`)).toBe(true);
    expect(actorA).not.toBe(actorB);
    expect(actorId({ kind: 'user', username: a })).toBe(actorA);
  });

  it('fits an OS user name that percent-encoding makes long', () => {
    fitsEverywhere(actorId({ kind: 'local_operator', osUser: '管理员'.repeat(10) }));
  });

  it('is the helper the command table names its actors with, so long names stay apart there too', () => {
    expect(commandActor).toBe(actorOf);
    const user = (username: string) => ({
      kind: 'user' as const,
      userId: '00000000-0000-4000-8000-000000000000',
      username,
      roles: ['teller' as const],
    });
    const a = commandActor(user(`${'m'.repeat(60)}aaaa`)).id;
    const b = commandActor(user(`${'m'.repeat(60)}bbbb`)).id;
    fitsEverywhere(a);
    expect(a).not.toBe(b);
  });
});

describe('one encoding, on the device and at HQ', () => {
  const names = [
    'teller1',
    '陈静',
    'it admin',
    `${'m'.repeat(60)}aaaa`,
    `s.${'管'.repeat(30)}`,
    'ünïcode-😀',
    'lone\ud800',
  ];

  it('is the shared one, whichever SHA-256 hashes it', () => {
    for (const username of names) {
      const who = { kind: 'user' as const, username };
      expect(actorId(who)).toBe(actorReference(who, sha256Hex));
      expect(actorId(who)).toBe(actorReference(who, hqSha256Hex));
      // The bytes Node would encode, so references written before the move still match.
      const bytes = [...Buffer.from(`user:${username}`, 'utf8')];
      if (bytes.length <= 64)
        expect(actorId(who)).toBe(
          bytes
            .map((b) =>
              /[A-Za-z0-9._:-]/.test(String.fromCharCode(b))
                ? String.fromCharCode(b)
                : `@${b.toString(16).padStart(2, '0')}`,
            )
            .join(''),
        );
    }
  });

  it("is what HQ's maker check matches: a user's own reference, and no one else's", () => {
    for (const username of names) {
      expect(actorNames(actorId({ kind: 'user', username }), username)).toBe(true);
      for (const other of names.filter((name) => name !== username))
        expect(actorNames(actorId({ kind: 'user', username: other }), username)).toBe(false);
    }
  });
});
