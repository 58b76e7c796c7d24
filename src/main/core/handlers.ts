// How a feature puts its methods behind the contract. Each feature declares one group per
// contract domain it owns (`defineHandlers('promises', { list, create, … })`), typed from the
// contract so a missing or unknown method is a compile error; the composition root merges the
// groups with combineHandlers, which refuses a duplicate or a gap when the core starts.
import { METHOD_NAMES, type Handlers, type Method } from '../../shared/contract';

type DomainOf<M extends string> = M extends `${infer D}.${string}` ? D : never;
/** A contract domain: the part of a method name before the dot (`promises` in `promises.list`). */
export type Domain = DomainOf<Method>;
type VerbOf<M extends string, D extends string> = M extends `${D}.${infer V}` ? V : never;

/** Every method of one domain, keyed by verb (`list` for `promises.list`). */
export type DomainHandlers<D extends Domain> = {
  [M in Method as VerbOf<M, D>]: Handlers[M];
};

type AnyHandler = (input: never) => unknown;

/** One domain's handlers, ready for combineHandlers. */
export interface HandlerGroup {
  readonly prefix: Domain;
  readonly handlers: Readonly<Record<string, AnyHandler>>;
}

/**
 * Declares every method of a contract domain. The verbs are checked against the contract both
 * ways: one it has that `impl` leaves out fails to compile, and so does one it lacks (the
 * object literal's excess-property check), while each handler's input is typed from the contract.
 */
export function defineHandlers<D extends Domain>(prefix: D, impl: NoInfer<DomainHandlers<D>>): HandlerGroup {
  return { prefix, handlers: impl as unknown as Record<string, AnyHandler> };
}

/**
 * Merges the feature groups into the one handler map the transports dispatch to. Throws at start-
 * up on a method defined twice, one the contract does not know, or one no group implements.
 */
export function combineHandlers(...groups: readonly HandlerGroup[]): Handlers {
  const merged: Record<string, AnyHandler> = {};
  const known = new Set<string>(METHOD_NAMES);
  for (const group of groups) {
    for (const [verb, handler] of Object.entries(group.handlers)) {
      const name = `${group.prefix}.${verb}`;
      if (!known.has(name)) throw new Error(`combineHandlers: ${name} is not in the contract`);
      if (Object.prototype.hasOwnProperty.call(merged, name)) throw new Error(`combineHandlers: ${name} is defined twice`);
      if (typeof handler !== 'function') throw new Error(`combineHandlers: ${name} is not a function`);
      merged[name] = handler;
    }
  }
  const missing = METHOD_NAMES.filter((m) => !Object.prototype.hasOwnProperty.call(merged, m));
  if (missing.length > 0) throw new Error(`combineHandlers: no handler for ${missing.join(', ')}`);
  return merged as unknown as Handlers;
}
