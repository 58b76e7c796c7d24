// The `where` filter (ledger-apis.md §2.2): C#-like comparisons joined by AND/OR with parentheses.
// Literals: "strings", numbers, true/false/null, guid("…"), DateTime(y,m,d[,h,mi,s]). Fields are
// resolved through a per-collection getter table (case-insensitive); dates compare as epoch ms.
import { badQuery } from './wire';

export type Value = string | number | boolean | null;
export type Getter<T> = (row: T) => Value;
export type Predicate<T> = (row: T) => boolean;

type Tok = { k: 'id' | 'str' | 'num' | 'op' | 'lp' | 'rp' | 'comma'; v: string };

function lex(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"') {
      let j = i + 1;
      let s = '';
      while (j < src.length && src[j] !== '"') {
        if (src[j] === '\\' && j + 1 < src.length) j++;
        s += src[j];
        j++;
      }
      if (j >= src.length) throw badQuery('Unterminated string literal in where');
      out.push({ k: 'str', v: s });
      i = j + 1;
    } else if (/[0-9-]/.test(c) && /[0-9.]/.test(src[i + 1] ?? (c === '-' ? '' : '0'))) {
      const m = /^-?\d+(\.\d+)?/.exec(src.slice(i)) as RegExpExecArray;
      out.push({ k: 'num', v: m[0] });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(src.slice(i)) as RegExpExecArray;
      out.push({ k: 'id', v: m[0] });
      i += m[0].length;
    } else if (c === '(') {
      out.push({ k: 'lp', v: c });
      i++;
    } else if (c === ')') {
      out.push({ k: 'rp', v: c });
      i++;
    } else if (c === ',') {
      out.push({ k: 'comma', v: c });
      i++;
    } else {
      const m = /^(==|!=|>=|<=|&&|\|\||>|<|=)/.exec(src.slice(i));
      if (!m) throw badQuery(`Unexpected character '${c}' in where`);
      out.push({ k: 'op', v: m[0] === '=' ? '==' : m[0] });
      i += m[0].length;
    }
  }
  return out;
}

export function compileWhere<T>(src: string, fields: Record<string, Getter<T>>): Predicate<T> {
  const lower = new Map(Object.entries(fields).map(([k, g]) => [k.toLowerCase(), g]));
  const toks = lex(src);
  let p = 0;
  const peek = (): Tok | undefined => toks[p];
  const take = (): Tok => {
    const t = toks[p++];
    if (!t) throw badQuery('Unexpected end of where');
    return t;
  };
  const isWord = (t: Tok | undefined, w: string): boolean => t?.k === 'id' && t.v.toUpperCase() === w;

  const literal = (): Value => {
    const t = take();
    if (t.k === 'str') return t.v;
    if (t.k === 'num') return Number(t.v);
    if (t.k === 'id') {
      const w = t.v.toLowerCase();
      if (w === 'true' || w === 'false') return w === 'true';
      if (w === 'null') return null;
      if (w === 'guid' || w === 'datetime') {
        if (take().k !== 'lp') throw badQuery(`${t.v} needs (`);
        const args: Value[] = [];
        while (peek()?.k !== 'rp') {
          const a = take();
          if (a.k === 'comma') continue;
          if (a.k !== 'str' && a.k !== 'num') throw badQuery(`Bad argument to ${t.v}`);
          args.push(a.k === 'num' ? Number(a.v) : a.v);
        }
        take();
        if (w === 'guid') return String(args[0] ?? '').toLowerCase();
        const [y, mo, d, h = 0, mi = 0, s = 0] = args.map(Number);
        const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), h, mi, s);
        if (!Number.isFinite(ms)) throw badQuery('Bad DateTime()');
        return ms;
      }
    }
    throw badQuery(`Expected a value in where, got '${t.v}'`);
  };

  const comparison = (): Predicate<T> => {
    if (peek()?.k === 'lp') {
      take();
      const inner = orExpr();
      if (take().k !== 'rp') throw badQuery('Missing ) in where');
      return inner;
    }
    if (isWord(peek(), 'NOT')) {
      take();
      const inner = comparison();
      return (r) => !inner(r);
    }
    const f = take();
    if (f.k !== 'id') throw badQuery(`Expected a field in where, got '${f.v}'`);
    const getter = lower.get(f.v.toLowerCase());
    if (!getter) throw badQuery(`The field '${f.v}' is not supported in where`);
    const op = take();
    if (op.k !== 'op') throw badQuery(`Expected an operator after ${f.v}`);
    const rhs = literal();
    const norm = (v: Value): Value => (typeof v === 'string' && /^[0-9a-f-]{36}$/i.test(v) ? v.toLowerCase() : v);
    const want = norm(rhs);
    return (r) => {
      const got = norm(getter(r));
      switch (op.v) {
        case '==':
          return got === want;
        case '!=':
          return got !== want;
        default: {
          if (got === null || want === null) return false;
          const a = got as number | string;
          const b = want as number | string;
          return op.v === '>' ? a > b : op.v === '>=' ? a >= b : op.v === '<' ? a < b : op.v === '<=' ? a <= b : false;
        }
      }
    };
  };

  const andExpr = (): Predicate<T> => {
    const parts = [comparison()];
    while (isWord(peek(), 'AND') || (peek()?.k === 'op' && peek()?.v === '&&')) {
      take();
      parts.push(comparison());
    }
    return parts.length === 1 ? (parts[0] as Predicate<T>) : (r) => parts.every((q) => q(r));
  };
  const orExpr = (): Predicate<T> => {
    const parts = [andExpr()];
    while (isWord(peek(), 'OR') || (peek()?.k === 'op' && peek()?.v === '||')) {
      take();
      parts.push(andExpr());
    }
    return parts.length === 1 ? (parts[0] as Predicate<T>) : (r) => parts.some((q) => q(r));
  };

  const pred = orExpr();
  if (p < toks.length) throw badQuery(`Unexpected '${toks[p]?.v}' in where`);
  return pred;
}
