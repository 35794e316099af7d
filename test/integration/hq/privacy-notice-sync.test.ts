// Privacy notices reach the desk (docs/PRIVACY.md, docs/SYNC-PROTOCOL.md), on PGlite and on
// PostgreSQL: HQ publishes (CLI and the privacy officer's route), an enrolled device receives
// them in its sync round through HQ's real route and keeps them in its vault, and still has
// them with HQ gone.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch, type CommandResult } from '../../../electron/core/commands';
import { enrollDevice } from '../../../electron/core/device/enrollment';
import { syncRound } from '../../../electron/core/sync/engine';
import { currentNotice, noticeList } from '../../../electron/core/sync/notices';
import { openVault, type Vault } from '../../../electron/core/vault';
import { localDay } from '../../../shared/customer';
import type { Role } from '../../../shared/access/permissions';
import type {
  NoticeSummary,
  PrivacyNotice,
  PublishNoticeRequest,
} from '../../../shared/protocol/privacy';
import {
  addHqUser,
  hqAdmin,
  hqCommand,
  startHq,
  type HqAccount,
  type HqEnv,
  type RunningHq,
} from '../../support/hq';
import { profileSandbox, realSecretStore } from '../../support/keyring';
import { startPostgres, type PostgresCluster } from '../../support/postgres';

const secrets = realSecretStore();

