// The demo company: Juniper & Finch, a small design and print studio with 18 months of
// receivables. It lets an owner explore Settle before connecting a ledger, and it is the
// fixture for benches and end-to-end tests, so it is deterministic (seeded, date-driven) and
// internally consistent: balance = total − applications, all dated on or before today.
import { fromEpochDay, isIsoDate, toEpochDay, type IsoDate } from '../../../../shared/dates';
import type {
  ApplicationRecord,
  CreditNoteRecord,
  CustomerRecord,
  InvoiceRecord,
  LedgerBatch,
  NoteRecord,
  PaymentRecord,
} from '../../ledger';
import {
  CITIES,
  CREDIT_REASONS,
  CURATED,
  EURO_CITIES,
  EURO_FORMS,
  EURO_HEADS,
  EURO_TAILS,
  FIRST_NAMES,
  LAST_NAMES,
  MEMOS,
  METHODS,
  NAME_FORMS,
  NAME_HEADS,
  NAME_TRADES,
  STREETS,
  UK_CITIES,
} from './names';
import { createRng, type Rng } from './prng';

export const DEMO_COMPANY_NAME = 'Juniper & Finch Print Studio';
export const DEMO_DEFAULT_SEED = 7;
export const DEMO_DEFAULT_INVOICES = 900;
export const DEMO_MAX_INVOICES = 1_000_000;
/** About 18 months of history before today. */
export const DEMO_HISTORY_DAYS = 548;

export interface DemoOptions {
  seed?: number;
  invoices?: number;
  today: IsoDate;
}

export interface DemoData {
  company: { name: string; homeCurrency: 'USD' };
  batch: LedgerBatch;
}

type Profile = 'reliable' | 'late' | 'chronic' | 'new';

interface Terms {
  label: string;
  days: number;
}

interface DemoCustomer {
  index: number;
  ext: string;
  profile: Profile;
  start: number;
  weight: number;
  baseCents: number;
  terms: Terms;
  currency: string;
  method: string;
  contact: string | null;
  record: CustomerRecord;
}

interface Pay {
  day: number;
  cents: number;
}

interface DemoInvoice {
  cust: DemoCustomer;
  day: number;
  seq: number;
  cents: number;
  due: number;
  voided: boolean;
  credit: { day: number; cents: number; extra: number } | null;
  pays: Pay[];
}

const TERMS: readonly Terms[] = [
  { label: 'Due on receipt', days: 0 },
  { label: 'Net 15', days: 15 },
  { label: 'Net 30', days: 30 },
  { label: 'Net 60', days: 60 },
];
// The first customers get fixed behaviour so even the smallest demo shows every kind.
const FIRST_PROFILES: readonly Profile[] = ['reliable', 'late', 'reliable', 'chronic', 'late', 'reliable', 'new', 'chronic'];

const MIN_CENTS = 15_000;
const MAX_CENTS = 2_500_000;

/**
 * Generates the demo company's ledger as of `today`. The same seed, size and `today` always give
 * the same output; invoices default to 900 with about one customer per 15 invoices (at least 8).
 */
export function generateDemo(opts: DemoOptions): DemoData {
  const seed = opts.seed ?? DEMO_DEFAULT_SEED;
  const count = opts.invoices ?? DEMO_DEFAULT_INVOICES;
  if (!isIsoDate(opts.today)) throw new RangeError(`today must be a date as YYYY-MM-DD, got ${JSON.stringify(opts.today)}`);
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`seed must be a whole number from 0 to 2^32-1, got ${seed}`);
  }
  if (!Number.isSafeInteger(count) || count < 1 || count > DEMO_MAX_INVOICES) {
    throw new RangeError(`invoices must be a whole number from 1 to ${DEMO_MAX_INVOICES}, got ${count}`);
  }

  const rng = createRng(seed);
  const today = toEpochDay(opts.today);
  const firstDay = today - DEMO_HISTORY_DAYS + 1;
  const customerCount = Math.min(count, Math.max(8, Math.round(count / 15)));

  const customers = makeCustomers(rng, customerCount, firstDay, today);
  const invoices = placeInvoices(rng, customers, count, firstDay, today);
  for (const inv of invoices) planSettlement(rng, inv, today);
  ensureEveryBucket(invoices, today);

  return {
    company: { name: DEMO_COMPANY_NAME, homeCurrency: 'USD' },
    batch: toBatch(rng, customers, invoices, today),
  };
}

