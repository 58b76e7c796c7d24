// The QBO query language subset (ledger-apis.md §1.3):
//   SELECT * | count(*) FROM <Entity> [WHERE p op v [AND …]] [ORDERBY p [ASC|DESC][, …]]
//   [STARTPOSITION n] [MAXRESULTS m]
// Operators = < > <= >= IN LIKE (LIKE with % only). No OR, NOT, GROUP BY, JOIN or projections:
// they fail with the 4000 QueryParserError fault. Names outside the queryable list fail with 4001.
import { faults } from './faults';
import type { QboStore, Rec } from './store';
import type { CompanyClock } from './time';

type Op = '=' | '<' | '>' | '<=' | '>=' | 'IN' | 'LIKE';

interface Literal {
  kind: 'string' | 'number' | 'bool';
  text: string;
}

interface Cond {
  field: string;
  op: Op;
  values: Literal[];
}

export interface ParsedQuery {
  count: boolean;
  entity: string;
  where: Cond[];
  orderBy: { field: string; desc: boolean }[];
  /** 1-based. */
  start: number;
  max: number;
}

export const MAX_RESULTS = 1000;
export const DEFAULT_MAX_RESULTS = 100;

// ---- tokens --------------------------------------------------------------------------------

interface Token {
  type: 'word' | 'string' | 'number' | 'op' | 'punct' | 'eof';
  text: string;
  col: number;
}

function tokenize(q: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < q.length) {
    const ch = q[i] as string;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const col = i + 1;
    if (ch === "'") {
      let text = '';
      i++;
      for (;;) {
        if (i >= q.length) throw faults.queryParse(`Lexical error at line 1, column ${q.length + 1}. Encountered: <EOF> after : "'${text}"`);
        const c = q[i] as string;
        if (c === '\\' && i + 1 < q.length) {
          text += q[i + 1];
          i += 2;
        } else if (c === "'") {
          i++;
          break;
        } else {
          text += c;
          i++;
        }
      }
      out.push({ type: 'string', text, col });
      continue;
    }
    const num = /^-?\d+(\.\d+)?/.exec(q.slice(i));
    if (num && (ch !== '-' || /\d/.test(q[i + 1] ?? ''))) {
      out.push({ type: 'number', text: num[0], col });
      i += num[0].length;
      continue;
    }
    const op = /^(<=|>=|!=|<>|=|<|>)/.exec(q.slice(i));
    if (op) {
      out.push({ type: 'op', text: op[0], col });
      i += op[0].length;
      continue;
    }
    if ('(),*'.includes(ch)) {
      out.push({ type: 'punct', text: ch, col });
      i++;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(q.slice(i));
    if (word) {
      out.push({ type: 'word', text: word[0], col });
      i += word[0].length;
      continue;
    }
    throw faults.queryParse(`Lexical error at line 1, column ${col}. Encountered: "${ch}"`);
  }
  out.push({ type: 'eof', text: '<EOF>', col: q.length + 1 });
  return out;
}