function value<T>(result: CommandResult): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message.en}`);
  return result.value as T;
}

const databases = ['pglite', 'postgres'] as const;

/** `days` from today, on this machine's calendar (the branch's). */
const dayFromToday = (days: number) => localDay(Date.now() + days * 86_400_000);

describe.each(databases)('privacy notices reaching a desk, HQ on %s', (database) => {
  const sandbox = profileSandbox(secrets);
  let cluster: PostgresCluster | undefined;
  let hq: HqEnv;
  let server: RunningHq | undefined;
  let officer: HqAccount;
  let vault: Vault;
  let port: number;
  const officerApi = hqAdmin(
    () => server!.url,
    () => officer,
  );
  const later: PublishNoticeRequest = {
    version: '2099-01',
    effectiveFrom: dayFromToday(30),
    zh: { title: '隐私政策（将来）', body: '将来生效的条款。' },
    en: { title: 'Privacy notice (future)', body: 'Terms in force later.' },
  };

  /** The desk's command, as a member of staff with `role`. */
  const ask = (name: string, input: unknown = {}, role: Role = 'teller') =>
    dispatch(name, input, {
      principal: { kind: 'user', userId: `u-${role}`, username: role, roles: [role] },
      secrets,
      vault,
    });
  const current = async () =>
    value<{ notice: PrivacyNotice | null }>(await ask('privacy.notice.current')).notice;

  beforeAll(async () => {
    if (database === 'postgres') cluster = await startPostgres();
    hq = { dataDir: join(sandbox.path, 'hq'), ...(cluster ? { databaseUrl: cluster.url } : {}) };
    expect(
      hqCommand(hq, ['seed', '--customers', '10', '--branches', '1', '--seed', '5']).status,
    ).toBe(0);
    const code = hqCommand(hq, ['enroll-code', '--branch', 'B001']).stdout.trim();
    officer = addHqUser(hq, 'privacy1', 'privacy_officer');
    const zh = join(sandbox.path, 'zh.txt');
    const en = join(sandbox.path, 'en.txt');
    writeFileSync(zh, '个人信息保护政策\n\n第一段：我们收集什么。\n\n第二段：您的权利。\n');
    writeFileSync(en, 'Privacy notice\n\nFirst: what we collect.\n\nSecond: your rights.\n');
    const published = hqCommand(hq, [
      'privacy',
      'notice',
      'publish',
      '--version',
      '2026-12',
      '--effective-from',
      dayFromToday(-3),
      '--zh',
      zh,
      '--en',
      en,
    ]);
    expect(published.status, published.stderr).toBe(0);
    server = await startHq(hq);
    port = Number(new URL(server.url).port);
    const dataDir = join(sandbox.path, 'desk');
    const enrolled = await enrollDevice(dataDir, secrets, { hqUrl: server.url, code });
    sandbox.forget(enrolled.profileId);
    vault = openVault(dataDir, secrets);
  }, 240_000);

  afterAll(async () => {
    vault?.close();
    await server?.stop();
    cluster?.stop();
    sandbox.cleanup();
  });

  it('holds no notice before its first sync', () => {
    expect(noticeList(vault)).toEqual([]);
    expect(currentNotice(vault, dayFromToday(0))).toBeNull();
  });

  it('answers privacy.notice.current with null before then, and list with nothing', async () => {
    expect(await current()).toBeNull();
    expect(value(await ask('privacy.notice.list'))).toEqual({ notices: [] });
  });

  it('receives the published notice in a sync round and keeps it in the vault', async () => {
    const summary = await syncRound(vault, secrets);
    expect(summary.notices).toBe(1);
    const notice = currentNotice(vault, dayFromToday(0));
    expect(notice).toMatchObject({
      version: '2026-12',
      effectiveFrom: dayFromToday(-3),
      zh: { title: '个人信息保护政策', body: '第一段：我们收集什么。\n\n第二段：您的权利。' },
      en: { title: 'Privacy notice', body: 'First: what we collect.\n\nSecond: your rights.' },
    });
    // Asked again, HQ sends only what is newer than what the vault holds.
    expect((await syncRound(vault, secrets)).notices).toBe(0);
  });

  it('receives a notice effective later, without making it the current one before its day', async () => {
    const published = await officerApi.call<{ published: boolean }>(
      'POST',
      '/v1/admin/privacy-notices',
      later,
    );
    expect(published.published).toBe(true);
    expect((await syncRound(vault, secrets)).notices).toBe(1);
    expect(noticeList(vault).map((notice) => notice.version)).toEqual(['2099-01', '2026-12']);
    expect(currentNotice(vault, dayFromToday(0))?.version).toBe('2026-12');
    expect(currentNotice(vault, later.effectiveFrom)?.version).toBe('2099-01');
  });

  it('answers the desk’s commands from the vault: current, list and show', async () => {
    const notice = await current();
    expect(notice).toMatchObject({ version: '2026-12', zh: { title: '个人信息保护政策' } });
    const { notices } = value<{ notices: NoticeSummary[] }>(await ask('privacy.notice.list'));
    expect(notices.map((entry) => [entry.version, entry.effectiveFrom])).toEqual([
      ['2099-01', later.effectiveFrom],
      ['2026-12', dayFromToday(-3)],
    ]);
    const shown = value<{ notice: PrivacyNotice }>(
      await ask('privacy.notice.show', { version: '2099-01' }, 'auditor'),
    );
    expect(shown.notice).toMatchObject({ zh: later.zh, en: later.en });
    const unknown = await ask('privacy.notice.show', { version: '1999-01' });
    expect(unknown.ok || unknown.error.code).toBe('NOTICE_NOT_FOUND');
    const bad = await ask('privacy.notice.show', { version: '<b>' });
    expect(bad.ok || bad.error.code).toBe('INPUT_INVALID');
    // IT at the desk administers the device; reading what staff show customers is not theirs.
    const it = await ask('privacy.notice.current', {}, 'it_admin');
    expect(it.ok || it.error.code).toBe('PERMISSION_DENIED');
  });

  it('answers only an enrolled device', async () => {
    const anonymous = await fetch(`${server!.url}/v1/privacy-notices?after=0`);
    expect(anonymous.status).toBe(401);
    const forged = await fetch(`${server!.url}/v1/privacy-notices?after=0`, {
      headers: { authorization: 'Device 00000000-0000-4000-8000-000000000000.nope' },
    });
    expect(forged.status).toBe(401);
  });

  it('still shows what it last received with HQ gone', async () => {
    await server!.stop();
    server = undefined;
    await expect(syncRound(vault, secrets)).rejects.toMatchObject({ code: 'HQ_UNREACHABLE' });
    expect(currentNotice(vault, dayFromToday(0))?.version).toBe('2026-12');
    expect(noticeList(vault)).toHaveLength(2);
    expect((await current())?.version).toBe('2026-12');
    server = await startHq(hq, { port });
  });
});
