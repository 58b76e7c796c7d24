// The emulated company's books: Customers, Invoices, Payments and CreditMemos as QBO JSON, seeded
// from the demo company (generateDemo) and changed through the mutation API or API writes.
// Invariants kept on every change:
// - Invoice.Balance = TotalAmt − Σ Payment lines linking it; Invoice.LinkedTxn lists those payments.
// - CreditMemo.RemainingCredit (= Balance) = TotalAmt − Σ Payment lines linking it (QBO applies a
//   credit memo to an invoice through a Payment whose lines link both; such payments total 0).
// - Customer.Balance = Σ invoice balances − Σ unapplied payments − Σ remaining credit, in the
//   customer's currency; BalanceWithJobs adds the sub-customers (Job:true + ParentRef).
// - Every write advances the emulator clock by one tick, bumps SyncToken and stamps
//   MetaData.LastUpdatedTime. A transaction touching an invoice's balance bumps the invoice too.
import { addDays, isIsoDate, toEpochDay, type IsoDate } from '../../../src/shared/dates';
import { generateDemo } from '../../../src/main/core/connectors/demo/generate';
import { CITIES, FIRST_NAMES, LAST_NAMES, NAME_FORMS, NAME_HEADS, NAME_TRADES } from '../../../src/main/core/connectors/demo/names';
import { createRng } from '../../../src/main/core/connectors/demo/prng';
import type { CustomerRecord } from '../../../src/main/core/ledger/types';
import { faults } from './faults';
import type { CompanyClock } from './time';
import type {
  QboAddress,
  QboCompanyInfo,
  QboCreditMemo,
  QboCustomer,
  QboEntityMap,
  QboEntityName,
  QboInvoice,
  QboLinkedTxn,
  QboPayment,
  QboPaymentLine,
  QboRef,
  QboSalesLine,
  QboSnapshot,
  QboTombstone,
} from './types';

export interface Rec<T> {
  obj: T;
  createdMs: number;
  updatedMs: number;
}

export const ENTITIES: readonly QboEntityName[] = ['Customer', 'Invoice', 'Payment', 'CreditMemo'];

const CURRENCY_NAMES: Record<string, string> = {
  USD: 'United States Dollar',
  EUR: 'Euro',
  GBP: 'British Pound Sterling',
  CAD: 'Canadian Dollar',
  AUD: 'Australian Dollar',
};

const TERMS: Record<string, { id: string; days: number }> = {
  'Due on receipt': { id: '1', days: 0 },
  'Net 15': { id: '2', days: 15 },
  'Net 30': { id: '3', days: 30 },
  'Net 60': { id: '4', days: 60 },
};
const TERM_DAYS_BY_ID = new Map(Object.values(TERMS).map((t) => [t.id, t.days]));

const METHODS: Record<string, QboRef> = {
  Check: { value: '2', name: 'Check' },
  Card: { value: '3', name: 'Card' },
  ACH: { value: '8', name: 'ACH' },
  Wire: { value: '9', name: 'Wire' },
};
// Immutable parts are shared between records (frozen, so an accidental in-place edit throws):
// it keeps a 50k-invoice company to a sensible heap. Writes always replace whole fields.
const DEPOSIT_TO: QboRef = Object.freeze({ value: '4' });
const ITEM: QboRef = Object.freeze({ value: '1', name: 'Services' });
const TAX_CODE = Object.freeze({ value: 'NON' });
const NO_TAX = Object.freeze({ TotalTax: 0 });
const EMPTY = Object.freeze({}) as Record<string, never>;
for (const m of Object.values(METHODS)) Object.freeze(m);

export const PRIVATE_NOTE_MAX = 4000;

export const cents = (amount: number): number => Math.round(amount * 100);
export const dollars = (c: number): number => c / 100;

export interface NewCustomer {
  displayName: string;
  companyName?: string;
  givenName?: string;
  familyName?: string;
  email?: string | null;
  phone?: string | null;
  currency?: string;
  /** 'Due on receipt' | 'Net 15' | 'Net 30' | 'Net 60' (default Net 30). */
  terms?: string;
  parentId?: string;
  active?: boolean;
  notes?: string;
  address?: QboAddress;
}

export interface NewInvoice {
  customerId: string;
  /** Dollars; one line. Either this or `lines`. */
  amount?: number;
  lines?: { amount: number; description?: string }[];
  txnDate?: IsoDate;
  /** Default: txnDate + the customer's terms. */
  dueDate?: IsoDate;
  docNumber?: string;
  privateNote?: string;
  customerMemo?: string;
  /** Default: the customer's email; null for none. */
  billEmail?: string | null;
  emailStatus?: QboInvoice['EmailStatus'];
}

export interface PayOptions {
  /** Dollars applied to the invoice; default its whole balance. */
  amount?: number;
  /** Extra money on the payment not applied to anything (dollars). */
  unapplied?: number;
  date?: IsoDate;
  reference?: string;
  method?: 'Check' | 'Card' | 'ACH' | 'Wire';
}

export interface CreditOptions {
  /** Dollars applied to the invoice; default its whole balance. */
  amount?: number;
  /** Extra credit left unapplied on the memo (dollars). */
  extra?: number;
  date?: IsoDate;
  reason?: string;
}

export interface StoreOptions {
  clock: CompanyClock;
  tickMs: number;
  companyName: string;
  homeCurrency: string;
  exchangeRates: Record<string, number>;
  onlinePayments: boolean;
}

type CustTxns = Record<'Invoice' | 'Payment' | 'CreditMemo', Set<string>>;

export class QboStore {
  readonly customers = new Map<string, Rec<QboCustomer>>();
  readonly invoices = new Map<string, Rec<QboInvoice>>();
  readonly payments = new Map<string, Rec<QboPayment>>();
  readonly creditMemos = new Map<string, Rec<QboCreditMemo>>();
  readonly tombstones: QboTombstone[] = [];
  /** Bumped on any change to an entity's table (query caches key on it). */
  readonly versions: Record<QboEntityName, number> = { Customer: 0, Invoice: 0, Payment: 0, CreditMemo: 0 };
  /** Demo external id (demo-cust-1, demo-inv-1001, …) → QBO Id. */
  readonly demoIds = new Map<string, string>();
  companyInfo: QboCompanyInfo;
  readonly clock: CompanyClock;

