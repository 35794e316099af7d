// Every command × every role through the command table, on a real vault: a role without the
// command's permission is refused before anything runs, the refusal is in the audit log, and
// nothing else in the vault changes. A role with it gets past the check (its input is then
// judged on its own; here it is deliberately incomplete, so nothing runs either way).
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../electron/core/audit/log';
import { dispatch, type CommandContext } from '../../electron/core/commands';
import { CustomerStore } from '../../electron/core/customers';
import { createVault, openVault, type Vault } from '../../electron/core/vault';
import {
  principalPermissions,
  rolePermissions,
  roles,
  type Permission,
  type Role,
} from '../../shared/access/permissions';
import { commandContract, commandNames } from '../../shared/commands/contract';
import { generateCustomers } from '../../shared/synthetic';
import { profileSandbox, realSecretStore } from '../support/keyring';

const secrets = realSecretStore();

/** Everything in the vault except the audit log and its head: what a refusal must not touch. */
function fingerprint(vault: Vault): string {
  const hash = createHash('sha256');
  const tables = vault.db
    .prepare(
      `SELECT name FROM sqlite_schema WHERE type = 'table' AND name <> 'audit_log' ORDER BY name`,
    )
    .pluck()
    .all() as string[];
  for (const table of tables) {
    const rows = vault.db
      .prepare(
        `SELECT * FROM "${table}" ${table === 'vault_meta' ? "WHERE key <> 'audit.head'" : ''}`,
      )
      .raw()
      .all();
    hash.update(table).update(JSON.stringify(rows));
  }
  return hash.digest('hex');
}

describe('the permission matrix, enforced by the core', () => {
  const sandbox = profileSandbox(secrets);
  let vault: Vault;
  let log: AuditLog;

  beforeAll(() => {
    const dataDir = join(sandbox.path, 'matrix');
    const created = createVault(dataDir, secrets);
    sandbox.forget(created.profileId);
    created.close();
    vault = openVault(dataDir, secrets);
    new CustomerStore(vault.db).insertMany(
      generateCustomers({ seed: 3, count: 50, branches: ['B001'], rmsPerBranch: 2 }),
    );
    log = new AuditLog(vault);
  });
  afterAll(() => {
    vault.close();
    sandbox.cleanup();
  });

  it('gives each role exactly the permissions of the matrix', () => {
    for (const role of roles) {
      const principal = {
        kind: 'user',
        userId: `u-${role}`,
        username: role,
        roles: [role],
      } as const;
      // Signing in, out, locking and unlocking are everyone's, signed in or not.
      expect([...principalPermissions(principal)].sort()).toEqual(
        ['sign_in', ...rolePermissions[role]].sort(),
      );
    }
    expect([...principalPermissions({ kind: 'anonymous' })]).toEqual(['sign_in']);
    // Least privilege, spelled out for the roles where it matters most.
    const can = (role: Role, permission: Permission) => rolePermissions[role].includes(permission);
    expect(can('it_admin', 'view') || can('it_admin', 'search')).toBe(false);
    expect(
      rolePermissions.auditor.some((p) => p.startsWith('reveal_') || p.startsWith('edit_')),
    ).toBe(false);
    // Tellers and RMs may propose identity changes; only a supervisor approves them.
    expect(can('teller', 'approve') || can('relationship_manager', 'approve')).toBe(false);
    expect(can('relationship_manager', 'reveal_identity_number')).toBe(false);
    expect(can('supervisor', 'approve') && can('supervisor', 'edit_identity')).toBe(true);
  });

  for (const role of roles)
    it(`checks every command for a ${role}: refused ones are audited and change nothing`, async () => {
      const context: CommandContext = {
        principal: { kind: 'user', userId: `u-${role}`, username: `${role}.zhang`, roles: [role] },
        secrets,
        vault,
      };
      for (const name of commandNames) {
        const allowed = principalPermissions(context.principal).has(
          commandContract[name].permission,
        );
        const before = fingerprint(vault);
        const head = log.head().seq;
        // Input that no command accepts: an allowed call stops at validation, after the check.
        const result = await dispatch(name, { __not_an_input__: true }, context);
        expect(result.ok, `${role} ${name}`).toBe(false);
        if (result.ok) continue;
        if (allowed) {
          expect(result.error.code, `${role} ${name}`).toBe('INPUT_INVALID');
          expect(log.head().seq, `${role} ${name}: nothing to record`).toBe(head);
        } else {
          expect(result.error, `${role} ${name}`).toMatchObject({
            code: 'PERMISSION_DENIED',
            details: { permission: commandContract[name].permission },
          });
          const [entry, ...more] = log.entries({ fromSeq: head + 1 });
          expect(more).toEqual([]);
          expect(entry).toMatchObject({ action: 'denied', actor: `user:${role}.zhang` });
          expect(JSON.parse(entry!.details)).toEqual({
            command: name,
            permission: commandContract[name].permission,
          });
        }
        expect(fingerprint(vault), `${role} ${name} changed the vault`).toBe(before);
      }
    });

  it('keeps the chain whole through all of it', () => {
    expect(log.verify()).toMatchObject({ ok: true });
    expect(log.entries({ action: 'denied' }).length).toBeGreaterThan(roles.length);
  });
});
