import { describe, expect, it } from 'vitest';
import { parseRoute, routeHref } from './router';

describe('parseRoute', () => {
  it('maps hashes to pages', () => {
    expect(parseRoute('')).toBe('home');
    expect(parseRoute('#/')).toBe('home');
    expect(parseRoute('#/services')).toBe('services');
    expect(parseRoute('#/slots/')).toBe('slots');
    expect(parseRoute('#/staff')).toBe('staff');
    expect(parseRoute('#/clients?q=x')).toBe('clients');
    expect(parseRoute('#/simulator')).toBe('simulator');
    expect(parseRoute('#/notifications')).toBe('notifications');
    expect(parseRoute('#/analytics')).toBe('analytics');
    expect(parseRoute('#/analytics?period=week')).toBe('analytics');
    expect(parseRoute('#/reports')).toBe('not_found');
    expect(parseRoute('#/home')).toBe('not_found');
  });

  it('builds links', () => {
    expect(routeHref('home')).toBe('#/');
    expect(routeHref('settings')).toBe('#/settings');
  });
});
