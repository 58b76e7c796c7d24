// The outbox (issue 5, DESIGN §5 and §8): one row per approved reminder on its way out, with a
// unique idempotency key (sent as the SMTP Message-ID, QBO requestid or Xero Idempotency-Key, so a
// retry never sends twice), the channel, the recipients, subject and body frozen at approval,
// the pay-link and PDF toggles, and what happened to it: attempts, next retry, last error, block
// reason, message id, write-back. outbox_invoices lists the invoices it is about, with the
// balance the text was written against (the re-check before sending compares with it).
// Drafts gain the two toggles the owner sets while editing.
import type { Migration } from '../migrate';

export const outbox: Migration = {
  version: 5,
  name: 'outbox',
  up(db) {
    db.exec(`
      ALTER TABLE drafts ADD COLUMN pay_link INTEGER NOT NULL DEFAULT 0 CHECK (pay_link IN (0, 1));
      ALTER TABLE drafts ADD COLUMN attach_pdf INTEGER NOT NULL DEFAULT 0 CHECK (attach_pdf IN (0, 1));

      CREATE TABLE outbox (
        id               INTEGER PRIMARY KEY,
        connection_id    TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        draft_id         INTEGER NOT NULL UNIQUE REFERENCES drafts(id) ON DELETE CASCADE,
        customer_id      INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
        idempotency_key  TEXT NOT NULL UNIQUE,
        channel          TEXT NOT NULL CHECK (channel IN ('smtp','ledger','manual')),
        recipients_json  TEXT NOT NULL,
        subject          TEXT NOT NULL,
        body             TEXT NOT NULL,
        pay_link         INTEGER NOT NULL DEFAULT 0 CHECK (pay_link IN (0, 1)),
        attach_pdf       INTEGER NOT NULL DEFAULT 0 CHECK (attach_pdf IN (0, 1)),
        approved_by      TEXT NOT NULL CHECK (approved_by IN ('owner','rule')),
        state            TEXT NOT NULL DEFAULT 'queued'
                           CHECK (state IN ('queued','sending','awaiting_owner','unconfirmed','sent','failed','blocked','cancelled')),
        attempts         INTEGER NOT NULL DEFAULT 0,
        max_attempts     INTEGER NOT NULL,
        not_before       TEXT,
        next_attempt_at  TEXT,
        sending_since    TEXT,
        last_error       TEXT,
        block_reason     TEXT,
        message_id       TEXT,
        sent_at          TEXT,
        writeback_state  TEXT NOT NULL DEFAULT 'off' CHECK (writeback_state IN ('off','pending','done','failed')),
        writeback_error  TEXT,
        writeback_at     TEXT,
        created_at       TEXT NOT NULL,
        updated_at       TEXT NOT NULL
      );
      CREATE INDEX outbox_due ON outbox(state, next_attempt_at);
      CREATE INDEX outbox_by_connection ON outbox(connection_id, state, created_at);
      CREATE INDEX outbox_rule_day ON outbox(approved_by, created_at) WHERE approved_by = 'rule';

      CREATE TABLE outbox_invoices (
        outbox_id     INTEGER NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,
        invoice_id    INTEGER NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
        number        TEXT NOT NULL,
        currency      TEXT NOT NULL,
        balance_cents INTEGER NOT NULL,
        PRIMARY KEY (outbox_id, invoice_id)
      );
      CREATE INDEX outbox_invoices_by_invoice ON outbox_invoices(invoice_id, outbox_id);
    `);
  },
};
