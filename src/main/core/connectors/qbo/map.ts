// Pure mapping of QuickBooks Online JSON (ledger-apis.md §1.5, field names exact) to the
// provider-neutral records the ingest repo takes. Every record is validated on its own: a bad
// one becomes a warning naming the entity and its Id and is left out, and the rest of the page
// still maps. Money is converted exactly (the number's shortest decimal form, digit by digit, in
// the record's own currency), never through float arithmetic.
import { z } from 'zod';
import { addDays, isIsoDate, type IsoDate } from '../../../../shared/dates';
import { currencyDecimals, toMinorUnits } from '../../../../shared/money';
import type {
  ApplicationRecord,
  CreditNoteRecord,
  CustomerRecord,
  InvoiceRecord,
  LedgerBatch,
  PaymentRecord,
} from '../../ledger';

/** The QBO entities Settle syncs, in dependency order (what later ones refer to comes first). */
export const QBO_ENTITIES = ['Customer', 'Invoice', 'CreditMemo', 'Payment'] as const;
export type QboEntity = (typeof QBO_ENTITIES)[number];

export interface QboMapContext {
  /** The company's home currency: used when a record has no CurrencyRef. */
  homeCurrency: string;
  /** SalesTerm Id → days, when known. Names like "Net 30" and "Due on receipt" are understood without it. */
  termsById?: ReadonlyMap<string, number>;
}

/** An object CDC reports as deleted: only its Id and when it went. */
export interface QboTombstone {
  entity: QboEntity;
  externalId: string;
  /** UTC ISO instant (the tombstone's MetaData.LastUpdatedTime). */
  deletedAt: string;
}

/** Part of a credit memo applied to an invoice through a payment's lines (QBO has no other way). */
export interface CreditApplication {
  creditMemoId: string;
  paymentId: string;
  invoiceExternalId: string;
  amountCents: number;
  appliedOn: IsoDate;
}

export type MapOutcome<T> = { ok: true; value: T; warnings: string[] } | { ok: false; warning: string };

export interface MappedPayment {
  payment: PaymentRecord;
  /** Credit memos this payment applied, by invoice (the payment's own applications exclude them). */
  credits: CreditApplication[];
}

export interface MappedPage {
  batch: LedgerBatch;
  tombstones: QboTombstone[];
  /** Payment pages: the credit memo applications of each payment mapped (every payment is listed, possibly with none). */
  credits: Map<string, CreditApplication[]>;
  warnings: string[];
  /** Objects in the page (good, bad and deleted). */
  records: number;
}

/** Thrown inside a record's mapping; caught per record and turned into its warning. */
class RecordProblem extends Error {}

function problem(message: string): never {
  throw new RecordProblem(message);
}

// ---- schemas: only the fields Settle reads; anything else is ignored -----------------------

const Id = z.union([z.string().min(1), z.number().int().nonnegative()]).transform(String);
const Ref = z.object({ value: Id, name: z.string().nullish() });
const Amount = z.union([z.number(), z.string()]);
const Text = z.string().nullish();
const Meta = z.object({ LastUpdatedTime: z.string() });
const Address = z.object({
  Line1: Text,
  Line2: Text,
  Line3: Text,
  City: Text,
  CountrySubDivisionCode: Text,
  PostalCode: Text,
  Country: Text,
});

const CustomerJson = z.object({
  Id,
  MetaData: Meta,
  DisplayName: z.string().min(1),
  CompanyName: Text,
  GivenName: Text,
  FamilyName: Text,
  PrimaryEmailAddr: z.object({ Address: Text }).nullish(),
  PrimaryPhone: z.object({ FreeFormNumber: Text }).nullish(),
  BillAddr: Address.nullish(),
  CurrencyRef: Ref.nullish(),
  SalesTermRef: Ref.nullish(),
  Active: z.boolean().nullish(),
  Job: z.boolean().nullish(),
  ParentRef: Ref.nullish(),
});