  private nextCustomerId = 1;
  private nextTxnId = 1;
  private readonly txnsOf = new Map<string, CustTxns>();
  private readonly children = new Map<string, Set<string>>();
  private readonly names = new Set<string>();
  private readonly opts: StoreOptions;

  constructor(opts: StoreOptions) {
    this.opts = opts;
    this.clock = opts.clock;
    const created = this.clock.nowMs() - 3 * 365 * 86_400_000;
    this.companyInfo = {
      Id: '1',
      SyncToken: '4',
      domain: 'QBO',
      sparse: false,
      MetaData: { CreateTime: this.clock.meta(created), LastUpdatedTime: this.clock.meta(created) },
      CompanyName: opts.companyName,
      LegalName: opts.companyName,
      CompanyAddr: { Id: '1', Line1: '410 Alder St', City: 'Portland', CountrySubDivisionCode: 'OR', PostalCode: '97204', Country: 'US' },
      Country: 'US',
      Email: { Address: 'books@juniperfinch.example' },
      WebAddr: { URI: 'https://juniperfinch.example' },
      SupportedLanguages: 'en',
      CompanyStartDate: this.clock.date(created),
      FiscalYearStartMonth: 'January',
      NameValue: [
        { Name: 'NeoEnabled', Value: 'true' },
        { Name: 'IndustryType', Value: 'Design and printing' },
        { Name: 'OfferingSku', Value: 'QuickBooks Online Plus' },
        { Name: 'PayrollFeature', Value: 'false' },
        { Name: 'IsQbdtMigrated', Value: 'false' },
      ],
    };
  }

  // ---- lookups -------------------------------------------------------------------------------

  table<E extends QboEntityName>(entity: E): Map<string, Rec<QboEntityMap[E]>> {
    const t = { Customer: this.customers, Invoice: this.invoices, Payment: this.payments, CreditMemo: this.creditMemos }[entity];
    return t as unknown as Map<string, Rec<QboEntityMap[E]>>;
  }

  find<E extends QboEntityName>(entity: E, id: string): Rec<QboEntityMap[E]> {
    const rec = this.table(entity).get(String(id));
    if (!rec) throw faults.notFound(entity, String(id));
    return rec;
  }

  homeCurrency(): string {
    return this.opts.homeCurrency;
  }

  rate(currency: string): number {
    return currency === this.opts.homeCurrency ? 1 : (this.opts.exchangeRates[currency] ?? 1);
  }

  /** An amount (cents, in `currency`) in home-currency cents, as the A/R report shows it. */
  homeCents(c: number, currency: string): number {
    return Math.round(c * this.rate(currency));
  }

  snapshot(): QboSnapshot {
    const copy = <T>(m: Map<string, Rec<T>>): T[] => structuredClone([...m.values()].map((r) => r.obj));
    return {
      now: this.clock.stamp(),
      today: this.clock.date(),
      customers: copy(this.customers),
      invoices: copy(this.invoices),
      payments: copy(this.payments),
      creditMemos: copy(this.creditMemos),
      deleted: this.tombstones.map((t) => ({ ...t })),
    };
  }

  // ---- seeding -------------------------------------------------------------------------------

