// One Xero organisation's books: Contacts, ACCREC Invoices, ACCRECPAYMENT Payments and ACCRECCREDIT
// CreditNotes, seeded from the demo company (generateDemo) and changed through the mutation API.
// Records are kept in cents and calendar dates and serialised to Xero JSON on the way out.
// Invariants kept on every change:
// - AmountDue = Total − AmountPaid − AmountCredited; an AUTHORISED invoice whose AmountDue reaches
//   0 becomes PAID (FullyPaidOnDate = the last payment/allocation date), and a PAID invoice whose
//   payment is deleted goes back to AUTHORISED.
// - A Xero payment pays exactly one invoice: a demo remittance covering several invoices becomes
//   several Payments sharing a BatchPaymentID; unapplied demo money (an overpayment) is dropped.
// - Every write advances the clock one tick and stamps UpdatedDateUTC on what changed (a payment
//   or allocation also stamps its invoice). Contact Balances are computed when served and do not
//   stamp the contact.
import { addDays, type IsoDate } from '../../../src/shared/dates';
import { generateDemo } from '../../../src/main/core/connectors/demo/generate';
import { CITIES, FIRST_NAMES, LAST_NAMES, NAME_FORMS, NAME_HEADS, NAME_TRADES } from '../../../src/main/core/connectors/demo/names';
import { createRng, type Rng } from '../../../src/main/core/connectors/demo/prng';
import type { CompanyClock } from '../qbo/time';
import type {
  XeroContact,
  XeroContactPerson,
  XeroContactRef,
  XeroContactStatus,
  XeroCreditNote,
  XeroHistoryRecord,
  XeroInvoice,
  XeroInvoiceStatus,
  XeroLineItem,
  XeroPayment,
  XeroPaymentTermType,
  XeroSnapshot,
} from './types';
import { cents, dayMsDate, dayString, isoNoZone, isoZ, money, msDate, notFound, uuid, validation, dayMs } from './wire';
import type { Getter } from './where';

export interface ContactRec {
  id: string;
  seq: number;
  number: string | null;
  status: XeroContactStatus;
  name: string;
  first: string | null;
  last: string | null;
  email: string | null;
  persons: XeroContactPerson[];
  phone: string | null;
  street: string | null;
  city: string | null;
  currency: string;
  termsDays: number | null;
  termsType: XeroPaymentTermType;
  createdMs: number;
  updatedMs: number;
  history: XeroHistoryRecord[];
}

export interface InvoiceRec {
  id: string;
  seq: number;
  number: string;
  reference: string;
  contactId: string;
  date: IsoDate;
  due: IsoDate | null;
  status: XeroInvoiceStatus;
  currency: string;
  rate: number;
  lines: { id: string; description: string; cents: number }[];
  totalCents: number;
  paidCents: number;
  creditedCents: number;
  sent: boolean;
  fullyPaidOn: IsoDate | null;
  paymentIds: string[];
  allocations: { creditNoteId: string; allocationId: string; cents: number; date: IsoDate }[];
  createdMs: number;
  updatedMs: number;
  history: XeroHistoryRecord[];
}

export interface PaymentRec {
  id: string;
  seq: number;
  invoiceId: string;
  date: IsoDate;
  cents: number;
  reference: string;
  status: 'AUTHORISED' | 'DELETED';
  batchId: string | null;
  reconciled: boolean;
  createdMs: number;
  updatedMs: number;
}

export interface CreditNoteRec {
  id: string;
  seq: number;
  number: string;
  reference: string;
  contactId: string;
  date: IsoDate;
  status: 'AUTHORISED' | 'PAID' | 'VOIDED';
  currency: string;
  rate: number;
  totalCents: number;
  description: string;
  allocations: { id: string; invoiceId: string; cents: number; date: IsoDate }[];
  createdMs: number;
  updatedMs: number;
}

export interface NewContact {
  name: string;
  firstName?: string;
  lastName?: string;
  email?: string | null;
  contactPersons?: XeroContactPerson[];
  phone?: string | null;
  currency?: string;
  /** Sales payment terms: days after the bill date (default 30; null for none). */
  termsDays?: number | null;
  status?: XeroContactStatus;
  contactNumber?: string;
}

export interface NewXeroInvoice {
  contactId: string;
  /** Dollars; one line. Either this or `lines`. */
  amount?: number;
  lines?: { amount: number; description?: string }[];
  /** Default today. */
  date?: IsoDate;
  /** Default date + the contact's terms (30 days without terms); null for none. */
  dueDate?: IsoDate | null;
  number?: string;
  reference?: string;
  /** Default AUTHORISED. */
  status?: 'DRAFT' | 'SUBMITTED' | 'AUTHORISED';
  /** Default the contact's currency. */
  currency?: string;
  sentToContact?: boolean;
}

export interface XeroPayOptions {
  /** Dollars; default the invoice's whole AmountDue. */
  amount?: number;
  date?: IsoDate;
  reference?: string;
}