const SalesLines = z.array(z.unknown()).optional();

const InvoiceJson = z.object({
  Id,
  MetaData: Meta,
  DocNumber: Text,
  TxnDate: z.string(),
  DueDate: z.string().nullish(),
  CurrencyRef: Ref.nullish(),
  CustomerRef: Ref,
  SalesTermRef: Ref.nullish(),
  PrivateNote: Text,
  Line: SalesLines,
  TotalAmt: Amount,
  Balance: Amount,
});

const LinkedTxn = z.object({ TxnId: Id, TxnType: z.string() });
const PaymentLine = z.object({ Amount, LinkedTxn: z.array(LinkedTxn).nullish() });

const PaymentJson = z.object({
  Id,
  MetaData: Meta,
  TxnDate: z.string(),
  CurrencyRef: Ref.nullish(),
  CustomerRef: Ref,
  TotalAmt: Amount,
  UnappliedAmt: Amount.nullish(),
  PaymentRefNum: Text,
  PaymentMethodRef: Ref.nullish(),
  Line: z.array(PaymentLine).optional(),
});

const CreditMemoJson = z.object({
  Id,
  MetaData: Meta,
  DocNumber: Text,
  TxnDate: z.string(),
  CurrencyRef: Ref.nullish(),
  CustomerRef: Ref,
  PrivateNote: Text,
  CustomerMemo: z.object({ value: Text }).nullish(),
  Line: SalesLines,
  TotalAmt: Amount,
  RemainingCredit: Amount.nullish(),
  Balance: Amount.nullish(),
});

const TombstoneJson = z.object({ status: z.literal('Deleted'), Id, MetaData: Meta });

// ---- field helpers -------------------------------------------------------------------------

let knownCurrencies: Set<string> | null = null;

/** An ISO 4217 code the platform's ICU data knows (Intl accepts any three letters, so check the list). */
export function isKnownCurrency(code: string): boolean {
  if (!/^[A-Z]{3}$/.test(code)) return false;
  knownCurrencies ??= new Set(Intl.supportedValuesOf('currency'));
  return knownCurrencies.has(code);
}

function currencyOf(ref: { value: string } | null | undefined, ctx: QboMapContext): string {
  const code = ref?.value ?? ctx.homeCurrency;
  if (!isKnownCurrency(code)) problem(`unknown currency ${JSON.stringify(code)} in CurrencyRef`);
  return code;
}

/**
 * Exact minor units of a QBO amount (a JSON number or a decimal string) in `currency`.
 * A number goes through its shortest round-trip decimal form (what the JSON said), so
 * 0.30000000000000004 is 30 cents and 1234.5 is 123450. Non-finite, exponent-sized and
 * out-of-range values are refused rather than guessed.
 */
export function moneyToMinor(value: number | string, currency: string, field = 'amount'): number {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) problem(`${field} is not a finite number`);
    text = String(value);
  } else {
    text = value.trim();
  }
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(text)) problem(`${field} is not a decimal amount (got ${JSON.stringify(value)})`);
  const negative = text.startsWith('-');
  const [rawWhole = '', frac = ''] = text.replace(/^[+-]/, '').split('.');
  const whole = rawWhole.replace(/^0+/, '');
  const digits = currencyDecimals(currency);
  // Whole digits beyond what a safe integer of minor units can hold are refused up front.
  if (whole.length > String(Math.floor(Number.MAX_SAFE_INTEGER / 10 ** digits)).length) problem(`${field} is too large (${text})`);
  if (whole.length + digits <= 15) {
    // Fast path, still exact: both parts are integers well inside 2^53. Same rounding as
    // toMinorUnits: half away from zero on the first dropped digit.
    let minor = Number(whole || '0') * 10 ** digits + Number(frac.slice(0, digits).padEnd(digits, '0') || '0');
    if (frac.length > digits && (frac.charCodeAt(digits) - 48) >= 5) minor += 1;
    return negative && minor !== 0 ? -minor : minor;
  }
  try {
    return toMinorUnits(text, currency);
  } catch (err) {
    problem(`${field} ${err instanceof Error ? err.message : 'is not an amount'}`);
  }
}

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|([+-])(\d{2}):(\d{2}))$/;
const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isoCache = new Map<string, string | null>();