  /**
   * Fills the company from the demo generator (deterministic for the same seed, size and today).
   * `minCustomers` pads the demo's customers (about one per 15 invoices) with idle ones: customers
   * with no transactions, as every real company has.
   */
  seedDemo(seed: number, invoices: number, minCustomers = 0): void {
    const now = this.clock.nowMs();
    const today = this.clock.date(now);
    const { batch } = generateDemo({ seed, invoices, today });
    const rng = createRng((seed ^ 0x5eed_0b0) >>> 0);
    const clamp = (ms: number): number => Math.min(ms, now);
    const at = (date: IsoDate, hour: number, spanMin: number): number => this.clock.localToMs(date, hour, rng.int(0, spanMin - 1), rng.int(0, 59));

    for (const [i, c] of (batch.customers ?? []).entries()) {
      const createdMs = clamp(this.clock.localToMs(c.updatedAt.slice(0, 10), 7, i % 60, (i * 7) % 60));
      const parentId = c.parentExternalId ? this.demoIds.get(c.parentExternalId) : undefined;
      const obj = this.buildCustomer(String(this.nextCustomerId++), demoCustomerInput(c, parentId), createdMs);
      this.insert('Customer', obj, createdMs);
      this.demoIds.set(c.externalId, obj.Id);
    }

    const demoCustomers = this.customers.size;
    for (let i = demoCustomers; i < minCustomers; i++) {
      const createdMs = clamp(this.clock.localToMs(addDays(today, -rng.int(30, 700)), 7, rng.int(0, 59), rng.int(0, 59)));
      let name = `${rng.pick(NAME_HEADS)} ${rng.pick(NAME_TRADES)}${rng.pick(NAME_FORMS)}`;
      if (this.names.has(name)) name = `${name} (${rng.pick(CITIES)})`;
      for (let k = 2; this.names.has(name); k++) name = `${name.replace(/ #\d+$/, '')} #${k}`;
      const given = rng.pick(FIRST_NAMES);
      const family = rng.pick(LAST_NAMES);
      const domain = name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
      const city = rng.pick(CITIES);
      const us = /^(.*), ([A-Z]{2})$/.exec(city);
      const obj = this.buildCustomer(String(this.nextCustomerId++), {
        displayName: name,
        companyName: name,
        givenName: given,
        familyName: family,
        email: rng.chance(0.85) ? `accounts@${domain}.example` : null,
        terms: rng.pick(['Net 15', 'Net 30', 'Net 30', 'Net 60']),
        active: rng.chance(0.9),
        address: us ? { Line1: `${rng.int(1, 2400)} Main St`, City: us[1], CountrySubDivisionCode: us[2], Country: 'USA' } : { Line1: `${rng.int(1, 2400)} Main St`, City: city },
      }, createdMs);
      this.insert('Customer', obj, createdMs);
    }

    // Transactions get Ids in the order they happened, as in a real company.
    type Ev =
      | { kind: 0; ms: number; ord: number; inv: NonNullable<typeof batch.invoices>[number] }
      | { kind: 1; ms: number; ord: number; cn: NonNullable<typeof batch.creditNotes>[number] }
      | { kind: 2; ms: number; ord: number; pay: NonNullable<typeof batch.payments>[number] };
    const events: Ev[] = [];
    let ord = 0;
    for (const inv of batch.invoices ?? []) events.push({ kind: 0, ms: at(inv.issueDate, 8, 180), ord: ord++, inv });
    for (const cn of batch.creditNotes ?? []) events.push({ kind: 1, ms: at(cn.date, 11, 120), ord: ord++, cn });
    for (const pay of batch.payments ?? []) events.push({ kind: 2, ms: at(pay.date, 13, 180), ord: ord++, pay });
    events.sort((a, b) => a.ms - b.ms || a.kind - b.kind || a.ord - b.ord);

    const voids: { rec: Rec<QboInvoice>; ms: number }[] = [];
    for (const ev of events) {
      const ms = clamp(ev.ms);
      if (ev.kind === 0) {
        const { inv } = ev;
        const customerId = this.demoIds.get(inv.customerExternalId) as string;
        const cust = this.find('Customer', customerId).obj;
        const ageDays = toEpochDay(today) - toEpochDay(inv.issueDate);
        const email = cust.PrimaryEmailAddr?.Address ?? null;
        const emailStatus: QboInvoice['EmailStatus'] = !email ? 'NotSet' : ageDays <= 2 && rng.chance(0.3) ? 'NeedToSend' : 'EmailSent';
        const obj = this.buildInvoice(String(this.nextTxnId++), cust, {
          customerId,
          lines: [{ amount: dollars(inv.totalCents), description: inv.memo ?? 'Design and print services' }],
          txnDate: inv.issueDate,
          dueDate: inv.dueDate,
          docNumber: inv.number,
          ...(inv.memo ? { customerMemo: inv.memo } : {}),
          billEmail: email,
          emailStatus: 'NotSet',
        }, ms, true);
        const rec = this.insert('Invoice', obj, ms);
        this.demoIds.set(inv.externalId, obj.Id);
        if (emailStatus === 'EmailSent') {
          const sentMs = clamp(ms + rng.int(2, 30) * 60_000);
          obj.EmailStatus = 'EmailSent';
          obj.DeliveryInfo = { DeliveryType: 'Email', DeliveryTime: this.clock.meta(sentMs) };
          this.bump('Invoice', rec, sentMs);
        } else obj.EmailStatus = emailStatus;
        if (inv.status === 'void') voids.push({ rec, ms: clamp(Math.max(ms, this.clock.localToMs(addDays(inv.issueDate, rng.int(1, 6)), 16, 0))) });
      } else if (ev.kind === 1) {
        const { cn } = ev;
        const customerId = this.demoIds.get(cn.customerExternalId) as string;
        const cust = this.find('Customer', customerId).obj;
        const memo = this.buildCreditMemo(String(this.nextTxnId++), cust, cn.totalCents, cn.date, cn.number ?? `CM-${this.nextTxnId}`, cn.reason ?? null, ms);
        const memoRec = this.insert('CreditMemo', memo, ms);
        this.demoIds.set(cn.externalId, memo.Id);
        // The credit is applied to its invoice by a zero-total payment linking both.
        for (const app of cn.applications) {
          const invoiceId = this.demoIds.get(app.invoiceExternalId) as string;
          const pay = this.buildPayment(String(this.nextTxnId++), cust, { date: cn.date, totalCents: 0, unappliedCents: 0 }, ms);
          const payRec = this.insert('Payment', pay, ms);
          this.link(payRec, this.find('Invoice', invoiceId), app.amountCents, ms);
          this.link(payRec, memoRec, app.amountCents, ms);
        }
      } else {
        const { pay } = ev;
        const customerId = this.demoIds.get(pay.customerExternalId) as string;
        const cust = this.find('Customer', customerId).obj;
        const obj = this.buildPayment(String(this.nextTxnId++), cust, {
          date: pay.date,
          totalCents: pay.amountCents,
          unappliedCents: pay.amountCents,
          reference: pay.reference ?? null,
          method: pay.method ?? null,
        }, ms);
        const rec = this.insert('Payment', obj, ms);
        this.demoIds.set(pay.externalId, obj.Id);
        for (const app of pay.applications) this.link(rec, this.find('Invoice', this.demoIds.get(app.invoiceExternalId) as string), app.amountCents, ms);
      }
    }
    for (const { rec, ms } of voids) this.applyVoid(rec, ms);
    for (const id of this.customers.keys()) this.rebalance(id);
  }

  // ---- builders ------------------------------------------------------------------------------

  private meta(ms: number): { CreateTime: string; LastUpdatedTime: string } {
    const t = this.clock.meta(ms);
    return { CreateTime: t, LastUpdatedTime: t };
  }

  private readonly currencyRefs = new Map<string, QboRef>();
  private currencyRef(code: string): QboRef {
    let ref = this.currencyRefs.get(code);
    if (!ref) this.currencyRefs.set(code, (ref = Object.freeze({ value: code, name: CURRENCY_NAMES[code] ?? code })));
    return ref;
  }

