import { describe, expect, it } from 'vitest';
import { isResync, parseLiveEvent } from './live';

describe('parseLiveEvent', () => {
  it('reads {kind, id}', () => {
    expect(parseLiveEvent('{"kind":"appointment","id":12}')).toEqual({ kind: 'appointment', id: 12 });
    expect(parseLiveEvent('{"kind":"settings"}')).toEqual({ kind: 'settings', id: 0 });
    expect(parseLiveEvent('{"kind":"notice","id":7}')).toEqual({ kind: 'notice', id: 7 });
    expect(parseLiveEvent('{"kind":"staff","id":3}')).toEqual({ kind: 'staff', id: 3 });
  });

  it('ignores anything else', () => {
    expect(parseLiveEvent('ping')).toBeNull();
    expect(parseLiveEvent('{"kind":"weather","id":1}')).toBeNull();
    expect(parseLiveEvent('[1,2]')).toBeNull();
  });
});

describe('isResync', () => {
  it('spots the server asking for a full refresh', () => {
    expect(isResync('{"kind":"resync","id":0}')).toBe(true);
    expect(isResync('{"kind":"appointment","id":1}')).toBe(false);
    expect(isResync('nope')).toBe(false);
  });
});
