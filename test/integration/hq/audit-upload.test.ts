// The audit log on its way to HQ, attacked on the device with the vault key in hand: an entry
// deleted, two entries swapped, or uploaded entries cut off and the log written on from there.
// Each device's next upload is refused and the device flagged at HQ; an untouched device's copy
// at HQ re-verifies whole (`npm run hq -- audit verify`).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../electron/core/audit/log';
import { acknowledgedAudit } from '../../../electron/core/audit/upload';
import { dispatch, type CommandContext } from '../../../electron/core/commands';
import { enrollDevice } from '../../../electron/core/device/enrollment';
import { syncRound } from '../../../electron/core/sync/engine';
import { openVault, type Vault } from '../../../electron/core/vault';
import { hqCommand, startHq, type HqEnv, type RunningHq } from '../../support/hq';
import { profileSandbox, realSecretStore } from '../../support/keyring';

const secrets = realSecretStore();

describe('the audit log at HQ, after tampering on the device', () => {
  const sandbox = profileSandbox(secrets);
  let hq: HqEnv;
  let server: RunningHq | undefined;
  const desks = new Map<string, { vault: Vault; deviceId: string; context: CommandContext }>();
  const names = ['untouched', 'deleted', 'swapped', 'cut-and-rewritten'] as const;

  beforeAll(async () => {
    hq = { dataDir: join(sandbox.path, 'hq') };
    expect(
      hqCommand(hq, ['seed', '--customers', '100', '--branches', '1', '--seed', '4']).status,
    ).toBe(0);
    const codes = names.map(() => hqCommand(hq, ['enroll-code', '--branch', 'B001']).stdout.trim());
    server = await startHq(hq);
    for (const [index, name] of names.entries()) {
      const dataDir = join(sandbox.path, name);
      const enrolled = await enrollDevice(dataDir, secrets, {
        hqUrl: server.url,
        code: codes[index]!,
      });
      sandbox.forget(enrolled.profileId);
      const vault = openVault(dataDir, secrets);
      await syncRound(vault, secrets);
      desks.set(name, {
        vault,
        deviceId: enrolled.deviceId,
        context: { principal: { kind: 'local_operator', osUser: `it-${name}` }, secrets, vault },
      });
    }
  }, 240_000);
  afterAll(async () => {
    for (const desk of desks.values()) desk.vault.close();
    await server?.stop();
    sandbox.cleanup();
  });

  /** Looks at `count` customers: `count` view entries. */
  async function browse(name: string, count: number) {
    const { vault, context } = desks.get(name)!;
    const ids = vault.db.prepare('SELECT id FROM customer LIMIT ?').pluck().all(count) as string[];
    for (const id of ids) expect((await dispatch('customer.show', { id }, context)).ok).toBe(true);
  }

  /** Opens the log to edits, as anyone with the key can. */
  function unprotect(vault: Vault) {
    vault.db.exec(
      'DROP TRIGGER audit_log_append_only_update; DROP TRIGGER audit_log_append_only_delete;',
    );
  }

  it('uploads every device’s log as it stands, signed', async () => {
    for (const name of names) {
      await browse(name, 5);
      const { vault } = desks.get(name)!;
      const round = await syncRound(vault, secrets);
      expect(round.audit, name).toMatchObject({ error: null });
      expect(acknowledgedAudit(vault).seq).toBe(new AuditLog(vault).head().seq);
      await browse(name, 6); // not uploaded yet: the attacks below work on these
    }
  });

  it('refuses a log with an entry deleted before upload', async () => {
    const { vault } = desks.get('deleted')!;
    unprotect(vault);
    const head = new AuditLog(vault).head().seq;
    vault.db.prepare('DELETE FROM audit_log WHERE seq = ?').run(head - 2);
    const round = await syncRound(vault, secrets);
    expect(round.audit.error).toBe('AUDIT_CHAIN_BROKEN');
  });

  it('refuses a log with two entries swapped', async () => {
    const { vault } = desks.get('swapped')!;
    unprotect(vault);
    const head = new AuditLog(vault).head().seq;
    vault.db.transaction(() => {
      vault.db.prepare('UPDATE audit_log SET seq = -1 WHERE seq = ?').run(head - 1);
      vault.db.prepare('UPDATE audit_log SET seq = ? WHERE seq = ?').run(head - 1, head - 3);
      vault.db.prepare('UPDATE audit_log SET seq = ? WHERE seq = -1').run(head - 3);
    })();
    const round = await syncRound(vault, secrets);
    expect(round.audit.error).toBe('AUDIT_CHAIN_BROKEN');
  });

  it('refuses a log cut back into what HQ holds and written on from there', async () => {
    const { vault } = desks.get('cut-and-rewritten')!;
    unprotect(vault);
    const acknowledged = acknowledgedAudit(vault).seq;
    // Everything after acknowledged - 3 goes, and the head is made to agree: locally the chain
    // is whole again (verify-audit cannot tell); then new entries follow.
    vault.db.prepare('DELETE FROM audit_log WHERE seq > ?').run(acknowledged - 3);
    const last = vault.db
      .prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1')
      .get() as { seq: number; hash: string };
    vault.db
      .prepare("UPDATE vault_meta SET value = ? WHERE key = 'audit.head'")
      .run(JSON.stringify(last));
    expect(new AuditLog(vault).verify()).toMatchObject({ ok: true });
    await browse('cut-and-rewritten', 8);
    const round = await syncRound(vault, secrets);
    expect(round.audit.error).toBe('AUDIT_CHAIN_BROKEN');
  });

  it('flags exactly the tampered devices, and re-verifies the untouched one whole', async () => {
    const untouched = desks.get('untouched')!;
    expect((await syncRound(untouched.vault, secrets)).audit.error).toBeNull();
    await server!.stop();
    server = undefined;
    const flagged = hqCommand(hq, ['audit', 'flagged']);
    expect(flagged.stdout).toContain('3 flagged devices');
    expect(flagged.stdout).not.toContain(untouched.deviceId);
    expect(flagged.stdout).toMatch(new RegExp(`${desks.get('deleted')!.deviceId}.*missing`));
    expect(flagged.stdout).toMatch(
      new RegExp(`${desks.get('cut-and-rewritten')!.deviceId}.*prev_hash_mismatch`),
    );
    const verified = hqCommand(hq, ['audit', 'verify', '--device', untouched.deviceId]);
    expect(verified.status, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/\d+ entries, intact/);
  });
});