export interface XeroCreditOptions {
  /** Dollars allocated to the invoice; default its whole AmountDue. */
  amount?: number;
  /** Extra credit left unallocated on the note (dollars). */
  extra?: number;
  date?: IsoDate;
  reason?: string;
}

export interface StoreOptions {
  clock: CompanyClock;
  tickMs: number;
  rng: Rng;
  tenantId: string;
  tenantName: string;
  baseCurrency: string;
  exchangeRates: Record<string, number>;
  onlineBase: string;
}

const OPEN: ReadonlySet<XeroInvoiceStatus> = new Set(['AUTHORISED']);
const EMPTY_REF_EXTRAS = Object.freeze({ Addresses: [], Phones: [], ContactGroups: [], ContactPersons: [], HasValidationErrors: false });
const BANK_ACCOUNT = Object.freeze({ AccountID: '13918178-849a-4823-9a31-57b7eac713d7', Code: '090' });

export class XeroStore {
  readonly contacts = new Map<string, ContactRec>();
  readonly invoices = new Map<string, InvoiceRec>();
  readonly payments = new Map<string, PaymentRec>();
  readonly creditNotes = new Map<string, CreditNoteRec>();
  readonly demoIds = new Map<string, string>();
  readonly invoicesByContact = new Map<string, Set<string>>();
  /** Bumped on any change, per collection (list caches key on it). */
  readonly versions = { contacts: 0, invoices: 0, payments: 0, creditNotes: 0 };
  remindersEnabled = false;
  private readonly names = new Set<string>();
  private seq = 0;
  private nextNumber = 1;
  private nextCredit = 1;

  constructor(readonly opts: StoreOptions) {}

  get clock(): CompanyClock {
    return this.opts.clock;
  }

  private id(): string {
    return uuid(this.opts.rng);
  }

  private tick(): number {
    this.clock.advance(this.opts.tickMs);
    return this.clock.nowMs();
  }

  private rateFor(currency: string): number {
    if (currency === this.opts.baseCurrency) return 1;
    const usd = this.opts.exchangeRates[currency] ?? 1;
    return Math.round((1 / usd) * 1e6) / 1e6;
  }

  // ---- lookups -------------------------------------------------------------------------------

  contact(id: string): ContactRec {
    const c = this.contacts.get(id.toLowerCase());
    if (!c) throw notFound();
    return c;
  }
  invoice(idOrNumber: string): InvoiceRec {
    const byId = this.invoices.get(idOrNumber.toLowerCase());
    if (byId) return byId;
    for (const inv of this.invoices.values()) if (inv.number === idOrNumber) return inv;
    throw notFound();
  }
  payment(id: string): PaymentRec {
    const p = this.payments.get(id.toLowerCase());
    if (!p) throw notFound();
    return p;
  }
  creditNote(id: string): CreditNoteRec {
    const c = this.creditNotes.get(id.toLowerCase());
    if (!c) throw notFound();
    return c;
  }

  // ---- derived -------------------------------------------------------------------------------

  amountDueCents(inv: InvoiceRec): number {
    return inv.totalCents - inv.paidCents - inv.creditedCents;
  }

  /** Unused credit on a credit note (RemainingCredit): none once voided. */
  remainingCreditCents(cn: CreditNoteRec): number {
    return cn.status === 'VOIDED' ? 0 : cn.totalCents - cn.allocations.reduce((s, a) => s + a.cents, 0);
  }

  /**
   * Balances.AccountsReceivable as Xero computes it: Outstanding is what AUTHORISED invoices still
   * owe less the contact's unused credit (credit notes' RemainingCredit; the emulator has no
   * overpayments or prepayments), so a contact with only unused credit is negative; Overdue is
   * the part of those invoices past due.
   */
  balances(c: ContactRec): { outstanding: number; overdue: number } {
    const today = this.clock.date();
    let outstanding = 0;
    let overdue = 0;
    for (const id of this.invoicesByContact.get(c.id) ?? []) {
      const inv = this.invoices.get(id) as InvoiceRec;
      if (!OPEN.has(inv.status)) continue;
      const due = this.amountDueCents(inv);
      outstanding += due;
      if (inv.due !== null && inv.due < today) overdue += due;
    }
    for (const cn of this.creditNotes.values()) if (cn.contactId === c.id) outstanding -= this.remainingCreditCents(cn);
    return { outstanding, overdue };
  }

  // ---- wire ----------------------------------------------------------------------------------

  contactRef(id: string): XeroContactRef {
    const c = this.contacts.get(id);
    return { ContactID: id, Name: c?.name ?? '', ...EMPTY_REF_EXTRAS };
  }

