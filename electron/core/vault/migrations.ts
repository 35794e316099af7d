// Forward-only schema migrations, tracked in `PRAGMA user_version`. Each runs in one
// transaction with the version bump, so a failure leaves the database exactly as it was.
import { BranchDeskError } from '../../../shared/errors';
import { bookColumns, bookFacts } from '../../../shared/insight/book';
import { packJson, packRecordJson, unpackRecord, type PackedKind } from '../customers/record-codec';
import { searchNameOf } from '../customers/terms';
import { giveListEntriesIds } from './entry-ids-migration';
import type { SqliteDatabase } from './sqlcipher';

export interface Migration {
  /** The `user_version` after this migration; migrations are numbered 1, 2, 3 … without gaps. */
  version: number;
  name: string;
  up(db: SqliteDatabase): void;
}

/**
 * SQL's `book_row(record)`: a customer's book row (its columns and facts, shared/insight/book.ts)
 * from its packed record, as JSON, for the migrations that fill the book.
 */
function registerBookRow(db: SqliteDatabase): void {
  db.function('book_row', { deterministic: true }, (record) => {
    const facts = bookFacts(unpackRecord(record as Buffer));
    return JSON.stringify({ ...bookColumns(facts), facts: JSON.stringify(facts) });
  });
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'vault metadata',
    up(db) {
      // Binds the database to its profile: a branch.db swapped in from another profile is caught.
      db.exec(`
        CREATE TABLE vault_meta (
          key   TEXT PRIMARY KEY,
          value TEXT NOT NULL
        ) STRICT, WITHOUT ROWID;
      `);
    },
  },
  {
    version: 2,
    name: 'customers and their search terms',
    up(db) {
      // `record` is the whole Customer as JSON (the vault is encrypted as a whole, so nothing
      // here is readable on disk); `list_item` is what a search result shows, precomputed so a
      // search never parses a whole record. `customer_term` is the search index: tagged terms
      // (see electron/core/customers/terms.ts) looked up by exact key or by prefix range.
      db.exec(`
        CREATE TABLE customer (
          customer_key        INTEGER PRIMARY KEY,
          id                  TEXT NOT NULL UNIQUE,
          customer_number     TEXT NOT NULL UNIQUE,
          kind                TEXT NOT NULL CHECK (kind IN ('individual', 'corporate')),
          legal_name          TEXT NOT NULL,
          version             INTEGER NOT NULL CHECK (version > 0),
          has_pending_changes INTEGER NOT NULL DEFAULT 0 CHECK (has_pending_changes IN (0, 1)),
          list_item           TEXT NOT NULL,
          record              TEXT NOT NULL
        ) STRICT;

        CREATE TABLE customer_term (
          term         TEXT NOT NULL,
          customer_key INTEGER NOT NULL,
          PRIMARY KEY (term, customer_key)
        ) STRICT, WITHOUT ROWID;
      `);
    },
  },
  {
    version: 3,
    name: 'the version HQ last sent of each customer',
    up(db) {
      // The scope digest compares (id, version) with HQ. A local edit bumps `version`; the
      // version HQ sent stays here, so edits not yet pushed do not look like drift. Null for a
      // customer created here and not yet at HQ.
      db.exec(`
        ALTER TABLE customer ADD COLUMN hq_version INTEGER CHECK (hq_version > 0);
        UPDATE customer SET hq_version = version WHERE has_pending_changes = 0;
      `);
    },
  },
  {
    version: 4,
    name: 'sync outbox, rejected ledger, conflict queue, evictions',
    up(db) {
      // `outbox`: local edits not yet acknowledged by HQ, in the order they were made; each row
      // is a whole Mutation (shared/protocol/mutations.ts) whose id is its idempotency key.
      // `sync_rejected`: what HQ refused (a whole mutation, or one field of it) and why, for the
      // teller to see. `sync_conflict`: identity fields changed differently on both sides,
      // waiting for a person. `sync_eviction`: customers that left this device's scope while
      // they still had edits to push; purged once the outbox holds none of theirs.
      db.exec(`
        CREATE TABLE outbox (
          seq         INTEGER PRIMARY KEY,
          mutation_id TEXT NOT NULL UNIQUE,
          customer_id TEXT NOT NULL,
          mutation    TEXT NOT NULL,
          created_at  TEXT NOT NULL
        ) STRICT;
        CREATE INDEX outbox_by_customer ON outbox (customer_id, seq);

        CREATE TABLE sync_rejected (
          id          INTEGER PRIMARY KEY,
          mutation_id TEXT NOT NULL,
          customer_id TEXT NOT NULL,
          field       TEXT,
          reason      TEXT NOT NULL,
          local_value TEXT,
          mutation    TEXT NOT NULL,
          decided_at  TEXT NOT NULL,
          UNIQUE (mutation_id, field)
        ) STRICT;

        CREATE TABLE sync_conflict (
          id           INTEGER PRIMARY KEY,
          mutation_id  TEXT NOT NULL,
          customer_id  TEXT NOT NULL,
          field        TEXT NOT NULL,
          base_value   TEXT,
          local_value  TEXT,
          hq_value     TEXT,
          hq_version   INTEGER,
          created_at   TEXT NOT NULL,
          resolved_at  TEXT,
          resolution   TEXT CHECK (resolution IN ('local', 'hq', 'value')),
          resolved_by  TEXT,
          resolution_mutation_id TEXT,
          UNIQUE (mutation_id, field)
        ) STRICT;

        CREATE TABLE sync_eviction (
          customer_id TEXT PRIMARY KEY,
          since_seq   INTEGER NOT NULL
        ) STRICT, WITHOUT ROWID;
      `);
    },
  },
  {
    version: 5,
    name: 'a second, small term index for bulk loads',
    up(db) {
      // A bulk load (an initial sync) puts the terms of new customers here, and folds them into
      // `customer_term` in one sorted pass now and then. Terms land all over the big index, so
      // writing them there page by page touched (and journaled) nearly every leaf of it on every
      // commit: a load got slower the more it had loaded. Searches read both tables.
      db.exec(`
        CREATE TABLE customer_term_recent (
          term         TEXT NOT NULL,
          customer_key INTEGER NOT NULL,
          PRIMARY KEY (term, customer_key)
        ) STRICT, WITHOUT ROWID;
      `);
    },
  },
  {
    version: 6,
    name: 'the audit log',
    up(db) {
      // Every access, as a hash chain (shared/audit/entry.ts). The triggers refuse updates and
      // deletes from any code path, ours included; only pruning (with its flag set in
      // vault_meta, in its own transaction) deletes, and it keeps the last pruned entry's hash
      // as the chain's anchor. The key holder can still drop a trigger: the chain is what shows
      // it, here (branchctl verify-audit) and at HQ.
      db.exec(`
        CREATE TABLE audit_log (
          seq       INTEGER PRIMARY KEY,
          at        TEXT NOT NULL,
          actor     TEXT NOT NULL,
          device    TEXT NOT NULL,
          action    TEXT NOT NULL,
          target    TEXT,
          details   TEXT NOT NULL,
          prev_hash TEXT NOT NULL,
          hash      TEXT NOT NULL
        ) STRICT;
        CREATE INDEX audit_log_by_target ON audit_log (target, seq) WHERE target IS NOT NULL;
        CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
        BEGIN
          SELECT RAISE(ABORT, 'the audit log is append-only');
        END;
        CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
        WHEN NOT EXISTS (SELECT 1 FROM vault_meta WHERE key = 'audit.pruning')
        BEGIN
          SELECT RAISE(ABORT, 'the audit log is append-only');
        END;
      `);
    },
  },
  {
    version: 7,
    name: 'changes waiting for a second person (maker-checker)',
    up(db) {
      // A change to identity or other sensitive fields made by a member of staff waits here,
      // not applied and not queued for HQ, until a different supervisor approves or rejects it.
      db.exec(`
        CREATE TABLE pending_change (
          id           INTEGER PRIMARY KEY,
          customer_id  TEXT NOT NULL,
          base_version INTEGER NOT NULL,
          changes      TEXT NOT NULL,
          requested_by TEXT NOT NULL,
          requested_at TEXT NOT NULL,
          status       TEXT NOT NULL DEFAULT 'pending'
                       CHECK (status IN ('pending', 'approved', 'rejected')),
          decided_by   TEXT,
          decided_at   TEXT,
          reason       TEXT
        ) STRICT;
        CREATE INDEX pending_change_by_status ON pending_change (status, id);
        CREATE INDEX pending_change_by_customer ON pending_change (customer_id, id);
      `);
    },
  },
  {
    version: 8,
    name: 'staff who signed in here (offline sign-in) and failed attempts (lockout)',
    up(db) {
      // What an online sign-in leaves for signing in offline: an Argon2id verifier of the
      // password (never the password), the TOTP secret, the roles and HQ's policy. The vault is
      // encrypted; nothing of this reaches a file in the clear.
      db.exec(`
        CREATE TABLE staff_credential (
          user_id              TEXT PRIMARY KEY,
          username             TEXT NOT NULL UNIQUE,
          display_name         TEXT NOT NULL,
          roles                TEXT NOT NULL,
          branch_id            TEXT,
          status               TEXT NOT NULL CHECK (status IN ('active', 'disabled')),
          verifier             TEXT,
          totp_secret          TEXT,
          last_totp_step       INTEGER NOT NULL DEFAULT 0,
          password_changed_at  TEXT NOT NULL,
          last_online_login_at TEXT NOT NULL,
          offline_window_hours INTEGER NOT NULL,
          idle_lock_minutes    INTEGER NOT NULL
        ) STRICT;
        CREATE TABLE login_attempt (
          username     TEXT PRIMARY KEY,
          failures     INTEGER NOT NULL,
          locked_until TEXT
        ) STRICT;
      `);
    },
  },
  {
    version: 9,
    name: 'drafts: what a member of staff was typing when the desk locked',
    up(db) {
      // One draft per user and form, in the encrypted vault (never the browser's storage): a
      // lock clears the screen, and the draft is offered back to the same user after unlock.
      db.exec(`
        CREATE TABLE desk_draft (
          user_id  TEXT NOT NULL,
          form     TEXT NOT NULL,
          body     TEXT NOT NULL,
          saved_at TEXT NOT NULL,
          PRIMARY KEY (user_id, form)
        ) STRICT;
      `);
    },
  },
  {
    version: 10,
    name: 'offline sign-in by HQ-signed grant: cached TOTP secrets removed',
    up(db) {
      // A TOTP secret cached here let anyone holding this vault pass HQ's second factor on any
      // device. Offline sign-in now needs an offline grant HQ signed for this user on this
      // device (checked with HQ's key pinned at enrollment) instead. The secrets are blanked
      // first, then their column goes; with secure_delete on (as every vault connection runs),
      // so the freed bytes are zeroed, not left in free pages. Users sign in online once to get a
      // grant before offline sign-in works again.
      db.pragma('secure_delete = ON');
      db.exec(`
        UPDATE staff_credential SET totp_secret = NULL;
        ALTER TABLE staff_credential DROP COLUMN totp_secret;
        ALTER TABLE staff_credential DROP COLUMN last_totp_step;
        ALTER TABLE staff_credential ADD COLUMN offline_grant TEXT;
        ALTER TABLE staff_credential ADD COLUMN offline_grant_signature TEXT;
      `);
    },
  },
  {
    version: 11,
    name: 'held changes remember what they replace, and may need their maker to redo them',
    up(db) {
      // A held change keeps the values it replaces (`before`), so an approval after unrelated
      // edits can tell whether any of its own fields moved: if none did it is applied to the
      // record as it stands; if one did it becomes 'redo' (its maker must make it again), with the
      // fields that moved. `note` is what the maker wrote for the supervisor. SQLite cannot widen
      // a CHECK in place: the table is rebuilt.
      db.exec(`
        CREATE TABLE pending_change_new (
          id           INTEGER PRIMARY KEY,
          customer_id  TEXT NOT NULL,
          base_version INTEGER NOT NULL,
          changes      TEXT NOT NULL,
          before       TEXT,
          note         TEXT,
          requested_by TEXT NOT NULL,
          requested_at TEXT NOT NULL,
          status       TEXT NOT NULL DEFAULT 'pending'
                       CHECK (status IN ('pending', 'approved', 'rejected', 'redo')),
          decided_by   TEXT,
          decided_at   TEXT,
          reason       TEXT,
          moved        TEXT
        ) STRICT;
        INSERT INTO pending_change_new (id, customer_id, base_version, changes, requested_by,
            requested_at, status, decided_by, decided_at, reason)
          SELECT id, customer_id, base_version, changes, requested_by, requested_at, status,
            decided_by, decided_at, reason FROM pending_change;
        DROP TABLE pending_change;
        ALTER TABLE pending_change_new RENAME TO pending_change;
        CREATE INDEX pending_change_by_status ON pending_change (status, id);
        CREATE INDEX pending_change_by_customer ON pending_change (customer_id, id);
        CREATE INDEX pending_change_by_maker ON pending_change (requested_by, id);
      `);
    },
  },
  {
    version: 12,
    name: "a person's list item carries gender and birth date",
    up(db) {
      // Search results show a person's age and gender (namesakes told apart); the list item keeps
      // the birth date so the age is counted on the day of the search. Items written before
      // take both from the record they summarise.
      db.exec(`
        UPDATE customer
           SET list_item = json_set(list_item,
                 '$.gender', json_extract(record, '$.gender'),
                 '$.birthDate', json_extract(record, '$.birthDate'))
         WHERE kind = 'individual'
           AND json_extract(record, '$.gender') IS NOT NULL
           AND json_extract(record, '$.birthDate') IS NOT NULL;
      `);
    },
  },
  {
    version: 13,
    name: 'acknowledged mutations kept, content hashes of master records',
    up(db) {
      // `sync_acknowledged`: mutations HQ applied, kept after their acknowledgement for a window
      // (sync/outbox.ts RETAIN_ACKNOWLEDGED_DAYS), to be sent again if HQ is restored from a
      // backup older than them (sync/epoch.ts). `customer.hq_hash`: the content hash of the
      // master record HQ last sent, which the scope digest compares (sync/scope-check.ts);
      // unknown for records stored before, which the first digest fetches again.
      db.exec(`
        CREATE TABLE sync_acknowledged (
          mutation_id     TEXT PRIMARY KEY,
          customer_id     TEXT NOT NULL,
          mutation        TEXT NOT NULL,
          hlc             TEXT NOT NULL,
          acknowledged_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX sync_acknowledged_by_time ON sync_acknowledged (acknowledged_at);
        ALTER TABLE customer ADD COLUMN hq_hash TEXT;
      `);
    },
  },
  {
    version: 14,
    name: 'phones and addresses get stable ids',
    // HQ merges them entry by entry; stored lists get the ids HQ's migration 012 gives them.
    up: giveListEntriesIds,
  },
  {
    version: 15,
    name: 'the scope digest reads an index, not the records',
    up(db) {
      // Every pull ends with the scope digest over what the device holds from HQ, in id order
      // (sync/scope-check.ts). Without this index it read each row through the id index, the
      // record with it: 2.8 s on 100k customers here, 0.26 s from this covering index (about
      // 110 bytes a customer).
      db.exec(`
        CREATE INDEX customer_scope ON customer (id, hq_hash, has_pending_changes, hq_version)
          WHERE hq_version IS NOT NULL;
      `);
    },
  },
  {
    version: 16,
    name: 'records are kept compressed',
    up(db) {
      // A record as JSON made its row too big for two to share a 4 KB page: half of every page
      // was empty. Records are now compressed (customers/record-codec.ts), about a quarter of
      // their size. A STRICT table cannot change a column's type in place: it is rebuilt, and the
      // old pages are zeroed as they are freed (secure_delete), so no plaintext JSON is left in
      // free pages for a later reading of the file (the vault is encrypted all the same).
      // Customer numbers stay unique through a named index rather than a column constraint: an
      // index can be dropped, so a snapshot builds it once at its end, sorted, where keeping it
      // row by row in random order tripled the time to write the rows (sync/snapshot.ts).
      db.pragma('secure_delete = ON');
      db.function('pack_record', { deterministic: true }, (json) => packRecordJson(json as string));
      db.exec(`
        CREATE TABLE customer_new (
          customer_key        INTEGER PRIMARY KEY,
          id                  TEXT NOT NULL UNIQUE,
          customer_number     TEXT NOT NULL,
          kind                TEXT NOT NULL CHECK (kind IN ('individual', 'corporate')),
          legal_name          TEXT NOT NULL,
          version             INTEGER NOT NULL CHECK (version > 0),
          has_pending_changes INTEGER NOT NULL DEFAULT 0 CHECK (has_pending_changes IN (0, 1)),
          list_item           TEXT NOT NULL,
          record              BLOB NOT NULL,
          hq_version          INTEGER CHECK (hq_version > 0),
          hq_hash             TEXT
        ) STRICT;
        INSERT INTO customer_new (customer_key, id, customer_number, kind, legal_name, version,
            has_pending_changes, list_item, record, hq_version, hq_hash)
          SELECT customer_key, id, customer_number, kind, legal_name, version,
            has_pending_changes, list_item, pack_record(record), hq_version, hq_hash
          FROM customer ORDER BY customer_key;
        DROP TABLE customer;
        ALTER TABLE customer_new RENAME TO customer;
        CREATE UNIQUE INDEX customer_by_number ON customer (customer_number);
        CREATE INDEX customer_scope ON customer (id, hq_hash, has_pending_changes, hq_version)
          WHERE hq_version IS NOT NULL;
      `);
    },
  },
  {
    version: 17,
    name: 'held changes say whether the customer asked for them',
    up(db) {
      // A correction the customer asked for (PIPL Art. 46) follows the normal path, approval
      // included; the held change keeps the mark so the approved mutation carries it to HQ.
      db.exec(`
        ALTER TABLE pending_change ADD COLUMN correction INTEGER NOT NULL DEFAULT 0
          CHECK (correction IN (0, 1));
      `);
    },
  },
  {
    version: 18,
    name: 'privacy notices received from HQ',
    up(db) {
      // Not customer data, but kept in the vault like everything HQ sends: the desk shows the
      // notice in force offline, and a consent names a version this device can show again.
      db.exec(`
        CREATE TABLE privacy_notice (
          version        TEXT PRIMARY KEY,
          seq            INTEGER NOT NULL UNIQUE CHECK (seq > 0),
          published_at   TEXT NOT NULL,
          effective_from TEXT NOT NULL,
          title_zh       TEXT NOT NULL,
          body_zh        TEXT NOT NULL,
          title_en       TEXT NOT NULL,
          body_en        TEXT NOT NULL
        ) STRICT;
      `);
    },
  },
  {
    version: 19,
    name: 'the book: what the portfolio home reads of each customer',
    up(db) {
      // The home (工作台) counts an RM's book or a whole branch (shared/insight/book.ts) without
      // unpacking a record: each customer's facts (JSON, for the rating and the tasks) and one
      // column per question the home asks, in a table of its own. SQLite counts from the narrow
      // covering index; a book is a range of it (by RM). The store writes a customer's row with its
      // record; a trigger removes it with the record, whoever deletes it. A relationship manager's
      // own book is theirs offline too: the staff cache keeps their RM id.
      registerBookRow(db);
      db.exec(`
        ALTER TABLE staff_credential ADD COLUMN rm_id TEXT;
        CREATE TABLE customer_book (
          customer_key        INTEGER PRIMARY KEY,
          rm                  TEXT,
          segment             TEXT NOT NULL,
          risk                TEXT NOT NULL,
          kyc_due             TEXT NOT NULL,
          document_expires_on TEXT,
          last_visit_on       TEXT,
          birth_month_day     TEXT,
          task_due            TEXT,
          facts               TEXT NOT NULL
        ) STRICT;
        CREATE INDEX customer_book_figures ON customer_book (rm, segment, risk, kyc_due,
          document_expires_on, last_visit_on, birth_month_day, task_due);
        CREATE TRIGGER customer_book_follows_delete AFTER DELETE ON customer BEGIN
          DELETE FROM customer_book WHERE customer_key = old.customer_key;
        END;
        INSERT INTO customer_book (customer_key, rm, segment, risk, kyc_due, document_expires_on,
            last_visit_on, birth_month_day, task_due, facts)
          SELECT customer_key, row ->> 'rm', row ->> 'segment', row ->> 'risk', row ->> 'kycDue',
            row ->> 'documentExpiresOn', row ->> 'lastVisitOn', row ->> 'birthMonthDay',
            row ->> 'taskDue', row ->> 'facts'
          FROM (SELECT customer_key, book_row(record) AS row FROM customer)
          ORDER BY customer_key;
      `);
    },
  },
  {
    version: 20,
    name: 'rule tables received from HQ',
    up(db) {
      // The AML risk-rating tables HQ published (docs/INSIGHT.md): the device rates offline with
      // the latest it can read. Not customer data; kept in the vault like everything HQ sends.
      db.exec(`
        CREATE TABLE rule_table (
          seq          INTEGER PRIMARY KEY CHECK (seq > 0),
          kind         TEXT NOT NULL,
          version      TEXT NOT NULL,
          published_at TEXT NOT NULL,
          body         TEXT NOT NULL,
          UNIQUE (kind, version)
        ) STRICT;
      `);
    },
  },
  {
    version: 21,
    name: 'the book: assets by band and deposits maturing',
    up(db) {
      // Accounts now carry a balance and a time deposit's maturity (HQ's accounts summary): the
      // book gains a column for each question, its covering index is rebuilt with them, and every
      // row is rewritten from its record (records from before have neither: band under 50k).
      registerBookRow(db);
      db.exec(`
        ALTER TABLE customer_book ADD COLUMN aum_band TEXT NOT NULL DEFAULT 'under_50k';
        ALTER TABLE customer_book ADD COLUMN matures_on TEXT;
        DROP INDEX customer_book_figures;
        CREATE INDEX customer_book_figures ON customer_book (rm, segment, risk, kyc_due,
          document_expires_on, last_visit_on, birth_month_day, task_due, aum_band, matures_on);
        UPDATE customer_book SET aum_band = row ->> 'aumBand', matures_on = row ->> 'maturesOn',
            facts = row ->> 'facts'
          FROM (SELECT customer_key AS key, book_row(record) AS row FROM customer)
          WHERE customer_book.customer_key = key;
      `);
    },
  },
  {
    version: 22,
    name: 'the book: segments and life-cycle stages by rule',
    up(db) {
      // Segments are computed by the rules HQ publishes (shared/insight/segment.ts), at each
      // reading with the table in force: the book keeps the figures they compare (assets in yuan,
      // when the relationship began, the latest closure) instead of the segment HQ last recorded,
      // which leaves the covering index. Every row is rewritten from its record.
      registerBookRow(db);
      db.exec(`
        ALTER TABLE customer_book ADD COLUMN aum INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE customer_book ADD COLUMN since TEXT;
        ALTER TABLE customer_book ADD COLUMN last_closed_on TEXT;
        DROP INDEX customer_book_figures;
        CREATE INDEX customer_book_figures ON customer_book (rm, risk, kyc_due,
          document_expires_on, last_visit_on, birth_month_day, task_due, aum_band, matures_on, aum,
          since, last_closed_on);
        UPDATE customer_book SET aum = row ->> 'aum', since = row ->> 'since',
            last_closed_on = row ->> 'lastClosedOn', facts = row ->> 'facts'
          FROM (SELECT customer_key AS key, book_row(record) AS row FROM customer)
          WHERE customer_book.customer_key = key;
      `);
    },
  },
  {
    version: 23,
    name: 'the book: open complaints',
    up(db) {
      // Complaints and suggestions (投诉与建议) are entries of the customer's record; the book keeps
      // the earliest due date of the open ones, so the complaint list (and its overdue ones) is a
      // range of a small partial index rather than a reading of every record. None existed before.
      db.exec(`
        ALTER TABLE customer_book ADD COLUMN complaint_due TEXT;
        CREATE INDEX customer_book_complaints ON customer_book (complaint_due, rm)
          WHERE complaint_due IS NOT NULL;
      `);
    },
  },
  {
    version: 24,
    name: 'training exercises',
    up(db) {
      // 培训模式: each try of a guided exercise by a trainee of a training profile, with where
      // the audit log stood when it began (what they did since is what is judged) and the
      // customer of the training vault it is about. Empty in every production vault.
      db.exec(`
        CREATE TABLE training_run (
          id           TEXT PRIMARY KEY,
          user_id      TEXT NOT NULL,
          exercise     TEXT NOT NULL,
          started_at   TEXT NOT NULL,
          start_seq    INTEGER NOT NULL,
          customer_id  TEXT,
          task         TEXT NOT NULL,
          completed_at TEXT,
          passed       INTEGER,
          findings     TEXT NOT NULL DEFAULT '[]'
        ) STRICT;
        CREATE INDEX training_run_by_user ON training_run (user_id, exercise, started_at);
      `);
    },
  },
  {
    version: 25,
    name: 'redirects of customers merged away',
    up(db) {
      // HQ merged a customer into another (hq/merges.ts): the record leaves this vault, and its
      // id and customer number lead to the survivor from then on (an old link, a number read out
      // at the counter). Removed when an unmerge brings the customer back.
      db.exec(`
        CREATE TABLE customer_redirect (
          customer_id     TEXT PRIMARY KEY,
          customer_number TEXT NOT NULL,
          survivor_id     TEXT NOT NULL,
          survivor_number TEXT NOT NULL,
          merged_seen_at  TEXT NOT NULL
        ) STRICT;
        CREATE INDEX customer_redirect_by_number ON customer_redirect (customer_number);
      `);
    },
  },
  {
    version: 26,
    name: 'the book: data quality',
    up(db) {
      // Data quality (docs/QUALITY.md): the rules judged from the record alone kept as bits, and
      // the day its contact details were last confirmed, beside the dates the book already has,
      // so a branch is scored from one narrow index without unpacking a record. Every row is
      // rewritten from its record. quality_week keeps one score a week per book, for the trend.
      registerBookRow(db);
      db.exec(`
        ALTER TABLE customer_book ADD COLUMN quality_flags INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE customer_book ADD COLUMN confirmed_on TEXT;
        UPDATE customer_book SET quality_flags = row ->> 'qualityFlags',
            confirmed_on = row ->> 'confirmedOn', facts = row ->> 'facts'
          FROM (SELECT customer_key AS key, book_row(record) AS row FROM customer)
          WHERE customer_book.customer_key = key;
        CREATE INDEX customer_book_quality ON customer_book (rm, quality_flags, kyc_due,
          document_expires_on, confirmed_on);
        CREATE TABLE quality_week (
          book    TEXT NOT NULL,
          week    TEXT NOT NULL,
          records INTEGER NOT NULL,
          clean   INTEGER NOT NULL,
          PRIMARY KEY (book, week)
        ) STRICT, WITHOUT ROWID;
      `);
    },
  },
  {
    version: 27,
    name: 'list items and book facts are kept compressed',
    up(db) {
      // As records were in migration 16: a list item (~340 bytes of JSON) and the book's facts
      // (~440) had become a third of the vault; packed, each with a dictionary of its own keys
      // (customers/record-codec.ts), they are ~120 bytes. A list item's pending flag is read from
      // the row's column from now on. STRICT columns change type only by rebuilding the table;
      // secure_delete zeroes the old pages as they are freed.
      db.pragma('secure_delete = ON');
      db.function('pack_json', { deterministic: true }, (kind, json) =>
        packJson(kind as PackedKind, json as string),
      );
      db.exec(`
        CREATE TABLE customer_new (
          customer_key        INTEGER PRIMARY KEY,
          id                  TEXT NOT NULL UNIQUE,
          customer_number     TEXT NOT NULL,
          kind                TEXT NOT NULL CHECK (kind IN ('individual', 'corporate')),
          legal_name          TEXT NOT NULL,
          version             INTEGER NOT NULL CHECK (version > 0),
          has_pending_changes INTEGER NOT NULL DEFAULT 0 CHECK (has_pending_changes IN (0, 1)),
          list_item           BLOB NOT NULL,
          record              BLOB NOT NULL,
          hq_version          INTEGER CHECK (hq_version > 0),
          hq_hash             TEXT
        ) STRICT;
        INSERT INTO customer_new (customer_key, id, customer_number, kind, legal_name, version,
            has_pending_changes, list_item, record, hq_version, hq_hash)
          SELECT customer_key, id, customer_number, kind, legal_name, version,
            has_pending_changes, pack_json('listItem', list_item), record, hq_version, hq_hash
          FROM customer ORDER BY customer_key;
        CREATE TABLE customer_book_new (
          customer_key        INTEGER PRIMARY KEY,
          rm                  TEXT,
          segment             TEXT NOT NULL,
          risk                TEXT NOT NULL,
          kyc_due             TEXT NOT NULL,
          document_expires_on TEXT,
          last_visit_on       TEXT,
          birth_month_day     TEXT,
          task_due            TEXT,
          aum_band            TEXT NOT NULL DEFAULT 'under_50k',
          matures_on          TEXT,
          aum                 INTEGER NOT NULL DEFAULT 0,
          since               TEXT,
          last_closed_on      TEXT,
          complaint_due       TEXT,
          quality_flags       INTEGER NOT NULL DEFAULT 0,
          confirmed_on        TEXT,
          facts               BLOB NOT NULL
        ) STRICT;
        INSERT INTO customer_book_new (customer_key, rm, segment, risk, kyc_due,
            document_expires_on, last_visit_on, birth_month_day, task_due, aum_band, matures_on,
            aum, since, last_closed_on, complaint_due, quality_flags, confirmed_on, facts)
          SELECT customer_key, rm, segment, risk, kyc_due, document_expires_on, last_visit_on,
            birth_month_day, task_due, aum_band, matures_on, aum, since, last_closed_on,
            complaint_due, quality_flags, confirmed_on, pack_json('facts', facts)
          FROM customer_book ORDER BY customer_key;
        DROP TABLE customer_book;
        DROP TABLE customer;
        ALTER TABLE customer_new RENAME TO customer;
        ALTER TABLE customer_book_new RENAME TO customer_book;
        CREATE UNIQUE INDEX customer_by_number ON customer (customer_number);
        CREATE INDEX customer_scope ON customer (id, hq_hash, has_pending_changes, hq_version)
          WHERE hq_version IS NOT NULL;
        CREATE INDEX customer_book_figures ON customer_book (rm, risk, kyc_due,
          document_expires_on, last_visit_on, birth_month_day, task_due, aum_band, matures_on, aum,
          since, last_closed_on);
        CREATE INDEX customer_book_complaints ON customer_book (complaint_due, rm)
          WHERE complaint_due IS NOT NULL;
        CREATE INDEX customer_book_quality ON customer_book (rm, quality_flags, kyc_due,
          document_expires_on, confirmed_on);
        CREATE TRIGGER customer_book_follows_delete AFTER DELETE ON customer BEGIN
          DELETE FROM customer_book WHERE customer_key = old.customer_key;
        END;
      `);
    },
  },
  {
    version: 28,
    name: 'names searched whole and by their start from an index',
    up(db) {
      // A name as search compares it (customers/terms.ts searchableName), with the customer
      // number, so a search finds the customers of exactly that name, then those whose name
      // starts with it, in the order it shows them, without reading their rows: at a million
      // customers a common name's character pair is shared by thousands, each one a row read
      // (electron/core/search/search.ts). None for a restricted customer, who is never found by
      // name (PIPL Art. 47).
      db.function('search_name_of', { deterministic: true }, (record) =>
        searchNameOf(unpackRecord(record as Buffer)),
      );
      db.exec(`
        ALTER TABLE customer ADD COLUMN search_name TEXT;
        UPDATE customer SET search_name = search_name_of(record);
        CREATE INDEX customer_by_name ON customer (search_name, customer_number)
          WHERE search_name IS NOT NULL;
      `);
    },
  },
  {
    version: 29,
    name: 'a stamp of each customer’s search terms',
    up(db) {
      // customers/terms.ts termsStamp: a record replaced by one whose terms have the same stamp
      // keeps its terms without the old record being read and unpacked to find them (a delta
      // pull of 1k changes spent ~150 ms on that). None yet: the first replace reads the record.
      db.exec('ALTER TABLE customer ADD COLUMN terms_stamp INTEGER;');
    },
  },
];