// ---- parser --------------------------------------------------------------------------------

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.pos] as Token;
  }

  private next(): Token {
    const t = this.peek();
    if (t.type !== 'eof') this.pos++;
    return t;
  }

  private fail(t: Token, expecting: string): never {
    const shown = t.type === 'eof' ? '<EOF>' : t.type === 'string' ? `'${t.text}'` : t.text;
    throw faults.queryParse(`Encountered " ${shown} " at line 1, column ${t.col}.\nWas expecting one of:\n    ${expecting}`);
  }

  private isKw(t: Token, kw: string): boolean {
    return t.type === 'word' && t.text.toUpperCase() === kw;
  }

  private expectKw(kw: string): void {
    const t = this.next();
    if (!this.isKw(t, kw)) this.fail(t, `"${kw.toLowerCase()}" ...`);
  }

  private expectPunct(p: string): void {
    const t = this.next();
    if (t.type !== 'punct' || t.text !== p) this.fail(t, `"${p}" ...`);
  }

  private int(): number {
    const t = this.next();
    if (t.type !== 'number' || !/^\d+$/.test(t.text)) this.fail(t, '<INTEGER> ...');
    return Number(t.text);
  }

  private literal(): Literal {
    const t = this.next();
    if (t.type === 'string') return { kind: 'string', text: t.text };
    if (t.type === 'number') return { kind: 'number', text: t.text };
    if (t.type === 'word' && /^(true|false)$/i.test(t.text)) return { kind: 'bool', text: t.text.toLowerCase() };
    return this.fail(t, '<STRING> ...\n    <NUMBER> ...\n    "true" ...\n    "false" ...');
  }

  private cond(): Cond {
    const f = this.next();
    if (f.type !== 'word' || KEYWORDS.has(f.text.toUpperCase())) this.fail(f, '<IDENTIFIER> ...');
    const o = this.next();
    if (o.type === 'op') {
      if (o.text === '!=' || o.text === '<>') this.fail(o, '"=" ...\n    "<" ...\n    ">" ...\n    "<=" ...\n    ">=" ...\n    "in" ...\n    "like" ...');
      return { field: f.text, op: o.text as Op, values: [this.literal()] };
    }
    if (this.isKw(o, 'IN')) {
      this.expectPunct('(');
      const values = [this.literal()];
      while (this.peek().type === 'punct' && this.peek().text === ',') {
        this.next();
        values.push(this.literal());
      }
      this.expectPunct(')');
      return { field: f.text, op: 'IN', values };
    }
    if (this.isKw(o, 'LIKE')) {
      const t = this.next();
      if (t.type !== 'string') this.fail(t, '<STRING> ...');
      return { field: f.text, op: 'LIKE', values: [{ kind: 'string', text: t.text }] };
    }
    return this.fail(o, '"=" ...\n    "<" ...\n    ">" ...\n    "<=" ...\n    ">=" ...\n    "in" ...\n    "like" ...');
  }

  parse(): ParsedQuery {
    this.expectKw('SELECT');
    let count = false;
    const sel = this.next();
    if (sel.type === 'punct' && sel.text === '*') count = false;
    else if (sel.type === 'word' && sel.text.toLowerCase() === 'count') {
      this.expectPunct('(');
      this.expectPunct('*');
      this.expectPunct(')');
      count = true;
    } else this.fail(sel, '"*" ...\n    "count" ...');
    this.expectKw('FROM');
    const ent = this.next();
    if (ent.type !== 'word' || ent.text.includes('.') || KEYWORDS.has(ent.text.toUpperCase())) this.fail(ent, '<IDENTIFIER> ...');

    const q: ParsedQuery = { count, entity: ent.text, where: [], orderBy: [], start: 1, max: DEFAULT_MAX_RESULTS };
    if (this.isKw(this.peek(), 'WHERE')) {
      this.next();
      q.where.push(this.cond());
      while (this.isKw(this.peek(), 'AND')) {
        this.next();
        q.where.push(this.cond());
      }
    }
    const seen = new Set<string>();
    for (;;) {
      const t = this.peek();
      if (t.type === 'eof') break;
      const kw = t.type === 'word' ? t.text.toUpperCase() : '';
      const allowed = (['ORDERBY', 'STARTPOSITION', 'MAXRESULTS'] as const).filter((k) => !seen.has(k));
      if (!allowed.includes(kw as (typeof allowed)[number])) {
        this.fail(t, ['<EOF>', ...(q.where.length > 0 && seen.size === 0 ? ['"and" ...'] : []), ...allowed.map((k) => `"${k.toLowerCase()}" ...`)].join('\n    '));
      }
      this.next();
      seen.add(kw);
      if (kw === 'ORDERBY') {
        for (;;) {
          const f = this.next();
          if (f.type !== 'word' || KEYWORDS.has(f.text.toUpperCase())) this.fail(f, '<IDENTIFIER> ...');
          let desc = false;
          if (this.isKw(this.peek(), 'ASC') || this.isKw(this.peek(), 'DESC')) desc = this.next().text.toUpperCase() === 'DESC';
          q.orderBy.push({ field: f.text, desc });
          if (this.peek().type === 'punct' && this.peek().text === ',') this.next();
          else break;
        }
      } else if (kw === 'STARTPOSITION') q.start = Math.max(1, this.int());
      else q.max = Math.min(MAX_RESULTS, Math.max(1, this.int()));
    }
    return q;
  }
}

const KEYWORDS = new Set(['SELECT', 'FROM', 'WHERE', 'AND', 'OR', 'NOT', 'ORDERBY', 'ORDER', 'BY', 'GROUP', 'JOIN', 'ASC', 'DESC', 'STARTPOSITION', 'MAXRESULTS', 'IN', 'LIKE']);