  contactWire(c: ContactRec, summary = false): XeroContact {
    const b = summary ? null : this.balances(c);
    const out: XeroContact = {
      ContactID: c.id,
      ...(c.number ? { ContactNumber: c.number } : {}),
      ContactStatus: c.status,
      Name: c.name,
      ...(c.first ? { FirstName: c.first } : {}),
      ...(c.last ? { LastName: c.last } : {}),
      ...(c.email ? { EmailAddress: c.email } : {}),
      BankAccountDetails: '',
      Addresses: [
        { AddressType: 'STREET', City: '', Region: '', PostalCode: '', Country: '' },
        { AddressType: 'POBOX', AddressLine1: c.street ?? '', AddressLine2: '', AddressLine3: '', AddressLine4: '', City: c.city ?? '', Region: '', PostalCode: '', Country: '' },
      ],
      Phones: [
        { PhoneType: 'DDI', PhoneNumber: '', PhoneAreaCode: '', PhoneCountryCode: '' },
        { PhoneType: 'DEFAULT', PhoneNumber: c.phone ?? '', PhoneAreaCode: '', PhoneCountryCode: '' },
        { PhoneType: 'FAX', PhoneNumber: '', PhoneAreaCode: '', PhoneCountryCode: '' },
        { PhoneType: 'MOBILE', PhoneNumber: '', PhoneAreaCode: '', PhoneCountryCode: '' },
      ],
      UpdatedDateUTC: msDate(c.updatedMs),
      ContactGroups: [],
      IsSupplier: false,
      IsCustomer: (this.invoicesByContact.get(c.id)?.size ?? 0) > 0,
      DefaultCurrency: c.currency,
      ...(c.termsDays !== null ? { PaymentTerms: { Sales: { Day: c.termsDays, Type: c.termsType } } } : {}),
      ...(b
        ? { Balances: { AccountsReceivable: { Outstanding: money(b.outstanding), Overdue: money(b.overdue) }, AccountsPayable: { Outstanding: 0, Overdue: 0 } } }
        : {}),
      ContactPersons: c.persons.map((p) => ({ ...p })),
      HasAttachments: false,
      HasValidationErrors: false,
    };
    return out;
  }

  private lineItems(lines: { id: string; description: string; cents: number }[]): XeroLineItem[] {
    return lines.map((l) => ({
      LineItemID: l.id,
      Description: l.description,
      Quantity: 1,
      UnitAmount: money(l.cents),
      AccountCode: '200',
      TaxType: 'NONE',
      TaxAmount: 0,
      LineAmount: money(l.cents),
    }));
  }

  invoiceWire(inv: InvoiceRec, withLines = true): XeroInvoice {
    const total = money(inv.totalCents);
    const out: XeroInvoice = {
      Type: 'ACCREC',
      InvoiceID: inv.id,
      InvoiceNumber: inv.number,
      Reference: inv.reference,
      Payments: inv.paymentIds
        .map((id) => this.payments.get(id) as PaymentRec)
        .filter((p) => p.status === 'AUTHORISED')
        .map((p) => ({ PaymentID: p.id, Date: dayMsDate(p.date), Amount: money(p.cents), Reference: p.reference, CurrencyRate: inv.rate, HasAccount: false, HasValidationErrors: false })),
      CreditNotes: inv.allocations.map((a) => {
        const cn = this.creditNotes.get(a.creditNoteId) as CreditNoteRec;
        return { CreditNoteID: cn.id, CreditNoteNumber: cn.number, Date: dayMsDate(a.date), DateString: dayString(a.date), Total: money(cn.totalCents), AppliedAmount: money(a.cents), HasErrors: false };
      }),
      Prepayments: [],
      Overpayments: [],
      AmountDue: money(this.amountDueCents(inv)),
      AmountPaid: money(inv.paidCents),
      AmountCredited: money(inv.creditedCents),
      SentToContact: inv.sent,
      CurrencyRate: inv.rate,
      HasErrors: false,
      IsDiscounted: false,
      HasAttachments: false,
      Contact: this.contactRef(inv.contactId),
      DateString: dayString(inv.date),
      Date: dayMsDate(inv.date),
      ...(inv.due !== null ? { DueDateString: dayString(inv.due), DueDate: dayMsDate(inv.due) } : {}),
      Status: inv.status,
      LineAmountTypes: 'Exclusive',
      ...(withLines ? { LineItems: this.lineItems(inv.lines) } : {}),
      SubTotal: total,
      TotalTax: 0,
      Total: total,
      UpdatedDateUTC: msDate(inv.updatedMs),
      UpdatedDateUTCString: isoZ(inv.updatedMs),
      CurrencyCode: inv.currency,
      ...(inv.status === 'PAID' && inv.fullyPaidOn ? { FullyPaidOnDate: dayMsDate(inv.fullyPaidOn) } : {}),
    };
    return out;
  }

  paymentWire(p: PaymentRec): XeroPayment {
    const inv = this.invoices.get(p.invoiceId) as InvoiceRec;
    return {
      PaymentID: p.id,
      Date: dayMsDate(p.date),
      BankAmount: money(p.cents),
      Amount: money(p.cents),
      Reference: p.reference,
      CurrencyRate: inv.rate,
      PaymentType: 'ACCRECPAYMENT',
      Status: p.status,
      UpdatedDateUTC: msDate(p.updatedMs),
      HasAccount: true,
      IsReconciled: p.reconciled,
      Account: { ...BANK_ACCOUNT },
      Invoice: { Type: 'ACCREC', InvoiceID: inv.id, InvoiceNumber: inv.number, Contact: this.contactRef(inv.contactId), CurrencyCode: inv.currency },
      ...(p.batchId ? { BatchPaymentID: p.batchId } : {}),
      HasValidationErrors: false,
    };
  }

