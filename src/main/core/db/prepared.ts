// Per-database statement cache. Repos are plain functions that take `db` first (no module-level
// handle), yet preparing SQL on every call is measurable on hot paths; a WeakMap keyed on the
// handle keeps one set of statements per open database and lets it go when the handle does.
import type { Db } from './open';

/** Wraps a builder so its statements are prepared once per database handle. */
export function perDb<T>(build: (db: Db) => T): (db: Db) => T {
  const cache = new WeakMap<Db, T>();
  return (db) => {
    let value = cache.get(db);
    if (value === undefined) {
      value = build(db);
      cache.set(db, value);
    }
    return value;
  };
}
