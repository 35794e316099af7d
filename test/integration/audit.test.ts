// The audit log on a real encrypted vault: every command leaves its entry in the same
// transaction as its effect, refusals are recorded, and whoever holds the key and edits,
// deletes, reorders or cuts off entries straight in the database is caught by
// `branchctl verify-audit`, which names the first entry that cannot be trusted.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog, sha256Hex } from '../../electron/core/audit/log';
import { auditHash } from '../../shared/audit/entry';
import { dispatch, type CommandContext, type CommandResult } from '../../electron/core/commands';
import { createVault, openVault, type Vault } from '../../electron/core/vault';
import { individualInput } from '../unit/customer/examples';
import { branchctl } from '../support/branchctl';
import { newCustomer } from '../support/customers';
import { profileSandbox, realSecretStore } from '../support/keyring';

const secrets = realSecretStore();

function value<T = Record<string, unknown>>(result: CommandResult): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message.en}`);
  return result.value as T;
}

describe('the audit log', () => {
  const sandbox = profileSandbox(secrets);
  const makeVault = (name: string): { dataDir: string; vault: Vault } => {
    const dataDir = join(sandbox.path, name);
    const created = createVault(dataDir, secrets);
    sandbox.forget(created.profileId);
    created.close();
    return { dataDir, vault: openVault(dataDir, secrets) };
  };
  let vault: Vault;
  let context: CommandContext;
  let log: AuditLog;

  beforeAll(() => {
    vault = makeVault('commands').vault;
    context = { principal: { kind: 'local_operator', osUser: 'auditor-test' }, secrets, vault };
    log = new AuditLog(vault);
  });
  afterAll(() => {
    vault.close();
    sandbox.cleanup();
  });

  it('records each command with its actor, target and details, in order', async () => {
    const { customer } = value<{ customer: { id: string; version: number } }>(
      await dispatch('customer.create', { customer: newCustomer(individualInput()) }, context),
    );
    value(await dispatch('customer.search', { query: '张伟' }, context));
    value(await dispatch('customer.show', { id: customer.id }, context));
    value(
      await dispatch(
        'customer.update',
        { id: customer.id, baseVersion: customer.version, changes: { email: 'z.w@example.com' } },
        context,
      ),
    );
    const entries = log.entries();
    expect(entries.map((e) => [e.action, e.target])).toEqual([
      ['create', customer.id],
      ['search', null],
      ['view', customer.id],
      ['update', customer.id],
    ]);
    expect(
      entries.every((e) => e.actor === 'os:auditor-test' && e.device === vault.profileId),
    ).toBe(true);
    expect(JSON.parse(entries[1]!.details)).toMatchObject({ query: '张*', results: 1 });
    expect(JSON.parse(entries[3]!.details)).toEqual({ baseVersion: 1, fields: ['email'] });
    expect(log.verify()).toMatchObject({ ok: true, count: 4 });
  });

  it('writes nothing for a command that fails, and records one that is refused', async () => {
    const before = log.head().seq;
    const { id } = log.entries({ action: 'create' })[0]!.target
      ? { id: log.entries({ action: 'create' })[0]!.target! }
      : { id: '' };
    const stale = await dispatch(
      'customer.update',
      { id, baseVersion: 1, changes: { email: 'stale@example.com' } },
      context,
    );
    expect(stale).toMatchObject({ ok: false, error: { code: 'CUSTOMER_VERSION_CONFLICT' } });
    expect(log.head().seq).toBe(before);

    const stranger: CommandContext = { ...context, principal: { kind: 'anonymous' } };
    const denied = await dispatch('customer.search', { query: '张伟' }, stranger);
    expect(denied).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED' } });
    const [entry] = log.entries({ fromSeq: before + 1 });
    expect(entry).toMatchObject({ action: 'denied', actor: 'anonymous', target: null });
    expect(JSON.parse(entry!.details)).toEqual({
      command: 'customer.search',
      permission: 'search',
    });
  });

  it('fails the action when its audit entry cannot be written', async () => {
    const { id } = { id: log.entries({ action: 'create' })[0]!.target! };
    const shown = value<{ customer: { version: number; email?: string } }>(
      await dispatch('customer.show', { id }, context),
    );
    const outbox = () => vault.db.prepare('SELECT count(*) FROM outbox').pluck().get();
    const queued = outbox();
    vault.db.exec(
      `CREATE TEMP TRIGGER audit_fails BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'disk says no'); END`,
    );
    try {
      const result = await dispatch(
        'customer.update',
        { id, baseVersion: shown.customer.version, changes: { email: 'never@example.com' } },
        context,
      );
      expect(result.ok).toBe(false);
    } finally {
      vault.db.exec('DROP TRIGGER audit_fails');
    }
    const after = value<{ customer: { version: number; email?: string } }>(
      await dispatch('customer.show', { id }, context),
    );
    expect(after.customer).toMatchObject({
      version: shown.customer.version,
      email: shown.customer.email,
    });
    expect(outbox()).toBe(queued);
  });

  it('refuses updates and deletes of entries through SQL, and prunes only through itself', () => {
    expect(() => vault.db.prepare("UPDATE audit_log SET actor = 'x' WHERE seq = 1").run()).toThrow(
      /append-only/,
    );
    expect(() => vault.db.prepare('DELETE FROM audit_log WHERE seq = 1').run()).toThrow(
      /append-only/,
    );
    const head = log.head();
    expect(log.pruneThrough(3)).toBe(3);
    expect(log.anchor().seq).toBe(3);
    expect(log.entries()[0]!.seq).toBe(4);
    expect(log.verify()).toMatchObject({ ok: true, count: head.seq - 3 });
  });

  describe('tampering with the key in hand, caught by branchctl verify-audit', () => {
    /** A vault with nine entries whose triggers the attacker has dropped; returns its folder. */
    function tampered(name: string, attack: (vault: Vault) => void): string {
      const made = makeVault(name);
      const target = new AuditLog(made.vault);
      for (let i = 0; i < 9; i++)
        target.append({ actor: 'os:teller', action: 'view', target: `c${i}`, details: { i } });
      made.vault.db.exec(
        'DROP TRIGGER audit_log_append_only_update; DROP TRIGGER audit_log_append_only_delete;',
      );
      attack(made.vault);
      made.vault.close();
      return made.dataDir;
    }
    const verify = (dataDir: string) => {
      const run = branchctl(['verify-audit', '--data-dir', dataDir, '--json']);
      return {
        status: run.status,
        result: JSON.parse(run.stdout.trim()).value,
        stderr: run.stderr,
      };
    };

    it('passes an untouched log', () => {
      const { status, result } = verify(tampered('untouched', () => {}));
      expect(status).toBe(0);
      expect(result).toMatchObject({ ok: true, checked: 9, firstBad: null });
    });

    it.each([
      [
        'an edited entry',
        (v: Vault) => v.db.exec(`UPDATE audit_log SET target = 'someone-else' WHERE seq = 5`),
        { seq: 5, problem: 'hash_mismatch' },
      ],
      [
        'an edited time',
        (v: Vault) =>
          v.db.exec(`UPDATE audit_log SET at = '2020-01-01T00:00:00.000Z' WHERE seq = 7`),
        { seq: 7, problem: 'hash_mismatch' },
      ],
      [
        'a deleted entry',
        (v: Vault) => v.db.exec('DELETE FROM audit_log WHERE seq = 4'),
        { seq: 4, problem: 'missing' },
      ],
      [
        'two entries swapped',
        (v: Vault) =>
          v.db.exec(`
            UPDATE audit_log SET seq = -1 WHERE seq = 3;
            UPDATE audit_log SET seq = 3 WHERE seq = 6;
            UPDATE audit_log SET seq = 6 WHERE seq = -1;`),
        { seq: 3, problem: 'prev_hash_mismatch' },
      ],
      [
        'the newest entries cut off',
        (v: Vault) => v.db.exec('DELETE FROM audit_log WHERE seq > 7'),
        { seq: 8, problem: 'truncated' },
      ],
      [
        'an entry rewritten with its hash recomputed',
        (v: Vault) => {
          // The forger re-hashes the entry it changed; the next entry still names the old hash.
          const [entry] = new AuditLog(v).entries({ fromSeq: 2, toSeq: 2 });
          const forged = { ...entry!, target: 'hidden' };
          v.db
            .prepare('UPDATE audit_log SET target = ?, hash = ? WHERE seq = 2')
            .run(forged.target, auditHash(sha256Hex, forged, forged.prevHash));
        },
        { seq: 3, problem: 'prev_hash_mismatch' },
      ],
    ])('catches %s', (name, attack, firstBad) => {
      const { status, result } = verify(tampered(name.replace(/\W+/g, '-'), attack));
      expect(status).toBe(1);
      expect(result).toMatchObject({ ok: false, firstBad });
    });
  });
});