  private buildCustomer(id: string, input: NewCustomer, ms: number): QboCustomer {
    const currency = input.currency ?? this.opts.homeCurrency;
    const term = TERMS[input.terms ?? 'Net 30'];
    if (!term) throw faults.invalid(`Unknown terms ${JSON.stringify(input.terms)}`, 'SalesTermRef');
    let parent: QboCustomer | undefined;
    if (input.parentId !== undefined) {
      const p = this.customers.get(input.parentId);
      if (!p) throw faults.invalidRef('Customer', input.parentId);
      parent = p.obj;
    }
    const name = input.displayName.trim();
    if (!name) throw faults.missing('DisplayName');
    if (this.names.has(name)) throw faults.duplicateName(name);
    const obj: QboCustomer = {
      Id: id,
      SyncToken: '0',
      domain: 'QBO',
      sparse: false,
      Active: input.active ?? true,
      Job: parent !== undefined,
      ...(parent ? { ParentRef: { value: parent.Id }, Level: (parent.Level ?? 0) + 1, BillWithParent: false } : {}),
      DisplayName: name,
      ...(input.companyName ? { CompanyName: input.companyName } : {}),
      ...(input.givenName ? { GivenName: input.givenName } : {}),
      ...(input.familyName ? { FamilyName: input.familyName } : {}),
      FullyQualifiedName: parent ? `${parent.FullyQualifiedName}:${name}` : name,
      ...(input.email ? { PrimaryEmailAddr: { Address: input.email } } : {}),
      ...(input.phone ? { PrimaryPhone: { FreeFormNumber: input.phone } } : {}),
      ...(input.address ? { BillAddr: Object.freeze({ Id: String(1000 + Number(id)), ...input.address }) } : {}),
      CurrencyRef: this.currencyRef(currency),
      SalesTermRef: Object.freeze({ value: term.id, name: input.terms ?? 'Net 30' }),
      PreferredDeliveryMethod: input.email ? 'Email' : 'Print',
      Taxable: false,
      Balance: 0,
      BalanceWithJobs: 0,
      ...(input.notes ? { Notes: input.notes } : {}),
      MetaData: this.meta(ms),
    };
    return obj;
  }

  private salesLines(lines: { amount: number; description?: string }[]): { lines: QboSalesLine[]; totalCents: number } {
    let total = 0;
    const out: QboSalesLine[] = lines.map((l, i) => {
      const c = cents(l.amount);
      if (!Number.isFinite(l.amount) || c < 0) throw faults.invalid(`Line ${i + 1}: Amount must be a non-negative number`, 'Line.Amount');
      total += c;
      return {
        Id: String(i + 1),
        LineNum: i + 1,
        Description: l.description ?? 'Services',
        Amount: dollars(c),
        DetailType: 'SalesItemLineDetail',
        SalesItemLineDetail: { ItemRef: ITEM, Qty: 1, UnitPrice: dollars(c), TaxCodeRef: TAX_CODE },
      };
    });
    out.push({ Amount: dollars(total), DetailType: 'SubTotalLineDetail', SubTotalLineDetail: EMPTY });
    return { lines: out, totalCents: total };
  }

  private buildInvoice(id: string, cust: QboCustomer, input: NewInvoice, ms: number, trusted = false): QboInvoice {
    const txnDate = input.txnDate ?? this.clock.date(ms);
    if (!trusted && !isIsoDate(txnDate)) throw faults.invalid(`TxnDate ${JSON.stringify(txnDate)} is not a date`, 'TxnDate');
    const termDays = TERM_DAYS_BY_ID.get(cust.SalesTermRef?.value ?? '') ?? 30;
    const dueDate = input.dueDate ?? addDays(txnDate, termDays);
    if (!trusted && !isIsoDate(dueDate)) throw faults.invalid(`DueDate ${JSON.stringify(dueDate)} is not a date`, 'DueDate');
    const raw = input.lines ?? (input.amount !== undefined ? [{ amount: input.amount }] : null);
    if (!raw || raw.length === 0) throw faults.missing('Line');
    const { lines, totalCents } = this.salesLines(raw);
    const currency = cust.CurrencyRef.value;
    const billEmail = input.billEmail === undefined ? (cust.PrimaryEmailAddr?.Address ?? null) : input.billEmail;
    const obj: QboInvoice = {
      Id: id,
      SyncToken: '0',
      domain: 'QBO',
      sparse: false,
      MetaData: this.meta(ms),
      CustomField: [],
      DocNumber: input.docNumber ?? String(1000 + Number(id)),
      TxnDate: txnDate,
      DueDate: dueDate,
      CurrencyRef: this.currencyRef(currency),
      ExchangeRate: this.rate(currency),
      ...(input.privateNote ? { PrivateNote: input.privateNote } : {}),
      LinkedTxn: [],
      Line: lines,
      TxnTaxDetail: NO_TAX,
      CustomerRef: { value: cust.Id, name: cust.DisplayName },
      ...(input.customerMemo ? { CustomerMemo: { value: input.customerMemo } } : {}),
      ...(cust.BillAddr ? { BillAddr: cust.BillAddr } : {}),
      ...(cust.SalesTermRef ? { SalesTermRef: cust.SalesTermRef } : {}),
      TotalAmt: dollars(totalCents),
      Balance: dollars(totalCents),
      ApplyTaxAfterDiscount: false,
      PrintStatus: 'NotSet',
      EmailStatus: input.emailStatus ?? (billEmail ? 'NeedToSend' : 'NotSet'),
      ...(billEmail ? { BillEmail: { Address: billEmail } } : {}),
      AllowOnlineCreditCardPayment: this.opts.onlinePayments,
      AllowOnlineACHPayment: this.opts.onlinePayments,
    };
    this.setHome(obj);
    return obj;
  }

  private buildCreditMemo(id: string, cust: QboCustomer, totalCents: number, date: IsoDate, docNumber: string, reason: string | null, ms: number): QboCreditMemo {
    const { lines } = this.salesLines([{ amount: dollars(totalCents), description: reason ?? 'Credit' }]);
    const currency = cust.CurrencyRef.value;
    const obj: QboCreditMemo = {
      Id: id,
      SyncToken: '0',
      domain: 'QBO',
      sparse: false,
      MetaData: this.meta(ms),
      CustomField: [],
      DocNumber: docNumber,
      TxnDate: date,
      CurrencyRef: this.currencyRef(currency),
      ExchangeRate: this.rate(currency),
      Line: lines,
      TxnTaxDetail: NO_TAX,
      CustomerRef: { value: cust.Id, name: cust.DisplayName },
      ...(reason ? { CustomerMemo: { value: reason } } : {}),
      ...(cust.BillAddr ? { BillAddr: cust.BillAddr } : {}),
      TotalAmt: dollars(totalCents),
      RemainingCredit: dollars(totalCents),
      Balance: dollars(totalCents),
      ApplyTaxAfterDiscount: false,
      PrintStatus: 'NotSet',
      EmailStatus: 'NotSet',
    };
    this.setHome(obj);
    return obj;
  }