// ---- customers ----

function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/ø/g, 'o')
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function randomProfile(rng: Rng): Profile {
  const r = rng.next();
  return r < 0.45 ? 'reliable' : r < 0.75 ? 'late' : r < 0.9 ? 'chronic' : 'new';
}

function randomTerms(rng: Rng): Terms {
  const r = rng.next();
  return (r < 0.15 ? TERMS[0] : r < 0.35 ? TERMS[1] : r < 0.85 ? TERMS[2] : TERMS[3]) as Terms;
}

function makeCustomers(rng: Rng, n: number, firstDay: number, today: number): DemoCustomer[] {
  const out: DemoCustomer[] = [];
  const usedNames = new Set<string>();
  for (let i = 0; i < n; i++) {
    const curated = CURATED[i];
    let name: string;
    let currency: string;
    let contact: string | null;
    let domain: string | null;
    let city: string;
    let parentExternalId: string | null = null;
    if (curated) {
      ({ name, currency, contact, domain, city } = curated);
      if (curated.parent !== undefined) parentExternalId = customerExt(curated.parent);
    } else {
      const r = rng.next();
      currency = r < 0.1 ? 'EUR' : r < 0.14 ? 'GBP' : 'USD';
      name =
        currency === 'EUR'
          ? `${rng.pick(EURO_HEADS)} ${rng.pick(EURO_TAILS)}${rng.pick(EURO_FORMS)}`
          : `${rng.pick(NAME_HEADS)} ${rng.pick(NAME_TRADES)}${currency === 'GBP' ? ' Ltd' : rng.pick(NAME_FORMS)}`;
      city = rng.pick(currency === 'EUR' ? EURO_CITIES : currency === 'GBP' ? UK_CITIES : CITIES);
      contact = rng.chance(0.9) ? `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}` : null;
      domain = rng.chance(0.92) ? `${slug(name)}.example` : null;
    }
    if (usedNames.has(name)) name = `${name} (${city})`;
    for (let k = 2; usedNames.has(name); k++) name = `${name.replace(/ #\d+$/, '')} #${k}`;
    usedNames.add(name);

    const profile = FIRST_PROFILES[i] ?? randomProfile(rng);
    const start =
      i === 0 ? firstDay : profile === 'new' ? today - rng.int(2, 28) : firstDay + Math.floor(rng.next() ** 2 * 360);
    const terms = randomTerms(rng);
    const baseDollars = Math.exp(Math.log(250) + rng.next() * (Math.log(6000) - Math.log(250)));
    const localPart = contact && rng.chance(0.4) ? slug(contact.split(' ')[0] ?? 'billing') || 'billing' : rng.pick(['accounts', 'billing', 'ap', 'office']);
    const ext = customerExt(i);
    const record: CustomerRecord = {
      externalId: ext,
      parentExternalId,
      name,
      companyName: name,
      contactName: contact,
      email: domain ? `${localPart}@${domain}` : null,
      phone: currency === 'USD' && rng.chance(0.8) ? `+1 555-01${String(rng.int(0, 99)).padStart(2, '0')}` : null,
      address: `${rng.int(1, 2400)} ${rng.pick(STREETS)}, ${city}`,
      termsLabel: terms.label,
      termsDays: terms.days,
      currency,
      active: true,
      updatedAt: `${dayIso(start)}T09:00:00.000Z`,
    };
    out.push({
      index: i,
      ext,
      profile,
      start,
      weight: Math.exp(rng.gauss() * 0.9),
      baseCents: Math.round(baseDollars) * 100,
      terms,
      currency,
      method: rng.pick(METHODS),
      contact,
      record,
    });
  }
  return out;
}

function customerExt(index: number): string {
  return `demo-cust-${index + 1}`;
}

// ---- invoices: when, for whom, how much ----

function invoiceCents(rng: Rng, base: number): number {
  let cents = Math.round(base * Math.exp(rng.gauss() * 0.55));
  cents = Math.min(MAX_CENTS, Math.max(MIN_CENTS, cents));
  // Most studio invoices are whole dollars; some carry cents (tax, per-unit pricing).
  return rng.chance(0.7) ? Math.round(cents / 100) * 100 : cents;
}