export function parseQuery(text: string): ParsedQuery {
  return new Parser(tokenize(text)).parse();
}

// ---- fields --------------------------------------------------------------------------------

type Kind = 'id' | 'ref' | 'string' | 'date' | 'time' | 'money' | 'bool' | 'email';

const COMMON: Record<string, Kind> = { Id: 'id', 'MetaData.CreateTime': 'time', 'MetaData.LastUpdatedTime': 'time' };
const QUERYABLE: Record<string, Record<string, Kind>> = {
  Customer: {
    ...COMMON,
    DisplayName: 'string',
    GivenName: 'string',
    FamilyName: 'string',
    CompanyName: 'string',
    FullyQualifiedName: 'string',
    PrimaryEmailAddr: 'email',
    Active: 'bool',
    Job: 'bool',
    Balance: 'money',
    ParentRef: 'ref',
    CurrencyRef: 'ref',
  },
  Invoice: {
    ...COMMON,
    DocNumber: 'string',
    TxnDate: 'date',
    DueDate: 'date',
    CustomerRef: 'ref',
    Balance: 'money',
    TotalAmt: 'money',
    CurrencyRef: 'ref',
    EmailStatus: 'string',
  },
  Payment: { ...COMMON, TxnDate: 'date', CustomerRef: 'ref', TotalAmt: 'money', PaymentRefNum: 'string', CurrencyRef: 'ref' },
  CreditMemo: {
    ...COMMON,
    DocNumber: 'string',
    TxnDate: 'date',
    CustomerRef: 'ref',
    TotalAmt: 'money',
    Balance: 'money',
    RemainingCredit: 'money',
    CurrencyRef: 'ref',
  },
  CompanyInfo: { ...COMMON, CompanyName: 'string' },
};

type AnyRec = Rec<{ Id: string }>;

function raw(rec: AnyRec, field: string): unknown {
  if (field === 'MetaData.LastUpdatedTime') return rec.updatedMs;
  if (field === 'MetaData.CreateTime') return rec.createdMs;
  const v = (rec.obj as unknown as Record<string, unknown>)[field];
  if (v && typeof v === 'object') {
    const o = v as { value?: unknown; Address?: unknown };
    return o.value ?? o.Address;
  }
  return v;
}

function cmpIds(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders two stored values of one field kind. */
function cmp(kind: Kind, a: unknown, b: unknown): number {
  if (a === undefined || a === null) return b === undefined || b === null ? 0 : -1;
  if (b === undefined || b === null) return 1;
  switch (kind) {
    case 'time':
    case 'money':
      return (a as number) - (b as number);
    case 'bool':
      return Number(a) - Number(b);
    case 'id':
    case 'ref':
      return cmpIds(String(a), String(b));
    default: {
      const sa = String(a).toLowerCase();
      const sb = String(b).toLowerCase();
      return sa < sb ? -1 : sa > sb ? 1 : 0;
    }
  }
}

/** Converts a literal to the stored representation of the field, or throws 4001. */
function coerce(kind: Kind, lit: Literal, field: string, clock: CompanyClock): unknown {
  const bad = (): never => {
    throw faults.queryValidation(`value '${lit.text}' is not valid for property '${field}'`);
  };
  switch (kind) {
    case 'time': {
      const ms = clock.parse(lit.text);
      return ms === null ? bad() : ms;
    }
    case 'money': {
      const n = Number(lit.text);
      return lit.kind === 'bool' || lit.text.trim() === '' || !Number.isFinite(n) ? bad() : n;
    }
    case 'bool':
      return /^(true|false)$/i.test(lit.text) ? lit.text.toLowerCase() === 'true' : bad();
    case 'date': {
      const d = lit.text.slice(0, 10);
      return /^\d{4}-\d{2}-\d{2}$/.test(d) && clock.parse(d) !== null ? d : bad();
    }
    default:
      return lit.text;
  }
}

function likeRegex(pattern: string): RegExp {
  const body = pattern
    .split('%')
    .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 'is');
}

