import { describe, expect, it } from 'vitest';
import { en } from './en';
import { interpolate, translate } from './index';
import { uk } from './uk';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('catalogues', () => {
  it('have exactly the same keys', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(uk).sort());
  });

  it('have no empty texts', () => {
    for (const cat of [uk, en]) for (const [k, v] of Object.entries(cat)) expect(v.trim(), k).not.toBe('');
  });

  it('use the same placeholders in both languages', () => {
    for (const key of Object.keys(uk) as (keyof typeof uk)[]) {
      expect(placeholders(en[key]), key).toEqual(placeholders(uk[key]));
    }
  });

  it('name every appointment status', () => {
    for (const s of ['pending', 'confirmed', 'completed', 'cancelled', 'no_show']) {
      expect(Object.keys(uk)).toContain(`status.${s}`);
    }
  });
});

describe('interpolate', () => {
  it('fills placeholders and leaves unknown ones', () => {
    expect(interpolate('{a} і {b}', { a: 1 })).toBe('1 і {b}');
    expect(interpolate('no params')).toBe('no params');
  });

  it('translates with parameters', () => {
    expect(translate('en', 'pager.range', { from: 1, to: 20, total: 45 })).toBe('1–20 of 45');
    expect(translate('uk', 'pager.range', { from: 1, to: 20, total: 45 })).toBe('1–20 з 45');
  });
});