  private buildPayment(
    id: string,
    cust: QboCustomer,
    p: { date: IsoDate; totalCents: number; unappliedCents: number; reference?: string | null; method?: string | null },
    ms: number,
  ): QboPayment {
    const currency = cust.CurrencyRef.value;
    const method = p.method ? METHODS[p.method] : undefined;
    return {
      Id: id,
      SyncToken: '0',
      domain: 'QBO',
      sparse: false,
      MetaData: this.meta(ms),
      TxnDate: p.date,
      CurrencyRef: this.currencyRef(currency),
      ExchangeRate: this.rate(currency),
      CustomerRef: { value: cust.Id, name: cust.DisplayName },
      TotalAmt: dollars(p.totalCents),
      UnappliedAmt: dollars(p.unappliedCents),
      DepositToAccountRef: DEPOSIT_TO,
      ...(method ? { PaymentMethodRef: method } : {}),
      ...(p.reference ? { PaymentRefNum: p.reference.slice(0, 21) } : {}),
      ProcessPayment: false,
      Line: [],
    };
  }

  /** HomeTotalAmt/HomeBalance, present on foreign-currency transactions. */
  private setHome(obj: QboInvoice | QboCreditMemo): void {
    if (obj.CurrencyRef.value === this.opts.homeCurrency) return;
    obj.HomeTotalAmt = dollars(this.homeCents(cents(obj.TotalAmt), obj.CurrencyRef.value));
    obj.HomeBalance = dollars(this.homeCents(cents(obj.Balance), obj.CurrencyRef.value));
  }

  // ---- bookkeeping ---------------------------------------------------------------------------

  private custTxns(customerId: string): CustTxns {
    let t = this.txnsOf.get(customerId);
    if (!t) this.txnsOf.set(customerId, (t = { Invoice: new Set(), Payment: new Set(), CreditMemo: new Set() }));
    return t;
  }

  private insert<E extends QboEntityName>(entity: E, obj: QboEntityMap[E], ms: number): Rec<QboEntityMap[E]> {
    const rec: Rec<QboEntityMap[E]> = { obj, createdMs: ms, updatedMs: ms };
    this.table(entity).set(obj.Id, rec);
    this.versions[entity]++;
    if (entity === 'Customer') {
      this.names.add((obj as QboCustomer).DisplayName);
      const parent = (obj as QboCustomer).ParentRef?.value;
      if (parent) {
        let set = this.children.get(parent);
        if (!set) this.children.set(parent, (set = new Set()));
        set.add(obj.Id);
      }
    } else {
      this.custTxns((obj as QboInvoice).CustomerRef.value)[entity as 'Invoice' | 'Payment' | 'CreditMemo'].add(obj.Id);
    }
    return rec;
  }

  /** A new version: SyncToken + 1 and LastUpdatedTime = ms (never moving backwards). */
  bump<E extends QboEntityName>(entity: E, rec: Rec<QboEntityMap[E]>, ms: number): void {
    rec.obj.SyncToken = String(Number(rec.obj.SyncToken) + 1);
    rec.updatedMs = Math.max(rec.updatedMs, ms);
    rec.obj.MetaData.LastUpdatedTime = this.clock.meta(rec.updatedMs);
    this.versions[entity]++;
  }

  private remove(entity: 'Invoice' | 'Payment' | 'CreditMemo', id: string, ms: number): void {
    const rec = this.table(entity).get(id);
    if (!rec) return;
    this.table(entity).delete(id);
    this.custTxns(rec.obj.CustomerRef.value)[entity].delete(id);
    this.versions[entity]++;
    this.tombstones.push({ entity, Id: id, deletedMs: ms, deletedAt: this.clock.meta(ms) });
  }

  /** Applies `c` cents of payment `pay` to an invoice or credit memo (seeding and mutations). */
  private link(pay: Rec<QboPayment>, target: Rec<QboInvoice> | Rec<QboCreditMemo>, c: number, ms: number): void {
    const type: QboLinkedTxn['TxnType'] = 'RemainingCredit' in target.obj ? 'CreditMemo' : 'Invoice';
    const line: QboPaymentLine = { Amount: dollars(c), LinkedTxn: [{ TxnId: target.obj.Id, TxnType: type }] };
    if (type === 'Invoice') {
      const inv = target.obj as QboInvoice;
      line.LineEx = { any: [lineEx('txnId', inv.Id)] };
      inv.Balance = dollars(cents(inv.Balance) - c);
      if (!inv.LinkedTxn.some((l) => l.TxnId === pay.obj.Id)) inv.LinkedTxn.push({ TxnId: pay.obj.Id, TxnType: 'Payment' });
      this.setHome(inv);
      this.bump('Invoice', target as Rec<QboInvoice>, ms);
    } else {
      const cm = target.obj as QboCreditMemo;
      cm.RemainingCredit = dollars(cents(cm.RemainingCredit) - c);
      cm.Balance = cm.RemainingCredit;
      this.setHome(cm);
      this.bump('CreditMemo', target as Rec<QboCreditMemo>, ms);
    }
    pay.obj.Line.push(line);
    if (pay.obj.TotalAmt !== 0) pay.obj.UnappliedAmt = dollars(cents(pay.obj.UnappliedAmt) - c);
  }

