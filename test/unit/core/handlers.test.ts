// combineHandlers is the start-up guard of the contract: a method defined twice, one the contract
// lacks or one nobody implements stops the core before it serves anything.
import { describe, expect, it } from 'vitest';
import { combineHandlers, defineHandlers, type HandlerGroup } from '../../../src/main/core/handlers';
import { METHOD_NAMES } from '../../../src/shared/contract';

/** One group per domain with a handler for every method of the contract. */
function everyGroup(): HandlerGroup[] {
  const byDomain = new Map<string, Record<string, () => string>>();
  for (const m of METHOD_NAMES) {
    const [domain, verb] = m.split('.') as [string, string];
    const group = byDomain.get(domain) ?? {};
    group[verb] = () => m;
    byDomain.set(domain, group);
  }
  return [...byDomain].map(([prefix, handlers]) => ({ prefix, handlers }) as HandlerGroup);
}

describe('combineHandlers', () => {
  it('merges the groups into one map with every contract method', () => {
    const handlers = combineHandlers(...everyGroup());
    expect(Object.keys(handlers).sort()).toEqual([...METHOD_NAMES].sort());
    expect((handlers['board.get'] as unknown as () => string)()).toBe('board.get');
  });

  it('refuses a method defined twice', () => {
    const groups = everyGroup();
    const dup = { prefix: 'board', handlers: { get: () => null } } as HandlerGroup;
    expect(() => combineHandlers(...groups, dup)).toThrow(/board\.get is defined twice/);
  });

  it('refuses a method the contract does not have', () => {
    const extra = { prefix: 'board', handlers: { explode: () => null } } as unknown as HandlerGroup;
    expect(() => combineHandlers(...everyGroup(), extra)).toThrow(/board\.explode is not in the contract/);
  });

  it('names every method no group implements', () => {
    const groups = everyGroup().filter((g) => g.prefix !== 'plans');
    expect(() => combineHandlers(...groups)).toThrow(/no handler for plans\.preview, plans\.list/);
  });

  it('defineHandlers keeps the prefix and the verbs', () => {
    const group = defineHandlers('settings', { get: () => ({}) as never, set: () => ({}) as never });
    expect(group.prefix).toBe('settings');
    expect(Object.keys(group.handlers)).toEqual(['get', 'set']);
  });
});
