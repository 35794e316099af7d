// Privacy notices: a privacy officer publishes one (CLI or /v1/admin), devices receive those they
// lack at each sync (docs/PRIVACY.md, docs/SYNC-PROTOCOL.md). Published text never changes.
import { readFileSync } from 'node:fs';
import { BranchDeskError } from '../../shared/errors';
import {
  NoticeText,
  PublishNoticeRequest,
  type NoticeSummary,
  type PrivacyNotice,
} from '../../shared/protocol/privacy';
import type { Database, Sql } from '../db/database';

interface NoticeRow {
  seq: number | string;
  version: string;
  published_at: Date | string;
  effective_from: string;
  title_zh: string;
  body_zh: string;
  title_en: string;
  body_en: string;
}

// The date as the text it was published as: a Date would shift with the server's time zone.
const COLUMNS = `seq, version, published_at, effective_from::text AS effective_from,
  title_zh, body_zh, title_en, body_en`;

function noticeOf(row: NoticeRow): PrivacyNotice {
  return {
    version: row.version,
    seq: Number(row.seq),
    publishedAt: new Date(row.published_at).toISOString(),
    effectiveFrom: row.effective_from,
    zh: { title: row.title_zh, body: row.body_zh },
    en: { title: row.title_en, body: row.body_en },
  };
}

function sameText(a: PublishNoticeRequest, b: PrivacyNotice): boolean {
  return (
    a.effectiveFrom === b.effectiveFrom &&
    a.zh.title === b.zh.title &&
    a.zh.body === b.zh.body &&
    a.en.title === b.en.title &&
    a.en.body === b.en.body
  );
}

/**
 * Publishes a notice. The same version with the same text again is a no-op (`published: false`),
 * so a publication can be retried; with any other text it is NOTICE_VERSION_TAKEN.
 */
export async function publishNotice(
  db: Database,
  input: unknown,
): Promise<{ notice: PrivacyNotice; published: boolean }> {
  const parsed = PublishNoticeRequest.safeParse(input);
  if (!parsed.success)
    throw new BranchDeskError('INPUT_INVALID', {
      issues: parsed.error.issues
        .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
        .join('; '),
    });
  const request = parsed.data;
  return db.transaction(async (tx) => {
    // One publisher at a time: seq then follows the order publications commit in, and a device
    // that asked for "after n" can never miss one that committed later with a smaller seq.
    await tx.query('LOCK TABLE privacy_notice IN EXCLUSIVE MODE');
    const [existing] = await tx.query<NoticeRow>(
      `SELECT ${COLUMNS} FROM privacy_notice WHERE version = $1`,
      [request.version],
    );
    if (existing) {
      const notice = noticeOf(existing);
      if (!sameText(request, notice))
        throw new BranchDeskError('NOTICE_VERSION_TAKEN', { version: request.version });
      return { notice, published: false };
    }
    const [row] = await tx.query<NoticeRow>(
      `INSERT INTO privacy_notice (version, effective_from, title_zh, body_zh, title_en, body_en)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      [
        request.version,
        request.effectiveFrom,
        request.zh.title,
        request.zh.body,
        request.en.title,
        request.en.body,
      ],
    );
    return { notice: noticeOf(row!), published: true };
  });
}

/** Every published notice, in publication order, without its text. */
export async function listNotices(db: Sql): Promise<NoticeSummary[]> {
  const rows = await db.query<NoticeRow>(`SELECT ${COLUMNS} FROM privacy_notice ORDER BY seq`);
  return rows.map((row) => {
    const { version, seq, publishedAt, effectiveFrom } = noticeOf(row);
    return { version, seq, publishedAt, effectiveFrom };
  });
}

/** The notices published after `seq`, whole, in publication order (a device's sync). */
export async function noticesAfter(db: Sql, seq: number): Promise<PrivacyNotice[]> {
  const rows = await db.query<NoticeRow>(
    `SELECT ${COLUMNS} FROM privacy_notice WHERE seq > $1 ORDER BY seq`,
    [seq],
  );
  return rows.map(noticeOf);
}

/**
 * A notice's text in one language from a file: UTF-8, the first line the title, the rest the
 * body. A file that is not valid UTF-8 is refused rather than published as replacement marks.
 */
export function readNoticeFile(path: string): NoticeText {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(path));
  } catch (error) {
    const reason =
      error instanceof TypeError
        ? 'not UTF-8'
        : ((error as NodeJS.ErrnoException).code ?? 'unreadable');
    throw new BranchDeskError('INPUT_INVALID', { issues: `${path}: ${reason}` });
  }
  const [title = '', ...rest] = text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n');
  const parsed = NoticeText.safeParse({ title, body: rest.join('\n') });
  if (!parsed.success)
    throw new BranchDeskError('INPUT_INVALID', {
      issues: parsed.error.issues
        .map((issue) => `${path} ${issue.path.join('.')}: ${issue.message}`)
        .join('; '),
    });
  return parsed.data;
}
