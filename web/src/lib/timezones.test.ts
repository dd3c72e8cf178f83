import { describe, expect, it } from 'vitest';
import { allTimeZones, searchZones, zoneLabel } from './timezones';

const zones = ['America/New_York', 'Europe/Kyiv', 'Europe/Warsaw', 'UTC'];
const winter = new Date('2026-01-15T12:00:00Z');

describe('the time zone list', () => {
  it('knows the browser’s zones', () => {
    expect(allTimeZones().length).toBeGreaterThan(100);
  });

  it('labels a zone with its offset', () => {
    expect(zoneLabel('Europe/Kyiv', winter)).toBe('Europe/Kyiv (UTC+2)');
    expect(zoneLabel('America/New_York', winter)).toBe('America/New York (UTC-5)');
  });

  it('finds a zone by its name, its city in Ukrainian or its offset', () => {
    expect(searchZones(zones, 'kyiv', undefined, winter)).toEqual(['Europe/Kyiv']);
    expect(searchZones(zones, 'Київ', undefined, winter)).toEqual(['Europe/Kyiv']);
    expect(searchZones(zones, 'new york', undefined, winter)).toEqual(['America/New_York']);
    expect(searchZones(zones, 'UTC+1', undefined, winter)).toEqual(['Europe/Warsaw']);
    expect(searchZones(zones, '', undefined, winter)).toEqual(zones);
  });

  it('keeps the current choice in the list', () => {
    expect(searchZones(zones, 'warsaw', 'Europe/Kyiv', winter)).toEqual(['Europe/Kyiv', 'Europe/Warsaw']);
  });
});