function placeInvoices(rng: Rng, customers: DemoCustomer[], count: number, firstDay: number, today: number): DemoInvoice[] {
  const invoices: DemoInvoice[] = [];
  const add = (cust: DemoCustomer, day: number): void => {
    invoices.push({
      cust,
      day,
      seq: invoices.length,
      cents: invoiceCents(rng, cust.baseCents),
      due: day + cust.terms.days,
      voided: false,
      credit: null,
      pays: [],
    });
  };
  // Everyone has at least their first invoice, on the day they became a customer.
  for (const c of customers) add(c, c.start);

  // The rest by date: a customer can be billed once they exist, busier customers more often.
  const byStart = [...customers].sort((a, b) => a.start - b.start || a.index - b.index);
  const starts = byStart.map((c) => c.start);
  const cumulative: number[] = [];
  let total = 0;
  for (const c of byStart) cumulative.push((total += c.weight));
  const span = today - firstDay + 1;
  for (let k = customers.length; k < count; k++) {
    const day = firstDay + Math.floor(rng.next() * span);
    const eligible = upperBound(starts, day);
    const limit = (cumulative[eligible - 1] ?? 0) * rng.next();
    const idx = Math.min(eligible - 1, upperBound(cumulative, limit));
    add(byStart[idx] as DemoCustomer, day);
  }
  // Numbers follow dates, as in any ledger.
  invoices.sort((a, b) => a.day - b.day || a.cust.index - b.cust.index || a.seq - b.seq);
  invoices.forEach((inv, i) => (inv.seq = i));
  return invoices;
}

/** Index of the first element greater than `value` in an ascending list. */
function upperBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// ---- how each invoice was settled (or not) ----

function split(total: number, fraction: number): [number, number] {
  const first = Math.max(1, Math.min(total - 1, Math.round(total * fraction)));
  return [first, total - first];
}

function planSettlement(rng: Rng, inv: DemoInvoice, today: number): void {
  if (rng.chance(0.015)) {
    inv.voided = true;
    return;
  }
  let due = inv.cents;
  if (rng.chance(0.03)) {
    const cents = Math.min(inv.cents - 100, Math.max(1_000, Math.round((inv.cents * (0.05 + rng.next() * 0.25)) / 100) * 100));
    const day = inv.day + rng.int(1, 12);
    const extra = rng.chance(0.25) ? rng.int(20, 200) * 100 : 0;
    if (day <= today && cents > 0) {
      inv.credit = { day, cents, extra };
      due -= cents;
    }
  }
  const terms = inv.due - inv.day;
  const plan: Pay[] = [];
  const r = rng.next();
  switch (inv.cust.profile) {
    case 'reliable':
      if (r < 0.88) plan.push({ day: terms === 0 ? inv.day + rng.int(0, 3) : inv.due - rng.int(0, Math.min(terms, 10)), cents: due });
      else if (r < 0.97) plan.push({ day: inv.due + rng.int(1, 8), cents: due });
      else {
        const [a, b] = split(due, 0.5);
        plan.push({ day: inv.due, cents: a }, { day: inv.due + rng.int(10, 20), cents: b });
      }
      break;
    case 'late':
      if (r < 0.8) plan.push({ day: inv.due + rng.int(10, 40), cents: due });
      else {
        const [a, b] = split(due, 0.3 + rng.next() * 0.4);
        plan.push({ day: inv.due + rng.int(5, 20), cents: a }, { day: inv.due + rng.int(30, 60), cents: b });
      }
      break;
    case 'chronic':
      if (r < 0.3) break; // never paid
      if (r < 0.6) {
        const [a, b] = split(due, 0.3 + rng.next() * 0.3);
        plan.push({ day: inv.due + rng.int(20, 60), cents: a }, { day: inv.due + rng.int(75, 170), cents: b });
      } else plan.push({ day: inv.due + rng.int(45, 120), cents: due });
      break;
    case 'new':
      break; // no payment history yet
  }
  // Only what has happened by today is in the ledger; the rest is still owed.
  inv.pays = plan.filter((p) => p.day <= today && p.day >= inv.day);
}

