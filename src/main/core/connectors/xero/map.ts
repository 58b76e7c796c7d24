// Pure mapping of Xero Accounting API JSON (ledger-apis.md §2.2–2.5, field names exact) to the
// provider-neutral records the ingest repo takes. Every record is validated on its own: a bad
// one becomes a warning naming the entity and its id and is left out, and the rest of the page
// still maps. Dates arrive as MS-JSON (`/Date(1539993600000+0000)/`: milliseconds since the
// epoch, UTC; the offset is informational) or as ISO strings; calendar dates are the UTC day of
// that instant, which is how Xero encodes them (midnight UTC of the date). Money is converted
// exactly: a JSON number goes through its shortest round-trip decimal form, digit by digit.
import { isIsoDate, type IsoDate } from '../../../../shared/dates';
import { toMinorUnits } from '../../../../shared/money';
import type {
  ApplicationRecord,
  CreditNoteRecord,
  CustomerRecord,
  InvoiceRecord,
  LedgerBatch,
  PaymentRecord,
} from '../../ledger';

/** The Xero collections Settle syncs, in dependency order. */
export const XERO_ENTITIES = ['Contacts', 'Invoices', 'CreditNotes', 'Payments'] as const;
export type XeroEntity = (typeof XERO_ENTITIES)[number];

export interface XeroMapContext {
  /** The organisation's base currency: used when a record has no currency of its own. */
  baseCurrency: string;
  /** When given, invoices, credit notes and payments naming a contact it does not know are skipped with a warning. */
  knownContact?: (contactId: string) => boolean;
}

/** A contact's A/R balances as Xero reports them (Balances.AccountsReceivable), for the cross-check. */
export interface ContactBalance {
  contactId: string;
  name: string;
  currency: string;
  outstandingCents: number;
  overdueCents: number;
}

export interface XeroMappedPage {
  batch: LedgerBatch;
  /** Contacts pages: the AR balances of every contact that had them. */
  balances: ContactBalance[];
  /** Invoices pages: the live payment ids each mapped invoice lists (Payments[]), by invoice id. */
  invoicePayments: Map<string, string[]>;
  warnings: string[];
  /** Objects in the page (good, bad and filtered out). */
  records: number;
}

export type XeroMapOutcome<T> = { ok: true; value: T; warnings: string[] } | { ok: false; warning: string };

class RecordProblem extends Error {}
function problem(message: string): never {
  throw new RecordProblem(message);
}

// ---- dates -----------------------------------------------------------------------------------