  creditNoteWire(cn: CreditNoteRec, withLines = true): XeroCreditNote {
    const last = cn.allocations.reduce<IsoDate | null>((m, a) => (m === null || a.date > m ? a.date : m), null);
    return {
      CreditNoteID: cn.id,
      CreditNoteNumber: cn.number,
      Type: 'ACCRECCREDIT',
      Reference: cn.reference,
      Contact: this.contactRef(cn.contactId),
      DateString: dayString(cn.date),
      Date: dayMsDate(cn.date),
      Status: cn.status,
      LineAmountTypes: 'Exclusive',
      ...(withLines ? { LineItems: this.lineItems([{ id: `${cn.id.slice(0, 24)}000000000001`, description: cn.description, cents: cn.totalCents }]) } : {}),
      SubTotal: money(cn.totalCents),
      TotalTax: 0,
      Total: money(cn.totalCents),
      UpdatedDateUTC: msDate(cn.updatedMs),
      CurrencyCode: cn.currency,
      CurrencyRate: cn.rate,
      RemainingCredit: money(this.remainingCreditCents(cn)),
      Allocations: cn.allocations.map((a) => {
        const inv = this.invoices.get(a.invoiceId) as InvoiceRec;
        return { AllocationID: a.id, Amount: money(a.cents), Date: dayMsDate(a.date), Invoice: { InvoiceID: inv.id, InvoiceNumber: inv.number }, IsDeleted: false };
      }),
      ...(cn.status === 'PAID' && last ? { FullyPaidOnDate: dayMsDate(last) } : {}),
      HasAttachments: false,
      HasErrors: false,
    };
  }

  snapshot(): XeroSnapshot {
    const bySeq = <T extends { seq: number }>(m: Map<string, T>): T[] => [...m.values()].sort((a, b) => a.seq - b.seq);
    return {
      now: new Date(this.clock.nowMs()).toISOString(),
      today: this.clock.date(),
      tenantId: this.opts.tenantId,
      tenantName: this.opts.tenantName,
      contacts: bySeq(this.contacts).map((c) => this.contactWire(c)),
      invoices: bySeq(this.invoices).map((i) => this.invoiceWire(i)),
      payments: bySeq(this.payments).map((p) => this.paymentWire(p)),
      creditNotes: bySeq(this.creditNotes).map((c) => this.creditNoteWire(c)),
    };
  }

  // ---- where fields --------------------------------------------------------------------------

  readonly invoiceFields: Record<string, Getter<InvoiceRec>> = {
    InvoiceID: (r) => r.id,
    InvoiceNumber: (r) => r.number,
    Type: () => 'ACCREC',
    Status: (r) => r.status,
    Reference: (r) => r.reference,
    'Contact.ContactID': (r) => r.contactId,
    'Contact.Name': (r) => this.contacts.get(r.contactId)?.name ?? null,
    'Contact.ContactNumber': (r) => this.contacts.get(r.contactId)?.number ?? null,
    Date: (r) => dayMs(r.date),
    DueDate: (r) => (r.due === null ? null : dayMs(r.due)),
    UpdatedDateUTC: (r) => r.updatedMs,
    AmountDue: (r) => money(this.amountDueCents(r)),
    AmountPaid: (r) => money(r.paidCents),
    AmountCredited: (r) => money(r.creditedCents),
    Total: (r) => money(r.totalCents),
    SubTotal: (r) => money(r.totalCents),
    CurrencyCode: (r) => r.currency,
    SentToContact: (r) => r.sent,
    InvoiceId: (r) => r.id,
  };
  readonly contactFields: Record<string, Getter<ContactRec>> = {
    ContactID: (r) => r.id,
    ContactNumber: (r) => r.number,
    ContactStatus: (r) => r.status,
    Name: (r) => r.name,
    FirstName: (r) => r.first,
    LastName: (r) => r.last,
    EmailAddress: (r) => r.email,
    IsCustomer: (r) => (this.invoicesByContact.get(r.id)?.size ?? 0) > 0,
    IsSupplier: () => false,
    UpdatedDateUTC: (r) => r.updatedMs,
    DefaultCurrency: (r) => r.currency,
  };
  readonly paymentFields: Record<string, Getter<PaymentRec>> = {
    PaymentID: (r) => r.id,
    PaymentType: () => 'ACCRECPAYMENT',
    Status: (r) => r.status,
    Date: (r) => dayMs(r.date),
    Amount: (r) => money(r.cents),
    Reference: (r) => r.reference,
    IsReconciled: (r) => r.reconciled,
    UpdatedDateUTC: (r) => r.updatedMs,
    'Invoice.InvoiceID': (r) => r.invoiceId,
    'Invoice.InvoiceNumber': (r) => this.invoices.get(r.invoiceId)?.number ?? null,
    'Invoice.Contact.ContactID': (r) => this.invoices.get(r.invoiceId)?.contactId ?? null,
    BatchPaymentID: (r) => r.batchId,
  };
  readonly creditNoteFields: Record<string, Getter<CreditNoteRec>> = {
    CreditNoteID: (r) => r.id,
    CreditNoteNumber: (r) => r.number,
    Type: () => 'ACCRECCREDIT',
    Status: (r) => r.status,
    Reference: (r) => r.reference,
    'Contact.ContactID': (r) => r.contactId,
    'Contact.Name': (r) => this.contacts.get(r.contactId)?.name ?? null,
    Date: (r) => dayMs(r.date),
    UpdatedDateUTC: (r) => r.updatedMs,
    Total: (r) => money(r.totalCents),
    RemainingCredit: (r) => money(r.totalCents - r.allocations.reduce((s, a) => s + a.cents, 0)),
    CurrencyCode: (r) => r.currency,
  };