type Bucket = 0 | 1 | 2 | 3 | 4;

function bucketOf(daysOverdue: number): Bucket {
  return daysOverdue <= 0 ? 0 : daysOverdue <= 30 ? 1 : daysOverdue <= 60 ? 2 : daysOverdue <= 90 ? 3 : 4;
}

function openCents(inv: DemoInvoice): number {
  if (inv.voided) return 0;
  let cents = inv.cents - (inv.credit?.cents ?? 0);
  for (const p of inv.pays) cents -= p.cents;
  return cents;
}

/** Every aging bucket has at least one open invoice: if one is empty, an invoice due in that
 * range stays unpaid (preferring customers who pay badly anyway). */
function ensureEveryBucket(invoices: DemoInvoice[], today: number): void {
  const filled = new Set<Bucket>();
  for (const inv of invoices) if (openCents(inv) > 0) filled.add(bucketOf(today - inv.due));
  for (const b of [0, 1, 2, 3, 4] as Bucket[]) {
    if (filled.has(b)) continue;
    const inRange = invoices.filter((inv) => !inv.voided && bucketOf(today - inv.due) === b);
    const pick = inRange.find((inv) => inv.cust.profile !== 'reliable') ?? inRange.at(-1);
    if (pick) pick.pays = [];
  }
}

// ---- records ----

// Only a few hundred distinct days occur; formatting each once keeps 100k invoices fast.
const dayIsoCache = new Map<number, IsoDate>();
function dayIso(day: number): IsoDate {
  let iso = dayIsoCache.get(day);
  if (iso === undefined) {
    iso = fromEpochDay(day);
    if (dayIsoCache.size > 20_000) dayIsoCache.clear();
    dayIsoCache.set(day, iso);
  }
  return iso;
}

function noteTime(rng: Rng, day: number): string {
  return `${dayIso(day)}T${String(rng.int(14, 22)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}:00.000Z`;
}

function reference(rng: Rng, method: string): string {
  switch (method) {
    case 'Check':
      return `CHK ${rng.int(1000, 9999)}`;
    case 'Card':
      return `•••• ${rng.int(1000, 9999)}`;
    case 'Wire':
      return `WIRE ${rng.int(100000, 999999)}`;
    default:
      return `ACH ${rng.int(100000, 999999)}`;
  }
}

function toBatch(rng: Rng, customers: DemoCustomer[], invoices: DemoInvoice[], today: number): LedgerBatch {
  const invoiceRecords: InvoiceRecord[] = [];
  const creditNotes: CreditNoteRecord[] = [];
  const payGroups = new Map<number, { cust: DemoCustomer; day: number; apps: ApplicationRecord[] }>();
  const byCustomer = new Map<DemoCustomer, DemoInvoice[]>();

  for (const inv of invoices) {
    const number = `INV-${1001 + inv.seq}`;
    const ext = `demo-inv-${1001 + inv.seq}`;
    let last = inv.day;
    if (inv.credit) {
      creditNotes.push({
        externalId: `demo-cn-${creditNotes.length + 1}`,
        customerExternalId: inv.cust.ext,
        number: `CN-${5001 + creditNotes.length}`,
        date: dayIso(inv.credit.day),
        currency: inv.cust.currency,
        totalCents: inv.credit.cents + inv.credit.extra,
        remainingCents: inv.credit.extra,
        status: inv.credit.extra > 0 ? 'open' : 'applied',
        reason: rng.pick(CREDIT_REASONS),
        applications: [{ invoiceExternalId: ext, amountCents: inv.credit.cents, appliedOn: dayIso(inv.credit.day) }],
        updatedAt: `${dayIso(inv.credit.day)}T16:00:00.000Z`,
      });
      last = Math.max(last, inv.credit.day);
    }
    for (const p of inv.pays) {
      // One payment per customer per day: a customer paying several invoices at once sends one remittance.
      const key = inv.cust.index * 1_000_000 + (p.day - today + 500_000);
      let g = payGroups.get(key);
      if (!g) payGroups.set(key, (g = { cust: inv.cust, day: p.day, apps: [] }));
      g.apps.push({ invoiceExternalId: ext, amountCents: p.cents, appliedOn: dayIso(p.day) });
      last = Math.max(last, p.day);
    }
    const balance = openCents(inv);
    invoiceRecords.push({
      externalId: ext,
      customerExternalId: inv.cust.ext,
      number,
      issueDate: dayIso(inv.day),
      dueDate: dayIso(inv.due),
      currency: inv.cust.currency,
      totalCents: inv.cents,
      balanceCents: balance,
      status: inv.voided ? 'void' : balance === 0 ? 'paid' : 'open',
      memo: rng.chance(0.6) ? rng.pick(MEMOS) : null,
      updatedAt: `${dayIso(last)}T17:00:00.000Z`,
    });
    let list = byCustomer.get(inv.cust);
    if (!list) byCustomer.set(inv.cust, (list = []));
    list.push(inv);
  }

  const groups = [...payGroups.values()].sort((a, b) => a.day - b.day || a.cust.index - b.cust.index);
  const payments: PaymentRecord[] = groups.map((g, k) => {
    const applied = g.apps.reduce((sum, a) => sum + a.amountCents, 0);
    const unapplied = rng.chance(0.02) ? rng.int(1, 20) * 500 : 0;
    return {
      externalId: `demo-pay-${k + 1}`,
      customerExternalId: g.cust.ext,
      date: dayIso(g.day),
      currency: g.cust.currency,
      amountCents: applied + unapplied,
      unappliedCents: unapplied,
      reference: reference(rng, g.cust.method),
      method: g.cust.method,
      applications: g.apps,
      updatedAt: `${dayIso(g.day)}T15:00:00.000Z`,
    };
  });

  return {
    customers: customers.map((c) => c.record),
    invoices: invoiceRecords,
    creditNotes,
    payments,
    notes: makeNotes(rng, customers, byCustomer, today),
  };
}