/** A QBO date-time (any UTC offset) as a UTC ISO instant with milliseconds; null when malformed. */
export function toUtcIso(value: string): string | null {
  const hit = isoCache.get(value);
  if (hit !== undefined) return hit;
  const iso = parseInstant(value);
  // Records of one page often share a timestamp (bulk edits, imports); keep the cache small.
  if (isoCache.size > 5000) isoCache.clear();
  isoCache.set(value, iso);
  return iso;
}

function parseInstant(value: string): string | null {
  const m = INSTANT.exec(value);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const hh = Number(m[4]);
  const mi = Number(m[5]);
  const ss = Number(m[6]);
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  if (mo < 1 || mo > 12 || d < 1 || d > (mo === 2 && !leap ? 28 : (MONTH_DAYS[mo - 1] as number))) return null;
  if (hh > 23 || mi > 59 || ss > 59) return null;
  let offset = 0;
  if (m[8] !== 'Z') {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return null;
    offset = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const ms = Number((m[7] ?? '').slice(0, 3).padEnd(3, '0'));
  const utc = Date.UTC(y, mo - 1, d, hh, mi, ss, ms) - offset * 60_000;
  return Number.isFinite(utc) ? new Date(utc).toISOString() : null;
}

function instant(value: string, field: string): string {
  const iso = toUtcIso(value);
  if (iso === null) problem(`${field} is not an ISO date-time (got ${JSON.stringify(value)})`);
  return iso;
}

function ledgerDate(value: string, field: string): IsoDate {
  if (!isIsoDate(value)) problem(`${field} is not a YYYY-MM-DD date (got ${JSON.stringify(value)})`);
  return value;
}

/** Days of a sales term, from the id table when given, else from its name. */
export function termsDays(ref: { value: string; name?: string | null } | null | undefined, ctx: QboMapContext): number | null {
  if (!ref) return null;
  const known = ctx.termsById?.get(ref.value);
  if (known !== undefined) return known;
  const name = (ref.name ?? '').trim();
  const net = /^net\s*(\d{1,3})(\s*days?)?$/i.exec(name);
  if (net) return Number(net[1]);
  if (/^due\s+(on|upon)\s+receipt$/i.test(name)) return 0;
  return null;
}

function clean(s: string | null | undefined): string | null {
  const t = s?.trim();
  return t ? t : null;
}

function joinAddress(a: z.infer<typeof Address> | null | undefined): string | null {
  if (!a) return null;
  const region = [clean(a.CountrySubDivisionCode), clean(a.PostalCode)].filter(Boolean).join(' ');
  const parts = [clean(a.Line1), clean(a.Line2), clean(a.Line3), clean(a.City), region || null, clean(a.Country)].filter(Boolean);
  return parts.length ? parts.join(', ') : null;
}

/**
 * QBO keeps a voided transaction readable with its amounts zeroed and a PrivateNote that
 * starts with "Voided" (ledger-apis.md §1.5). Both must hold: a zero total alone is not a void.
 */
export function isVoided(totalCents: number, balanceCents: number, privateNote: string | null | undefined): boolean {
  return totalCents === 0 && balanceCents === 0 && /^\s*voided\b/i.test(privateNote ?? '');
}

function idOf(raw: unknown): string | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const id = (raw as { Id?: unknown }).Id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
}