  // ---- writes --------------------------------------------------------------------------------

  private insertContact(input: NewContact, ms: number): ContactRec {
    const name = input.name.trim();
    if (!name) throw validation(['The contact name must be specified']);
    if (this.names.has(name.toLowerCase())) throw validation([`The contact name ${name} is already assigned to another contact. The contact name must be unique across all active contacts.`]);
    const rec: ContactRec = {
      id: this.id(),
      seq: this.seq++,
      number: input.contactNumber ?? null,
      status: input.status ?? 'ACTIVE',
      name,
      first: input.firstName ?? null,
      last: input.lastName ?? null,
      email: input.email ?? null,
      persons: input.contactPersons ?? [],
      phone: input.phone ?? null,
      street: null,
      city: null,
      currency: input.currency ?? this.opts.baseCurrency,
      termsDays: input.termsDays === undefined ? 30 : input.termsDays,
      termsType: 'DAYSAFTERBILLDATE',
      createdMs: ms,
      updatedMs: ms,
      history: [],
    };
    this.contacts.set(rec.id, rec);
    this.names.add(name.toLowerCase());
    this.versions.contacts++;
    return rec;
  }

  createContact(input: NewContact): ContactRec {
    return this.insertContact(input, this.tick());
  }

  updateContact(id: string, patch: Partial<XeroContact>): ContactRec {
    const c = this.contact(id);
    if (patch.Name !== undefined && patch.Name.toLowerCase() !== c.name.toLowerCase()) {
      if (this.names.has(patch.Name.toLowerCase())) throw validation([`The contact name ${patch.Name} is already assigned to another contact.`]);
      this.names.delete(c.name.toLowerCase());
      this.names.add(patch.Name.toLowerCase());
    }
    if (patch.Name !== undefined) c.name = patch.Name;
    if (patch.FirstName !== undefined) c.first = patch.FirstName;
    if (patch.LastName !== undefined) c.last = patch.LastName;
    if (patch.EmailAddress !== undefined) c.email = patch.EmailAddress || null;
    if (patch.ContactStatus !== undefined) c.status = patch.ContactStatus;
    if (patch.ContactNumber !== undefined) c.number = patch.ContactNumber;
    if (patch.ContactPersons !== undefined) c.persons = patch.ContactPersons.map((p) => ({ ...p }));
    if (patch.DefaultCurrency !== undefined) c.currency = patch.DefaultCurrency;
    if (patch.PaymentTerms !== undefined) {
      c.termsDays = patch.PaymentTerms.Sales?.Day ?? null;
      c.termsType = patch.PaymentTerms.Sales?.Type ?? 'DAYSAFTERBILLDATE';
    }
    c.updatedMs = this.tick();
    this.versions.contacts++;
    // Invoices carry the contact's name; Xero does not restamp them, nor does the emulator.
    this.versions.invoices++;
    return c;
  }

  private insertInvoice(input: NewXeroInvoice, ms: number): InvoiceRec {
    const c = this.contact(input.contactId);
    const lines = input.lines ?? (input.amount !== undefined ? [{ amount: input.amount }] : []);
    if (lines.length === 0) throw validation(['Invoice must have at least one line item']);
    const date = input.date ?? this.clock.date();
    const due = input.dueDate === undefined ? addDays(date, c.termsDays ?? 30) : input.dueDate;
    const rec: InvoiceRec = {
      id: this.id(),
      seq: this.seq++,
      number: input.number ?? `INV-${String(this.nextNumber++).padStart(4, '0')}`,
      reference: input.reference ?? '',
      contactId: c.id,
      date,
      due,
      status: input.status ?? 'AUTHORISED',
      currency: input.currency ?? c.currency,
      rate: this.rateFor(input.currency ?? c.currency),
      lines: lines.map((l) => ({ id: this.id(), description: l.description ?? 'Design and print services', cents: cents(l.amount) })),
      totalCents: 0,
      paidCents: 0,
      creditedCents: 0,
      sent: input.sentToContact ?? false,
      fullyPaidOn: null,
      paymentIds: [],
      allocations: [],
      createdMs: ms,
      updatedMs: ms,
      history: [],
    };
    rec.totalCents = rec.lines.reduce((s, l) => s + l.cents, 0);
    this.invoices.set(rec.id, rec);
    let set = this.invoicesByContact.get(c.id);
    if (!set) this.invoicesByContact.set(c.id, (set = new Set()));
    set.add(rec.id);
    this.versions.invoices++;
    this.addHistory(rec.history, 'Created', `INV ${rec.number} to ${c.name} for ${money(rec.totalCents).toFixed(2)}.`, ms);
    return rec;
  }

