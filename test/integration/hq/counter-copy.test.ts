// The customer's own copy at the counter (PIPL Art. 45), through the real transports on PGlite
// and PostgreSQL: a supervisor signed in on the desk asks HQ with the customer present and
// identified, a second supervisor co-signing on the same PC with their own credentials. HQ checks
// both sessions (another supervisor of the branch, on this device), returns the record whole and
// records both names; the device audits the export. Nothing of it reaches the desk's disk.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch, type CommandResult } from '../../../electron/core/commands';
import { sessionOf } from '../../../electron/core/commands/session-commands';
import { CustomerStore } from '../../../electron/core/customers';
import { enrollDevice } from '../../../electron/core/device/enrollment';
import { deviceClient, syncRound } from '../../../electron/core/sync/engine';
import { openVault, type Vault } from '../../../electron/core/vault';
import { openDatabase } from '../../../hq/db/database';
import { demoUsers } from '../../../hq/seed';
import type { CustomerCopy } from '../../../shared/protocol/privacy';
import { filesContaining } from '../../support/files';
import { addBranchStaff, hqCommand, startHq, type HqEnv, type RunningHq } from '../../support/hq';
import { profileSandbox, realSecretStore } from '../../support/keyring';
import { startPostgres, type PostgresCluster } from '../../support/postgres';
import { signedInDesks } from '../../support/signed-in';
import { waitingTotpCodes } from '../../support/staff';

const secrets = realSecretStore();
const SEED = 53;

const refusal = (result: CommandResult) => (result.ok ? 'ok' : result.error.code);