function describeZod(err: z.ZodError): string {
  const issue = err.issues[0];
  if (!issue) return 'is malformed';
  const path = issue.path.map(String).join('.') || 'record';
  // A union (Id, amounts) reports its alternatives' issues; the first one says what arrived.
  const nested = (issue as { errors?: { message: string }[][] }).errors?.[0]?.[0]?.message;
  const message = nested ?? issue.message;
  if (/received undefined$/.test(message)) return `${path} is missing`;
  if (/received null$/.test(message)) return `${path} is null`;
  return `${path}: ${message}`;
}

function run<T>(entity: QboEntity, raw: unknown, index: number | null, fn: (warnings: string[]) => T): MapOutcome<T> {
  const warnings: string[] = [];
  try {
    return { ok: true, value: fn(warnings), warnings };
  } catch (err) {
    if (!(err instanceof RecordProblem) && !(err instanceof z.ZodError)) throw err;
    const id = idOf(raw);
    const who = id !== null ? `${entity} ${id}` : `${entity} without an Id${index !== null ? ` (#${index + 1} in the page)` : ''}`;
    const why = err instanceof z.ZodError ? describeZod(err) : err.message;
    return { ok: false, warning: `${who} skipped: ${why}` };
  }
}

// ---- the entities --------------------------------------------------------------------------

export function mapCustomer(raw: unknown, ctx: QboMapContext, index: number | null = null): MapOutcome<CustomerRecord> {
  return run('Customer', raw, index, () => {
    const c = CustomerJson.parse(raw);
    const contact = [clean(c.GivenName), clean(c.FamilyName)].filter(Boolean).join(' ');
    const parent = c.Job === true && c.ParentRef ? c.ParentRef.value : null;
    if (parent === c.Id) problem('ParentRef points at the customer itself');
    return {
      externalId: c.Id,
      parentExternalId: parent,
      name: c.DisplayName.trim() || c.DisplayName,
      companyName: clean(c.CompanyName),
      contactName: contact || null,
      email: clean(c.PrimaryEmailAddr?.Address),
      phone: clean(c.PrimaryPhone?.FreeFormNumber),
      address: joinAddress(c.BillAddr),
      termsLabel: clean(c.SalesTermRef?.name),
      termsDays: termsDays(c.SalesTermRef, ctx),
      currency: currencyOf(c.CurrencyRef, ctx),
      active: c.Active !== false,
      updatedAt: instant(c.MetaData.LastUpdatedTime, 'MetaData.LastUpdatedTime'),
      deletedAt: null,
    };
  });
}

export function mapInvoice(raw: unknown, ctx: QboMapContext, index: number | null = null): MapOutcome<InvoiceRecord> {
  return run('Invoice', raw, index, (warnings) => {
    const inv = InvoiceJson.parse(raw);
    const currency = currencyOf(inv.CurrencyRef, ctx);
    const issueDate = ledgerDate(inv.TxnDate, 'TxnDate');
    let dueDate: IsoDate;
    if (inv.DueDate != null) {
      dueDate = ledgerDate(inv.DueDate, 'DueDate');
    } else {
      const days = termsDays(inv.SalesTermRef, ctx);
      if (days === null) problem('DueDate is missing and its terms are unknown');
      dueDate = addDays(issueDate, days);
      warnings.push(`Invoice ${inv.Id}: DueDate is missing; used TxnDate + ${days} days (${inv.SalesTermRef?.name ?? 'terms'})`);
    }
    const totalCents = moneyToMinor(inv.TotalAmt, currency, 'TotalAmt');
    const balanceCents = moneyToMinor(inv.Balance, currency, 'Balance');
    const status: InvoiceRecord['status'] = isVoided(totalCents, balanceCents, inv.PrivateNote)
      ? 'void'
      : balanceCents === 0
        ? 'paid'
        : 'open';
    return {
      externalId: inv.Id,
      customerExternalId: inv.CustomerRef.value,
      number: clean(inv.DocNumber) ?? inv.Id,
      issueDate,
      dueDate,
      currency,
      totalCents,
      balanceCents,
      status,
      memo: clean(inv.PrivateNote),
      updatedAt: instant(inv.MetaData.LastUpdatedTime, 'MetaData.LastUpdatedTime'),
      deletedAt: null,
    };
  });
}

export function mapPayment(raw: unknown, ctx: QboMapContext, index: number | null = null): MapOutcome<MappedPayment> {
  return run('Payment', raw, index, (warnings) => {
    const p = PaymentJson.parse(raw);
    const currency = currencyOf(p.CurrencyRef, ctx);
    const date = ledgerDate(p.TxnDate, 'TxnDate');
    const invoiceLines: { invoice: string; cents: number }[] = [];
    const creditLines: { memo: string; cents: number }[] = [];
    for (const [i, line] of (p.Line ?? []).entries()) {
      const links = (line.LinkedTxn ?? []).filter((l) => l.TxnType === 'Invoice' || l.TxnType === 'CreditMemo');
      if (links.length === 0) continue; // a deposit or other line: not an application
      if (links.length > 1) problem(`Line ${i + 1} links ${links.length} transactions, so its amount cannot be split`);
      const link = links[0] as z.infer<typeof LinkedTxn>;
      const cents = moneyToMinor(line.Amount, currency, `Line ${i + 1} Amount`);
      if (cents < 0) problem(`Line ${i + 1} Amount is negative`);
      if (cents === 0) continue;
      if (link.TxnType === 'Invoice') invoiceLines.push({ invoice: link.TxnId, cents });
      else creditLines.push({ memo: link.TxnId, cents });
    }
    // Credit lines pay invoice lines first (in line order); what is left of each invoice line is cash.
    const credits: CreditApplication[] = [];
    const remaining = invoiceLines.map((l) => ({ ...l }));
    let k = 0;
    for (const c of creditLines) {
      let left = c.cents;
      while (left > 0 && k < remaining.length) {
        const target = remaining[k] as { invoice: string; cents: number };
        const take = Math.min(left, target.cents);
        if (take > 0) {
          credits.push({ creditMemoId: c.memo, paymentId: p.Id, invoiceExternalId: target.invoice, amountCents: take, appliedOn: date });
          target.cents -= take;
          left -= take;
        }
        if (target.cents === 0) k++;
      }
      if (left > 0) {
        warnings.push(`Payment ${p.Id}: credit memo ${c.memo} line exceeds the invoices it pays by ${left} minor units; the excess is ignored`);
      }
    }
    const applications: ApplicationRecord[] = remaining
      .filter((l) => l.cents > 0)
      .map((l) => ({ invoiceExternalId: l.invoice, amountCents: l.cents, appliedOn: date }));
    const payment: PaymentRecord = {
      externalId: p.Id,
      customerExternalId: p.CustomerRef.value,
      date,
      currency,
      amountCents: moneyToMinor(p.TotalAmt, currency, 'TotalAmt'),
      unappliedCents: p.UnappliedAmt == null ? 0 : moneyToMinor(p.UnappliedAmt, currency, 'UnappliedAmt'),
      reference: clean(p.PaymentRefNum),
      method: clean(p.PaymentMethodRef?.name),
      applications,
      updatedAt: instant(p.MetaData.LastUpdatedTime, 'MetaData.LastUpdatedTime'),
      deletedAt: null,
    };
    return { payment, credits };
  });
}

/** A credit memo as a credit note; its applications come from payments (see credit-links.ts) and start empty. */
export function mapCreditMemo(raw: unknown, ctx: QboMapContext, index: number | null = null): MapOutcome<CreditNoteRecord> {
  return run('CreditMemo', raw, index, () => {
    const cm = CreditMemoJson.parse(raw);
    const currency = currencyOf(cm.CurrencyRef, ctx);
    const totalCents = moneyToMinor(cm.TotalAmt, currency, 'TotalAmt');
    const left = cm.RemainingCredit ?? cm.Balance;
    const remainingCents = left == null ? 0 : moneyToMinor(left, currency, cm.RemainingCredit != null ? 'RemainingCredit' : 'Balance');
    const status: CreditNoteRecord['status'] = isVoided(totalCents, remainingCents, cm.PrivateNote)
      ? 'void'
      : remainingCents === 0
        ? 'applied'
        : 'open';
    return {
      externalId: cm.Id,
      customerExternalId: cm.CustomerRef.value,
      number: clean(cm.DocNumber),
      date: ledgerDate(cm.TxnDate, 'TxnDate'),
      currency,
      totalCents,
      remainingCents,
      status,
      reason: clean(cm.PrivateNote) ?? clean(cm.CustomerMemo?.value),
      applications: [],
      updatedAt: instant(cm.MetaData.LastUpdatedTime, 'MetaData.LastUpdatedTime'),
      deletedAt: null,
    };
  });
}

/** CDC's reduced form of a deleted object: `{"status":"Deleted","Id":…,"MetaData":{"LastUpdatedTime":…}}`. */
export function isTombstone(raw: unknown): boolean {
  return typeof raw === 'object' && raw !== null && (raw as { status?: unknown }).status === 'Deleted';
}

export function mapTombstone(entity: QboEntity, raw: unknown, index: number | null = null): MapOutcome<QboTombstone> {
  return run(entity, raw, index, () => {
    const t = TombstoneJson.parse(raw);
    return { entity, externalId: t.Id, deletedAt: instant(t.MetaData.LastUpdatedTime, 'MetaData.LastUpdatedTime') };
  });
}

/**
 * Maps one page of one entity (a query page or one entity's part of a CDC response). Bad
 * records become warnings; tombstones are collected apart (they carry no ledger fields).
 */
export function mapPage(entity: QboEntity, rows: readonly unknown[] | null | undefined, ctx: QboMapContext): MappedPage {
  const out: MappedPage = { batch: {}, tombstones: [], credits: new Map(), warnings: [], records: 0 };
  const list = rows ?? [];
  out.records = list.length;
  const customers: CustomerRecord[] = [];
  const invoices: InvoiceRecord[] = [];
  const payments: PaymentRecord[] = [];
  const creditNotes: CreditNoteRecord[] = [];
  for (const [i, raw] of list.entries()) {
    if (isTombstone(raw)) {
      const t = mapTombstone(entity, raw, i);
      if (t.ok) out.tombstones.push(t.value);
      else out.warnings.push(t.warning);
      continue;
    }
    switch (entity) {
      case 'Customer': {
        const r = mapCustomer(raw, ctx, i);
        if (r.ok) customers.push(r.value);
        collect(out, r);
        break;
      }
      case 'Invoice': {
        const r = mapInvoice(raw, ctx, i);
        if (r.ok) invoices.push(r.value);
        collect(out, r);
        break;
      }
      case 'Payment': {
        const r = mapPayment(raw, ctx, i);
        if (r.ok) {
          payments.push(r.value.payment);
          out.credits.set(r.value.payment.externalId, r.value.credits);
        }
        collect(out, r);
        break;
      }
      case 'CreditMemo': {
        const r = mapCreditMemo(raw, ctx, i);
        if (r.ok) creditNotes.push(r.value);
        collect(out, r);
        break;
      }
    }
  }
  if (customers.length) out.batch.customers = customers;
  if (invoices.length) out.batch.invoices = invoices;
  if (payments.length) out.batch.payments = payments;
  if (creditNotes.length) out.batch.creditNotes = creditNotes;
  return out;
}

function collect<T>(out: MappedPage, r: MapOutcome<T>): void {
  if (r.ok) {
    if (r.warnings.length) out.warnings.push(...r.warnings);
  } else {
    out.warnings.push(r.warning);
  }
}
