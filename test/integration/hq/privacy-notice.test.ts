// Privacy notices (PIPL Art. 7, 17) on both of HQ's databases: published by the CLI and by a
// privacy officer over HTTP, immutable once published (the same text again changes nothing, other
// text is refused), each publication in HQ's own audit chain.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../hq/db/database';
import type { NoticeSummary, PublishNoticeRequest } from '../../../shared/protocol/privacy';
import { tempDir } from '../../support/files';
import {
  addHqUser,
  hqAdmin,
  hqCommand,
  startHq,
  type HqAccount,
  type HqEnv,
  type RunningHq,
} from '../../support/hq';
import { startPostgres, type PostgresCluster } from '../../support/postgres';

const databases = ['pglite', 'postgres'] as const;

const ZH =
  '个人信息保护政策（2026年12月）\n\n我行依法处理您的个人信息。\n\n您可以查阅、复制和更正。\n';
const EN =
  'Privacy notice (December 2026)\n\nWe process your personal information lawfully.\n\nYou may access, copy and correct it.\n';

describe.each(databases)('privacy notices on %s', (database) => {
  const dir = tempDir('branchdesk-notice-');
  let cluster: PostgresCluster | undefined;
  let hq: HqEnv;
  let server: RunningHq | undefined;
  let officer: HqAccount;
  let admin: HqAccount;
  const file = (name: string, text: string | Buffer) => {
    const path = join(dir.path, name);
    writeFileSync(path, text);
    return path;
  };
  const publish = (version: string, effectiveFrom: string, zh: string, en: string) =>
    hqCommand(hq, [
      'privacy',
      'notice',
      'publish',
      '--version',
      version,
      '--effective-from',
      effectiveFrom,
      '--zh',
      zh,
      '--en',
      en,
    ]);
  async function query<Row>(sql: string): Promise<Row[]> {
    const db = await openDatabase({
      dataDir: hq.dataDir,
      ...(hq.databaseUrl ? { databaseUrl: hq.databaseUrl } : {}),
    });
    try {
      return await db.query<Row>(sql);
    } finally {
      await db.close();
    }
  }

  beforeAll(async () => {
    if (database === 'postgres') cluster = await startPostgres();
    hq = { dataDir: join(dir.path, 'hq'), ...(cluster ? { databaseUrl: cluster.url } : {}) };
    expect(hqCommand(hq, ['migrate']).status).toBe(0);
    officer = addHqUser(hq, 'privacy1', 'privacy_officer');
    admin = addHqUser(hq, 'hqadmin1', 'hq_admin');
  }, 300_000);
  afterAll(async () => {
    await server?.stop();
    cluster?.stop();
    dir.cleanup();
  });

  it('publishes from two UTF-8 files, title first, and lists what is published', () => {
    const zh = file('zh.txt', `\uFEFF${ZH.replace(/\n/g, '\r\n')}`);
    const en = file('en.txt', EN);
    const run = publish('2026-12', '2026-12-01', zh, en);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/privacy notice 2026-12 published \(seq \d+\)/);
    const list = hqCommand(hq, ['privacy', 'notice', 'list']);
    expect(list.status, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/^2026-12\t2026-12-01\t\S+\tseq \d+$/m);
    expect(list.stdout).toContain('1 privacy notices published');
  });

  it('keeps the text it was given: title and paragraphs, without the BOM or CR', async () => {
    const [row] = await query<{ title_zh: string; body_zh: string; title_en: string }>(
      "SELECT title_zh, body_zh, title_en FROM privacy_notice WHERE version = '2026-12'",
    );
    expect(row).toEqual({
      title_zh: '个人信息保护政策（2026年12月）',
      body_zh: '我行依法处理您的个人信息。\n\n您可以查阅、复制和更正。',
      title_en: 'Privacy notice (December 2026)',
    });
  });

  it('publishing the same version and text again changes nothing; other text is refused', async () => {
    const again = publish('2026-12', '2026-12-01', file('zh2.txt', ZH), file('en2.txt', EN));
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain('already published with this text; nothing changed');
    const changed = publish(
      '2026-12',
      '2026-12-01',
      file('zh3.txt', ZH.replace('查阅', '删除')),
      file('en3.txt', EN),
    );
    expect(changed.status).toBe(1);
    expect(changed.stderr).toContain('[NOTICE_VERSION_TAKEN]');
    const otherDate = publish('2026-12', '2026-12-02', file('zh4.txt', ZH), file('en4.txt', EN));
    expect(otherDate.stderr).toContain('[NOTICE_VERSION_TAKEN]');
    const rows = await query<{ body_zh: string }>('SELECT body_zh FROM privacy_notice');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.body_zh).toContain('查阅');
  });

  it('refuses files that are not UTF-8, empty bodies and bad versions or dates, writing nothing', async () => {
    const gbk = file('gbk.txt', Buffer.from([0xb8, 0xf6, 0xc8, 0xcb, 0x0a, 0xd5, 0xfe]));
    const en = file('en5.txt', EN);
    const notUtf8 = publish('2027-01', '2027-01-01', gbk, en);
    expect(notUtf8.status).toBe(1);
    expect(notUtf8.stderr).toContain('[INPUT_INVALID]');
    expect(notUtf8.stderr).toContain('not UTF-8');
    const titleOnly = publish('2027-01', '2027-01-01', file('title.txt', '标题\n\n'), en);
    expect(titleOnly.stderr).toContain('[INPUT_INVALID]');
    expect(publish('2027 01', '2027-01-01', gbk, en).status).toBe(2);
    expect(publish('2027-01', '2027-02-30', file('zh6.txt', ZH), en).status).toBe(2);
    expect(await query('SELECT version FROM privacy_notice')).toHaveLength(1);
  });

  it('records each publication and list in HQ’s own audit chain, which still verifies', async () => {
    const rows = await query<{ action: string; target: string | null; details: string }>(
      "SELECT action, target, details FROM hq_audit WHERE action LIKE 'privacy_notice%' ORDER BY seq",
    );
    const publications = rows.filter((row) => row.action === 'privacy_notice_publish');
    expect(publications.map((row) => [row.target, JSON.parse(row.details).outcome])).toEqual([
      ['2026-12', 'ok'],
      ['2026-12', 'ok'],
      ['2026-12', 'NOTICE_VERSION_TAKEN'],
      ['2026-12', 'NOTICE_VERSION_TAKEN'],
      ['2027-01', 'INPUT_INVALID'],
      ['2027-01', 'INPUT_INVALID'],
    ]);
    expect(rows.some((row) => row.action === 'privacy_notice_list')).toBe(true);
    const verify = hqCommand(hq, ['audit', 'verify', '--hq']);
    expect(verify.status, verify.stderr).toBe(0);
  });

  it('lets a privacy officer publish and list over HTTP, and nobody else', async () => {
    server = await startHq(hq);
    const asOfficer = hqAdmin(() => server!.url, officer);
    const request: PublishNoticeRequest = {
      version: '2027-06',
      effectiveFrom: '2027-06-01',
      zh: { title: '隐私政策（2027年6月）', body: '第一段。\n\n第二段。' },
      en: { title: 'Privacy notice (June 2027)', body: 'First.\n\nSecond.' },
    };
    const first = await asOfficer.call<{ published: boolean; notice: { seq: number } }>(
      'POST',
      '/v1/admin/privacy-notices',
      request,
    );
    expect(first.published).toBe(true);
    const again = await asOfficer.call<{ published: boolean }>(
      'POST',
      '/v1/admin/privacy-notices',
      request,
    );
    expect(again.published).toBe(false);
    await expect(
      asOfficer.call('POST', '/v1/admin/privacy-notices', {
        ...request,
        en: { ...request.en, body: 'Changed.' },
      }),
    ).rejects.toThrow(/409 .*NOTICE_VERSION_TAKEN/);
    await expect(
      asOfficer.call('POST', '/v1/admin/privacy-notices', {
        ...request,
        version: '2027-07',
        zh: { title: 'two\nlines', body: 'x' },
      }),
    ).rejects.toThrow(/400/);
    const { notices } = await asOfficer.call<{ notices: NoticeSummary[] }>(
      'GET',
      '/v1/admin/privacy-notices',
    );
    expect(notices.map((notice) => notice.version)).toEqual(['2026-12', '2027-06']);
    expect(notices[1]!.seq).toBeGreaterThan(notices[0]!.seq);
    // An HQ admin is not a privacy officer: refused, and HQ's audit says who tried.
    const asAdmin = hqAdmin(() => server!.url, admin);
    await expect(asAdmin.call('POST', '/v1/admin/privacy-notices', request)).rejects.toThrow(/403/);
    await expect(asAdmin.call('GET', '/v1/admin/privacy-notices')).rejects.toThrow(/403/);
    await server.stop();
    server = undefined;
    const denied = await query<{ actor: string; details: string }>(
      "SELECT actor, details FROM hq_audit WHERE action = 'denied' ORDER BY seq",
    );
    expect(denied.map((row) => JSON.parse(row.details).attempted)).toEqual([
      'privacy_notice_publish',
      'privacy_notice_list',
    ]);
    const published = await query<{ actor: string; details: string }>(
      "SELECT actor, details FROM hq_audit WHERE action = 'privacy_notice_publish' AND target = '2027-06' ORDER BY seq",
    );
    expect(published.map((row) => JSON.parse(row.details))).toEqual([
      { outcome: 'ok', effectiveFrom: '2027-06-01', published: true },
      { outcome: 'ok', effectiveFrom: '2027-06-01', published: false },
      { outcome: 'NOTICE_VERSION_TAKEN' },
    ]);
  });
});