describe.each(['pglite', 'postgres'] as const)(
  'the customer’s copy at the counter on %s',
  (database) => {
    const sandbox = profileSandbox(secrets);
    let cluster: PostgresCluster | undefined;
    let hq: HqEnv;
    let server: RunningHq;
    let vault: Vault;
    let deskDir: string;
    let customerId: string;
    const credentials = new Map(
      demoUsers(SEED).map((user) => [
        user.username,
        user as { password: string; totpSecret: string },
      ]),
    );
    const staff = signedInDesks(secrets, credentials);
    /** Each co-signer's codes, a new one per use (HQ takes a code once). */
    const codes = new Map<string, () => Promise<string>>();
    async function cosigner(username: string, password?: string) {
      const known = credentials.get(username)!;
      if (!codes.has(username)) codes.set(username, waitingTotpCodes(known.totpSecret));
      return { username, password: password ?? known.password, totp: await codes.get(username)!() };
    }

    beforeAll(async () => {
      if (database === 'postgres') cluster = await startPostgres();
      hq = { dataDir: join(sandbox.path, 'hq'), ...(cluster ? { databaseUrl: cluster.url } : {}) };
      expect(
        hqCommand(hq, ['seed', '--customers', '20', '--branches', '1', '--seed', String(SEED)])
          .status,
      ).toBe(0);
      credentials.set(
        'supervisor2',
        addBranchStaff(hq, 'supervisor2', { roles: 'supervisor', branch: 'B001' }),
      );
      const code = hqCommand(hq, ['enroll-code', '--branch', 'B001']).stdout.trim();
      server = await startHq(hq);
      deskDir = join(sandbox.path, 'desk');
      const enrolled = await enrollDevice(deskDir, secrets, { hqUrl: server.url, code });
      sandbox.forget(enrolled.profileId);
      vault = openVault(deskDir, secrets);
      await syncRound(vault, secrets);
      customerId = vault.db
        .prepare(
          `SELECT id FROM customer WHERE kind = 'individual' ORDER BY customer_number LIMIT 1`,
        )
        .pluck()
        .get() as string;
    }, 240_000);
    afterAll(async () => {
      await staff.signOutAll();
      vault?.close();
      await server?.stop();
      cluster?.stop();
      sandbox.cleanup();
    });

    it('gives the whole record to a supervisor with a second supervisor co-signing, audited on both sides', async () => {
      const supervisor = await staff.desk('supervisor1', vault);
      const answer = await dispatch(
        'privacy.copy.counter',
        { id: customerId, identityChecked: true, cosigner: await cosigner('supervisor2') },
        supervisor,
      );
      if (!answer.ok) throw new Error(`${answer.error.code}: ${answer.error.message.en}`);
      const { copy, html } = answer.value as { copy: CustomerCopy; html: string };
      // The record whole, unmasked: the customer's own data.
      const held = new CustomerStore(vault.db).get(customerId)!.customer;
      expect(copy.customer.legalName).toBe(held.legalName);
      expect((copy.customer.identityDocuments as { number: string }[])[0]!.number).toBe(
        held.identityDocuments[0]!.number,
      );
      expect(html).toContain('个人信息副本');
      expect(html).toContain(held.legalName);
      expect(html).not.toMatch(/<script/i);
      // The device's audit: an export of this customer, with the co-signer.
      const exported = vault.db
        .prepare(
          `SELECT details FROM audit_log WHERE action = 'export' AND target = ? ORDER BY seq DESC LIMIT 1`,
        )
        .pluck()
        .get(customerId) as string;
      expect(JSON.parse(exported)).toMatchObject({ what: 'privacy_copy', cosigner: 'supervisor2' });
      // Nothing readable about the customer in any file of the desk (the vault is encrypted).
      for (const value of [held.legalName, held.identityDocuments[0]!.number])
        expect(filesContaining(deskDir, Buffer.from(value))).toEqual([]);
      // HQ's audit names both supervisors, the device and the branch.
      await server.stop();
      const db = await openDatabase({
        dataDir: hq.dataDir,
        ...(hq.databaseUrl ? { databaseUrl: hq.databaseUrl } : {}),
      });
      try {
        const rows = await db.query<{ actor: string; details: string }>(
          `SELECT actor, details FROM hq_audit WHERE action = 'privacy_copy' AND target = $1`,
          [customerId],
        );
        expect(rows.map((row) => [row.actor, JSON.parse(row.details)])).toEqual([
          [
            'user:supervisor1',
            expect.objectContaining({
              at: 'counter',
              branchId: 'B001',
              cosigner: 'supervisor2',
              outcome: 'ok',
            }),
          ],
        ]);
      } finally {
        await db.close();
        server = await startHq(hq, { port: Number(new URL(server.url).port) });
      }
    });

    it('refuses without a second, different supervisor of the branch', async () => {
      const supervisor = await staff.desk('supervisor1', vault);
      // An RM is no supervisor.
      expect(
        refusal(
          await dispatch(
            'privacy.copy.counter',
            { id: customerId, identityChecked: true, cosigner: await cosigner('rm1') },
            supervisor,
          ),
        ),
      ).toBe('COSIGNER_INVALID');
      // A wrong password signs no one in: no copy.
      expect(
        refusal(
          await dispatch(
            'privacy.copy.counter',
            {
              id: customerId,
              identityChecked: true,
              cosigner: await cosigner('supervisor2', 'Wrong-password-123'),
            },
            supervisor,
          ),
        ),
      ).toBe('LOGIN_FAILED');
      // A device sending the maker's own session as the co-signer's (four eyes of one person).
      const token = await sessionOf(supervisor).hqAccessToken(supervisor);
      await expect(
        deviceClient(vault, secrets).counterCopy(customerId, token, token),
      ).rejects.toMatchObject({
        code: 'COSIGNER_INVALID',
      });
      // A teller may not ask at all.
      const teller = await staff.desk('teller1', vault);
      expect(
        refusal(
          await dispatch(
            'privacy.copy.counter',
            { id: customerId, identityChecked: true, cosigner: await cosigner('supervisor2') },
            teller,
          ),
        ),
      ).toBe('PERMISSION_DENIED');
    });
  },
);
