// Follow-up (DESIGN §8, issue #6): promises to pay and the invoices they cover, disputes and
// theirs, outreach pauses, payment plans and theirs, and the notifications already delivered
// (so a restart never repeats one). Everything cascades from its company and its customer.
import type { Migration } from '../migrate';

// The DDL exactly as shipped (a shipped migration is never edited), run as one script by `up`.
const FOLLOWUP_SCHEMA = `
      CREATE TABLE payment_plans (
        id            INTEGER PRIMARY KEY,
        connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        customer_id   INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
        balance_cents INTEGER NOT NULL CHECK (balance_cents > 0),
        currency      TEXT NOT NULL,
        frequency     TEXT NOT NULL CHECK (frequency IN ('weekly','fortnightly','monthly')),
        start_date    TEXT NOT NULL,
        status        TEXT NOT NULL CHECK (status IN ('proposed','active','behind','completed','cancelled')),
        schedule_json TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        updated_at    TEXT NOT NULL
      );
      CREATE INDEX payment_plans_by_customer ON payment_plans(customer_id);

      CREATE TABLE plan_invoices (
        plan_id    INTEGER NOT NULL REFERENCES payment_plans(id) ON DELETE CASCADE,
        invoice_id INTEGER NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
        PRIMARY KEY (plan_id, invoice_id)
      );
      CREATE INDEX plan_invoices_by_invoice ON plan_invoices(invoice_id);

      CREATE TABLE promises (
        id                     INTEGER PRIMARY KEY,
        connection_id          TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        customer_id            INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
        date                   TEXT NOT NULL,
        amount_cents           INTEGER NOT NULL CHECK (amount_cents > 0),
        currency               TEXT NOT NULL,
        made_via               TEXT NOT NULL CHECK (made_via IN ('email','phone','in_person','reply','plan','other')),
        note                   TEXT NOT NULL DEFAULT '',
        status                 TEXT NOT NULL DEFAULT 'open'
                                 CHECK (status IN ('open','kept','partially_kept','broken','cancelled')),
        paid_by_deadline_cents INTEGER NOT NULL DEFAULT 0,
        kept_on                TEXT,
        broken_on              TEXT,
        plan_id                INTEGER REFERENCES payment_plans(id) ON DELETE SET NULL,
        created_at             TEXT NOT NULL,
        updated_at             TEXT NOT NULL,
        cancelled_at           TEXT
      );
      CREATE INDEX promises_by_connection ON promises(connection_id, status, date);
      CREATE INDEX promises_by_customer ON promises(customer_id);
      CREATE INDEX promises_by_plan ON promises(plan_id) WHERE plan_id IS NOT NULL;

      CREATE TABLE promise_invoices (
        promise_id INTEGER NOT NULL REFERENCES promises(id) ON DELETE CASCADE,
        invoice_id INTEGER NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
        PRIMARY KEY (promise_id, invoice_id)
      );
      CREATE INDEX promise_invoices_by_invoice ON promise_invoices(invoice_id);

      CREATE TABLE disputes (
        id              INTEGER PRIMARY KEY,
        connection_id   TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        customer_id     INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
        reason          TEXT NOT NULL
                          CHECK (reason IN ('pricing','duplicate','not_received','quality','not_ordered','cancelled','returned','other')),
        detail          TEXT NOT NULL DEFAULT '',
        status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','resolved')),
        opened_at       TEXT NOT NULL,
        resolved_at     TEXT,
        resolution      TEXT CHECK (resolution IS NULL OR resolution IN
                          ('credit_issued','invoice_corrected','customer_accepted','written_off','other')),
        resolution_note TEXT,
        CHECK ((status = 'open') = (resolved_at IS NULL))
      );
      CREATE INDEX disputes_by_connection ON disputes(connection_id, status);
      CREATE INDEX disputes_by_customer ON disputes(customer_id);

      CREATE TABLE dispute_invoices (
        dispute_id INTEGER NOT NULL REFERENCES disputes(id) ON DELETE CASCADE,
        invoice_id INTEGER NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
        PRIMARY KEY (dispute_id, invoice_id)
      );
      CREATE INDEX dispute_invoices_by_invoice ON dispute_invoices(invoice_id);

      -- Outreach paused until a date for a whole customer (invoice_ids_json NULL) or some invoices.
      CREATE TABLE outreach_pauses (
        id               INTEGER PRIMARY KEY,
        connection_id    TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        customer_id      INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
        invoice_ids_json TEXT,
        until            TEXT NOT NULL,
        reason           TEXT NOT NULL,
        created_at       TEXT NOT NULL
      );
      CREATE INDEX outreach_pauses_by_customer ON outreach_pauses(customer_id, until);

      -- One row per notification key ever settled: shown, folded into a summary, or superseded.
      CREATE TABLE notifications_delivered (
        key           TEXT PRIMARY KEY,
        kind          TEXT NOT NULL
                        CHECK (kind IN ('promise_due_tomorrow','promise_due_today','promise_broken','approvals_waiting')),
        outcome       TEXT NOT NULL CHECK (outcome IN ('shown','grouped','superseded')),
        catch_up      INTEGER NOT NULL DEFAULT 0 CHECK (catch_up IN (0, 1)),
        connection_id TEXT REFERENCES connections(id) ON DELETE CASCADE,
        promise_id    INTEGER REFERENCES promises(id) ON DELETE CASCADE,
        customer_id   INTEGER REFERENCES customers(id) ON DELETE CASCADE,
        fire_at       TEXT NOT NULL,
        delivered_at  TEXT NOT NULL,
        reason        TEXT,
        title         TEXT,
        body          TEXT
      );
      CREATE INDEX notifications_delivered_by_time ON notifications_delivered(delivered_at);
    `;

export const followup: Migration = {
  version: 4,
  name: 'followup',
  up(db) {
    db.exec(FOLLOWUP_SCHEMA);
  },
};