const MS_DATE = /^\/Date\((-?\d{1,15})([+-]\d{4})?\)\/$/;
const ISO_LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Milliseconds since the epoch of a Xero date: `/Date(ms[+hhmm])/`, or ISO (`2018-10-20`,
 * `2018-10-20T00:00:00`, with or without a zone; no zone means UTC, as Xero's *UTC fields are).
 * Null when malformed.
 */
export function parseXeroDate(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const s = value.trim();
  const ms = MS_DATE.exec(s);
  if (ms) {
    const n = Number(ms[1]);
    if (ms[2] !== undefined) {
      const hh = Number(ms[2].slice(1, 3));
      const mm = Number(ms[2].slice(3, 5));
      if (hh > 23 || mm > 59) return null;
    }
    return Number.isSafeInteger(n) && Math.abs(n) <= 8.64e15 ? n : null;
  }
  const m = ISO_LOCAL.exec(s);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const hh = Number(m[4] ?? 0);
  const mi = Number(m[5] ?? 0);
  const ss = Number(m[6] ?? 0);
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  if (mo < 1 || mo > 12 || d < 1 || d > (mo === 2 && !leap ? 28 : (MONTH_DAYS[mo - 1] as number))) return null;
  if (hh > 23 || mi > 59 || ss > 59) return null;
  let offsetMin = 0;
  const zone = m[8];
  if (zone && zone !== 'Z') {
    const digits = zone.replace(':', '');
    const oh = Number(digits.slice(1, 3));
    const om = Number(digits.slice(3, 5));
    if (oh > 23 || om > 59) return null;
    offsetMin = (digits.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  const frac = Number((m[7] ?? '').slice(0, 3).padEnd(3, '0'));
  return Date.UTC(y, mo - 1, d, hh, mi, ss, frac) - offsetMin * 60_000;
}

/** A Xero date-time as a UTC ISO instant with milliseconds; null when malformed. */
export function xeroInstant(value: unknown): string | null {
  const ms = parseXeroDate(value);
  return ms === null ? null : new Date(ms).toISOString();
}

/** A Xero calendar date (Date, DueDate) as YYYY-MM-DD, the UTC day of its instant; null when malformed. */
export function xeroDate(value: unknown): IsoDate | null {
  const ms = parseXeroDate(value);
  if (ms === null) return null;
  const iso = new Date(ms).toISOString().slice(0, 10);
  return isIsoDate(iso) ? iso : null;
}

/** MS-JSON form of an instant (what Xero sends), for tests and the emulator. */
export function toMsJsonDate(ms: number): string {
  return `/Date(${ms}+0000)/`;
}

function instant(value: unknown, field: string): string {
  if (value === undefined || value === null || value === '') problem(`${field} is missing`);
  const iso = xeroInstant(value);
  if (iso === null) problem(`${field} is not a date (got ${JSON.stringify(value)})`);
  return iso;
}

function date(value: unknown, field: string): IsoDate {
  if (value === undefined || value === null || value === '') problem(`${field} is missing`);
  const d = xeroDate(value);
  if (d === null) problem(`${field} is not a date (got ${JSON.stringify(value)})`);
  return d;
}

// ---- money -----------------------------------------------------------------------------------

/** Exact minor units of a Xero amount (a JSON number or a decimal string) in `currency`. */
export function xeroMoney(value: unknown, currency: string, field: string): number {
  if (value === undefined || value === null) problem(`${field} is missing`);
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) problem(`${field} is not a finite number`);
    text = String(value);
  } else if (typeof value === 'string') {
    text = value.trim();
  } else {
    problem(`${field} is not an amount (got ${JSON.stringify(value)})`);
  }
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(text)) problem(`${field} is not a decimal amount (got ${JSON.stringify(value)})`);
  try {
    return toMinorUnits(text, currency);
  } catch (err) {
    problem(`${field} ${err instanceof Error ? err.message : 'is not an amount'}`);
  }
}

let knownCurrencies: Set<string> | null = null;
function currencyOf(code: unknown, ctx: XeroMapContext, field: string): string {
  const c = code === undefined || code === null || code === '' ? ctx.baseCurrency : code;
  if (typeof c !== 'string' || !/^[A-Z]{3}$/.test(c)) problem(`${field} is not a currency code (got ${JSON.stringify(c)})`);
  knownCurrencies ??= new Set(Intl.supportedValuesOf('currency'));
  if (!knownCurrencies.has(c)) problem(`${field} is an unknown currency (${c})`);
  return c;
}

// ---- small readers -----------------------------------------------------------------------------

type Obj = Record<string, unknown>;

function obj(raw: unknown): Obj {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) problem('is not an object');
  return raw as Obj;
}

function str(o: Obj, key: string): string | null {
  const v = o[key];
  if (typeof v !== 'string') return null;
  const t = v.trim();
  return t ? t : null;
}

function requiredId(o: Obj, key: string): string {
  const v = str(o, key);
  if (v === null) problem(`${key} is missing`);
  return v;
}

function contactIdOf(contact: unknown, field: string, ctx: XeroMapContext): string {
  const c = typeof contact === 'object' && contact !== null ? (contact as Obj) : null;
  const id = c ? str(c, 'ContactID') : null;
  if (id === null) problem(`${field}.ContactID is missing (unknown contact)`);
  if (ctx.knownContact && !ctx.knownContact(id)) problem(`its contact ${id} is unknown`);
  return id;
}

const ID_KEYS: Record<XeroEntity, string> = { Contacts: 'ContactID', Invoices: 'InvoiceID', CreditNotes: 'CreditNoteID', Payments: 'PaymentID' };
const SINGULAR: Record<XeroEntity, string> = { Contacts: 'Contact', Invoices: 'Invoice', CreditNotes: 'Credit note', Payments: 'Payment' };

