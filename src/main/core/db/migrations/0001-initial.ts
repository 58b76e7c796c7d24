// The first schema: connections and sync bookkeeping, the receivables ledger, scores,
// overrides, notes, settings and the append-only audit log (DESIGN §5).
import type { Migration } from '../migrate';

// The DDL exactly as shipped (a shipped migration is never edited), run as one script by `up`.
const INITIAL_SCHEMA = `
      CREATE TABLE settings (
        key        TEXT PRIMARY KEY,
        value_json TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );

      CREATE TABLE connections (
        id                 TEXT PRIMARY KEY,
        provider           TEXT NOT NULL CHECK (provider IN ('demo','qbo','xero','csv')),
        name               TEXT NOT NULL,
        external_tenant_id TEXT,
        status             TEXT NOT NULL DEFAULT 'active'
                             CHECK (status IN ('active','needs_reconnect','disconnected')),
        home_currency      TEXT NOT NULL,
        options_json       TEXT NOT NULL DEFAULT '{}',
        created_at         TEXT NOT NULL,
        updated_at         TEXT NOT NULL,
        last_synced_at     TEXT
      );

      CREATE TABLE sync_runs (
        id            INTEGER PRIMARY KEY,
        connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        kind          TEXT NOT NULL,
        status        TEXT NOT NULL CHECK (status IN ('running','ok','failed')),
        started_at    TEXT NOT NULL,
        finished_at   TEXT,
        requests      INTEGER NOT NULL DEFAULT 0,
        records       INTEGER NOT NULL DEFAULT 0,
        error         TEXT
      );
      CREATE INDEX sync_runs_by_connection ON sync_runs(connection_id, started_at);

      CREATE TABLE sync_cursors (
        connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        entity        TEXT NOT NULL,
        cursor        TEXT NOT NULL,
        updated_at    TEXT NOT NULL,
        PRIMARY KEY (connection_id, entity)
      );

      CREATE TABLE customers (
        id            INTEGER PRIMARY KEY,
        connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        external_id   TEXT NOT NULL,
        parent_id     INTEGER REFERENCES customers(id) ON DELETE SET NULL,
        name          TEXT NOT NULL,
        company_name  TEXT,
        contact_name  TEXT,
        email         TEXT,
        phone         TEXT,
        address       TEXT,
        terms_label   TEXT,
        terms_days    INTEGER,
        currency      TEXT NOT NULL,
        active        INTEGER NOT NULL DEFAULT 1,
        updated_at    TEXT NOT NULL,
        deleted_at    TEXT,
        UNIQUE (connection_id, external_id)
      );
      -- Lets ON DELETE SET NULL find sub-accounts without scanning every customer.
      CREATE INDEX customers_by_parent ON customers(parent_id) WHERE parent_id IS NOT NULL;

      CREATE TABLE invoices (
        id            INTEGER PRIMARY KEY,
        connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        external_id   TEXT NOT NULL,
        customer_id   INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
        number        TEXT NOT NULL,
        issue_date    TEXT NOT NULL,
        due_date      TEXT NOT NULL,
        currency      TEXT NOT NULL,
        total_cents   INTEGER NOT NULL,
        balance_cents INTEGER NOT NULL,
        status        TEXT NOT NULL CHECK (status IN ('open','paid','void','draft')),
        memo          TEXT,
        updated_at    TEXT NOT NULL,
        deleted_at    TEXT,
        UNIQUE (connection_id, external_id)
      );
      CREATE INDEX invoices_by_customer ON invoices(customer_id);
      CREATE INDEX invoices_open ON invoices(connection_id, status) WHERE deleted_at IS NULL;

      CREATE TABLE payments (
        id              INTEGER PRIMARY KEY,
        connection_id   TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        external_id     TEXT NOT NULL,
        customer_id     INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
        date            TEXT NOT NULL,
        currency        TEXT NOT NULL,
        amount_cents    INTEGER NOT NULL,
        unapplied_cents INTEGER NOT NULL DEFAULT 0,
        reference       TEXT,
        method          TEXT,
        updated_at      TEXT NOT NULL,
        deleted_at      TEXT,
        UNIQUE (connection_id, external_id)
      );
      CREATE INDEX payments_by_customer ON payments(customer_id);

      CREATE TABLE credit_notes (
        id              INTEGER PRIMARY KEY,
        connection_id   TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        external_id     TEXT NOT NULL,
        customer_id     INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
        number          TEXT,
        date            TEXT NOT NULL,
        currency        TEXT NOT NULL,
        total_cents     INTEGER NOT NULL,
        remaining_cents INTEGER NOT NULL DEFAULT 0,
        status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','applied','void')),
        reason          TEXT,
        updated_at      TEXT NOT NULL,
        deleted_at      TEXT,
        UNIQUE (connection_id, external_id)
      );
      CREATE INDEX credit_notes_by_customer ON credit_notes(customer_id);

      -- Money moved onto an invoice by a payment or by a credit note (exactly one of them).
      CREATE TABLE payment_applications (
        id             INTEGER PRIMARY KEY,
        payment_id     INTEGER REFERENCES payments(id) ON DELETE CASCADE,
        credit_note_id INTEGER REFERENCES credit_notes(id) ON DELETE CASCADE,
        invoice_id     INTEGER NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
        applied_on     TEXT NOT NULL,
        amount_cents   INTEGER NOT NULL,
        CHECK ((payment_id IS NULL) <> (credit_note_id IS NULL))
      );
      CREATE UNIQUE INDEX applications_by_payment ON payment_applications(payment_id, invoice_id)
        WHERE payment_id IS NOT NULL;
      CREATE UNIQUE INDEX applications_by_credit ON payment_applications(credit_note_id, invoice_id)
        WHERE credit_note_id IS NOT NULL;
      CREATE INDEX applications_by_invoice ON payment_applications(invoice_id);

      -- Contact history and free notes; 'email' / 'call' / 'reminder' count as contact.
      CREATE TABLE notes (
        id            INTEGER PRIMARY KEY,
        connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        customer_id   INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
        invoice_id    INTEGER REFERENCES invoices(id) ON DELETE SET NULL,
        kind          TEXT NOT NULL CHECK (kind IN ('note','email','call','reminder')),
        body          TEXT NOT NULL,
        occurred_at   TEXT NOT NULL,
        created_at    TEXT NOT NULL
      );
      CREATE INDEX notes_by_customer ON notes(customer_id, occurred_at);
      CREATE INDEX notes_by_invoice ON notes(invoice_id) WHERE invoice_id IS NOT NULL;

      CREATE TABLE scores (
        invoice_id   INTEGER PRIMARY KEY REFERENCES invoices(id) ON DELETE CASCADE,
        score        INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
        tier         TEXT NOT NULL CHECK (tier IN ('high','medium','low')),
        next_action  TEXT NOT NULL,
        factors_json TEXT NOT NULL,
        as_of        TEXT NOT NULL,
        computed_at  TEXT NOT NULL
      );

      CREATE TABLE overrides (
        customer_id INTEGER PRIMARY KEY REFERENCES customers(id) ON DELETE CASCADE,
        tier        TEXT NOT NULL CHECK (tier IN ('high','medium','low')),
        reason      TEXT NOT NULL,
        created_at  TEXT NOT NULL
      );

      CREATE TABLE audit_log (
        id          INTEGER PRIMARY KEY,
        at          TEXT NOT NULL,
        actor       TEXT NOT NULL,
        action      TEXT NOT NULL,
        entity      TEXT,
        entity_id   TEXT,
        detail_json TEXT NOT NULL DEFAULT '{}',
        prev_hash   TEXT NOT NULL,
        hash        TEXT NOT NULL UNIQUE
      );
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    `;

export const initial: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(INITIAL_SCHEMA);
  },
};
