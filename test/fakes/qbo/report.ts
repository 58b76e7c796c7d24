// GET /reports/AgedReceivables: the A/R aging summary in the shape of
// examples/qbo-aged-receivables-summary.json, computed from the emulator's books as of a date.
// Amounts are in the home currency (foreign balances × the transaction's ExchangeRate), as QBO
// shows them. Unapplied payments and unused credit memos count against the customer in the
// Current column, so a customer's Total is its Customer.Balance (in home currency).
import { toEpochDay, type IsoDate } from '../../../src/shared/dates';
import { faults } from './faults';
import { cents, type QboStore } from './store';
import type { QboCustomer } from './types';

export const AGING_TITLES = ['Current', '1 - 30', '31 - 60', '61 - 90', '91 and over'] as const;

export interface AgingRow {
  customerId: string;
  /** Home-currency cents per bucket: Current, 1-30, 31-60, 61-90, 91+. */
  buckets: [number, number, number, number, number];
  total: number;
}

export interface AgingOptions {
  reportDate: IsoDate;
  /** Ages against today instead of the report date (aging_method=Current). */
  ageFrom?: IsoDate;
  customers?: ReadonlySet<string>;
}

function bucket(daysPastDue: number): number {
  return daysPastDue <= 0 ? 0 : daysPastDue <= 30 ? 1 : daysPastDue <= 60 ? 2 : daysPastDue <= 90 ? 3 : 4;
}

/** Per-customer aging in home-currency cents (customers with nothing open are left out). */
export function computeAging(store: QboStore, opts: AgingOptions): Map<string, AgingRow> {
  const asOf = opts.reportDate;
  const ageDay = toEpochDay(opts.ageFrom ?? asOf);
  // Money applied after the report date is added back (QBO dates an application by its payment).
  const appliedLater = new Map<string, number>();
  for (const { obj: p } of store.payments.values()) {
    if (p.TxnDate <= asOf) continue;
    for (const line of p.Line) for (const t of line.LinkedTxn) appliedLater.set(t.TxnId, (appliedLater.get(t.TxnId) ?? 0) + cents(line.Amount));
  }
  const rows = new Map<string, AgingRow>();
  const add = (customerId: string, b: number, c: number): void => {
    if (opts.customers && !opts.customers.has(customerId)) return;
    let row = rows.get(customerId);
    if (!row) rows.set(customerId, (row = { customerId, buckets: [0, 0, 0, 0, 0], total: 0 }));
    row.buckets[b] = (row.buckets[b] as number) + c;
    row.total += c;
  };
  for (const { obj: inv } of store.invoices.values()) {
    if (inv.TxnDate > asOf) continue;
    const open = cents(inv.Balance) + (appliedLater.get(inv.Id) ?? 0);
    if (open === 0) continue;
    add(inv.CustomerRef.value, bucket(ageDay - toEpochDay(inv.DueDate)), store.homeCents(open, inv.CurrencyRef.value));
  }
  for (const { obj: cm } of store.creditMemos.values()) {
    if (cm.TxnDate > asOf) continue;
    const left = cents(cm.RemainingCredit) + (appliedLater.get(cm.Id) ?? 0);
    if (left !== 0) add(cm.CustomerRef.value, 0, -store.homeCents(left, cm.CurrencyRef.value));
  }
  for (const { obj: p } of store.payments.values()) {
    if (p.TxnDate > asOf || cents(p.UnappliedAmt) === 0) continue;
    add(p.CustomerRef.value, 0, -store.homeCents(cents(p.UnappliedAmt), p.CurrencyRef.value));
  }
  for (const [id, row] of rows) if (row.total === 0 && row.buckets.every((b) => b === 0)) rows.delete(id);
  return rows;
}

const money = (c: number): string => (c / 100).toFixed(2);
const cell = (c: number): { value: string } => ({ value: c === 0 ? '' : money(c) });

interface ColData {
  value: string;
  id?: string;
}

function dataRow(cust: QboCustomer, row: AgingRow): { type: 'Data'; ColData: ColData[] } {
  return { type: 'Data', ColData: [{ value: cust.DisplayName, id: cust.Id }, ...row.buckets.map(cell), cell(row.total)] };
}