function run<T>(entity: XeroEntity, raw: unknown, index: number | null, fn: (warnings: string[]) => T): XeroMapOutcome<T> {
  const warnings: string[] = [];
  try {
    return { ok: true, value: fn(warnings), warnings };
  } catch (err) {
    if (!(err instanceof RecordProblem)) throw err;
    const id = typeof raw === 'object' && raw !== null ? (raw as Obj)[ID_KEYS[entity]] : undefined;
    const who =
      typeof id === 'string' && id ? `${SINGULAR[entity]} ${id}` : `${SINGULAR[entity]} without an id${index !== null ? ` (#${index + 1} in the page)` : ''}`;
    return { ok: false, warning: `${who} skipped: ${err.message}` };
  }
}

// ---- contacts ----------------------------------------------------------------------------------

const CONTACT_STATUSES = new Set(['ACTIVE', 'ARCHIVED', 'GDPRREQUEST']);
const TERMS_TYPES = new Set(['DAYSAFTERBILLDATE', 'DAYSAFTERBILLMONTH', 'OFCURRENTMONTH', 'OFFOLLOWINGMONTH']);

/** PaymentTerms.Sales as a label and, when it is a fixed number of days after the invoice date, that number. */
export function salesTerms(terms: unknown): { label: string | null; days: number | null } {
  const sales = typeof terms === 'object' && terms !== null ? (terms as Obj).Sales : null;
  if (typeof sales !== 'object' || sales === null) return { label: null, days: null };
  const s = sales as Obj;
  const day = typeof s.Day === 'number' && Number.isInteger(s.Day) && s.Day >= 0 && s.Day <= 366 ? s.Day : null;
  const type = typeof s.Type === 'string' && TERMS_TYPES.has(s.Type) ? s.Type : null;
  if (day === null || type === null) return { label: null, days: null };
  switch (type) {
    case 'DAYSAFTERBILLDATE':
      return { label: day === 0 ? 'Due on receipt' : `Net ${day}`, days: day };
    case 'DAYSAFTERBILLMONTH':
      return { label: `${day} days after the end of the invoice month`, days: null };
    case 'OFCURRENTMONTH':
      return { label: `Day ${day} of the invoice month`, days: null };
    default:
      return { label: `Day ${day} of the following month`, days: null };
  }
}

function phoneOf(phones: unknown): string | null {
  if (!Array.isArray(phones)) return null;
  const list = phones.filter((p): p is Obj => typeof p === 'object' && p !== null);
  const render = (p: Obj): string | null => {
    const parts = [str(p, 'PhoneCountryCode'), str(p, 'PhoneAreaCode'), str(p, 'PhoneNumber')];
    if (!parts[2]) return null;
    return parts.filter(Boolean).join(' ');
  };
  const order = ['DEFAULT', 'DDI', 'MOBILE'];
  for (const type of order) {
    const p = list.find((x) => x.PhoneType === type);
    const r = p ? render(p) : null;
    if (r) return r;
  }
  return null;
}

function addressOf(addresses: unknown): string | null {
  if (!Array.isArray(addresses)) return null;
  const list = addresses.filter((a): a is Obj => typeof a === 'object' && a !== null);
  const render = (a: Obj): string | null => {
    const region = [str(a, 'Region'), str(a, 'PostalCode')].filter(Boolean).join(' ');
    const parts = [
      str(a, 'AddressLine1'),
      str(a, 'AddressLine2'),
      str(a, 'AddressLine3'),
      str(a, 'AddressLine4'),
      str(a, 'City'),
      region || null,
      str(a, 'Country'),
    ].filter(Boolean);
    return parts.length ? parts.join(', ') : null;
  };
  // POBOX is Xero's postal (billing) address; STREET the physical one.
  for (const type of ['POBOX', 'STREET']) {
    const a = list.find((x) => x.AddressType === type);
    const r = a ? render(a) : null;
    if (r) return r;
  }
  return null;
}

export function mapContact(raw: unknown, ctx: XeroMapContext, index: number | null = null): XeroMapOutcome<{ customer: CustomerRecord; balance: ContactBalance | null }> {
  return run('Contacts', raw, index, (warnings) => {
    const c = obj(raw);
    const id = requiredId(c, 'ContactID');
    const name = str(c, 'Name');
    if (name === null) problem('Name is missing');
    const status = str(c, 'ContactStatus') ?? 'ACTIVE';
    if (!CONTACT_STATUSES.has(status)) warnings.push(`Contact ${id}: unknown ContactStatus ${JSON.stringify(status)}; kept as active`);
    const currency = currencyOf(c.DefaultCurrency, ctx, 'DefaultCurrency');
    const terms = salesTerms(c.PaymentTerms);
    const person = [str(c, 'FirstName'), str(c, 'LastName')].filter(Boolean).join(' ');
    const customer: CustomerRecord = {
      externalId: id,
      name,
      companyName: name,
      contactName: person || null,
      email: str(c, 'EmailAddress'),
      phone: phoneOf(c.Phones),
      address: addressOf(c.Addresses),
      termsLabel: terms.label,
      termsDays: terms.days,
      currency,
      active: status !== 'ARCHIVED' && status !== 'GDPRREQUEST',
      updatedAt: instant(c.UpdatedDateUTC, 'UpdatedDateUTC'),
      deletedAt: null,
    };
    let balance: ContactBalance | null = null;
    const ar = (c.Balances as { AccountsReceivable?: unknown } | undefined)?.AccountsReceivable;
    if (typeof ar === 'object' && ar !== null) {
      const a = ar as Obj;
      balance = {
        contactId: id,
        name,
        currency,
        outstandingCents: a.Outstanding === undefined || a.Outstanding === null ? 0 : xeroMoney(a.Outstanding, currency, 'Balances.AccountsReceivable.Outstanding'),
        overdueCents: a.Overdue === undefined || a.Overdue === null ? 0 : xeroMoney(a.Overdue, currency, 'Balances.AccountsReceivable.Overdue'),
      };
    }
    return { customer, balance };
  });
}

// ---- invoices ----------------------------------------------------------------------------------

// Only AUTHORISED (and PAID) invoices are receivable, as in Xero's own Aged Receivables and contact
// balances (ledger-apis.md §2.3: open means AUTHORISED with AmountDue > 0). DRAFT and SUBMITTED
// (awaiting approval, maybe never sent) map to 'draft', which the ledger leaves out of every open
// balance, the queue and drafts' facts; once approved, the next sync brings it back as 'open'.
const INVOICE_STATUS: Record<string, InvoiceRecord['status']> = {
  DRAFT: 'draft',
  SUBMITTED: 'draft',
  AUTHORISED: 'open',
  PAID: 'paid',
  VOIDED: 'void',
  // DELETED: only drafts and submitted invoices can be deleted; kept as a draft with deletedAt.
  DELETED: 'draft',
};

export interface MappedInvoice {
  invoice: InvoiceRecord;
  /** The payments it lists (Payments[]), as payment records applied to it. */
  payments: PaymentRecord[];
}

export function mapInvoice(raw: unknown, ctx: XeroMapContext, index: number | null = null): XeroMapOutcome<MappedInvoice> {
  return run('Invoices', raw, index, (warnings) => {
    const inv = obj(raw);
    const id = requiredId(inv, 'InvoiceID');
    const rawStatus = str(inv, 'Status');
    const status = rawStatus === null ? undefined : INVOICE_STATUS[rawStatus];
    if (status === undefined) problem(`unknown Status ${JSON.stringify(rawStatus)}`);
    const customer = contactIdOf(inv.Contact, 'Contact', ctx);
    const currency = currencyOf(inv.CurrencyCode, ctx, 'CurrencyCode');
    const updatedAt = instant(inv.UpdatedDateUTC, 'UpdatedDateUTC');
    const issueDate = date(inv.Date, 'Date');
    let dueDate: IsoDate;
    if (inv.DueDate === undefined || inv.DueDate === null || inv.DueDate === '') {
      // Drafts (and invoices awaiting approval) may have no due date yet; they are never chased, so
      // the issue date stands in.
      if (status !== 'draft') problem('DueDate is missing');
      dueDate = issueDate;
    } else {
      dueDate = date(inv.DueDate, 'DueDate');
    }
    const totalCents = xeroMoney(inv.Total, currency, 'Total');
    const balanceCents = status === 'void' ? 0 : inv.AmountDue === undefined || inv.AmountDue === null ? totalCents : xeroMoney(inv.AmountDue, currency, 'AmountDue');
    const deleted = rawStatus === 'DELETED';
    const invoice: InvoiceRecord = {
      externalId: id,
      customerExternalId: customer,
      number: str(inv, 'InvoiceNumber') ?? id,
      issueDate,
      dueDate,
      currency,
      totalCents,
      balanceCents,
      status,
      memo: str(inv, 'Reference'),
      updatedAt,
      deletedAt: deleted ? updatedAt : null,
    };
    const payments: PaymentRecord[] = [];
    if (Array.isArray(inv.Payments)) {
      for (const [i, p] of inv.Payments.entries()) {
        const po = typeof p === 'object' && p !== null ? (p as Obj) : null;
        const pid = po ? str(po, 'PaymentID') : null;
        if (po === null || pid === null) {
          warnings.push(`Invoice ${id}: Payments[${i}] has no PaymentID; left out`);
          continue;
        }
        try {
          const cents = xeroMoney(po.Amount, currency, `Payments[${i}].Amount`);
          const on = date(po.Date, `Payments[${i}].Date`);
          payments.push({
            externalId: pid,
            customerExternalId: customer,
            date: on,
            currency,
            amountCents: cents,
            unappliedCents: 0,
            reference: str(po, 'Reference'),
            method: null,
            applications: cents > 0 && !deleted && status !== 'void' ? [{ invoiceExternalId: id, amountCents: cents, appliedOn: on }] : [],
            updatedAt,
            deletedAt: null,
          });
        } catch (err) {
          if (!(err instanceof RecordProblem)) throw err;
          warnings.push(`Invoice ${id}: payment ${pid} left out: ${err.message}`);
        }
      }
    }
    return { invoice, payments };
  });
}

// ---- credit notes ------------------------------------------------------------------------------

const CREDIT_STATUSES = new Set(['DRAFT', 'SUBMITTED', 'AUTHORISED', 'PAID', 'VOIDED', 'DELETED']);

/** Null value: a draft or submitted credit note, which has no effect on what is owed yet (not stored). */
export function mapCreditNote(raw: unknown, ctx: XeroMapContext, index: number | null = null): XeroMapOutcome<CreditNoteRecord | null> {
  return run('CreditNotes', raw, index, () => {
    const cn = obj(raw);
    const id = requiredId(cn, 'CreditNoteID');
    const status = str(cn, 'Status');
    if (status === null || !CREDIT_STATUSES.has(status)) problem(`unknown Status ${JSON.stringify(status)}`);
    const updatedAt = instant(cn.UpdatedDateUTC, 'UpdatedDateUTC');
    if (status === 'DRAFT' || status === 'SUBMITTED') return null;
    const customer = contactIdOf(cn.Contact, 'Contact', ctx);
    const currency = currencyOf(cn.CurrencyCode, ctx, 'CurrencyCode');
    const totalCents = xeroMoney(cn.Total, currency, 'Total');
    const deleted = status === 'DELETED';
    const voided = status === 'VOIDED';
    const remainingCents = voided || deleted ? 0 : cn.RemainingCredit === undefined || cn.RemainingCredit === null ? 0 : xeroMoney(cn.RemainingCredit, currency, 'RemainingCredit');
    const applications: ApplicationRecord[] = [];
    if (!voided && !deleted && Array.isArray(cn.Allocations)) {
      for (const [i, a] of cn.Allocations.entries()) {
        const ao = obj(a);
        if (ao.IsDeleted === true) continue;
        const invoiceId = typeof ao.Invoice === 'object' && ao.Invoice !== null ? str(ao.Invoice as Obj, 'InvoiceID') : null;
        if (invoiceId === null) problem(`Allocations[${i}].Invoice.InvoiceID is missing`);
        const cents = xeroMoney(ao.Amount, currency, `Allocations[${i}].Amount`);
        if (cents <= 0) continue;
        applications.push({ invoiceExternalId: invoiceId, amountCents: cents, appliedOn: ao.Date === undefined || ao.Date === null ? date(cn.Date, 'Date') : date(ao.Date, `Allocations[${i}].Date`) });
      }
    }
    return {
      externalId: id,
      customerExternalId: customer,
      number: str(cn, 'CreditNoteNumber'),
      date: date(cn.Date, 'Date'),
      currency,
      totalCents,
      remainingCents,
      status: voided ? 'void' : remainingCents === 0 ? 'applied' : 'open',
      reason: str(cn, 'Reference'),
      applications,
      updatedAt,
      deletedAt: deleted ? updatedAt : null,
    };
  });
}

// ---- payments ----------------------------------------------------------------------------------

const PAYMENT_STATUSES = new Set(['AUTHORISED', 'DELETED']);

/** Null value: a payment of another type (bills, refunds, overpayments), not an invoice application. */
export function mapPayment(raw: unknown, ctx: XeroMapContext, index: number | null = null): XeroMapOutcome<PaymentRecord | null> {
  return run('Payments', raw, index, () => {
    const p = obj(raw);
    const id = requiredId(p, 'PaymentID');
    const type = str(p, 'PaymentType');
    if (type !== null && type !== 'ACCRECPAYMENT') return null;
    const status = str(p, 'Status') ?? 'AUTHORISED';
    if (!PAYMENT_STATUSES.has(status)) problem(`unknown Status ${JSON.stringify(status)}`);
    const invoice = typeof p.Invoice === 'object' && p.Invoice !== null ? (p.Invoice as Obj) : null;
    const invoiceId = invoice ? str(invoice, 'InvoiceID') : null;
    if (invoice === null || invoiceId === null) problem('Invoice.InvoiceID is missing');
    if (type === null && str(invoice, 'Type') !== null && str(invoice, 'Type') !== 'ACCREC') return null;
    const customer = contactIdOf(invoice.Contact, 'Invoice.Contact', ctx);
    const currency = currencyOf(invoice.CurrencyCode, ctx, 'Invoice.CurrencyCode');
    const on = date(p.Date, 'Date');
    const cents = xeroMoney(p.Amount, currency, 'Amount');
    const updatedAt = instant(p.UpdatedDateUTC, 'UpdatedDateUTC');
    const deleted = status === 'DELETED';
    return {
      externalId: id,
      customerExternalId: customer,
      date: on,
      currency,
      amountCents: cents,
      unappliedCents: 0,
      reference: str(p, 'Reference'),
      method: null,
      applications: deleted || cents <= 0 ? [] : [{ invoiceExternalId: invoiceId, amountCents: cents, appliedOn: on }],
      updatedAt,
      deletedAt: deleted ? updatedAt : null,
    };
  });
}

// ---- pages -------------------------------------------------------------------------------------

/** The latest UpdatedDateUTC of the rows (ISO), ignoring unreadable ones; null when none. */
export function maxUpdated(rows: readonly unknown[]): string | null {
  let best: number | null = null;
  for (const r of rows) {
    if (typeof r !== 'object' || r === null) continue;
    const ms = parseXeroDate((r as Obj).UpdatedDateUTC);
    if (ms !== null && (best === null || ms > best)) best = ms;
  }
  return best === null ? null : new Date(best).toISOString();
}

export interface MapPageOptions {
  /** Invoices pages: also emit the payments each invoice lists (increments skip the Payments endpoint). */
  paymentsFromInvoices?: boolean;
}

/** Maps one page of one collection. ACCPAY invoices and non-ACCREC credit notes are filtered out silently. */
export function mapXeroPage(entity: XeroEntity, rows: readonly unknown[] | null | undefined, ctx: XeroMapContext, opts: MapPageOptions = {}): XeroMappedPage {
  const list = rows ?? [];
  const out: XeroMappedPage = { batch: {}, balances: [], invoicePayments: new Map(), warnings: [], records: list.length };
  const customers: CustomerRecord[] = [];
  const invoices: InvoiceRecord[] = [];
  const payments: PaymentRecord[] = [];
  const creditNotes: CreditNoteRecord[] = [];
  const collect = <T>(r: XeroMapOutcome<T>): T | null => {
    if (!r.ok) {
      out.warnings.push(r.warning);
      return null;
    }
    out.warnings.push(...r.warnings);
    return r.value;
  };
  for (const [i, raw] of list.entries()) {
    const type = typeof raw === 'object' && raw !== null ? (raw as Obj).Type : undefined;
    switch (entity) {
      case 'Contacts': {
        const v = collect(mapContact(raw, ctx, i));
        if (v) {
          customers.push(v.customer);
          if (v.balance) out.balances.push(v.balance);
        }
        break;
      }
      case 'Invoices': {
        if (type !== undefined && type !== 'ACCREC') break;
        const v = collect(mapInvoice(raw, ctx, i));
        if (v) {
          invoices.push(v.invoice);
          out.invoicePayments.set(v.invoice.externalId, v.payments.map((p) => p.externalId));
          if (opts.paymentsFromInvoices) payments.push(...v.payments);
        }
        break;
      }
      case 'CreditNotes': {
        if (type !== undefined && type !== 'ACCRECCREDIT') break;
        const v = collect(mapCreditNote(raw, ctx, i));
        if (v) creditNotes.push(v);
        break;
      }
      case 'Payments': {
        const v = collect(mapPayment(raw, ctx, i));
        if (v) payments.push(v);
        break;
      }
    }
  }
  if (customers.length) out.batch.customers = customers;
  if (invoices.length) out.batch.invoices = invoices;
  if (creditNotes.length) out.batch.creditNotes = creditNotes;
  if (payments.length) out.batch.payments = payments;
  return out;
}
