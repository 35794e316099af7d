// Privacy notices HQ published (docs/PRIVACY.md): received at each sync round, kept in the vault
// (migration 18) and read from there, so the desk shows the notice in force offline too.
import { BranchDeskError } from '../../../shared/errors';
import type { NoticeSummary, PrivacyNotice } from '../../../shared/protocol/privacy';
import type { HqClient } from '../hq-client/client';
import type { Vault } from '../vault';

interface NoticeRow {
  version: string;
  seq: number;
  published_at: string;
  effective_from: string;
  title_zh: string;
  body_zh: string;
  title_en: string;
  body_en: string;
}

function noticeOf(row: NoticeRow): PrivacyNotice {
  return {
    version: row.version,
    seq: row.seq,
    publishedAt: row.published_at,
    effectiveFrom: row.effective_from,
    zh: { title: row.title_zh, body: row.body_zh },
    en: { title: row.title_en, body: row.body_en },
  };
}

/** Asks HQ for the notices published since the last one held and keeps them; how many came. */
export async function receiveNotices(vault: Vault, client: HqClient): Promise<number> {
  const after =
    (vault.db.prepare('SELECT max(seq) FROM privacy_notice').pluck().get() as number | null) ?? 0;
  const { notices } = await client.privacyNotices(after);
  if (notices.length === 0) return 0;
  // A version HQ sent before is never sent with other text (HQ refuses to change one): ignoring
  // a repeat keeps what a consent may already name.
  const insert = vault.db.prepare(
    `INSERT INTO privacy_notice (version, seq, published_at, effective_from,
       title_zh, body_zh, title_en, body_en)
     VALUES (@version, @seq, @publishedAt, @effectiveFrom, @titleZh, @bodyZh, @titleEn, @bodyEn)
     ON CONFLICT DO NOTHING`,
  );
  vault.db.transaction(() => {
    for (const notice of notices)
      insert.run({
        version: notice.version,
        seq: notice.seq,
        publishedAt: notice.publishedAt,
        effectiveFrom: notice.effectiveFrom,
        titleZh: notice.zh.title,
        bodyZh: notice.zh.body,
        titleEn: notice.en.title,
        bodyEn: notice.en.body,
      });
  })();
  return notices.length;
}

/**
 * The notice in force on `today` (YYYY-MM-DD, the branch's day): of those already effective, the
 * one effective most recently, the later published if two share a day. Null: none received yet.
 */
export function currentNotice(vault: Vault, today: string): PrivacyNotice | null {
  const row = vault.db
    .prepare(
      `SELECT * FROM privacy_notice WHERE effective_from <= ?
       ORDER BY effective_from DESC, seq DESC LIMIT 1`,
    )
    .get(today) as NoticeRow | undefined;
  return row ? noticeOf(row) : null;
}

/** Every notice held, newest publication first, without its text. */
export function noticeList(vault: Vault): NoticeSummary[] {
  return (
    vault.db
      .prepare(
        'SELECT version, seq, published_at, effective_from FROM privacy_notice ORDER BY seq DESC',
      )
      .all() as Pick<NoticeRow, 'version' | 'seq' | 'published_at' | 'effective_from'>[]
  ).map((row) => ({
    version: row.version,
    seq: row.seq,
    publishedAt: row.published_at,
    effectiveFrom: row.effective_from,
  }));
}

/** One notice by its version, whole. */
export function noticeOfVersion(vault: Vault, version: string): PrivacyNotice {
  const row = vault.db.prepare('SELECT * FROM privacy_notice WHERE version = ?').get(version) as
    NoticeRow | undefined;
  if (!row) throw new BranchDeskError('NOTICE_NOT_FOUND', { version });
  return noticeOf(row);
}