  /**
   * Takes every payment off an invoice (void, delete): money from a real payment becomes
   * unapplied; credit applied through a zero-total payment goes back to its credit memo.
   */
  private unlinkInvoice(inv: Rec<QboInvoice>, ms: number): void {
    for (const link of inv.obj.LinkedTxn) {
      const pay = this.payments.get(link.TxnId);
      if (!pay) continue;
      let freed = 0;
      pay.obj.Line = pay.obj.Line.filter((l) => {
        const hit = l.LinkedTxn.some((t) => t.TxnType === 'Invoice' && t.TxnId === inv.obj.Id);
        if (hit) freed += cents(l.Amount);
        return !hit;
      });
      if (pay.obj.TotalAmt === 0) {
        for (const l of pay.obj.Line) {
          const t = l.LinkedTxn[0];
          const cm = t?.TxnType === 'CreditMemo' ? this.creditMemos.get(t.TxnId) : undefined;
          if (!cm || freed <= 0) continue;
          const back = Math.min(freed, cents(l.Amount));
          l.Amount = dollars(cents(l.Amount) - back);
          cm.obj.RemainingCredit = dollars(cents(cm.obj.RemainingCredit) + back);
          cm.obj.Balance = cm.obj.RemainingCredit;
          this.setHome(cm.obj);
          this.bump('CreditMemo', cm, ms);
          freed -= back;
        }
        pay.obj.Line = pay.obj.Line.filter((l) => l.Amount !== 0);
      } else pay.obj.UnappliedAmt = dollars(cents(pay.obj.UnappliedAmt) + freed);
      this.bump('Payment', pay, ms);
    }
    inv.obj.Balance = inv.obj.TotalAmt;
    inv.obj.LinkedTxn = [];
  }

  private applyVoid(rec: Rec<QboInvoice>, ms: number): void {
    this.unlinkInvoice(rec, ms);
    const inv = rec.obj;
    for (const l of inv.Line) {
      l.Amount = 0;
      if (l.SalesItemLineDetail) {
        l.SalesItemLineDetail.Qty = 0;
        l.SalesItemLineDetail.UnitPrice = 0;
      }
    }
    inv.TotalAmt = 0;
    inv.Balance = 0;
    inv.PrivateNote = inv.PrivateNote ? `Voided - ${inv.PrivateNote}` : 'Voided';
    this.setHome(inv);
    this.bump('Invoice', rec, ms);
  }

  /** Recomputes Balance (and BalanceWithJobs up the parent chain); not a new version of the customer. */
  rebalance(customerId: string): void {
    const rec = this.customers.get(customerId);
    if (!rec) return;
    const t = this.custTxns(customerId);
    let c = 0;
    for (const id of t.Invoice) c += cents(this.invoices.get(id)?.obj.Balance ?? 0);
    for (const id of t.Payment) c -= cents(this.payments.get(id)?.obj.UnappliedAmt ?? 0);
    for (const id of t.CreditMemo) c -= cents(this.creditMemos.get(id)?.obj.RemainingCredit ?? 0);
    rec.obj.Balance = dollars(c);
    this.versions.Customer++;
    for (let cur: Rec<QboCustomer> | undefined = rec; cur; cur = cur.obj.ParentRef ? this.customers.get(cur.obj.ParentRef.value) : undefined) {
      let withJobs = cents(cur.obj.Balance);
      for (const kid of this.children.get(cur.obj.Id) ?? []) withJobs += cents(this.customers.get(kid)?.obj.BalanceWithJobs ?? 0);
      cur.obj.BalanceWithJobs = dollars(withJobs);
    }
  }

  private tick(): number {
    this.clock.advance(this.opts.tickMs);
    return this.clock.nowMs();
  }

  // ---- mutations (tests, and the API's writes) -----------------------------------------------

  createCustomer(input: NewCustomer): QboCustomer {
    const ms = this.tick();
    const parent = input.parentId !== undefined ? this.customers.get(input.parentId)?.obj : undefined;
    const obj = this.buildCustomer(String(this.nextCustomerId), { ...input, currency: input.currency ?? parent?.CurrencyRef.value }, ms);
    this.nextCustomerId++;
    this.insert('Customer', obj, ms);
    this.rebalance(obj.Id);
    return structuredClone(obj);
  }

  /**
   * Updates Customer fields (QBO JSON names): sparse by default; a full update clears every
   * omitted writable field. Read-only fields are ignored. `expectSyncToken` gives 5010 when stale.
   */
  updateCustomer(id: string, patch: Partial<QboCustomer>, opts: { sparse?: boolean; expectSyncToken?: string } = {}): QboCustomer {
    const rec = this.find('Customer', id);
    if (opts.expectSyncToken !== undefined && opts.expectSyncToken !== rec.obj.SyncToken) throw faults.stale();
    const sparse = opts.sparse ?? true;
    const obj = rec.obj;
    if ('DisplayName' in patch || !sparse) {
      const name = typeof patch.DisplayName === 'string' ? patch.DisplayName.trim() : '';
      if (!name) throw faults.missing('DisplayName');
      if (name !== obj.DisplayName && this.names.has(name)) throw faults.duplicateName(name);
    }
    if (patch.Notes != null && String(patch.Notes).length > PRIVATE_NOTE_MAX) throw faults.tooLong('Notes', PRIVATE_NOTE_MAX);
    const ms = this.tick();
    const writable = [
      'DisplayName',
      'CompanyName',
      'GivenName',
      'FamilyName',
      'PrimaryEmailAddr',
      'PrimaryPhone',
      'BillAddr',
      'SalesTermRef',
      'Active',
      'Notes',
      'PreferredDeliveryMethod',
    ] as const;
    const oldName = obj.DisplayName;
    const target = obj as unknown as Record<string, unknown>;
    for (const key of writable) {
      if (key === 'DisplayName') continue;
      if (!(key in patch)) {
        if (!sparse && key !== 'Active') delete target[key];
        continue;
      }
      const value = (patch as Record<string, unknown>)[key];
      if (value === null || value === undefined) delete target[key];
      else target[key] = structuredClone(value);
    }
    if (typeof obj.Active !== 'boolean') obj.Active = true;
    if (patch.DisplayName !== undefined) {
      obj.DisplayName = String(patch.DisplayName).trim();
      this.names.delete(oldName);
      this.names.add(obj.DisplayName);
      this.renameCustomer(rec);
    }
    this.bump('Customer', rec, ms);
    return structuredClone(obj);
  }

  private renameCustomer(rec: Rec<QboCustomer>): void {
    const obj = rec.obj;
    const parent = obj.ParentRef ? this.customers.get(obj.ParentRef.value)?.obj : undefined;
    obj.FullyQualifiedName = parent ? `${parent.FullyQualifiedName}:${obj.DisplayName}` : obj.DisplayName;
    const t = this.custTxns(obj.Id);
    for (const [entity, ids] of Object.entries(t) as ['Invoice' | 'Payment' | 'CreditMemo', Set<string>][]) {
      for (const id of ids) {
        const r = this.table(entity).get(id);
        if (r) r.obj.CustomerRef.name = obj.DisplayName;
      }
    }
    for (const kid of this.children.get(obj.Id) ?? []) {
      const k = this.customers.get(kid);
      if (k) this.renameCustomer(k);
    }
  }

