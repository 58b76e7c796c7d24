// Hooks run synchronously, in the order they were registered, and one owner listens once.
import { describe, expect, it } from 'vitest';
import { Hooks } from '../../../src/main/core/hooks';

describe('Hooks', () => {
  it('runs listeners in registration order with the payload', () => {
    const hooks = new Hooks();
    const seen: string[] = [];
    hooks.on('beforeSnapshot', 'first', ({ connectionId }) => seen.push(`first:${connectionId}`));
    hooks.on('beforeSnapshot', 'second', ({ connectionId }) => seen.push(`second:${connectionId}`));
    hooks.on('afterSync', 'other', () => seen.push('other'));
    hooks.run('beforeSnapshot', { connectionId: 'c1' });
    expect(seen).toEqual(['first:c1', 'second:c1']);
    expect(hooks.owners('beforeSnapshot')).toEqual(['first', 'second']);
  });

  it('refuses the same owner twice on one hook', () => {
    const hooks = new Hooks();
    hooks.on('draftSubmitted', 'approvals', () => undefined);
    expect(() => hooks.on('draftSubmitted', 'approvals', () => undefined)).toThrow(/already listens/);
  });

  it("lets a listener's error reach the caller and stops the rest", () => {
    const hooks = new Hooks();
    const seen: string[] = [];
    hooks.on('afterSync', 'boom', () => {
      throw new Error('boom');
    });
    hooks.on('afterSync', 'later', () => seen.push('later'));
    expect(() => hooks.run('afterSync', { connectionId: 'c1' })).toThrow('boom');
    expect(seen).toEqual([]);
  });
});