function predicate(kind: Kind, cond: Cond, clock: CompanyClock): (v: unknown) => boolean {
  if (cond.op === 'LIKE') {
    if (kind !== 'string' && kind !== 'email') throw faults.queryValidation(`LIKE is not supported for property '${cond.field}'`);
    const re = likeRegex(cond.values[0]?.text ?? '');
    return (v) => typeof v === 'string' && re.test(v);
  }
  const values = cond.values.map((l) => coerce(kind, l, cond.field, clock));
  const eq = (v: unknown, w: unknown): boolean =>
    kind === 'money' ? Math.round((v as number) * 100) === Math.round((w as number) * 100) : kind === 'id' || kind === 'ref' ? cmpIds(String(v), String(w)) === 0 : v === w;
  const one = values[0];
  switch (cond.op) {
    case 'IN':
      return (v) => v !== undefined && v !== null && values.some((w) => eq(v, w));
    case '=':
      return (v) => v !== undefined && v !== null && eq(v, one);
    case '<':
      return (v) => v !== undefined && v !== null && cmp(kind, v, one) < 0;
    case '>':
      return (v) => v !== undefined && v !== null && cmp(kind, v, one) > 0;
    case '<=':
      return (v) => v !== undefined && v !== null && cmp(kind, v, one) <= 0;
    case '>=':
      return (v) => v !== undefined && v !== null && cmp(kind, v, one) >= 0;
  }
  return () => false;
}

// ---- execution -----------------------------------------------------------------------------

const sortCache = new WeakMap<QboStore, Map<string, AnyRec[]>>();

function records(store: QboStore, entity: string): { recs: AnyRec[]; version: number } {
  if (entity === 'CompanyInfo') {
    const info = store.companyInfo;
    return { recs: [{ obj: info, createdMs: Date.parse(info.MetaData.CreateTime), updatedMs: Date.parse(info.MetaData.LastUpdatedTime) }], version: -1 };
  }
  const e = entity as 'Customer' | 'Invoice' | 'Payment' | 'CreditMemo';
  return { recs: [...store.table(e).values()] as unknown as AnyRec[], version: store.versions[e] };
}

export interface QueryResult {
  QueryResponse: Record<string, unknown>;
}

/** Runs a query statement against the store; the answer's body without `time`. */
export function runQuery(text: string, store: QboStore, decorate: (entity: string, obj: object) => object = (_e, o) => o): QueryResult {
  const q = parseQuery(text);
  const fields = QUERYABLE[q.entity];
  if (!fields) throw faults.queryValidation(`Entity '${q.entity}' is not supported or is not queryable (entity names are case-sensitive)`);
  const kindOf = (field: string): Kind => {
    const k = fields[field];
    if (!k) throw faults.queryValidation(`property '${field}' is not queryable`);
    return k;
  };
  const tests = q.where.map((c) => ({ field: c.field, test: predicate(kindOf(c.field), c, store.clock) }));
  // Name lists hide inactive rows unless the query mentions Active.
  if (q.entity === 'Customer' && !q.where.some((c) => c.field === 'Active')) tests.push({ field: 'Active', test: (v) => v === true });
  const order = q.orderBy.map((o) => ({ ...o, kind: kindOf(o.field) }));

  const all = records(store, q.entity);
  const { version } = all;
  let { recs } = all;
  if (order.length > 0) {
    const key = `${q.entity}|${order.map((o) => `${o.field}:${o.desc ? 'd' : 'a'}`).join(',')}|${version}`;
    let cache = sortCache.get(store);
    if (!cache) sortCache.set(store, (cache = new Map()));
    let sorted = version >= 0 ? cache.get(key) : undefined;
    if (!sorted) {
      sorted = [...recs].sort((a, b) => {
        for (const o of order) {
          const c = cmp(o.kind, raw(a, o.field), raw(b, o.field));
          if (c !== 0) return o.desc ? -c : c;
        }
        return cmpIds(a.obj.Id, b.obj.Id);
      });
      for (const k of cache.keys()) if (k.startsWith(`${q.entity}|`)) cache.delete(k);
      if (version >= 0) cache.set(key, sorted);
    }
    recs = sorted;
  }
  const matches = tests.length === 0 ? recs : recs.filter((r) => tests.every((t) => t.test(raw(r, t.field))));
  if (q.count) return { QueryResponse: { totalCount: matches.length } };
  const page = matches.slice(q.start - 1, q.start - 1 + q.max);
  if (page.length === 0) return { QueryResponse: {} };
  return {
    QueryResponse: {
      [q.entity]: page.map((r) => decorate(q.entity, r.obj)),
      startPosition: q.start,
      maxResults: page.length,
    },
  };
}