  createInvoice(input: NewInvoice): QboInvoice {
    const cust = this.customers.get(String(input.customerId));
    if (!cust) throw faults.invalidRef('Customer', String(input.customerId));
    const ms = this.tick();
    const obj = this.buildInvoice(String(this.nextTxnId), cust.obj, input, ms);
    this.nextTxnId++;
    this.insert('Invoice', obj, ms);
    this.rebalance(cust.obj.Id);
    return structuredClone(obj);
  }

  /**
   * Updates an invoice: sparse (only the fields given) or full (every omitted writable field is
   * cleared, as QBO does). `expectSyncToken` is checked first (5010 when stale).
   */
  updateInvoice(id: string, patch: Partial<QboInvoice>, opts: { sparse?: boolean; expectSyncToken?: string } = {}): QboInvoice {
    const rec = this.find('Invoice', id);
    const obj = rec.obj;
    if (opts.expectSyncToken !== undefined && opts.expectSyncToken !== obj.SyncToken) throw faults.stale();
    const sparse = opts.sparse ?? true;
    const p = patch as Record<string, unknown>;
    if (!sparse) {
      if (p.CustomerRef === undefined) throw faults.missing('CustomerRef');
      if (p.Line === undefined) throw faults.missing('Line');
    }
    if (p.PrivateNote != null && String(p.PrivateNote).length > PRIVATE_NOTE_MAX) throw faults.tooLong('PrivateNote', PRIVATE_NOTE_MAX);
    for (const key of ['TxnDate', 'DueDate'] as const) {
      if (p[key] != null && !isIsoDate(String(p[key]))) throw faults.invalid(`${key} ${JSON.stringify(p[key])} is not a date (YYYY-MM-DD)`, key);
    }
    let newCustomer: Rec<QboCustomer> | undefined;
    const custRef = p.CustomerRef as QboRef | undefined;
    if (custRef && String(custRef.value) !== obj.CustomerRef.value) {
      newCustomer = this.customers.get(String(custRef.value));
      if (!newCustomer) throw faults.invalidRef('Customer', String(custRef.value));
      if (obj.LinkedTxn.length > 0) throw faults.business('This invoice has payments applied; remove them before changing the customer.');
      if (newCustomer.obj.CurrencyRef.value !== obj.CurrencyRef.value) throw faults.business('The customer currency does not match the transaction currency.');
    }
    let newLines: { lines: QboSalesLine[]; totalCents: number } | undefined;
    if (p.Line !== undefined) {
      if (!Array.isArray(p.Line)) throw faults.invalid('Line must be an array', 'Line');
      const sales = (p.Line as Partial<QboSalesLine>[]).filter((l) => l.DetailType !== 'SubTotalLineDetail');
      if (sales.length === 0) throw faults.missing('Line');
      newLines = this.salesLines(sales.map((l) => ({ amount: Number(l.Amount), ...(l.Description ? { description: String(l.Description) } : {}) })));
      const applied = cents(obj.TotalAmt) - cents(obj.Balance);
      if (newLines.totalCents < applied) throw faults.business('The invoice total would be less than the payments applied to it.');
    }

    const ms = this.tick();
    const oldCustomer = obj.CustomerRef.value;
    const writable = ['PrivateNote', 'CustomerMemo', 'BillEmail', 'BillEmailCc', 'BillEmailBcc', 'DueDate', 'TxnDate', 'DocNumber', 'SalesTermRef', 'EmailStatus', 'BillAddr', 'CustomField', 'AllowOnlineCreditCardPayment', 'AllowOnlineACHPayment'] as const;
    const target = obj as unknown as Record<string, unknown>;
    for (const key of writable) {
      if (key in p) {
        if (p[key] === null || p[key] === undefined) delete target[key];
        else target[key] = structuredClone(p[key]);
      } else if (!sparse && key !== 'EmailStatus' && key !== 'CustomField' && key !== 'AllowOnlineCreditCardPayment' && key !== 'AllowOnlineACHPayment') {
        delete target[key];
      }
    }
    if (newLines) {
      const applied = cents(obj.TotalAmt) - cents(obj.Balance);
      obj.Line = newLines.lines;
      obj.TotalAmt = dollars(newLines.totalCents);
      obj.Balance = dollars(newLines.totalCents - applied);
    }
    if (newCustomer) {
      this.custTxns(oldCustomer).Invoice.delete(obj.Id);
      this.custTxns(newCustomer.obj.Id).Invoice.add(obj.Id);
      obj.CustomerRef = { value: newCustomer.obj.Id, name: newCustomer.obj.DisplayName };
    }
    this.setHome(obj);
    this.bump('Invoice', rec, ms);
    this.rebalance(oldCustomer);
    if (newCustomer) this.rebalance(newCustomer.obj.Id);
    return structuredClone(obj);
  }