  createInvoice(input: NewXeroInvoice): InvoiceRec {
    return this.insertInvoice(input, this.tick());
  }

  /** Recomputes PAID/AUTHORISED after money moved, and stamps the invoice. */
  private settle(inv: InvoiceRec, ms: number): void {
    const due = this.amountDueCents(inv);
    if (inv.status === 'AUTHORISED' && due <= 0) {
      inv.status = 'PAID';
      const dates = [
        ...inv.paymentIds.map((id) => this.payments.get(id) as PaymentRec).filter((p) => p.status === 'AUTHORISED').map((p) => p.date),
        ...inv.allocations.map((a) => a.date),
      ].sort();
      inv.fullyPaidOn = dates[dates.length - 1] ?? this.clock.date(ms);
    } else if (inv.status === 'PAID' && due > 0) {
      inv.status = 'AUTHORISED';
      inv.fullyPaidOn = null;
    }
    inv.updatedMs = ms;
    this.versions.invoices++;
  }

  private insertPayment(inv: InvoiceRec, amountCents: number, date: IsoDate, reference: string, batchId: string | null, ms: number): PaymentRec {
    if (inv.status !== 'AUTHORISED') throw validation([`Payment cannot be created: the invoice is ${inv.status}. Payments can only be made against AUTHORISED invoices.`], { Invoice: { InvoiceID: inv.id } });
    if (amountCents <= 0) throw validation(['Payment amount must be positive']);
    if (amountCents > this.amountDueCents(inv)) throw validation(['Payment amount exceeds the amount outstanding on this document']);
    const p: PaymentRec = { id: this.id(), seq: this.seq++, invoiceId: inv.id, date, cents: amountCents, reference, status: 'AUTHORISED', batchId, reconciled: false, createdMs: ms, updatedMs: ms };
    this.payments.set(p.id, p);
    inv.paymentIds.push(p.id);
    inv.paidCents += amountCents;
    this.settle(inv, ms);
    this.versions.payments++;
    this.addHistory(inv.history, 'Payment Received', `Payment received from ${this.contacts.get(inv.contactId)?.name ?? ''} on ${date} for ${money(amountCents).toFixed(2)}.`, ms);
    return p;
  }

  payInvoice(id: string, opts: XeroPayOptions = {}): PaymentRec {
    const inv = this.invoice(id);
    const amount = opts.amount !== undefined ? cents(opts.amount) : this.amountDueCents(inv);
    return this.insertPayment(inv, amount, opts.date ?? this.clock.date(), opts.reference ?? '', null, this.tick());
  }

  private insertCredit(inv: InvoiceRec, appliedCents: number, extraCents: number, date: IsoDate, reason: string, number: string | null, ms: number): CreditNoteRec {
    if (inv.status !== 'AUTHORISED') throw validation([`Credit note cannot be allocated: the invoice is ${inv.status}.`]);
    if (appliedCents <= 0 || appliedCents > this.amountDueCents(inv)) throw validation(['The allocation amount must be positive and not exceed the amount due']);
    const cn: CreditNoteRec = {
      id: this.id(),
      seq: this.seq++,
      number: number ?? `CN-${String(this.nextCredit++).padStart(4, '0')}`,
      reference: '',
      contactId: inv.contactId,
      date,
      status: extraCents > 0 ? 'AUTHORISED' : 'PAID',
      currency: inv.currency,
      rate: inv.rate,
      totalCents: appliedCents + extraCents,
      description: reason,
      allocations: [],
      createdMs: ms,
      updatedMs: ms,
    };
    const alloc = { id: this.id(), invoiceId: inv.id, cents: appliedCents, date };
    cn.allocations.push(alloc);
    this.creditNotes.set(cn.id, cn);
    inv.allocations.push({ creditNoteId: cn.id, allocationId: alloc.id, cents: appliedCents, date });
    inv.creditedCents += appliedCents;
    this.settle(inv, ms);
    this.versions.creditNotes++;
    this.addHistory(inv.history, 'Credit Applied', `Credit note ${cn.number} applied for ${money(appliedCents).toFixed(2)}.`, ms);
    return cn;
  }

  creditInvoice(id: string, opts: XeroCreditOptions = {}): CreditNoteRec {
    const inv = this.invoice(id);
    const applied = opts.amount !== undefined ? cents(opts.amount) : this.amountDueCents(inv);
    return this.insertCredit(inv, applied, cents(opts.extra ?? 0), opts.date ?? this.clock.date(), opts.reason ?? 'Credit', null, this.tick());
  }