export const LATEST_SCHEMA_VERSION = migrations.length;

export function schemaVersion(db: SqliteDatabase): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings `db` to `target` (default: the latest version). Refuses a database newer than this
 * build knows. Returns the versions applied.
 */
export function migrate(
  db: SqliteDatabase,
  list: readonly Migration[] = migrations,
  target: number = list.length,
): number[] {
  list.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(
        `migration ${migration.name} is numbered ${migration.version}, expected ${index + 1}`,
      );
    }
  });
  const found = schemaVersion(db);
  if (found > list.length) {
    throw new BranchDeskError('VAULT_TOO_NEW', { found, supported: list.length });
  }
  const applied: number[] = [];
  const applyAll = () => {
    for (const migration of list.slice(found, target)) {
      const step = db.transaction(() => {
        migration.up(db);
        db.pragma(`user_version = ${migration.version}`);
      });
      try {
        step.immediate();
      } catch (error) {
        throw new BranchDeskError(
          'VAULT_MIGRATION_FAILED',
          { version: migration.version },
          { cause: error },
        );
      }
      applied.push(migration.version);
    }
  };
  // A new file is made in one transaction (each migration a savepoint in it): it is whole at the
  // target version or empty, and commits once (a commit a migration took twice as long). An
  // existing one moves a version per transaction, as far as it got.
  if (found === 0) db.transaction(applyAll).immediate();
  else applyAll();
  return applied;
}