  /** Marks the invoice emailed (what POST /invoice/{id}/send does); `to` overwrites BillEmail. */
  sendInvoice(id: string, to?: string): QboInvoice {
    const rec = this.find('Invoice', id);
    const address = to ?? rec.obj.BillEmail?.Address;
    if (!address) throw faults.business('Invalid Email Address: the invoice has no BillEmail and no sendTo was given.');
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(address)) throw faults.business(`Invalid Email Address: ${address}`);
    const ms = this.tick();
    if (to !== undefined) rec.obj.BillEmail = { Address: to };
    rec.obj.EmailStatus = 'EmailSent';
    rec.obj.DeliveryInfo = { DeliveryType: 'Email', DeliveryTime: this.clock.meta(ms) };
    this.bump('Invoice', rec, ms);
    return structuredClone(rec.obj);
  }

  payInvoice(id: string, opts: PayOptions = {}): QboPayment {
    const inv = this.find('Invoice', id);
    const balance = cents(inv.obj.Balance);
    const c = opts.amount === undefined ? balance : cents(opts.amount);
    if (c <= 0 || c > balance) throw faults.business(`Payment of ${dollars(c)} does not fit the invoice balance ${dollars(balance)}.`);
    const extra = cents(opts.unapplied ?? 0);
    const cust = this.find('Customer', inv.obj.CustomerRef.value);
    const ms = this.tick();
    const pay = this.buildPayment(String(this.nextTxnId++), cust.obj, {
      date: opts.date ?? this.clock.date(ms),
      totalCents: c + extra,
      unappliedCents: c + extra,
      reference: opts.reference ?? null,
      method: opts.method ?? 'ACH',
    }, ms);
    const rec = this.insert('Payment', pay, ms);
    this.link(rec, inv, c, ms);
    this.rebalance(cust.obj.Id);
    return structuredClone(rec.obj);
  }

  /** A credit memo for the invoice, applied to it through a zero-total Payment (as QBO does). */
  creditInvoice(id: string, opts: CreditOptions = {}): { creditMemo: QboCreditMemo; payment: QboPayment } {
    const inv = this.find('Invoice', id);
    const balance = cents(inv.obj.Balance);
    const c = opts.amount === undefined ? balance : cents(opts.amount);
    if (c <= 0 || c > balance) throw faults.business(`Credit of ${dollars(c)} does not fit the invoice balance ${dollars(balance)}.`);
    const cust = this.find('Customer', inv.obj.CustomerRef.value);
    const ms = this.tick();
    const date = opts.date ?? this.clock.date(ms);
    const memo = this.buildCreditMemo(String(this.nextTxnId++), cust.obj, c + cents(opts.extra ?? 0), date, `CM-${this.nextTxnId}`, opts.reason ?? null, ms);
    const memoRec = this.insert('CreditMemo', memo, ms);
    const pay = this.buildPayment(String(this.nextTxnId++), cust.obj, { date, totalCents: 0, unappliedCents: 0 }, ms);
    const payRec = this.insert('Payment', pay, ms);
    this.link(payRec, inv, c, ms);
    this.link(payRec, memoRec, c, ms);
    this.rebalance(cust.obj.Id);
    return { creditMemo: structuredClone(memoRec.obj), payment: structuredClone(payRec.obj) };
  }

  voidInvoice(id: string, expectSyncToken?: string): QboInvoice {
    const rec = this.find('Invoice', id);
    if (expectSyncToken !== undefined && expectSyncToken !== rec.obj.SyncToken) throw faults.stale();
    const ms = this.tick();
    this.applyVoid(rec, ms);
    this.rebalance(rec.obj.CustomerRef.value);
    return structuredClone(rec.obj);
  }

  /** Deletes the invoice: it leaves queries and shows in CDC as {status:"Deleted"}. */
  deleteInvoice(id: string, expectSyncToken?: string): QboInvoice {
    const rec = this.find('Invoice', id);
    if (expectSyncToken !== undefined && expectSyncToken !== rec.obj.SyncToken) throw faults.stale();
    const ms = this.tick();
    this.unlinkInvoice(rec, ms);
    this.remove('Invoice', id, ms);
    this.rebalance(rec.obj.CustomerRef.value);
    return structuredClone(rec.obj);
  }

  /** Deletes a payment: the invoices and credit memos it was applied to reopen. */
  deletePayment(id: string): void {
    const rec = this.find('Payment', id);
    const ms = this.tick();
    for (const line of rec.obj.Line) {
      for (const t of line.LinkedTxn) {
        if (t.TxnType === 'Invoice') {
          const inv = this.invoices.get(t.TxnId);
          if (!inv) continue;
          inv.obj.Balance = dollars(cents(inv.obj.Balance) + cents(line.Amount));
          inv.obj.LinkedTxn = inv.obj.LinkedTxn.filter((l) => l.TxnId !== id);
          this.setHome(inv.obj);
          this.bump('Invoice', inv, ms);
        } else if (t.TxnType === 'CreditMemo') {
          const cm = this.creditMemos.get(t.TxnId);
          if (!cm) continue;
          cm.obj.RemainingCredit = dollars(cents(cm.obj.RemainingCredit) + cents(line.Amount));
          cm.obj.Balance = cm.obj.RemainingCredit;
          this.setHome(cm.obj);
          this.bump('CreditMemo', cm, ms);
        }
      }
    }
    this.remove('Payment', id, ms);
    this.rebalance(rec.obj.CustomerRef.value);
  }
}

function lineEx(name: string, value: string): Record<string, unknown> {
  return {
    name: '{http://schema.intuit.com/finance/v3}NameValue',
    declaredType: 'com.intuit.schema.finance.v3.NameValue',
    scope: 'javax.xml.bind.JAXBElement$GlobalScope',
    value: { Name: name, Value: value },
    nil: false,
    globalScope: true,
    typeSubstituted: false,
  };
}

/** A demo customer as createCustomer input: "12 Dock St, Portland, OR" → BillAddr, contact → names. */
function demoCustomerInput(c: CustomerRecord, parentId: string | undefined): NewCustomer {
  let address: QboAddress | undefined;
  if (c.address) {
    const [line1, ...rest] = c.address.split(', ');
    const us = /^(.*), ([A-Z]{2})$/.exec(rest.join(', '));
    address = us
      ? { Line1: line1, City: us[1], CountrySubDivisionCode: us[2], Country: 'USA' }
      : { Line1: line1, City: rest.join(', ') };
  }
  const parts = (c.contactName ?? '').split(' ').filter(Boolean);
  if (parts[0]?.endsWith('.')) parts.shift();
  return {
    displayName: c.name,
    ...(c.companyName ? { companyName: c.companyName } : {}),
    ...(parts.length > 0 ? { givenName: parts[0] } : {}),
    ...(parts.length > 1 ? { familyName: parts.slice(1).join(' ') } : {}),
    email: c.email ?? null,
    phone: c.phone ?? null,
    currency: c.currency,
    terms: c.termsLabel ?? 'Net 30',
    ...(parentId ? { parentId } : {}),
    active: c.active ?? true,
    ...(address ? { address } : {}),
  };
}
