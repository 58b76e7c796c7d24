// Drafts: one reminder being written, with the facts it was built from (frozen as JSON, and their
// hash), its provenance (source, model, prompt version), the last fact-check and its status on the
// way to approval. draft_invoices lists the invoices a draft covers (one for an invoice draft,
// every overdue one for a customer draft). Deleting a company or a customer deletes its drafts.
import type { Migration } from '../migrate';

export const drafts: Migration = {
  version: 3,
  name: 'drafts',
  up(db) {
    db.exec(`
      CREATE TABLE drafts (
        id              INTEGER PRIMARY KEY,
        connection_id   TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        customer_id     INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
        scope           TEXT NOT NULL CHECK (scope IN ('customer','invoice')),
        invoice_id      INTEGER REFERENCES invoices(id) ON DELETE CASCADE,
        channel         TEXT NOT NULL DEFAULT 'email' CHECK (channel IN ('email')),
        tone            TEXT NOT NULL CHECK (tone IN ('friendly','firm','final')),
        subject         TEXT NOT NULL,
        body            TEXT NOT NULL,
        source          TEXT NOT NULL CHECK (source IN ('ai','template','user')),
        model           TEXT,
        prompt_version  TEXT,
        facts_json      TEXT NOT NULL,
        facts_hash      TEXT NOT NULL,
        factcheck_json  TEXT NOT NULL,
        flagged         INTEGER NOT NULL DEFAULT 0,
        to_email        TEXT,
        status          TEXT NOT NULL DEFAULT 'draft'
                        CHECK (status IN ('draft','pending_approval','approved','rejected','superseded','cancelled','failed')),
        override_reason TEXT,
        created_at      TEXT NOT NULL,
        updated_at      TEXT NOT NULL,
        CHECK ((scope = 'invoice') = (invoice_id IS NOT NULL))
      );
      CREATE INDEX drafts_by_customer ON drafts(customer_id, created_at);
      CREATE INDEX drafts_by_status ON drafts(connection_id, status, updated_at);
      CREATE INDEX drafts_by_invoice ON drafts(invoice_id) WHERE invoice_id IS NOT NULL;

      CREATE TABLE draft_invoices (
        draft_id   INTEGER NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
        invoice_id INTEGER NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
        PRIMARY KEY (draft_id, invoice_id)
      ) WITHOUT ROWID;
      CREATE INDEX draft_invoices_by_invoice ON draft_invoices(invoice_id, draft_id);
    `);
  },
};