  /** An ACCRECCREDIT credit note on the contact, AUTHORISED and allocated to nothing (all its credit unused). */
  createCreditNote(contactId: string, opts: { amount: number; date?: IsoDate; reason?: string }): CreditNoteRec {
    const c = this.contact(contactId);
    const totalCents = cents(opts.amount);
    if (totalCents <= 0) throw validation(['Credit note total must be positive']);
    const ms = this.tick();
    const cn: CreditNoteRec = {
      id: this.id(),
      seq: this.seq++,
      number: `CN-${String(this.nextCredit++).padStart(4, '0')}`,
      reference: '',
      contactId: c.id,
      date: opts.date ?? this.clock.date(ms),
      status: 'AUTHORISED',
      currency: c.currency,
      rate: this.rateFor(c.currency),
      totalCents,
      description: opts.reason ?? 'Credit',
      allocations: [],
      createdMs: ms,
      updatedMs: ms,
    };
    this.creditNotes.set(cn.id, cn);
    this.versions.creditNotes++;
    return cn;
  }

  /** DRAFT/SUBMITTED → AUTHORISED (approved): it becomes receivable and its UpdatedDateUTC moves. */
  authoriseInvoice(id: string): InvoiceRec {
    const inv = this.invoice(id);
    if (inv.status !== 'DRAFT' && inv.status !== 'SUBMITTED') throw validation([`Only DRAFT or SUBMITTED invoices can be approved; this one is ${inv.status}`], { InvoiceID: inv.id });
    if (inv.due === null) throw validation(['Due date is required to approve an invoice'], { InvoiceID: inv.id });
    const ms = this.tick();
    inv.status = 'AUTHORISED';
    inv.updatedMs = ms;
    this.versions.invoices++;
    this.addHistory(inv.history, 'Approved', `INV ${inv.number} approved.`, ms);
    return inv;
  }

  voidInvoice(id: string): InvoiceRec {
    const inv = this.invoice(id);
    if (inv.status !== 'AUTHORISED' && inv.status !== 'SUBMITTED') throw validation([`Invoice not of valid status for voiding (${inv.status})`], { InvoiceID: inv.id });
    if (inv.paidCents > 0 || inv.creditedCents > 0) throw validation(['Invoice cannot be voided because it has payments or credit notes allocated to it. Remove them first.'], { InvoiceID: inv.id });
    const ms = this.tick();
    inv.status = 'VOIDED';
    inv.updatedMs = ms;
    this.versions.invoices++;
    this.addHistory(inv.history, 'Voided', `INV ${inv.number} voided.`, ms);
    return inv;
  }

  deleteInvoice(id: string): InvoiceRec {
    const inv = this.invoice(id);
    if (inv.status !== 'DRAFT' && inv.status !== 'SUBMITTED') throw validation([`Only DRAFT or SUBMITTED invoices can be deleted; this one is ${inv.status} (void it instead)`], { InvoiceID: inv.id });
    const ms = this.tick();
    inv.status = 'DELETED';
    inv.updatedMs = ms;
    this.versions.invoices++;
    this.addHistory(inv.history, 'Deleted', `INV ${inv.number} deleted.`, ms);
    return inv;
  }

  deletePayment(id: string): PaymentRec {
    const p = this.payment(id);
    if (p.status === 'DELETED') throw validation(['Payment has already been deleted'], { PaymentID: p.id });
    const ms = this.tick();
    p.status = 'DELETED';
    p.updatedMs = ms;
    const inv = this.invoices.get(p.invoiceId) as InvoiceRec;
    inv.paidCents -= p.cents;
    this.settle(inv, ms);
    this.versions.payments++;
    this.addHistory(inv.history, 'Payment Deleted', `Payment of ${money(p.cents).toFixed(2)} on ${p.date} deleted.`, ms);
    return p;
  }

  markSent(inv: InvoiceRec): void {
    if (inv.sent) return;
    inv.sent = true;
    inv.updatedMs = this.tick();
    this.versions.invoices++;
  }

  addHistory(list: XeroHistoryRecord[], changes: string, details: string, ms: number): XeroHistoryRecord {
    const rec: XeroHistoryRecord = { Changes: changes, DateUTCString: isoNoZone(ms), DateUTC: msDate(ms), User: 'System Generated', Details: details };
    list.push(rec);
    return rec;
  }

  onlineUrl(inv: InvoiceRec): string {
    return `${this.opts.onlineBase}/${inv.id}`;
  }

  // ---- seeding -------------------------------------------------------------------------------