/** The report body (without the envelope `time`; QBO reports carry Header.Time instead). */
export function agedReceivablesReport(store: QboStore, params: URLSearchParams): Record<string, unknown> {
  const clock = store.clock;
  const today = clock.date();
  const reportDate = params.get('report_date') ?? today;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(reportDate) || clock.parse(reportDate) === null) throw faults.invalid(`report_date ${reportDate} is not a date (YYYY-MM-DD)`, 'report_date');
  const method = params.get('aging_method') ?? 'Report_Date';
  if (method !== 'Report_Date' && method !== 'Current') throw faults.invalid(`aging_method must be Report_Date or Current`, 'aging_method');
  const customerParam = params.get('customer');
  const customers = customerParam ? new Set(customerParam.split(',').map((s) => s.trim()).filter(Boolean)) : undefined;
  const descending = (params.get('sort_order') ?? 'ascend').toLowerCase().startsWith('desc');

  const rows = computeAging(store, { reportDate, ...(method === 'Current' ? { ageFrom: today } : {}), ...(customers ? { customers } : {}) });
  const name = (id: string): string => store.customers.get(id)?.obj.DisplayName ?? id;
  const byName = (a: string, b: string): number => (descending ? -1 : 1) * name(a).localeCompare(name(b));

  // Sub-customers are nested under their parent in a Section, as QBO's summary shows them.
  const topOf = (id: string): string => {
    let cur = store.customers.get(id)?.obj;
    while (cur?.ParentRef) cur = store.customers.get(cur.ParentRef.value)?.obj;
    return cur?.Id ?? id;
  };
  const groups = new Map<string, string[]>();
  for (const id of rows.keys()) {
    const top = topOf(id);
    const list = groups.get(top) ?? [];
    list.push(id);
    groups.set(top, list);
  }
  const out: unknown[] = [];
  const grand: [number, number, number, number, number, number] = [0, 0, 0, 0, 0, 0];
  for (const top of [...groups.keys()].sort(byName)) {
    const members = groups.get(top) as string[];
    const topCust = store.customers.get(top)?.obj;
    if (!topCust) continue;
    const sum: [number, number, number, number, number, number] = [0, 0, 0, 0, 0, 0];
    for (const id of members) {
      const r = rows.get(id) as AgingRow;
      r.buckets.forEach((b, i) => (sum[i] = (sum[i] as number) + b));
      sum[5] += r.total;
    }
    sum.forEach((v, i) => (grand[i] = (grand[i] as number) + v));
    if (members.length === 1 && members[0] === top) {
      out.push(dataRow(topCust, rows.get(top) as AgingRow));
      continue;
    }
    const inner = [...members].sort((a, b) => (a === top ? -1 : b === top ? 1 : byName(a, b)));
    out.push({
      type: 'Section',
      Header: { ColData: [{ value: topCust.DisplayName, id: topCust.Id }, ...Array.from({ length: 6 }, () => ({ value: '' }))] },
      Rows: { Row: inner.map((id) => dataRow(store.customers.get(id)?.obj as QboCustomer, rows.get(id) as AgingRow)) },
      Summary: { ColData: [{ value: `Total ${topCust.DisplayName}` }, ...sum.map((c) => ({ value: money(c) }))] },
    });
  }
  const empty = out.length === 0;
  const header: Record<string, unknown> = {
    Time: clock.meta(clock.nowMs()),
    ReportName: 'AgedReceivables',
    ...(params.get('date_macro') ? { DateMacro: params.get('date_macro') } : {}),
    ...(customerParam ? { Customer: customerParam } : {}),
    StartPeriod: reportDate,
    EndPeriod: reportDate,
    Currency: store.homeCurrency(),
    Option: [
      { Name: 'report_date', Value: reportDate },
      { Name: 'NoReportData', Value: empty ? 'true' : 'false' },
    ],
  };
  return {
    Header: header,
    Columns: {
      Column: [{ ColType: 'Customer', ColTitle: '' }, ...AGING_TITLES.map((t) => ({ ColType: 'Money', ColTitle: t })), { ColType: 'Money', ColTitle: 'Total' }],
    },
    Rows: empty
      ? {}
      : {
          Row: [
            ...out,
            { type: 'Section', group: 'GrandTotal', Summary: { ColData: [{ value: 'TOTAL' }, ...grand.map((c) => ({ value: money(c) }))] } },
          ],
        },
  };
}