function makeNotes(rng: Rng, customers: DemoCustomer[], byCustomer: Map<DemoCustomer, DemoInvoice[]>, today: number): NoteRecord[] {
  const notes: NoteRecord[] = [];
  for (const c of customers) {
    const list = byCustomer.get(c) ?? [];
    const who = c.contact?.split(' ')[0] ?? 'their accounts team';
    if (c.profile === 'reliable' || c.profile === 'new') {
      if (rng.chance(0.2) && c.start < today - 1) {
        notes.push({
          customerExternalId: c.ext,
          kind: 'note',
          body: rng.pick([
            `Pays by ${c.method.toLowerCase()} around the 1st; send invoices to ${c.record.email ?? 'the office'}.`,
            `${who} asked for PDF invoices with the PO number on them.`,
            'Prefers email to phone calls.',
          ]),
          occurredAt: noteTime(rng, Math.min(today - 1, c.start + rng.int(0, 30))),
        });
      }
      continue;
    }
    // Late payers have a history of being chased about invoices that were past due.
    const chased = list.filter((inv) => !inv.voided && inv.due < today - 3);
    const n = chased.length === 0 ? 0 : rng.int(1, c.profile === 'chronic' ? 6 : 3);
    for (let k = 0; k < n; k++) {
      const inv = rng.pick(chased);
      const day = Math.min(today - 1, inv.due + rng.int(3, 30));
      const number = `INV-${1001 + inv.seq}`;
      const r = rng.next();
      const kind: NoteRecord['kind'] = r < 0.5 ? 'email' : r < 0.8 ? 'call' : 'note';
      const body =
        kind === 'email'
          ? rng.pick([`Sent a reminder about ${number}.`, `Emailed ${who} a copy of ${number}.`, `Followed up on ${number} by email.`])
          : kind === 'call'
            ? rng.pick([
                `Called ${who} about ${number}; said payment goes out next week.`,
                `Left a voicemail for ${who} about ${number}.`,
                `Spoke to ${who}: ${number} is waiting on their manager's approval.`,
              ])
            : rng.pick([`${who} says ${number} was never received.`, `Cash flow is tight for them this quarter.`, `Asked to split ${number} into two payments.`]);
      notes.push({ customerExternalId: c.ext, invoiceExternalId: `demo-inv-${1001 + inv.seq}`, kind, body, occurredAt: noteTime(rng, day) });
    }
  }
  return notes;
}