  /**
   * Fills the org from the demo generator (deterministic for the same seed, size and today).
   * `minContacts` pads the demo's customers with idle contacts (no transactions, 10 % ARCHIVED).
   */
  seedDemo(seed: number, invoices: number, minContacts = 0): void {
    const now = this.clock.nowMs();
    const today = this.clock.date(now);
    const { batch } = generateDemo({ seed, invoices, today });
    const rng = createRng((seed ^ 0x5eed_0b0) >>> 0);
    const clamp = (ms: number): number => Math.min(ms, now);
    const at = (date: IsoDate, hour: number, spanMin: number): number => this.clock.localToMs(date, hour, rng.int(0, spanMin - 1), rng.int(0, 59), rng.int(0, 999));

    for (const [i, c] of (batch.customers ?? []).entries()) {
      const createdMs = clamp(this.clock.localToMs(c.updatedAt.slice(0, 10), 7, i % 60, (i * 7) % 60, (i * 37) % 1000));
      const [first, ...rest] = (c.contactName ?? '').split(' ');
      const rec = this.insertContact(
        {
          name: c.name,
          ...(c.contactName ? { firstName: first ?? '', lastName: rest.join(' ') } : {}),
          email: c.email ?? null,
          phone: c.phone ?? null,
          currency: c.currency,
          termsDays: c.termsDays ?? 30,
          contactNumber: `C${String(i + 1).padStart(5, '0')}`,
        },
        createdMs,
      );
      rec.street = c.address ?? null;
      this.demoIds.set(c.externalId, rec.id);
    }
    for (let i = this.contacts.size; i < minContacts; i++) {
      const createdMs = clamp(this.clock.localToMs(addDays(today, -rng.int(30, 700)), 7, rng.int(0, 59), rng.int(0, 59), rng.int(0, 999)));
      let name = `${rng.pick(NAME_HEADS)} ${rng.pick(NAME_TRADES)}${rng.pick(NAME_FORMS)}`;
      if (this.names.has(name.toLowerCase())) name = `${name} (${rng.pick(CITIES)})`;
      for (let k = 2; this.names.has(name.toLowerCase()); k++) name = `${name.replace(/ #\d+$/, '')} #${k}`;
      const domain = name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
      this.insertContact(
        {
          name,
          firstName: rng.pick(FIRST_NAMES),
          lastName: rng.pick(LAST_NAMES),
          email: rng.chance(0.85) ? `accounts@${domain}.example` : null,
          termsDays: rng.pick([15, 30, 30, 60]),
          status: rng.chance(0.1) ? 'ARCHIVED' : 'ACTIVE',
          contactNumber: `C${String(i + 1).padStart(5, '0')}`,
        },
        createdMs,
      );
    }

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

    const voids: { inv: InvoiceRec; ms: number }[] = [];
    for (const ev of events) {
      const ms = clamp(ev.ms);
      if (ev.kind === 0) {
        const { inv } = ev;
        const contactId = this.demoIds.get(inv.customerExternalId) as string;
        const rec = this.insertInvoice(
          {
            contactId,
            lines: [{ amount: money(inv.totalCents), description: inv.memo ?? 'Design and print services' }],
            date: inv.issueDate,
            dueDate: inv.dueDate,
            number: inv.number,
            reference: inv.memo ? `PO ${1000 + (ev.ord % 9000)}` : '',
            currency: inv.currency,
          },
          ms,
        );
        this.demoIds.set(inv.externalId, rec.id);
        const contact = this.contacts.get(contactId) as ContactRec;
        const age = dayMs(today) - dayMs(inv.issueDate);
        if (contact.email && !(age <= 2 * 86_400_000 && rng.chance(0.3))) {
          rec.sent = true;
          rec.updatedMs = clamp(ms + rng.int(2, 30) * 60_000);
        }
        if (inv.status === 'void') voids.push({ inv: rec, ms: clamp(Math.max(rec.updatedMs, this.clock.localToMs(addDays(inv.issueDate, rng.int(1, 6)), 16, 0))) });
      } else if (ev.kind === 1) {
        const { cn } = ev;
        for (const app of cn.applications) {
          const inv = this.invoices.get(this.demoIds.get(app.invoiceExternalId) as string) as InvoiceRec;
          const rec = this.insertCredit(inv, app.amountCents, cn.totalCents - app.amountCents, cn.date, cn.reason ?? 'Credit', cn.number ?? null, ms);
          this.demoIds.set(cn.externalId, rec.id);
        }
      } else {
        const { pay } = ev;
        const batchId = pay.applications.length > 1 ? this.id() : null;
        for (const [k, app] of pay.applications.entries()) {
          const inv = this.invoices.get(this.demoIds.get(app.invoiceExternalId) as string) as InvoiceRec;
          const p = this.insertPayment(inv, app.amountCents, pay.date, pay.reference ?? '', batchId, ms);
          p.reconciled = dayMs(pay.date) < dayMs(today) - 7 * 86_400_000;
          this.demoIds.set(k === 0 ? pay.externalId : `${pay.externalId}/${k + 1}`, p.id);
        }
      }
    }
    for (const { inv, ms } of voids) {
      inv.status = 'VOIDED';
      inv.updatedMs = Math.max(inv.updatedMs, ms);
      this.addHistory(inv.history, 'Voided', `INV ${inv.number} voided.`, ms);
    }
    this.nextNumber = Math.max(this.nextNumber, 1001 + (batch.invoices?.length ?? 0));
    this.nextCredit = Math.max(this.nextCredit, 5001 + (batch.creditNotes?.length ?? 0));
  }
}
